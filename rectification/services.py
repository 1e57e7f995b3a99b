"""Writes of rectification, one keyword-only function per business verb.

Each re-reads its row with select_for_update(), checks the move in `workflow`, sets timestamps and writes a
status-change row. Refusals raise DomainError with a Chinese message that reaches the user.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts import services as account_services
from inspection.accounts.models import Role, User
from inspection.accounts.roles import TEAM
from inspection.accounts.services import notification_create
from inspection.core import access, sensitive_names
from inspection.core.batch import BatchResult, clean_ids, run_each
from inspection.core.dates import refuse_future
from inspection.core.exceptions import DomainError
from inspection.core.team_scope import team_scope
from rounds.models import Round, RoundKind, TeamUnit
from rounds.workflow import FOLLOW_UP_PHASES

from . import evidence as evidence_checks
from . import notices, selectors
from .models import (
    Disclosure,
    Evaluation,
    EvaluationWeights,
    Evidence,
    Feedback,
    Grade,
    LookbackCheck,
    PlanStatus,
    PlanStatusChange,
    ProblemItem,
    Progress,
    RectificationPlan,
    RectificationReport,
    ReportAttachment,
    ReportStatus,
    ReportStatusChange,
    Task,
    TaskKind,
    TaskReopening,
    TaskStatus,
    TaskStatusChange,
)
from .permissions import team_follow_up
from .workflow import (
    PLAN_EDITABLE,
    PLAN_TABLE,
    PROGRESS_ALLOWED,
    REPORT_EDITABLE,
    REPORT_TABLE,
    TASK_TABLE,
    VERIFIERS,
    feedback_refusal,
)

# --- Feedback -------------------------------------------------------------------------------------------


def feedback_refusal_for(*, round, unit):
    """Why this unit may not be fed back in this round now (workflow.FeedbackRefusal), or None. The service, the
    form and the API all ask here (one rule: workflow.feedback_refusal)."""
    candidates = selectors.feedback_candidates(round.jurisdiction_id, round=round, unit=unit)
    if not candidates:  # no assignment in force
        return feedback_refusal(
            round_title=round.title, phase=round.phase, unit_name=unit.name, assigned=False, fed_back=False,
            undecided=0, approved=0,
        )
    return candidates[0].refusal


@transaction.atomic
def feedback_record(*, actor, round, unit, held_on, place, attendees, letter_number) -> Feedback:
    """Record the feedback meeting: the unit's approved findings become its problem list; the clock starts.

    Only once the round has reached feedback and the leading group has decided (approved or withdrawn) every
    finding of the unit in the round: the liaison then reads a complete, final problem list."""
    access.require(actor, "add", Feedback)
    if unit.jurisdiction_id != round.jurisdiction_id:
        raise DomainError("该单位不属于本轮次所在的管辖范围", field="unit")
    if not actor.is_superuser and round.jurisdiction_id != actor.jurisdiction_id:
        raise DomainError("只能为本管辖范围的轮次登记反馈", field="round")
    # No lock needed: once every finding is decided it stays decided (approved moves only to withdrawn, withdrawn
    # nowhere) and no finding is filed from the feedback phase on, which never goes back. The unique (round, unit)
    # constraint settles two clerks recording the same meeting.
    round = Round.objects.get(pk=round.pk)
    refusal = feedback_refusal_for(round=round, unit=unit)
    if refusal is not None:
        raise DomainError(refusal.message, field=refusal.field)
    refuse_future(held_on, field="held_on", label="反馈日期", hint="：请在反馈会召开后登记")
    if held_on < round.start_date:
        raise DomainError("反馈日期不能早于本轮巡察进驻开始日期", field="held_on")
    finding_ids = list(
        Finding.objects.filter(round=round, unit=unit, status=FindingStatus.APPROVED).order_by("id").values_list("id", flat=True)
    )
    jurisdiction = round.jurisdiction
    feedback = Feedback(
        round=round,
        unit=unit,
        jurisdiction=jurisdiction,
        held_on=held_on,
        place=place,
        attendees=attendees,
        letter_number=letter_number,
        plan_due_on=held_on + timedelta(days=jurisdiction.plan_due_days),
        report_due_on=held_on + timedelta(days=jurisdiction.report_due_days),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as exc:  # two clerks recording the same meeting at once
        raise DomainError(f"{unit.name}在{round.title}的反馈已登记", field="unit") from exc
    ProblemItem.objects.bulk_create(
        ProblemItem(feedback=feedback, finding_id=finding_id, position=index)
        for index, finding_id in enumerate(finding_ids, start=1)
    )
    RectificationPlan.objects.create(feedback=feedback)
    account_services.liaison_missing_notify(unit=unit)
    notices.record_moved(feedback, actor=actor)
    return feedback


MIN_ADD_REASON = 5


@transaction.atomic
def problem_item_add(
    *, feedback, finding, actor, reason, measures, responsible_leader, responsible_department, deadline, kind
) -> ProblemItem:
    """反馈后新增的问题: a finding of the unit approved after its feedback joins the problem list, with the office's
    reason (who, when and why stay on the item), and gets its rectification task at once, so it counts in every
    figure from now on. The unit's liaisons are told."""
    access.require(actor, "add_problem", feedback)
    feedback = Feedback.objects.select_for_update().select_related("jurisdiction", "round", "unit").get(pk=feedback.pk)
    finding = Finding.objects.get(pk=finding.pk)
    reason = (reason or "").strip()
    if len(reason) < MIN_ADD_REASON:
        raise DomainError(f"请填写补充进问题清单的原因（不少于{MIN_ADD_REASON}个字）", field="reason")
    if (finding.round_id, finding.unit_id) != (feedback.round_id, feedback.unit_id):
        raise DomainError(
            f"“{finding.title}”不是{feedback.unit.name}在{feedback.round.title}的问题，不能补充进本问题清单",
            field="finding",
        )
    if finding.status != FindingStatus.APPROVED:
        raise DomainError(
            f"“{finding.title}”当前为“{finding.get_status_display()}”，领导小组审定后才能补充进问题清单",
            field="finding",
        )
    if ProblemItem.objects.filter(finding=finding).exists():
        raise DomainError(f"“{finding.title}”已在问题清单中", field="finding")
    plan = _locked_plan(feedback.plan)
    today = timezone.localdate()
    _check_deadline(jurisdiction=feedback.jurisdiction, start=today, added=True, kind=kind, deadline=deadline)
    for name, value in (("measures", measures), ("responsible_leader", responsible_leader),
                        ("responsible_department", responsible_department)):
        if not (value or "").strip():
            raise DomainError("此项不能为空", field=name)
    position = (feedback.problem_items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = ProblemItem.objects.create(
        feedback=feedback, finding=finding, position=position,
        added_at=timezone.now(), added_by=actor, added_reason=reason,
    )
    task = Task(
        plan=plan, jurisdiction_id=feedback.jurisdiction_id, finding=finding, measures=measures.strip(),
        responsible_leader=responsible_leader.strip(), responsible_department=responsible_department.strip(),
        deadline=deadline, kind=kind,
    )
    task._change_reason = f"反馈后补充进问题清单：{reason}"
    task.save()
    item.task = task
    transaction.on_commit(lambda: _tell_liaisons(feedback, finding, task))
    return item


def _tell_liaisons(feedback, finding, task):
    title = f"问题清单新增 1 个问题（{feedback.round.title}）"
    body = (
        f"巡察办已将领导小组于反馈后审定的问题补充进本单位问题清单，并制定整改任务（整改时限 {task.deadline:%Y-%m-%d}），"
        "请登录查看并按时整改。"
    )
    url = reverse("rectification:feedback_detail", args=[feedback.pk])
    for user in User.objects.filter(role=Role.UNIT_LIAISON, unit_id=feedback.unit_id, is_active=True):
        notification_create(user=user, title=title, body=body, url=url)


# --- Plan -----------------------------------------------------------------------------------------------


def _locked_plan(plan) -> RectificationPlan:
    return RectificationPlan.objects.select_for_update().select_related("feedback__jurisdiction").get(pk=plan.pk)


def findings_without_task(plan) -> list[Finding]:
    return list(
        Finding.objects.filter(pk__in=plan.feedback.problem_items.values("finding_id"))
        .exclude(pk__in=plan.tasks.values("finding_id"))
        .order_by("id")
    )


@transaction.atomic
def plan_update(*, plan, actor, content) -> RectificationPlan:
    plan = _locked_plan(plan)
    if plan.status not in PLAN_EDITABLE:
        raise DomainError("整改方案已报送，不能再修改", field="content")
    plan.content = content
    plan.save(update_fields=["content"])
    return plan


@transaction.atomic
def plan_transition(*, plan, actor, verb, reason="") -> RectificationPlan:
    plan = _locked_plan(plan)
    transition = PLAN_TABLE.by_verb(plan.status, verb)
    if transition is None:
        raise DomainError(f"整改方案当前为“{plan.get_status_display()}”，不能执行该操作")
    PLAN_TABLE.check(plan.status, transition.target, actor.role, is_superuser=actor.is_superuser)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise DomainError("请填写退回原因", field="reason")
    if transition.target in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED):
        if not plan.content.strip():
            raise DomainError("整改方案正文不能为空", field="content")
        # 三个清单: every finding on the problem list needs at least one task.
        missing = findings_without_task(plan)
        if missing:
            titles = "；".join(f.title for f in missing[:5]) + ("等" if len(missing) > 5 else "")
            raise DomainError(f"还有 {len(missing)} 个问题未制定整改任务：{titles}", field="tasks")
    source = plan.status
    now = timezone.now()
    plan.status = transition.target
    if transition.target == PlanStatus.SUBMITTED:
        plan.submitted_at = now
    if transition.target == PlanStatus.ACCEPTED:
        plan.accepted_at = now
    if transition.target == PlanStatus.RETURNED:
        plan.return_reason = reason
    plan._change_reason = reason or transition.label
    plan.save()
    PlanStatusChange.objects.create(plan=plan, from_status=source, to_status=plan.status, actor=actor, reason=reason)
    notices.record_moved(plan, actor=actor, reason=reason)
    return plan


