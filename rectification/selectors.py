"""Reads of rectification: scoped lists and the figures the office reports (the dashboard reuses them)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.roles import OVERSIGHT, TEAM
from inspection.core import access
from inspection.core.team_scope import team_scope
from rounds.models import Round, RoundKind, TeamUnit
from rounds.workflow import FOLLOW_UP_PHASES

from .models import (
    OPEN_TASK_STATUSES,
    Feedback,
    LookbackCheck,
    ProblemItem,
    Progress,
    RectificationReport,
    ReportStatus,
    Task,
    TaskStatus,
)
from .workflow import DECIDED_FINDING_STATUSES, FEEDBACK_PHASES, UNDECIDED, FeedbackRefusal, feedback_refusal


class DaysFrom(Func):
    """Whole days from `start` to `end` (end − start) as an integer, on PostgreSQL and on SQLite."""

    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def _parts(self, compiler):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        return end_sql, start_sql, [*end_params, *start_params]

    def as_sql(self, compiler, connection, **extra):
        end_sql, start_sql, params = self._parts(compiler)
        return f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra):
        end_sql, start_sql, params = self._parts(compiler)
        return f"(({end_sql})::date - ({start_sql})::date)", params


# --- Lists ----------------------------------------------------------------------------------------------


def feedback_list_visible_to(user) -> QuerySet[Feedback]:
    today = timezone.localdate()
    open_overdue = Q(plan__tasks__status__in=OPEN_TASK_STATUSES, plan__tasks__deadline__lt=today)
    return access.visible(
        user,
        Feedback.objects.select_related("round__plan", "unit", "plan", "evaluation", "disclosure", "report").annotate(
            task_total=Count("plan__tasks"),
            task_closed=Count("plan__tasks", filter=Q(plan__tasks__status=TaskStatus.CLOSED)),
            task_overdue=Count("plan__tasks", filter=open_overdue),
            oldest_overdue=Min("plan__tasks__deadline", filter=open_overdue),
        ),
    )


def report_list_visible_to(user) -> QuerySet[RectificationReport]:
    return access.visible(
        user,
        RectificationReport.objects.select_related("feedback__unit", "feedback__round__plan").order_by(
            "-feedback__held_on", "-id"
        ),
    )


def report_get_for(user, pk) -> RectificationReport:
    return access.get_visible_or_404(
        user,
        RectificationReport.objects.select_related(
            "feedback__unit", "feedback__round__plan", "feedback__jurisdiction", "feedback__plan", "created_by"
        ),
        pk=pk,
    )


def report_overdue(feedback, today: date | None = None) -> bool:
    """Past its report deadline with nothing sent yet (no report, or a draft never submitted)."""
    if feedback.report_due_on >= (today or timezone.localdate()):
        return False
    try:
        report = feedback.report
    except RectificationReport.DoesNotExist:
        return True
    return report.first_submitted_at is None


def task_list_visible_to(user) -> QuerySet[Task]:
    return access.visible(
        user,
        Task.objects.select_related("finding", "plan__feedback__unit", "plan__feedback__round__plan"),
    )


def task_get_for(user, pk) -> Task:
    return access.get_visible_or_404(
        user,
        Task.objects.select_related("finding", "plan__feedback__unit", "plan__feedback__round__plan", "plan__feedback__jurisdiction"),
        pk=pk,
    )


def days_late(deadline: date | None, today: date | None = None) -> int:
    if deadline is None:
        return 0
    return max(0, ((today or timezone.localdate()) - deadline).days)


def problem_list(feedback) -> list[dict]:
    """The problem list with each finding's tasks: 问题清单 → 任务清单 → 责任清单."""
    items = list(feedback.problem_items.select_related("finding__category").order_by("position"))
    tasks = list(Task.objects.filter(plan__feedback=feedback).order_by("id"))
    by_finding: dict[int, list[Task]] = {}
    for task in tasks:
        by_finding.setdefault(task.finding_id, []).append(task)
    return [{"item": item, "finding": item.finding, "tasks": by_finding.get(item.finding_id, [])} for item in items]


# --- Who may be fed back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackCandidate:
    """A unit assigned to a round, with the facts the feedback rule (workflow.feedback_refusal) decides on."""

    round: Round
    unit: object
    undecided: int
    approved: int
    fed_back: bool

    @property
    def refusal(self) -> FeedbackRefusal | None:
        return feedback_refusal(
            round_title=self.round.title, phase=self.round.phase, unit_name=self.unit.name, assigned=True,
            fed_back=self.fed_back, undecided=self.undecided, approved=self.approved,
        )


