"""The figures every office reports (DOMAIN.md), computed from the records, never typed in.

Everything is scoped by a `FigureScope`: one jurisdiction (the user's, checked by the view through `access`),
narrowed to a plan (term), a round or a year, and optionally to one unit kind. Each group of figures is one
aggregate query with conditional Count/Sum, so the number of queries does not grow with the data.

Findings and tasks carry their round's jurisdiction (the services copy it, and a round inspects only units of
its own jurisdiction), so "this office's findings / tasks" filters that indexed column; the round, plan, year
and unit kind are joined in only when the scope is narrowed to them. Province and city offices see these same
figures added up from per-office counters (`dashboard.rollup`).

Counting rules (one place, so the page, the API and the statistics report agree):
- a round belongs to a year by its on-site start date; records follow their round;
- findings: every finding except drafts (still the member's own) and withdrawn ones; "approved" are those
  the leading group has approved (审定);
- a planned unit is covered once a round of the plan that inspected it has left on-site work
  (`rounds.workflow.INSPECTED_PHASES`);
- leads referred: sent in a referral and not withdrawn; disposed: the receiver has reported a disposition;
- people disciplined, handled, admonished, held accountable and money recovered: the receivers' results on
  the leads plus, for accountability and money, what units reported in rectification progress;
- a finding is rectified when it is on a unit's problem list, has tasks, and all of its tasks are closed;
  completion rate = rectified / fed back;
- look-back coverage: units given feedback that a later look-back round has revisited.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import ReceivingBody
from inspection.units.models import UnitKind
from rectification.models import (
    OPEN_TASK_STATUSES,
    Feedback,
    LookbackCheck,
    ProblemItem,
    Progress,
    Task,
    TaskStatus,
)
from referrals.models import Disposition, DispositionKind, Lead, LeadStatus, Result, ResultKind
from rounds.models import Petition, Plan, Round, RoundKind, TeamUnit
from rounds.workflow import INSPECTED_PHASES

from .permissions import subtree_q

COUNTED_FINDING_EXCLUDED = (FindingStatus.DRAFT, FindingStatus.WITHDRAWN)
REFERRED_STATUSES = (LeadStatus.REFERRED, LeadStatus.RECEIVED, LeadStatus.DISPOSED, LeadStatus.CONCLUDED)
DISPOSED_STATUSES = (LeadStatus.DISPOSED, LeadStatus.CONCLUDED)
DISCIPLINE_RESULTS = (ResultKind.PARTY_DISCIPLINE, ResultKind.STATE_DISCIPLINE)
TREND_MONTHS = 12


@dataclass(frozen=True)
class FigureScope:
    jurisdiction_id: int
    plan: Plan | None = None
    round: Round | None = None
    year: int | None = None
    unit_kind: str = ""
    # A city or province office's statistics page counts the records of the offices below it as well (its own
    # rounds are few): the jurisdiction and its subtree. The roll-up computes each office alone (False).
    subtree: bool = False
    # 回头看覆盖 as of a date, as the offices report it ("截至目前，已先后对12家单位进行回头看，占已巡察单位的16.9%"):
    # the units fed back by then, revisited by look-back rounds begun by then. None: today, every look-back so far
    # (later rounds reaching feedback then enlarge the base, as they should for a figure of today).
    lookback_as_of: date | None = None

    def jurisdiction_q(self, path: str = "jurisdiction") -> Q:
        """The records of the scope's office (and, for `subtree`, of the offices below it)."""
        if self.subtree:
            return subtree_q(self.jurisdiction_id, path)
        return Q(**{f"{path}_id": self.jurisdiction_id})

    def rounds(self) -> QuerySet[Round]:
        rounds = Round.objects.filter(self.jurisdiction_q())
        if self.plan is not None:
            rounds = rounds.filter(plan=self.plan)
        if self.round is not None:
            rounds = rounds.filter(pk=self.round.pk)
        if self.year:
            rounds = rounds.filter(start_date__year=self.year)
        return rounds

    def unit_q(self, path: str = "unit") -> Q:
        return Q(**{f"{path}__kind": self.unit_kind}) if self.unit_kind else Q()

    @property
    def narrowed(self) -> bool:
        """Narrowed to part of the jurisdiction's rounds or units (else: everything of the jurisdiction)."""
        return bool(self.plan is not None or self.round is not None or self.year or self.unit_kind)

    def by_round(self, queryset: QuerySet, round_path: str = "round", unit_path: str = "unit") -> QuerySet:
        return queryset.filter(Q(**{f"{round_path}__in": self.rounds()}) & self.unit_q(unit_path))

    def by_jurisdiction(self, queryset: QuerySet, round_path: str = "round", unit_path: str = "unit") -> QuerySet:
        """Records with their round's jurisdiction copied on them (findings): that column, plus the narrowing."""
        queryset = queryset.filter(self.jurisdiction_q())
        return self.by_round(queryset, round_path, unit_path) if self.narrowed else queryset

    def tasks(self) -> QuerySet[Task]:
        """The rectification tasks of the scope: the task's jurisdiction column, plus the narrowing through its
        feedback's round and unit."""
        tasks = Task.objects.filter(self.jurisdiction_q())
        if self.narrowed:
            tasks = tasks.filter(plan__feedback__in=self.by_round(Feedback.objects.all()))
        return tasks

    def coverage_plan(self) -> Plan | None:
        """The term whose coverage is shown: the chosen plan, the chosen round's plan, the plan running in the
        chosen year, else the latest plan of the jurisdiction."""
        if self.plan is not None:
            return self.plan
        if self.round is not None:
            return self.round.plan
        plans = Plan.objects.filter(self.jurisdiction_q()).order_by("-start_year", "-id")
        if self.year:
            plans = plans.filter(start_year__lte=self.year, end_year__gte=self.year)
        return plans.first()

    @property
    def label(self) -> str:
        parts = []
        if self.round is not None:
            parts.append(str(self.round))
        elif self.plan is not None:
            parts.append(self.plan.name)
        if self.year:
            parts.append(f"{self.year}年")
        if self.unit_kind:
            parts.append(UnitKind(self.unit_kind).label)
        if self.lookback_as_of:
            parts.append(f"回头看覆盖截至{self.lookback_as_of.year}年{self.lookback_as_of.month}月{self.lookback_as_of.day}日")
        return "，".join(parts) or "全部"

    def query_params(self) -> dict:
        params = {}
        if self.plan is not None:
            params["plan"] = self.plan.pk
        if self.round is not None:
            params["round"] = self.round.pk
        if self.year:
            params["year"] = self.year
        if self.unit_kind:
            params["unit_kind"] = self.unit_kind
        if self.lookback_as_of:
            params["lookback_as_of"] = self.lookback_as_of.isoformat()
        return params