# --- Tasks ----------------------------------------------------------------------------------------------


def task_clock_start(feedback, finding_id=None) -> tuple:
    """(day, added): when a finding's rectification clock started — the feedback, or, for a finding added to the
    list after it (problem_item_add), the day it was added."""
    added_at = ProblemItem.objects.filter(
        feedback=feedback, finding_id=finding_id, added_at__isnull=False
    ).values_list("added_at", flat=True).first() if finding_id else None
    return (timezone.localdate(added_at), True) if added_at else (feedback.held_on, False)


def _check_task_fields(*, plan, kind, deadline, finding_id=None):
    start, added = task_clock_start(plan.feedback, finding_id)
    _check_deadline(jurisdiction=plan.feedback.jurisdiction, start=start, added=added, kind=kind, deadline=deadline)


def _check_deadline(*, jurisdiction, start, added, kind, deadline):
    if deadline < start:
        raise DomainError(
            f"整改时限不能早于该问题补充进问题清单的日期（{start:%Y-%m-%d}）" if added else "整改时限不能早于反馈日期",
            field="deadline",
        )
    if kind == TaskKind.IMMEDIATE:
        limit = start + timedelta(days=jurisdiction.immediate_fix_days)
        if deadline > limit:
            since = "补充进问题清单" if added else "反馈"
            raise DomainError(
                f"立行立改的任务须在{since}后 {jurisdiction.immediate_fix_days} 天内完成（不晚于 {limit:%Y-%m-%d}）",
                field="deadline",
            )


