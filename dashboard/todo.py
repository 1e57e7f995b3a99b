"""待办: what waits for this user, by kind, oldest first (issue 16). The one selector behind the home page, the
to-do page, the navigation badge and `GET /api/todo/`.

Every kind is a queryset through the owning app's access policy (`access.visible`, or the app's selector built on
it), so the scope rules — jurisdiction, team membership and unit assignment in force, round phase, the liaison's own
unit after feedback — are the apps' own and end when they end: a member whose place ended, or whose round moved past
the report, no longer sees the returned finding here either. Bounded at any scale: per kind at most `limit` rows
(oldest first) and a count capped at `COUNT_CAP` (`COUNT(*)` over a `LIMIT` subquery), so the page costs two queries
per kind and the badge one per kind, whatever the number of records.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import Role
from inspection.core import access
from rectification.models import (
    Feedback,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    ReportStatus,
    Task,
    TaskStatus,
)
from referrals import selectors as referral_selectors
from referrals.models import Lead, LeadStatus, Referral, ReferralStatus

COUNT_CAP = 1000
DEFAULT_LIMIT = 5
PAGE_LIMIT = 20
DEFAULT_REMIND_DAYS = 7


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    since: date | datetime | None  # when it started waiting, or its due date (`since_label` says which)
    note: str = ""

    @property
    def since_text(self) -> str:
        if isinstance(self.since, datetime):
            return f"{timezone.localtime(self.since):%Y-%m-%d %H:%M}"
        return f"{self.since:%Y-%m-%d}" if self.since else ""


@dataclass
class TodoGroup:
    key: str
    label: str
    since_label: str
    count: int
    url: str  # the list (or workspace) holding all of this kind
    items: list[TodoItem] = field(default_factory=list)

    @property
    def count_text(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.count >= COUNT_CAP else str(self.count)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    since_label: str
    roles: frozenset
    rows: object  # rows(user, today) -> ordered queryset, oldest first
    item: object  # item(row) -> TodoItem
    url: object  # url(user) -> str
    items: bool = True  # False: a count and a link only (the receivers' workspace lists the rows itself)


def _finding_url(finding) -> str:
    return reverse("findings:finding_detail", args=[finding.pk])


def _finding_item(finding, since):
    return TodoItem(f"问题#{finding.pk} {finding.title}", _finding_url(finding), since, finding.unit.name)


def _findings(user, status):
    return access.visible(user, Finding.objects.select_related("unit")).filter(status=status)


def _findings_list_url(status):
    return lambda user: f"{reverse('findings:finding_list')}?status={status}"


def _remind_horizon(user, today) -> date:
    days = user.jurisdiction.remind_before_days if user.jurisdiction_id else DEFAULT_REMIND_DAYS
    return today + timedelta(days=days)


def _unit_of_feedback(feedback) -> str:
    return f"{feedback.unit.name} · {feedback.round.title}"


def _plans(user, statuses):
    return access.visible(user, RectificationPlan.objects.select_related("feedback__unit", "feedback__round")).filter(
        status__in=statuses
    )


def _tasks(user):
    return access.visible(user, Task.objects.select_related("finding", "plan__feedback__unit"))


def _task_item(task, since, note=""):
    return TodoItem(
        f"整改任务#{task.pk} {task.finding.title}", reverse("rectification:task_detail", args=[task.pk]), since,
        note or task.plan.feedback.unit.name,
    )


def _liaison_tasks(user, today):
    horizon = _remind_horizon(user, today)
    due = Q(status__in=(TaskStatus.PENDING, TaskStatus.IN_PROGRESS), deadline__lte=horizon)
    sent_back = Q(status__in=(TaskStatus.RETURNED, TaskStatus.REOPENED))
    return _tasks(user).filter(due | sent_back, plan__status=PlanStatus.ACCEPTED).order_by("deadline", "pk")


def _liaison_task_item(task):
    if task.status in (TaskStatus.RETURNED, TaskStatus.REOPENED):
        note = f"{task.get_status_display()}：{task.return_reason}"
    else:
        note = f"{task.get_status_display()}，整改时限 {task.deadline:%Y-%m-%d}"
    return _task_item(task, task.deadline, note)


def _liaison_reports(user, today):
    """Feedbacks whose report is owed soon (none yet, or a draft) or came back, once the plan is accepted."""
    horizon = _remind_horizon(user, today)
    owed = Q(report__isnull=True) | Q(report__status=ReportStatus.DRAFT)
    return (
        access.visible(user, Feedback.objects.select_related("unit", "round", "report"))
        .filter(plan__status=PlanStatus.ACCEPTED)
        .filter((owed & Q(report_due_on__lte=horizon)) | Q(report__status=ReportStatus.RETURNED))
        .order_by("report_due_on", "pk")
    )


def _liaison_report_item(feedback):
    report = getattr(feedback, "report", None)
    note = (f"已退回修改：{report.return_reason}" if report is not None and report.status == ReportStatus.RETURNED
            else f"报送期限 {feedback.report_due_on:%Y-%m-%d}")
    return TodoItem(f"整改情况报告（{feedback.round.title}）",
                    reverse("rectification:report_edit", args=[feedback.pk]), feedback.report_due_on, note)


def _plan_item(plan, since, note=""):
    return TodoItem(f"整改方案 · {plan.feedback.unit.name}",
                    reverse("rectification:feedback_detail", args=[plan.feedback_id]), since,
                    note or plan.feedback.round.title)


def _liaison_plan_item(plan):
    note = (f"已退回修改：{plan.return_reason}" if plan.status == PlanStatus.RETURNED
            else f"报送期限 {plan.feedback.plan_due_on:%Y-%m-%d}")
    return _plan_item(plan, plan.feedback.plan_due_on, note)


def _office_reports(user, today):
    return access.visible(
        user, RectificationReport.objects.select_related("feedback__unit", "feedback__round")
    ).filter(status=ReportStatus.SUBMITTED).order_by("submitted_at", "pk")


def _report_item(report):
    return TodoItem(f"整改情况报告 · {report.feedback.unit.name}",
                    reverse("rectification:report_detail", args=[report.pk]), report.submitted_at,
                    report.feedback.round.title)


def _lead_item(lead, since, note=""):
    # A lead by its number (Lead.__str__), never its subject: the to-do is not a logged read of the lead.
    return TodoItem(str(lead), reverse("referrals:lead_detail", args=[lead.pk]), since, note)


def _leads(user):
    # Only what the item shows: the list selector's joins (unit, disposition, plan) cost scans at province scale.
    return access.visible(user, Lead.objects.select_related("referral__receiving_body"))


def _overdue_leads(user, today):
    return _leads(user).filter(status=LeadStatus.RECEIVED, disposition_due_on__lt=today).order_by(
        "disposition_due_on", "pk"
    )


TEAM = frozenset({Role.TEAM_LEADER, Role.TEAM_MEMBER})
OFFICE = frozenset({Role.OFFICE})
RECEIVERS = frozenset({Role.DISCIPLINE, Role.ORGANIZATION})

KINDS = (
    Kind(
        "findings_submitted", "待组长审核的问题", "提交时间", frozenset({Role.TEAM_LEADER}),
        lambda user, today: _findings(user, FindingStatus.SUBMITTED).order_by("submitted_at", "pk"),
        lambda f: _finding_item(f, f.submitted_at),
        _findings_list_url(FindingStatus.SUBMITTED),
    ),
    Kind(
        "findings_returned", "被退回修改的问题", "退回时间", TEAM,
        lambda user, today: _findings(user, FindingStatus.RETURNED).filter(created_by=user).order_by("updated_at", "pk"),
        lambda f: TodoItem(f"问题#{f.pk} {f.title}", _finding_url(f), f.updated_at, f"退回原因：{f.returned_reason}"),
        _findings_list_url(FindingStatus.RETURNED),
    ),
    Kind(
        "findings_leader_approved", "待巡察办审核的问题", "组长审核时间", OFFICE,
        lambda user, today: _findings(user, FindingStatus.LEADER_APPROVED).order_by("updated_at", "pk"),
        lambda f: _finding_item(f, f.updated_at),
        _findings_list_url(FindingStatus.LEADER_APPROVED),
    ),
    Kind(
        "findings_office_reviewed", "待审定的问题", "巡察办审核时间", frozenset({Role.LEADING_GROUP}),
        lambda user, today: _findings(user, FindingStatus.OFFICE_REVIEWED).order_by("updated_at", "pk"),
        lambda f: _finding_item(f, f.updated_at),
        _findings_list_url(FindingStatus.OFFICE_REVIEWED),
    ),
    Kind(
        "plans_submitted", "待审核的整改方案", "报送时间", OFFICE,
        lambda user, today: _plans(user, (PlanStatus.SUBMITTED,)).order_by("submitted_at", "pk"),
        lambda p: _plan_item(p, p.submitted_at),
        lambda user: reverse("rectification:overview"),
    ),
    Kind(
        # DOMAIN.md: the leading group 审定 findings *and reports*; either it or the office accepts a report.
        "reports_submitted", "待审核的整改情况报告", "报送时间", frozenset({Role.OFFICE, Role.LEADING_GROUP}),
        _office_reports, _report_item,
        lambda user: f"{reverse('rectification:report_list')}?status={ReportStatus.SUBMITTED}",
    ),
    Kind(
        "tasks_submitted", "申请销号待核验的整改任务", "申请时间", OFFICE,
        lambda user, today: _tasks(user).filter(status=TaskStatus.SUBMITTED).order_by("submitted_at", "pk"),
        lambda t: _task_item(t, t.submitted_at),
        lambda user: f"{reverse('rectification:task_list')}?status={TaskStatus.SUBMITTED}",
    ),
    Kind(
        "leads_to_refer", "待移交的问题线索", "登记时间", OFFICE,
        lambda user, today: referral_selectors.leads_available_for_referral(user).order_by("created_at", "pk"),
        lambda lead: _lead_item(lead, lead.created_at, lead.round.title),
        lambda user: f"{reverse('referrals:lead_list')}?status={LeadStatus.REGISTERED}",
    ),
    Kind(
        "dispositions_overdue", "处置逾期的问题线索", "处置报告期限", OFFICE,
        _overdue_leads,
        lambda lead: _lead_item(lead, lead.disposition_due_on, str(lead.referral.receiving_body)),
        lambda user: referral_selectors.overdue_url(),
    ),
    Kind(
        "liaison_plan", "待报送的整改方案", "报送期限", frozenset({Role.UNIT_LIAISON}),
        lambda user, today: _plans(user, (PlanStatus.DRAFT, PlanStatus.RETURNED)).order_by("feedback__plan_due_on", "pk"),
        _liaison_plan_item,
        lambda user: reverse("rectification:my_unit"),
    ),
    Kind(
        "liaison_tasks", "到期或被退回的整改任务", "整改时限", frozenset({Role.UNIT_LIAISON}),
        _liaison_tasks, _liaison_task_item,
        lambda user: reverse("rectification:task_list"),
    ),
    Kind(
        "liaison_report", "待报送的整改情况报告", "报送期限", frozenset({Role.UNIT_LIAISON}),
        _liaison_reports, _liaison_report_item,
        lambda user: reverse("rectification:my_unit"),
    ),
    Kind(
        "receiver_batches", "待签收的移交批次", "移交时间", RECEIVERS,
        lambda user, today: access.visible(user, Referral).filter(status=ReferralStatus.SENT),
        None, lambda user: referral_selectors.workspace_url(), items=False,
    ),
    Kind(
        "receiver_dispose", "待处置的问题线索", "处置报告期限", RECEIVERS,
        lambda user, today: _leads(user).filter(status=LeadStatus.RECEIVED),
        None, lambda user: referral_selectors.workspace_url(), items=False,
    ),
    Kind(
        "receiver_conclude", "待填报查处结果的问题线索", "处置时间", RECEIVERS,
        lambda user, today: _leads(user).filter(status=LeadStatus.DISPOSED),
        None, lambda user: referral_selectors.workspace_url(), items=False,
    ),
)


def kinds_for(user) -> list[Kind]:
    if not user.is_authenticated or user.is_superuser:
        return []  # a superuser is an operator, not a participant: nothing waits for them
    return [kind for kind in KINDS if user.role in kind.roles]


def _capped_count(queryset) -> int:
    return queryset.order_by().values("pk")[:COUNT_CAP].count()


def todo_for(user, *, limit: int = DEFAULT_LIMIT, today: date | None = None) -> list[TodoGroup]:
    """Per kind of this user's role: the count (capped) and the oldest `limit` items; kinds with nothing left out."""
    today = today or timezone.localdate()
    groups = []
    for kind in kinds_for(user):
        rows = kind.rows(user, today)
        # Always both queries (even when fewer rows than the limit came back): the same number of queries
        # whatever the data, so that a page's count is one figure to assert.
        items = [kind.item(row) for row in rows[:limit]] if kind.items else []
        count = _capped_count(rows)
        if count:
            groups.append(TodoGroup(kind.key, kind.label, kind.since_label, count, kind.url(user), items))
    return groups


def todo_count(user, *, today: date | None = None) -> int:
    """The navigation badge: everything waiting for the user (each kind capped), one query per kind."""
    today = today or timezone.localdate()
    return sum(_capped_count(kind.rows(user, today)) for kind in kinds_for(user))