def _finding_count(statuses, *, exclude=False):
    findings = Finding.objects.filter(round_id=OuterRef("round_id"), unit_id=OuterRef("unit_id"))
    findings = findings.exclude(status__in=statuses) if exclude else findings.filter(status__in=statuses)
    counted = findings.order_by().values("round_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def feedback_candidates(jurisdiction_id, *, round=None, unit=None, open_only=False) -> list[FeedbackCandidate]:
    """The units assigned (assignment in force) to the office's rounds, with what the feedback rule needs: one
    query (two counts and an exists per row, on the (round, unit, status) index). `open_only`: rounds in the
    feedback phases whose unit is not fed back yet (what the form may offer); otherwise every assignment of the
    given round/unit, so the service can tell "not assigned" from the other refusals."""
    rows = TeamUnit.objects.filter(round__jurisdiction_id=jurisdiction_id).select_related("round", "unit")
    if round is not None:
        rows = rows.filter(round=round)
    if unit is not None:
        rows = rows.filter(unit=unit)
    fed_back = Exists(Feedback.objects.filter(round_id=OuterRef("round_id"), unit_id=OuterRef("unit_id")))
    rows = rows.annotate(
        undecided=_finding_count(DECIDED_FINDING_STATUSES, exclude=True),
        approved=_finding_count([FindingStatus.APPROVED]),
        fed_back=fed_back,
    )
    if open_only:
        rows = rows.filter(round__phase__in=FEEDBACK_PHASES, fed_back=False)
    rows = rows.order_by("-round__start_date", "round_id", "unit__name", "unit_id")
    return [
        FeedbackCandidate(
            round=row.round, unit=row.unit, undecided=row.undecided, approved=row.approved, fed_back=row.fed_back
        )
        for row in rows
    ]


def feedback_choices(jurisdiction_id) -> tuple[list[FeedbackCandidate], list[FeedbackCandidate]]:
    """(eligible, waiting) for the feedback form and the API: units that may be fed back now, and units of rounds
    in feedback whose findings are not all decided yet (with the reason). A unit with no finding at all has no
    problem list and is neither."""
    candidates = feedback_candidates(jurisdiction_id, open_only=True)
    eligible = [c for c in candidates if c.refusal is None]
    waiting = [c for c in candidates if c.refusal is not None and c.refusal.kind == UNDECIDED]
    return eligible, waiting


def findings_awaiting_problem_list(*, jurisdiction_id=None, feedback=None) -> QuerySet[Finding]:
    """反馈后新增的问题: approved findings of a fed-back (round, unit) that are on no problem list — approved after
    the unit's feedback (a feedback recorded while some of its findings were still under review). The office
    adds each through services.problem_item_add, with a reason and its task."""
    findings = Finding.objects.filter(status=FindingStatus.APPROVED)
    if feedback is not None:
        findings = findings.filter(round_id=feedback.round_id, unit_id=feedback.unit_id)
    else:
        # Feedback exists only from the feedback phase on: the phase filter lets the planner skip earlier rounds.
        findings = findings.filter(jurisdiction_id=jurisdiction_id, round__phase__in=FEEDBACK_PHASES)
    feedback_of = Feedback.objects.filter(round_id=OuterRef("round_id"), unit_id=OuterRef("unit_id")).values("pk")
    on_list = ProblemItem.objects.filter(finding_id=OuterRef("pk"))
    return (
        findings.annotate(feedback_id=Subquery(feedback_of[:1]))
        .filter(feedback_id__isnull=False)
        .exclude(Exists(on_list))
        .select_related("unit", "round", "category")
        .order_by("approved_at", "id")
    )


def problem_items_added_after_feedback(feedback) -> list[ProblemItem]:
    """The items that joined the list after the meeting, with who, when and why (shown on the feedback page)."""
    return list(
        feedback.problem_items.filter(added_at__isnull=False).select_related("finding", "added_by").order_by("added_at", "id")
    )


# --- Figures --------------------------------------------------------------------------------------------


def rectification_figures(jurisdiction, round=None, plan=None, unit=None, today=None) -> dict:
    """The rectification figures of a jurisdiction, optionally of one round, one term plan (rounds.Plan)
    or one unit, computed from the records: never typed in."""
    today = today or timezone.localdate()
    feedbacks = Feedback.objects.filter(jurisdiction=jurisdiction)
    if round is not None:
        feedbacks = feedbacks.filter(round=round)
    if plan is not None:
        feedbacks = feedbacks.filter(round__plan=plan)
    if unit is not None:
        feedbacks = feedbacks.filter(unit=unit)
    tasks = Task.objects.filter(plan__feedback__in=feedbacks)
    task_counts = tasks.aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=TaskStatus.CLOSED)),
        overdue=Count("id", filter=Q(status__in=OPEN_TASK_STATUSES, deadline__lt=today)),
    )
    open_task = Task.objects.filter(
        plan__feedback=OuterRef("feedback"), finding=OuterRef("finding"), status__in=OPEN_TASK_STATUSES
    )
    any_task = Task.objects.filter(plan__feedback=OuterRef("feedback"), finding=OuterRef("finding"))
    finding_counts = ProblemItem.objects.filter(feedback__in=feedbacks).aggregate(
        findings=Count("id"),
        rectified=Count("id", filter=Q(Exists(any_task)) & ~Q(Exists(open_task))),
    )
    sent = Q(report__first_submitted_at__isnull=False)
    report_counts = feedbacks.aggregate(
        units=Count("id"),
        due=Count("id", filter=Q(report_due_on__lt=today)),
        sent=Count("id", filter=sent),
        accepted=Count("id", filter=Q(report__status=ReportStatus.ACCEPTED)),
        late=Count("id", filter=Q(report__is_late=True)),
        missing=Count("id", filter=Q(report_due_on__lt=today) & ~sent),
    )
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))
    results = Progress.objects.filter(task__in=tasks).aggregate(
        money=Coalesce(Sum("money_recovered"), zero),
        rules=Coalesce(Sum("rules_established_count"), 0),
        accountable=Coalesce(Sum("people_held_accountable"), 0),
    )
    total = task_counts["total"]
    rate = (Decimal(task_counts["closed"]) * 100 / total).quantize(Decimal("0.01")) if total else Decimal("0.00")
    return {
        "units": report_counts["units"],
        "findings": finding_counts["findings"],
        "findings_rectified": finding_counts["rectified"],
        "tasks": total,
        "closed": task_counts["closed"],
        "completion_rate": rate,
        "overdue": task_counts["overdue"],
        "money_recovered": Decimal(results["money"]).quantize(Decimal("0.01")),
        "rules_established": results["rules"],
        "people_held_accountable": results["accountable"],
        # 整改情况报告: due (deadline passed), sent at least once, accepted, sent late, due and not yet sent.
        "reports_due": report_counts["due"],
        "reports_submitted": report_counts["sent"],
        "reports_accepted": report_counts["accepted"],
        "reports_late": report_counts["late"],
        "reports_missing": report_counts["missing"],
    }