@transaction.atomic
def task_create(
    *, plan, actor, finding, measures, responsible_leader, responsible_department, deadline, kind
) -> Task:
    plan = _locked_plan(plan)
    if plan.status not in PLAN_EDITABLE:
        raise DomainError("整改方案已报送，不能再增加整改任务", field="finding")
    if not plan.feedback.problem_items.filter(finding=finding).exists():
        raise DomainError("该问题不在本单位的问题清单中", field="finding")
    _check_task_fields(plan=plan, kind=kind, deadline=deadline, finding_id=finding.pk)
    return Task.objects.create(
        plan=plan,
        jurisdiction_id=plan.feedback.jurisdiction_id,
        finding=finding,
        measures=measures,
        responsible_leader=responsible_leader,
        responsible_department=responsible_department,
        deadline=deadline,
        kind=kind,
    )


@transaction.atomic
def task_update(*, task, actor, **fields) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    plan = _locked_plan(task.plan)
    if plan.status not in PLAN_EDITABLE:
        raise DomainError("整改方案已报送，不能再修改整改任务")
    for name in ("measures", "responsible_leader", "responsible_department", "deadline", "kind"):
        if name in fields:
            setattr(task, name, fields[name])
    _check_task_fields(plan=plan, kind=task.kind, deadline=task.deadline, finding_id=task.finding_id)
    task.save()
    return task


def _apply_task_move(task, *, actor, target, reason):
    source = task.status
    now = timezone.now()
    task.status = target
    if target == TaskStatus.SUBMITTED:
        task.submitted_at = now
    task.closed_at = now if target == TaskStatus.CLOSED else None
    if target == TaskStatus.CLOSED:
        task.verification_opinion = reason
    if target in (TaskStatus.RETURNED, TaskStatus.REOPENED):
        task.return_reason = reason
    task._change_reason = reason
    task.save()
    TaskStatusChange.objects.create(task=task, from_status=source, to_status=target, actor=actor, reason=reason)


CLOSE_NEEDS_OPINION = "请填写核验意见：写明核验的方式和结论，如“经实地核查，整改到位，同意销号”"


