"""Excel ledgers (台账) of findings, leads, tasks and petitions: the rows the user may see, narrowed by the list
page's own FilterSet (and by the dashboard's plan/year/unit-kind filters the list page lacks), streamed from
`.values_list().iterator()` into a write-only workbook, so 100,000 rows export in bounded memory.
Secret rows (leads, petitions) are read-logged as they are written, one bulk insert per chunk.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from itertools import islice

from django.db.models import Q, QuerySet
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.audit.models import ReadLog
from inspection.audit.services import read_log_record_many
from inspection.core import access
from inspection.core.masking import mask_contact, mask_name
from inspection.units.models import UnitKind
from rectification.models import OPEN_TASK_STATUSES, Task, TaskKind, TaskStatus
from referrals.models import DispositionKind, Lead, LeadSource, LeadStatus
from rounds.models import Petition, RoundKind

CHUNK = 2000


def _label(choices) -> Callable:
    labels = dict(choices)
    return lambda value: labels.get(value, value or "")


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def _round_title(number, kind) -> str:
    return f"第{number}轮{RoundKind(kind).label}" if number else ""


def _yes(value) -> str:
    return "是" if value else "否"


@dataclass(frozen=True)
class Ledger:
    kind: str
    title: str
    model: type
    filterset: str  # "module:FilterSet" of the app's list page
    # paths from the row to its round and to its unit, for the dashboard's scope filters
    round_path: str
    unit_path: str
    headers: list
    fields: list
    row: Callable  # values tuple -> cells
    secret_repr: Callable | None = None  # values tuple -> (pk, str(obj)) for the read log

    @property
    def action(self) -> str:
        # The app's export rule where it declares one, else the right to see the records at all.
        return "export" if "export" in access.policy_for(self.model).permissions else "view"

    def filterset_class(self):
        module_name, class_name = self.filterset.split(":")
        try:
            return getattr(import_module(module_name), class_name)
        except (ImportError, AttributeError):
            return None


_unit_kind = _label(UnitKind.choices)
_finding_status = _label(FindingStatus.choices)
_lead_status = _label(LeadStatus.choices)
_lead_source = _label(LeadSource.choices)
_disposition = _label(DispositionKind.choices)
_task_kind = _label(TaskKind.choices)
_task_status = _label(TaskStatus.choices)
_channel = _label(Petition.Channel.choices)
_conclusion = _label(Petition.Conclusion.choices)


def _finding_row(v):
    return (v[0], _round_title(v[1], v[2]), v[3], v[4], _unit_kind(v[5]), v[6], v[7], v[8], v[9], v[10], v[11],
            float(v[12]) if v[12] is not None else None, _yes(v[13]), _finding_status(v[14]), _day(v[15]))


def _lead_row(v):
    # Personal data leaves the system masked (the whole name is read on the lead's page only).
    return (v[0], _round_title(v[1], v[2]), v[3] or "", _lead_source(v[4]), mask_name(v[5]), v[6], v[7], v[8], v[9],
            _lead_status(v[10]), v[11] or "", v[12] or "", _day(v[13]), _disposition(v[14]) if v[14] else "",
            _day(v[15]))


def _task_row(v, today=None):
    today = today or timezone.localdate()
    overdue = v[9] in OPEN_TASK_STATUSES and v[8] is not None and v[8] < today
    return (v[0], _round_title(v[1], v[2]), v[3], v[4], v[5], v[6], v[7], _task_kind(v[10]), _day(v[8]),
            _task_status(v[9]), _day(v[11]), _yes(overdue))


def _petition_row(v):
    return (v[0], _round_title(v[1], v[2]), v[3], v[4] or "", _channel(v[5]), _day(v[6]), _yes(v[7]),
            mask_name(v[8]), mask_contact(v[9]), mask_name(v[10]), v[11], v[12], _conclusion(v[13]))


LEDGERS = {
    "findings": Ledger(
        kind="findings",
        title="巡察发现问题台账",
        model=Finding,
        filterset="findings.filters:FindingFilter",
        round_path="round",
        unit_path="unit",
        headers=["编号", "轮次", "巡察组", "被巡察单位", "单位类别", "问题领域", "问题方面", "具体表现", "问题标题",
                 "问题事实", "定性依据", "涉及金额（元）", "立行立改", "状态", "审定时间"],
        fields=["pk", "round__number", "round__kind", "team__name", "unit__name", "unit__kind",
                "category__parent__parent__name", "category__parent__name", "category__name", "title", "facts",
                "basis", "money_involved", "fixed_on_site", "status", "approved_at"],
        row=_finding_row,
    ),
    "leads": Ledger(
        kind="leads",
        title="问题线索台账",
        model=Lead,
        filterset="referrals.filters:LeadFilter",
        round_path="round",
        unit_path="unit",
        headers=["编号", "轮次", "涉及单位", "线索来源", "被反映人", "职务", "所在单位", "职级", "问题线索摘要",
                 "状态", "接收单位", "移交函文号", "移交时间", "处置方式", "处置时间"],
        fields=["pk", "round__number", "round__kind", "unit__name", "source", "subject_name", "subject_post",
                "subject_unit", "subject_rank", "summary", "status", "referral__receiving_body__name",
                "referral__letter_number", "referred_at", "disposition__kind", "disposed_at"],
        row=_lead_row,
        secret_repr=lambda v: (v[0], f"线索{v[0]}"),
    ),
    "tasks": Ledger(
        kind="tasks",
        title="整改任务台账",
        model=Task,
        filterset="rectification.filters:TaskFilter",
        round_path="plan__feedback__round",
        unit_path="plan__feedback__unit",
        headers=["编号", "轮次", "被巡察单位", "反馈问题", "整改措施", "责任领导", "责任部门", "整改类型",
                 "整改时限", "状态", "销号时间", "是否逾期"],
        fields=["pk", "plan__feedback__round__number", "plan__feedback__round__kind", "plan__feedback__unit__name",
                "finding__title", "measures", "responsible_leader", "responsible_department", "deadline", "status",
                "kind", "closed_at"],
        row=_task_row,
    ),
    "petitions": Ledger(
        kind="petitions",
        title="信访件台账",
        model=Petition,
        filterset="rounds.filters:PetitionFilter",
        round_path="round",
        unit_path="unit",
        headers=["编号", "轮次", "巡察组", "涉及单位", "来源渠道", "收到日期", "匿名", "信访人", "联系方式",
                 "被反映人", "被反映人职务", "反映内容摘要", "办理结论"],
        fields=["pk", "round__number", "round__kind", "team__name", "unit__name", "channel", "received_on",
                "is_anonymous", "petitioner_name", "petitioner_contact", "subject_person", "subject_post", "summary",
                "conclusion"],
        row=_petition_row,
        secret_repr=lambda v: (v[0], f"信访件{v[0]}（{_channel(v[5])} {_day(v[6])}）"),
    ),
}


class LedgerFilterError(Exception):
    def __init__(self, errors):
        super().__init__("筛选条件有误")
        self.errors = errors


def ledger_queryset(ledger: Ledger, user, request, params) -> QuerySet:
    """The user's visible rows, narrowed by the list page's FilterSet and the dashboard scope filters."""
    queryset = access.visible(user, ledger.model.objects.all(), ledger.action)
    handled: set = set()
    filterset_class = ledger.filterset_class()
    if filterset_class is not None:
        filterset = filterset_class(params or None, queryset=queryset, request=request)
        if filterset.is_bound:
            if not filterset.is_valid():
                raise LedgerFilterError(filterset.errors)
            queryset = filterset.qs
        handled = set(filterset_class.base_filters)
    from .forms import FigureFilterForm

    form = FigureFilterForm({k: v for k, v in params.items() if k not in handled} or None, user=user)
    if form.is_bound and not form.is_valid():
        raise LedgerFilterError(form.errors)
    scope = form.scope()
    if scope.plan is not None or scope.round is not None or scope.year:
        queryset = queryset.filter(**{f"{ledger.round_path}__in": scope.rounds()})
    if scope.unit_kind:
        queryset = queryset.filter(Q(**{f"{ledger.unit_path}__kind": scope.unit_kind}))
    return queryset.order_by("pk")


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ledger_rows(ledger: Ledger, queryset: QuerySet, *, user, request=None) -> Iterator[tuple]:
    values = queryset.values_list(*ledger.fields).iterator(chunk_size=CHUNK)
    for chunk in _chunks(values, CHUNK):
        if ledger.secret_repr is not None:
            read_log_record_many(
                user=user, objects=_LoggedRow.many(ledger.model, map(ledger.secret_repr, chunk)),
                action=ReadLog.Action.EXPORT,
                request=request,
            )
        for v in chunk:
            yield ledger.row(v)


class _LoggedRow:
    """What `read_log_record_many` needs of a record (its type, pk and text) without loading the instance."""

    def __init__(self, model, pk, text):
        self._meta = model._meta
        self.pk = pk
        self._text = text

    def __str__(self):
        return self._text

    @classmethod
    def many(cls, model, reprs) -> list:
        return [cls(model, pk, text) for pk, text in reprs]