def round_summaries(feedbacks: QuerySet[Feedback], today=None) -> list[dict]:
    """Per round: units fed back, tasks, closed, completion rate, overdue (one grouped query)."""
    today = today or timezone.localdate()
    open_overdue = Q(plan__tasks__status__in=OPEN_TASK_STATUSES, plan__tasks__deadline__lt=today)
    rows = (
        feedbacks.order_by()
        .values("round_id")
        .annotate(
            units=Count("id", distinct=True),
            tasks=Count("plan__tasks"),
            closed=Count("plan__tasks", filter=Q(plan__tasks__status=TaskStatus.CLOSED)),
            overdue=Count("plan__tasks", filter=open_overdue),
            oldest_overdue=Min("plan__tasks__deadline", filter=open_overdue),
        )
    )
    rows = list(rows)
    rounds = Round.objects.select_related("plan").in_bulk([row["round_id"] for row in rows])
    for row in rows:
        row["round"] = rounds[row["round_id"]]
        row["rate"] = (Decimal(row["closed"]) * 100 / row["tasks"]).quantize(Decimal("0.01")) if row["tasks"] else None
        row["days_late"] = days_late(row["oldest_overdue"], today)
    rows.sort(key=lambda row: (-row["round"].plan.start_year, -row["round"].number))
    return rows


# --- Look-back ------------------------------------------------------------------------------------------


def lookback_rounds_visible_to(user) -> QuerySet[Round]:
    """The look-back rounds the user checks: the office's and leading group's of their jurisdiction; a team role's
    own, while the look-back round runs (active place on its team; the same window as the tasks it checks)."""
    rounds = Round.objects.filter(kind=RoundKind.LOOKBACK).select_related("plan")
    if user.is_superuser:
        return rounds
    if user.role in OVERSIGHT:
        return rounds.filter(jurisdiction_id=user.jurisdiction_id)
    if user.role in TEAM:
        return rounds.filter(pk__in=team_scope(user, phases=FOLLOW_UP_PHASES).round_ids())
    return rounds.none()


def lookback_tasks(user, lookback_round) -> list[dict]:
    """The earlier tasks of the units this look-back round revisits, with this round's check of each."""
    unit_ids = TeamUnit.objects.filter(round=lookback_round).values("unit_id")
    tasks = (
        task_list_visible_to(user)
        .filter(plan__feedback__unit_id__in=unit_ids, plan__feedback__round__in=lookback_round.lookback_of.all())
        .order_by("plan__feedback__unit__name", "id")
    )
    checks = {
        check.task_id: check
        for check in LookbackCheck.objects.filter(lookback_round=lookback_round).select_related("checked_by", "reopening")
    }
    return [{"task": task, "check": checks.get(task.pk)} for task in tasks]


def earlier_findings(unit, before_round) -> QuerySet[Finding]:
    return Finding.objects.filter(unit=unit, round__in=before_round.lookback_of.all()).select_related("category")