@transaction.atomic
def task_transition(*, task, actor, verb, reason="") -> Task:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    transition = TASK_TABLE.by_verb(task.status, verb)
    if transition is None:
        raise DomainError(f"整改任务当前为“{task.get_status_display()}”，不能执行该操作")
    TASK_TABLE.check(task.status, transition.target, actor.role, is_superuser=actor.is_superuser)
    if actor.role in TEAM and not actor.is_superuser and not Task.objects.filter(
        team_follow_up(actor, "plan__feedback"), pk=task.pk
    ).exists():
        # The role table says "a team"; this says "the team of the feedback's round, or the look-back team that has
        # the unit, while that round runs" (the same scope the pages and the API check first).
        raise DomainError("只有反馈该问题的巡察组或负责该单位的“回头看”巡察组，在本轮结束前可以核验该整改任务")
    if transition.target == TaskStatus.REOPENED:
        # A reopened task needs a new time limit, or the reminders would still count from the old, long past one.
        raise DomainError("重新整改须设定新的整改时限：请使用“回头看重新整改”操作，填写新的整改时限和原因")
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise DomainError("请填写原因", field="reason")
    if transition.target == TaskStatus.CLOSED and not reason:
        # On a close the reason is the verification opinion (核验意见), kept on the task and its status change.
        raise DomainError(CLOSE_NEEDS_OPINION, field="verification_opinion")
    if task.plan.status != PlanStatus.ACCEPTED:
        raise DomainError("整改方案审核通过后才能推进整改任务")
    if transition.target == TaskStatus.SUBMITTED and not task.progress_reports.exists():
        raise DomainError("申请销号前请先报送整改进展和佐证材料")
    _apply_task_move(task, actor=actor, target=transition.target, reason=reason or transition.label)
    notices.record_moved(task, actor=actor, reason=reason)
    return task


@transaction.atomic
def progress_report(
    *,
    task,
    actor,
    reported_on,
    description,
    money_recovered=Decimal("0"),
    rules_established_count=0,
    rules_established_names="",
    people_held_accountable=0,
    files=(),
) -> Progress:
    task = Task.objects.select_for_update().select_related("plan__feedback").get(pk=task.pk)
    if task.plan.status != PlanStatus.ACCEPTED:
        raise DomainError("整改方案审核通过后才能报送整改进展")
    if task.status not in PROGRESS_ALLOWED:
        raise DomainError(f"整改任务当前为“{task.get_status_display()}”，不能报送进展")
    refuse_future(reported_on, field="reported_on", label="进展日期")
    if reported_on < task.plan.feedback.held_on:
        raise DomainError("进展日期不能早于反馈日期", field="reported_on")
    names = [line.strip() for line in (rules_established_names or "").splitlines() if line.strip()]
    if rules_established_count and len(names) != rules_established_count:
        raise DomainError(
            f"建章立制填写了 {rules_established_count} 项，请逐行填写 {rules_established_count} 个制度名称",
            field="rules_established_names",
        )
    if names and not rules_established_count:
        rules_established_count = len(names)
    checked = [(upload, evidence_checks.check_upload(upload)) for upload in files]
    progress = Progress.objects.create(
        task=task,
        reported_on=reported_on,
        description=description,
        money_recovered=money_recovered or Decimal("0"),
        rules_established_count=rules_established_count,
        rules_established_names="\n".join(names),
        people_held_accountable=people_held_accountable or 0,
        created_by=actor,
    )
    for upload, upload_check in checked:
        item = Evidence(
            progress=progress,
            original_name=upload_check.original_name,
            content_type=upload_check.content_type,
            size=upload_check.size,
            uploaded_by=actor,
        )
        # Stored under a random name: the user's name is kept in the row and restored on download.
        item.file.save(f"{uuid.uuid4().hex}{upload_check.extension}", upload, save=False)
        item.save()
    if task.status == TaskStatus.PENDING:
        _apply_task_move(task, actor=actor, target=TaskStatus.IN_PROGRESS, reason="报送整改进展")
    return progress


# --- Closing with a verification opinion, batch close, the plan's task table (issue 16) ----------------------


def task_close(*, task, actor, opinion) -> Task:
    """核验销号: the close of one task with its verification opinion (required; `task_transition` refuses a close
    without one, so the page's move form, the API and the batch all end in the same rule)."""
    return task_transition(task=task, actor=actor, verb="close", reason=opinion)


def _task_label(task) -> str:
    return f"{task.finding.title}（{task.plan.feedback.unit.name}）"