def rate(part, whole) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def _money(value) -> Decimal:
    return (value or Decimal("0")).quantize(Decimal("0.01"))


# --- One function per group of figures: one query each (coverage: two when the plan must be looked up) ------


def coverage_figures(scope: FigureScope) -> dict:
    plan = scope.coverage_plan()
    if plan is None:
        return {"plan": None, "planned": 0, "covered": 0, "rate": 0.0, "by_kind": []}
    covered = TeamUnit.objects.filter(
        unit_id=OuterRef("pk"), round__in=scope.rounds().filter(plan=plan), round__phase__in=INSPECTED_PHASES
    )
    units = plan.units.all()
    if scope.unit_kind:
        units = units.filter(kind=scope.unit_kind)
    rows = list(
        units.annotate(covered=Exists(covered))
        .order_by()
        .values("kind")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(covered=True)))
    )
    order = list(UnitKind.values)
    rows.sort(key=lambda r: order.index(r["kind"]) if r["kind"] in order else len(order))
    by_kind = [
        {
            "kind": r["kind"],
            "label": UnitKind(r["kind"]).label if r["kind"] in order else r["kind"],
            "planned": r["planned"],
            "covered": r["done"],
            "rate": rate(r["done"], r["planned"]),
        }
        for r in rows
    ]
    planned = sum(r["planned"] for r in by_kind)
    done = sum(r["covered"] for r in by_kind)
    return {"plan": plan, "planned": planned, "covered": done, "rate": rate(done, planned), "by_kind": by_kind}