def tasks_batch_close(*, actor, ids, opinion) -> BatchResult:
    """The office (or the verifying team) closes a chosen set of tasks, each with the opinion given. Each goes
    through `task_close` in its own transaction (its own status change and history); refused ones are listed with
    the single close's Chinese reason and the rest are closed."""
    ids = clean_ids(ids)
    if not actor.is_superuser and actor.role not in VERIFIERS:
        raise PermissionDenied("您无权执行此操作")
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError(CLOSE_NEEDS_OPINION, field="verification_opinion")
    return run_each(
        ids, visible=selectors.task_list_visible_to(actor),
        act=lambda task: task_close(task=task, actor=actor, opinion=opinion), label=_task_label,
    )


@dataclass
class TaskRow:
    """One row of the plan's task table (the page's formset or a row of the uploaded Excel file)."""

    number: int  # the row as the user sees it: the table's line or the Excel row number
    finding_id: int | None
    task_id: int | None = None
    measures: str = ""
    responsible_leader: str = ""
    responsible_department: str = ""
    deadline: date | None = None
    kind: str = ""


class TaskRowsRefused(DomainError):
    """Some rows of a task table were refused: nothing was stored. `errors` = [(row number, Chinese reason)]."""

    def __init__(self, errors):
        super().__init__(f"有 {len(errors)} 行未通过校验，整改任务均未保存，请修改后重新提交", field="rows")
        self.errors = errors


ROW_REQUIRED = (
    ("measures", "整改措施"), ("responsible_leader", "责任领导"), ("responsible_department", "责任部门"),
    ("deadline", "整改时限"), ("kind", "整改类型"),
)


def _save_task_row(*, plan, actor, row: TaskRow, findings: dict, tasks: dict) -> Task:
    missing = [label for name, label in ROW_REQUIRED if not getattr(row, name)]
    if missing:
        raise DomainError("请填写" + "、".join(missing))
    if row.kind not in TaskKind.values:
        raise DomainError("整改类型须为立行立改、限期整改或长期坚持")
    fields = {
        "measures": row.measures.strip(), "responsible_leader": row.responsible_leader.strip(),
        "responsible_department": row.responsible_department.strip(), "deadline": row.deadline, "kind": row.kind,
    }
    if row.task_id:
        task = tasks.get(row.task_id)
        if task is None:
            raise DomainError(f"整改任务 {row.task_id} 不属于本整改方案")
        if row.finding_id and row.finding_id != task.finding_id:
            raise DomainError(f"整改任务 {row.task_id} 不是该问题的任务")
        return task_update(task=task, actor=actor, **fields)
    finding = findings.get(row.finding_id)
    if finding is None:
        raise DomainError("该问题不在本单位的问题清单中")
    return task_create(plan=plan, actor=actor, finding=finding, **fields)


@transaction.atomic
def plan_tasks_save(*, plan, actor, rows: list[TaskRow], row_errors=()) -> list[Task]:
    """All tasks of a plan entered at once (the page's table or the uploaded Excel file): a row with a task number
    changes that task, one without adds a task for its problem, each through `task_update` / `task_create` (one
    implementation of the rules). Every row is checked and each refused row is named with its reason (with
    `row_errors`, the rows the caller could not even read); if any is refused, nothing is stored."""
    access.require(actor, "add_task", plan)
    if not rows and not row_errors:
        raise DomainError("没有需要保存的整改任务：请至少填写一行", field="rows")
    plan = _locked_plan(plan)
    findings = {f.pk: f for f in Finding.objects.filter(pk__in=plan.feedback.problem_items.values("finding_id"))}
    tasks = {t.pk: t for t in plan.tasks.all()}
    saved, errors = [], list(row_errors)
    for row in rows:
        try:
            with transaction.atomic():
                saved.append(_save_task_row(plan=plan, actor=actor, row=row, findings=findings, tasks=tasks))
        except DomainError as error:
            errors.append((row.number, error.message))
    if errors:
        raise TaskRowsRefused(sorted(errors))
    return saved


# --- Rectification report (整改情况报告) ------------------------------------------------------------------

REPORT_FIGURES = {
    # report field -> key of selectors.rectification_figures
    "findings_total": "findings",
    "findings_rectified": "findings_rectified",
    "tasks_total": "tasks",
    "tasks_closed": "closed",
    "money_recovered": "money_recovered",
    "rules_established": "rules_established",
    "people_held_accountable": "people_held_accountable",
}


def report_figures(feedback) -> dict:
    """The figures a report states, counted from the feedback's tasks and progress (never typed in)."""
    figures = selectors.rectification_figures(feedback.jurisdiction, round=feedback.round, unit=feedback.unit)
    return {field: figures[key] for field, key in REPORT_FIGURES.items()}


def _count_figures(report):
    for field, value in report_figures(report.feedback).items():
        setattr(report, field, value)


def _store_attachments(report, *, actor, files):
    """Check every file first (nothing is stored if one is refused), then store them under random names."""
    checked = [(upload, evidence_checks.check_upload(upload)) for upload in files]
    for upload, upload_check in checked:
        item = ReportAttachment(
            report=report,
            original_name=upload_check.original_name,
            content_type=upload_check.content_type,
            size=upload_check.size,
            uploaded_by=actor,
        )
        item.file.save(f"{uuid.uuid4().hex}{upload_check.extension}", upload, save=False)
        item.save()


def _locked_report(report) -> RectificationReport:
    return RectificationReport.objects.select_for_update().select_related(
        "feedback__jurisdiction", "feedback__round", "feedback__unit"
    ).get(pk=report.pk)


@transaction.atomic
def report_create(*, feedback, actor, content, other_results="", files=()) -> RectificationReport:
    """The unit starts its report (a draft); one per feedback."""
    if feedback.held_on > timezone.localdate():
        raise DomainError("反馈会召开后才能起草整改情况报告", field="feedback")
    if RectificationReport.objects.filter(feedback=feedback).exists():
        raise DomainError("本次反馈的整改情况报告已起草，请在原报告上修改", field="feedback")
    report = RectificationReport(feedback=feedback, content=content, other_results=other_results, created_by=actor)
    _count_figures(report)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # two people of the unit starting it at once
        raise DomainError("本次反馈的整改情况报告已起草，请在原报告上修改", field="feedback") from exc
    _store_attachments(report, actor=actor, files=files)
    return report


@transaction.atomic
def report_update(*, report, actor, content, other_results="", files=()) -> RectificationReport:
    report = _locked_report(report)
    if report.status not in REPORT_EDITABLE:
        raise DomainError(f"整改情况报告当前为“{report.get_status_display()}”，不能修改", field="content")
    report.content = content
    report.other_results = other_results
    _count_figures(report)
    report.save()
    _store_attachments(report, actor=actor, files=files)
    return report


@transaction.atomic
def report_transition(*, report, actor, verb, reason="") -> RectificationReport:
    report = _locked_report(report)
    transition = REPORT_TABLE.by_verb(report.status, verb)
    if transition is None:
        raise DomainError(f"整改情况报告当前为“{report.get_status_display()}”，不能执行该操作")
    REPORT_TABLE.check(report.status, transition.target, actor.role, is_superuser=actor.is_superuser)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise DomainError("请填写退回原因", field="reason")
    now = timezone.now()
    if transition.target == ReportStatus.SUBMITTED:
        plan = RectificationPlan.objects.get(feedback_id=report.feedback_id)
        if plan.status != PlanStatus.ACCEPTED:
            raise DomainError(
                f"整改方案审核通过后才能报送整改情况报告（整改方案当前为“{plan.get_status_display()}”）"
            )
        if not report.content.strip():
            raise DomainError("请填写整改情况", field="content")
        # The figures reported are those of the day of sending.
        _count_figures(report)
        if report.first_submitted_at is None:
            report.first_submitted_at = now
            report.is_late = timezone.localdate(now) > report.feedback.report_due_on
        report.submitted_at = now
        report.submission_count += 1
    if transition.target == ReportStatus.ACCEPTED:
        report.accepted_at = now
    if transition.target == ReportStatus.RETURNED:
        report.return_reason = reason
    source = report.status
    report.status = transition.target
    report._change_reason = reason or transition.label
    report.save()
    ReportStatusChange.objects.create(report=report, from_status=source, to_status=report.status, actor=actor, reason=reason)
    notices.record_moved(report, actor=actor, reason=reason)
    return report


# --- Disclosure -----------------------------------------------------------------------------------------


PUBLIC_FIELDS = (("title", "标题"), ("summary", "公开摘要"))


def _check_public_text(*, title: str, summary: str, feedback, publishing: bool = False) -> None:
    """The title and the summary go to the public: no petitioner's name, no lead's or petition's subject (the apps
    that hold them register providers with inspection.core.sensitive_names). The message names the kind of name
    only, so the check itself reveals no secret record (whose reads are logged)."""
    action = "公开" if publishing else "保存"
    for field, label in PUBLIC_FIELDS:
        text = title if field == "title" else summary
        found = sensitive_names.kinds(sensitive_names.names_in(text, feedback=feedback))
        if found:
            raise DomainError(
                f"{label}中含有{'、'.join(found)}，不能{action}。请删除相关姓名（可改为“某同志”“有关人员”等）后再{action}。",
                field=field,
            )