def inspected_unit_figures(scope: FigureScope) -> dict:
    row = scope.by_round(TeamUnit.objects.all()).aggregate(
        units=Count("unit", distinct=True), rounds=Count("round", distinct=True)
    )
    return {"units": row["units"], "rounds": row["rounds"]}


def _counted_findings(scope: FigureScope) -> QuerySet[Finding]:
    return scope.by_jurisdiction(Finding.objects.all()).exclude(status__in=COUNTED_FINDING_EXCLUDED)


def finding_figures(scope: FigureScope) -> dict:
    row = _counted_findings(scope).aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=FindingStatus.APPROVED)),
        fixed_on_site=Count("pk", filter=Q(fixed_on_site=True)),
        money_involved=Sum("money_involved"),
    )
    row["money_involved"] = _money(row["money_involved"])
    return row


def findings_by_category(scope: FigureScope, level: int = 1) -> list[dict]:
    """Counted findings per checklist area (level 1) or aspect (level 2), in checklist order."""
    path = "category__parent__parent" if level == 1 else "category__parent"
    rows = (
        _counted_findings(scope)
        .order_by()
        .values(f"{path}_id", f"{path}__code", f"{path}__name", f"{path}__order")
        .annotate(count=Count("pk"), fixed_on_site=Count("pk", filter=Q(fixed_on_site=True)))
    )
    result = [
        {
            "id": r[f"{path}_id"],
            "code": r[f"{path}__code"],
            "name": r[f"{path}__name"],
            "count": r["count"],
            "fixed_on_site": r["fixed_on_site"],
            "_order": r[f"{path}__order"],
        }
        for r in rows
    ]
    result.sort(key=lambda r: (r["_order"], r["code"]))
    for r in result:
        del r["_order"]
    return result


def petition_figures(scope: FigureScope) -> dict:
    row = scope.by_round(Petition.objects.all()).aggregate(
        received=Count("pk"), concluded=Count("pk", filter=~Q(conclusion=Petition.Conclusion.PENDING))
    )
    return row


def _leads(scope: FigureScope) -> QuerySet[Lead]:
    # Through the rounds, not the lead's jurisdiction column: the estimate stays small, so the dispositions and
    # results below are fetched by their lead index (2 ms for a county) instead of a scan of all of them (20 ms).
    return scope.by_round(Lead.objects.all())


def lead_figures(scope: FigureScope) -> dict:
    return _leads(scope).aggregate(
        registered=Count("pk", filter=~Q(status=LeadStatus.WITHDRAWN)),
        referred=Count("pk", filter=Q(status__in=REFERRED_STATUSES)),
        disposed=Count("pk", filter=Q(status__in=DISPOSED_STATUSES)),
        concluded=Count("pk", filter=Q(status=LeadStatus.CONCLUDED)),
    )


def leads_by_receiver(scope: FigureScope) -> list[dict]:
    rows = (
        _leads(scope)
        .filter(status__in=REFERRED_STATUSES)
        .order_by()
        .values("referral__receiving_body_id", "referral__receiving_body__name", "referral__receiving_body__kind")
        .annotate(referred=Count("pk"), disposed=Count("pk", filter=Q(status__in=DISPOSED_STATUSES)))
    )
    kinds = list(ReceivingBody.Kind.values)
    result = [
        {
            "id": r["referral__receiving_body_id"],
            "name": r["referral__receiving_body__name"],
            "kind": r["referral__receiving_body__kind"],
            "referred": r["referred"],
            "disposed": r["disposed"],
        }
        for r in rows
    ]
    result.sort(key=lambda r: (kinds.index(r["kind"]) if r["kind"] in kinds else len(kinds), r["id"]))
    return result