@transaction.atomic
def disclosure_save(*, feedback, actor, title, summary) -> Disclosure:
    _check_public_text(title=title, summary=summary, feedback=feedback)
    disclosure, _ = Disclosure.objects.select_for_update().get_or_create(
        feedback=feedback, defaults={"title": title, "summary": summary}
    )
    disclosure.title = title
    disclosure.summary = summary
    disclosure.save()
    return disclosure


@transaction.atomic
def disclosure_publish(*, disclosure, actor, publish=True) -> Disclosure:
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if publish and not disclosure.summary.strip():
        raise DomainError("公开摘要不能为空", field="summary")
    if publish:
        _check_public_text(
            title=disclosure.title, summary=disclosure.summary, feedback=disclosure.feedback, publishing=True
        )
    disclosure.published_at = timezone.now() if publish else None
    disclosure.published_by = actor if publish else None
    disclosure._change_reason = "公开" if publish else "撤回公开"
    disclosure.save()
    return disclosure


# --- Evaluation -----------------------------------------------------------------------------------------

WEIGHT_FIELDS = ("self_weight", "public_weight", "supervision_weight", "onsite_weight")
SCORE_FIELDS = ("self_score", "public_score", "supervision_score", "onsite_score")


def weights_for(jurisdiction) -> EvaluationWeights:
    """The office's weights, or the defaults (20/30/20/30) until it sets its own."""
    return EvaluationWeights.objects.filter(jurisdiction=jurisdiction).first() or EvaluationWeights(jurisdiction=jurisdiction)


@transaction.atomic
def weights_save(*, jurisdiction, actor, **weights) -> EvaluationWeights:
    values = {name: int(weights[name]) for name in WEIGHT_FIELDS}
    if any(v < 0 or v > 100 for v in values.values()):
        raise DomainError("每项权重应在 0 到 100 之间", field="self_weight")
    if sum(values.values()) != 100:
        raise DomainError(f"四项权重之和应为 100，当前为 {sum(values.values())}", field="self_weight")
    record, _ = EvaluationWeights.objects.select_for_update().get_or_create(jurisdiction=jurisdiction, defaults=values)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record


def grade_for(total: Decimal) -> str:
    if total >= 90:
        return Grade.EXCELLENT
    if total >= 80:
        return Grade.GOOD
    if total >= 60:
        return Grade.FAIR
    return Grade.POOR


def weighted_total(scores: dict, weights: dict) -> Decimal:
    total = sum(
        Decimal(scores[score]) * Decimal(weights[weight]) for score, weight in zip(SCORE_FIELDS, WEIGHT_FIELDS, strict=True)
    ) / Decimal(100)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# `seen_evaluated_at` when the caller does not say what it saw (the demo, scripts): save over whatever is there.
UNSEEN = object()


class StaleEvaluation(DomainError):
    """Someone saved the evaluation after the user opened it; `current` is what they saved (None if forged)."""

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current


def _lock_feedback_for_evaluation(feedback) -> None:
    # The feedback row is locked before its evaluation is looked up: before the first evaluation there is no
    # evaluation row to lock, so two offices saving at once would both find none and both insert into the
    # one-to-one (an IntegrityError 500). Locked, the second waits and then finds the first's row. `no_key`: rows
    # that merely reference the feedback (tasks, problem items, this evaluation's insert) are not held up.
    Feedback.objects.select_for_update(no_key=True).filter(pk=feedback.pk).values_list("pk").get()


@transaction.atomic
def evaluation_save(*, feedback, actor, notes="", seen_evaluated_at=UNSEEN, **scores) -> Evaluation:
    """Record or change the effect evaluation of one feedback. `seen_evaluated_at`: the `evaluated_at` of the
    evaluation the user had in front of them (None: there was none); if someone saved one since, the save is
    refused instead of silently replacing theirs."""
    values = {name: Decimal(scores[name]) for name in SCORE_FIELDS}
    for name, value in values.items():
        if value < 0 or value > 100:
            raise DomainError("评分应在 0 到 100 之间", field=name)
    record = weights_for(feedback.jurisdiction)
    weights = {name: getattr(record, name) for name in WEIGHT_FIELDS}
    total = weighted_total(values, weights)
    _lock_feedback_for_evaluation(feedback)
    evaluation = Evaluation.objects.select_related("evaluated_by").filter(feedback=feedback).first()
    if seen_evaluated_at is not UNSEEN and (evaluation.evaluated_at if evaluation else None) != seen_evaluated_at:
        if evaluation is None:  # never deleted: only a forged value gets here
            raise StaleEvaluation("已被他人修改，请刷新后重试", current=None)
        raise StaleEvaluation(
            f"已被他人修改，请刷新后重试：{evaluation.evaluated_by}于{timezone.localtime(evaluation.evaluated_at):%Y-%m-%d %H:%M}"
            f"保存的评价为综合得分 {evaluation.total}（{evaluation.get_grade_display()}）",
            current=evaluation,
        )
    evaluation = evaluation or Evaluation(feedback=feedback)
    for name, value in values.items():
        setattr(evaluation, name, value)
    evaluation.weights = weights
    evaluation.total = total
    evaluation.grade = grade_for(total)
    evaluation.notes = notes
    evaluation.evaluated_by = actor
    evaluation.save()
    return evaluation