def disposition_figures(scope: FigureScope) -> dict:
    """Leads by the receiver's decision (谈话函询, 初步核实, ..., 立案审查调查): one row per kind."""
    counts = dict(
        Disposition.objects.filter(lead__in=_leads(scope).exclude(status=LeadStatus.WITHDRAWN))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return {kind: counts.get(kind, 0) for kind in DispositionKind.values}


def result_figures(scope: FigureScope) -> dict:
    """People per kind of outcome and the money the receivers recovered."""
    rows = {
        r["kind"]: r
        for r in Result.objects.filter(lead__in=_leads(scope).exclude(status=LeadStatus.WITHDRAWN))
        .order_by()
        .values("kind")
        .annotate(people=Sum("people_count"), money=Sum("money_recovered"), leads=Count("lead", distinct=True))
    }
    by_kind = {
        kind: {"people": (rows.get(kind) or {}).get("people") or 0, "money": _money((rows.get(kind) or {}).get("money"))}
        for kind in ResultKind.values
    }
    return {"by_kind": by_kind, "money": _money(sum((v["money"] for v in by_kind.values()), Decimal("0")))}


def _feedbacks(scope: FigureScope) -> QuerySet[Feedback]:
    return scope.by_round(Feedback.objects.all())


def rectification_figures(scope: FigureScope, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    fed_back = ProblemItem.objects.filter(feedback__in=_feedbacks(scope)).aggregate(
        n=Count("finding", distinct=True)
    )["n"]
    # A finding is on at most one problem list (one feedback per round and unit, listing that round's approved
    # findings of the unit) and its tasks belong to that list's plan (the services check both). So "on a problem
    # list, has tasks, all closed" is: findings with tasks minus findings with an open task, counted in the
    # same pass over the scope's tasks as the task figures: no subquery per problem item.
    row = scope.tasks().aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=TaskStatus.CLOSED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_TASK_STATUSES, deadline__lt=today)),
        closed_late=Count("pk", filter=Q(status=TaskStatus.CLOSED, closed_at__date__gt=F("deadline"))),
        with_tasks=Count("finding", distinct=True),
        with_open_tasks=Count("finding", distinct=True, filter=Q(status__in=OPEN_TASK_STATUSES)),
    )
    rectified = row.pop("with_tasks") - row.pop("with_open_tasks")
    tasks = row
    return {
        "fed_back": fed_back,
        "rectified": rectified,
        "rate": rate(rectified, fed_back),
        "tasks": tasks,
        "task_rate": rate(tasks["closed"], tasks["total"]),
    }


def progress_figures(scope: FigureScope) -> dict:
    # Both the task's jurisdiction and its feedback: equivalent, but the two predicates together keep the
    # planner on the progress index (20 ms for a county) rather than a hash join over every progress report.
    progress = Progress.objects.filter(
        scope.jurisdiction_q("task__jurisdiction"), task__plan__feedback__in=_feedbacks(scope)
    )
    row = progress.aggregate(
        money=Sum("money_recovered"), rules=Sum("rules_established_count"), accountable=Sum("people_held_accountable")
    )
    return {"money": _money(row["money"]), "rules": row["rules"] or 0, "accountable": row["accountable"] or 0}


def lookback_figures(scope: FigureScope) -> dict:
    as_of = scope.lookback_as_of
    revisited = TeamUnit.objects.filter(
        scope.jurisdiction_q("round__jurisdiction"),
        unit_id=OuterRef("unit_id"),
        round__kind=RoundKind.LOOKBACK,
        round__start_date__gte=OuterRef("held_on"),
        round__phase__in=INSPECTED_PHASES,
        **({"round__start_date__lte": as_of} if as_of else {}),
    )
    fed_back = _feedbacks(scope).exclude(round__kind=RoundKind.LOOKBACK)
    if as_of:
        fed_back = fed_back.filter(held_on__lte=as_of)
    units = (
        fed_back
        .aggregate(
            fed_back=Count("unit", distinct=True),
            revisited=Count("unit", distinct=True, filter=Exists(revisited)),
        )
    )
    checks = LookbackCheck.objects.filter(task__in=scope.tasks()).aggregate(
        checked=Count("task", distinct=True), not_fixed=Count("task", distinct=True, filter=Q(is_fixed=False))
    )
    return {
        "units": units["fed_back"],
        "revisited": units["revisited"],
        "rate": rate(units["revisited"], units["fed_back"]),
        "tasks_checked": checks["checked"],
        "tasks_not_fixed": checks["not_fixed"],
    }


def _month_ends(today: date, months: int) -> list[date]:
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        ends.append(date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def _first_cutoff(cutoffs: list[date], lookup: str) -> Case:
    """The index of the first cutoff at which `lookup` (e.g. "created_at__date__lte") holds, else len(cutoffs).
    Most tasks were created, closed or due before the first month: the CASE stops at its first branch."""
    return Case(
        *[When(**{lookup: cutoff}, then=Value(i)) for i, cutoff in enumerate(cutoffs)],
        default=Value(len(cutoffs)),
        output_field=IntegerField(),
    )


def rectification_trend(scope: FigureScope, today: date | None = None, months: int = TREND_MONTHS) -> list[dict]:
    """At the end of each of the last `months` months: tasks existing, closed, and open past their deadline.
    One query: the tasks grouped by the first month end at which each existed, was closed and was past due
    (a few hundred groups at most), added up here."""
    today = today or timezone.localdate()
    ends = _month_ends(today, months)
    cutoffs = [min(end, today) for end in ends]
    groups = (
        scope.tasks()
        .annotate(
            existed=_first_cutoff(cutoffs, "created_at__date__lte"),
            closed=_first_cutoff(cutoffs, "closed_at__date__lte"),
            due=_first_cutoff(cutoffs, "deadline__lt"),
        )
        .order_by()
        .values_list("existed", "closed", "due")
        .annotate(n=Count("pk"))
    )
    totals = [{"total": 0, "closed": 0, "overdue": 0} for _ in cutoffs]
    for existed, closed, due, n in groups:
        for i in range(existed, len(cutoffs)):
            totals[i]["total"] += n
            if closed <= i:
                totals[i]["closed"] += n
            elif due <= i:
                totals[i]["overdue"] += n
    return [
        {"month": f"{end:%Y-%m}", **t, "rate": rate(t["closed"], t["total"])}
        for end, t in zip(ends, totals, strict=True)
    ]


@dataclass
class Figures:
    scope: FigureScope
    coverage: dict
    inspected: dict
    findings: dict
    by_area: list
    petitions: dict
    rectification: dict
    progress: dict
    lookback: dict
    # Lead figures are aggregates of secret records: shown only to those whose role may see lead statistics.
    leads: dict | None = None
    by_receiver: list = field(default_factory=list)
    dispositions: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)

    @property
    def disciplined(self) -> int:
        return sum(self.results["by_kind"][k]["people"] for k in DISCIPLINE_RESULTS) if self.results else 0

    @property
    def organizational(self) -> int:
        return self.results["by_kind"][ResultKind.ORGANIZATIONAL]["people"] if self.results else 0

    @property
    def admonished(self) -> int:
        return self.results["by_kind"][ResultKind.ADMONITION]["people"] if self.results else 0

    @property
    def accountable_by_receivers(self) -> int:
        return self.results["by_kind"][ResultKind.ACCOUNTABILITY]["people"] if self.results else 0

    @property
    def accountable(self) -> int:
        return self.accountable_by_receivers + self.progress["accountable"]

    @property
    def cases_opened(self) -> int:
        return self.dispositions.get(DispositionKind.CASE_OPENED, 0)

    @property
    def money_recovered(self) -> Decimal:
        return self.progress["money"] + (self.results["money"] if self.results else Decimal("0"))


def figures(scope: FigureScope, *, include_leads: bool, breakdowns: bool = True) -> Figures:
    """Every reported figure for the scope, in a fixed number of queries. `breakdowns=False` leaves out the
    lists by area and by receiver (the roll-up's counters do not keep them)."""
    result = Figures(
        scope=scope,
        coverage=coverage_figures(scope),
        inspected=inspected_unit_figures(scope),
        findings=finding_figures(scope),
        by_area=findings_by_category(scope, level=1) if breakdowns else [],
        petitions=petition_figures(scope),
        rectification=rectification_figures(scope),
        progress=progress_figures(scope),
        lookback=lookback_figures(scope),
    )
    if include_leads:
        result.leads = lead_figures(scope)
        result.by_receiver = leads_by_receiver(scope) if breakdowns else []
        result.dispositions = disposition_figures(scope)
        result.results = result_figures(scope)
    return result