# --- Look-back ------------------------------------------------------------------------------------------


@transaction.atomic
def lookback_check_record(*, lookback_round, task, actor, is_fixed, notes, new_deadline=None) -> LookbackCheck:
    """A look-back team's verdict on an earlier task; a closed task that is not truly fixed is reopened
    (task_reopen) with the new time limit the look-back sets."""
    if lookback_round.kind != RoundKind.LOOKBACK:
        raise DomainError("只有“回头看”轮次可以核查整改情况", field="lookback_round")
    task = Task.objects.select_for_update().select_related("plan__feedback").get(pk=task.pk)
    feedback = task.plan.feedback
    if not lookback_round.lookback_of.filter(pk=feedback.round_id).exists():
        raise DomainError("该任务所属轮次不在本次“回头看”的范围内", field="task")
    if not TeamUnit.objects.filter(round=lookback_round, unit_id=feedback.unit_id).exists():
        raise DomainError("该单位不是本次“回头看”的巡察对象", field="task")
    if actor.role in TEAM and not actor.is_superuser:
        # The look-back team that has the unit records the verdict: an active place on it, the assignment in force,
        # the look-back round not completed. A cadre taken off the team (a recusal) records nothing.
        on_the_team = team_scope(actor, phases=FOLLOW_UP_PHASES, rounds=[lookback_round]).revisits(
            round="plan__feedback__round_id", unit="plan__feedback__unit_id"
        )
        if not Task.objects.filter(on_the_team, pk=task.pk).exists():
            raise DomainError("您不在本次“回头看”负责该单位的巡察组（或已调整出组），不能记录核查结论", field="task")
    notes = (notes or "").strip()
    if not notes:
        raise DomainError("请填写核查情况", field="notes")
    if LookbackCheck.objects.filter(lookback_round=lookback_round, task=task).exists():
        raise DomainError("本次“回头看”已核查过该任务", field="task")
    reopens = not is_fixed and task.status == TaskStatus.CLOSED
    if reopens and new_deadline is None:
        raise DomainError("该任务已销号，核查认定未整改到位的须重新整改：请填写新的整改时限", field="new_deadline")
    if not reopens and new_deadline is not None:
        reason = "核查结论为已整改到位" if is_fixed else f"该任务当前为“{task.get_status_display()}”，尚未销号"
        raise DomainError(f"{reason}，无需设定新的整改时限", field="new_deadline")
    check = LookbackCheck.objects.create(
        lookback_round=lookback_round, task=task, is_fixed=is_fixed, notes=notes, checked_by=actor
    )
    if reopens:
        task_reopen(
            task=task, actor=actor, new_deadline=new_deadline, reason=f"回头看核查未整改到位：{notes}", lookback_check=check
        )
    return check


@transaction.atomic
def task_reopen(*, task, actor, new_deadline, reason, lookback_check=None) -> Task:
    """重新整改: a closed task found not truly fixed goes back to the unit with a new time limit and a reason.

    Writes the status change and a TaskReopening row (old and new time limit, the look-back check if one found
    it). The reminders are keyed by the deadline they remind of, so the daily job reminds the task again at
    each stage of the new time limit, once."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    transition = TASK_TABLE.by_verb(task.status, "reopen")
    if transition is None:
        raise DomainError(f"整改任务当前为“{task.get_status_display()}”，只有已销号的任务才能重新整改")
    TASK_TABLE.check(task.status, transition.target, actor.role, is_superuser=actor.is_superuser)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写重新整改的原因", field="reason")
    if new_deadline is None:
        raise DomainError("请填写新的整改时限", field="new_deadline")
    today = timezone.localdate()
    if new_deadline < today:
        raise DomainError(f"新的整改时限不能早于今天（{today:%Y-%m-%d}）", field="new_deadline")
    previous = task.deadline
    # Saved with the status in one history row (整改时限 old → new, with the reason).
    task.deadline = new_deadline
    _apply_task_move(task, actor=actor, target=transition.target, reason=reason)
    TaskReopening.objects.create(
        task=task, lookback_check=lookback_check, previous_deadline=previous, deadline=new_deadline,
        reason=reason, reopened_by=actor,
    )
    return task
