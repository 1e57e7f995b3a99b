"""Every dashboard figure cross-checked against the records it counts, recomputed here in plain Python."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import selectors
from dashboard.selectors import FigureScope
from findings.models import Finding
from inspection.units.models import UnitKind
from rectification.models import Feedback, LookbackCheck, ProblemItem, Progress, Task
from referrals.models import Disposition, Lead, Result
from rounds.models import Petition, RoundKind, TeamUnit
from rounds.workflow import INSPECTED_PHASES

from .factories import build_world

COUNTED_OUT = {"draft", "withdrawn"}
REFERRED = {"referred", "received", "disposed", "concluded"}
DISPOSED = {"disposed", "concluded"}


def in_scope(scope, round_, unit, *, ignore_kind=False):
    return (
        round_.jurisdiction_id == scope.jurisdiction_id
        and (scope.plan is None or round_.plan_id == scope.plan.pk)
        and (scope.round is None or round_.pk == scope.round.pk)
        and (not scope.year or round_.start_date.year == scope.year)
        and (ignore_kind or not scope.unit_kind or (unit is not None and unit.kind == scope.unit_kind))
    )


def expected(scope, today):
    findings = [f for f in Finding.objects.select_related("round", "unit", "category__parent__parent")
                if in_scope(scope, f.round, f.unit) and f.status not in COUNTED_OUT]
    leads = [lead for lead in Lead.objects.select_related("round", "unit", "referral__receiving_body")
             if in_scope(scope, lead.round, lead.unit)]
    live_leads = {lead.pk for lead in leads if lead.status != "withdrawn"}
    results = [r for r in Result.objects.all() if r.lead_id in live_leads]
    feedbacks = [f for f in Feedback.objects.select_related("round", "unit") if in_scope(scope, f.round, f.unit)]
    feedback_ids = {f.pk for f in feedbacks}
    tasks = [t for t in Task.objects.select_related("plan") if t.plan.feedback_id in feedback_ids]
    tasks_by = {}
    for t in tasks:
        tasks_by.setdefault((t.plan.feedback_id, t.finding_id), []).append(t)
    items = [i for i in ProblemItem.objects.all() if i.feedback_id in feedback_ids]
    fed_back = {i.finding_id for i in items}
    rectified = {i.finding_id for i in items
                 if tasks_by.get((i.feedback_id, i.finding_id)) and all(t.status == "closed" for t in tasks_by[(i.feedback_id, i.finding_id)])}
    progress = [p for p in Progress.objects.select_related("task__plan") if p.task.plan.feedback_id in feedback_ids]
    team_units = list(TeamUnit.objects.select_related("round", "unit"))

    plan = scope.coverage_plan()
    planned = [u for u in plan.units.all() if not scope.unit_kind or u.kind == scope.unit_kind] if plan else []
    covered = [u for u in planned if any(
        tu.unit_id == u.pk and tu.round.plan_id == plan.pk and in_scope(scope, tu.round, tu.unit, ignore_kind=True)
        and tu.round.phase in INSPECTED_PHASES for tu in team_units)]

    original = [f for f in feedbacks if f.round.kind != RoundKind.LOOKBACK]
    revisited = {f.unit_id for f in original if any(
        tu.unit_id == f.unit_id and tu.round.kind == RoundKind.LOOKBACK and tu.round.jurisdiction_id == scope.jurisdiction_id
        and tu.round.start_date >= f.held_on and tu.round.phase in INSPECTED_PHASES for tu in team_units)}
    checks = [c for c in LookbackCheck.objects.select_related("task__plan") if c.task.plan.feedback_id in feedback_ids]

    people = Counter()
    money = Decimal("0")
    for r in results:
        people[r.kind] += r.people_count
        money += r.money_recovered
    return {
        "findings": {
            "total": len(findings),
            "approved": sum(f.status == "approved" for f in findings),
            "fixed_on_site": sum(f.fixed_on_site for f in findings),
            "money_involved": sum((f.money_involved or Decimal("0") for f in findings), Decimal("0")),
        },
        "by_area": dict(Counter(f.category.parent.parent.name for f in findings)),
        "by_aspect": dict(Counter(f.category.parent.name for f in findings)),
        "petitions": {
            "received": sum(in_scope(scope, p.round, p.unit) for p in Petition.objects.select_related("round", "unit")),
            "concluded": sum(in_scope(scope, p.round, p.unit) and p.conclusion != "pending"
                             for p in Petition.objects.select_related("round", "unit")),
        },
        "inspected_units": len({tu.unit_id for tu in team_units if in_scope(scope, tu.round, tu.unit)}),
        "coverage": (len(planned), len(covered)),
        "leads": {
            "registered": sum(lead.status != "withdrawn" for lead in leads),
            "referred": sum(lead.status in REFERRED for lead in leads),
            "disposed": sum(lead.status in DISPOSED for lead in leads),
            "concluded": sum(lead.status == "concluded" for lead in leads),
        },
        "by_receiver": dict(Counter(lead.referral.receiving_body.name for lead in leads if lead.status in REFERRED)),
        "dispositions": dict(Counter(d.kind for d in Disposition.objects.all() if d.lead_id in live_leads)),
        "people": people,
        "result_money": money,
        "fed_back": len(fed_back),
        "rectified": len(rectified),
        "tasks": {
            "total": len(tasks),
            "closed": sum(t.status == "closed" for t in tasks),
            "overdue": sum(t.status != "closed" and t.deadline < today for t in tasks),
        },
        "progress": {
            "money": sum((p.money_recovered for p in progress), Decimal("0")),
            "rules": sum(p.rules_established_count for p in progress),
            "accountable": sum(p.people_held_accountable for p in progress),
        },
        "lookback": ({f.unit_id for f in original}, revisited, {c.task_id for c in checks},
                     {c.task_id for c in checks if not c.is_fixed}),
    }


@pytest.fixture
def world(jurisdiction, other_jurisdiction):
    # A second county with its own records: none of them may leak into the first one's figures.
    build_world(other_jurisdiction, seed=99)
    return build_world(jurisdiction, seed=7)


def scopes(world):
    current = world.plans[1]
    first_round = world.rounds[1]
    yield FigureScope(jurisdiction_id=world.jurisdiction.pk)
    yield FigureScope(jurisdiction_id=world.jurisdiction.pk, plan=current)
    yield FigureScope(jurisdiction_id=world.jurisdiction.pk, round=first_round)
    yield FigureScope(jurisdiction_id=world.jurisdiction.pk, year=first_round.start_date.year)
    yield FigureScope(jurisdiction_id=world.jurisdiction.pk, year=2019)
    for kind in (UnitKind.COUNTY_DEPARTMENT, UnitKind.TOWNSHIP):
        yield FigureScope(jurisdiction_id=world.jurisdiction.pk, unit_kind=kind)
        yield FigureScope(jurisdiction_id=world.jurisdiction.pk, plan=current, unit_kind=kind)


def test_every_figure_matches_the_records(world):
    today = timezone.localdate()
    checked = 0
    for scope in scopes(world):
        want = expected(scope, today)
        got = selectors.figures(scope, include_leads=True)
        label = scope.label
        assert got.findings == want["findings"], label
        assert {r["name"]: r["count"] for r in got.by_area} == want["by_area"], label
        assert {r["name"]: r["count"] for r in selectors.findings_by_category(scope, level=2)} == want["by_aspect"], label
        assert got.petitions == want["petitions"], label
        assert got.inspected["units"] == want["inspected_units"], label
        assert (got.coverage["planned"], got.coverage["covered"]) == want["coverage"], label
        assert got.leads == want["leads"], label
        assert {r["name"]: r["referred"] for r in got.by_receiver} == want["by_receiver"], label
        assert {k: v for k, v in got.dispositions.items() if v} == want["dispositions"], label
        assert got.cases_opened == want["dispositions"].get("case_opened", 0), label
        people = want["people"]
        assert got.disciplined == people["party_discipline"] + people["state_discipline"], label
        assert got.organizational == people["organizational"], label
        assert got.admonished == people["admonition"], label
        assert got.accountable == people["accountability"] + want["progress"]["accountable"], label
        assert got.money_recovered == want["result_money"] + want["progress"]["money"], label
        assert got.rectification["fed_back"] == want["fed_back"], label
        assert got.rectification["rectified"] == want["rectified"], label
        assert {k: got.rectification["tasks"][k] for k in ("total", "closed", "overdue")} == want["tasks"], label
        assert got.progress == want["progress"], label
        units, revisited, checked_tasks, not_fixed = want["lookback"]
        assert (got.lookback["units"], got.lookback["revisited"]) == (len(units), len(revisited)), label
        assert (got.lookback["tasks_checked"], got.lookback["tasks_not_fixed"]) == (len(checked_tasks), len(not_fixed))
        checked += want["findings"]["total"] + want["leads"]["referred"] + want["tasks"]["total"]
    # The world is rich enough that the comparisons above compared real numbers, not zeros.
    whole = expected(FigureScope(jurisdiction_id=world.jurisdiction.pk), today)
    assert whole["findings"]["total"] > 10 and whole["leads"]["referred"] > 2 and whole["tasks"]["total"] > 3
    assert whole["fed_back"] and whole["lookback"][1] and whole["coverage"][1]
    assert sum(whole["people"].values()) > 0 and checked > 0


def test_rates_follow_the_counts(world):
    figs = selectors.figures(FigureScope(jurisdiction_id=world.jurisdiction.pk), include_leads=False)
    rect = figs.rectification
    assert rect["rate"] == round(100 * rect["rectified"] / rect["fed_back"], 2)
    assert figs.coverage["rate"] == round(100 * figs.coverage["covered"] / figs.coverage["planned"], 2)
    assert figs.leads is None and figs.results == {}


def test_coverage_plan_follows_the_filter(world):
    old, current = world.plans
    base = dict(jurisdiction_id=world.jurisdiction.pk)
    assert FigureScope(**base).coverage_plan() == current
    assert FigureScope(**base, year=2019).coverage_plan() == old
    assert FigureScope(**base, round=world.rounds[0]).coverage_plan() == old


def test_trend_counts_tasks_at_each_month_end(world):
    today = timezone.localdate()
    scope = FigureScope(jurisdiction_id=world.jurisdiction.pk)
    rows = selectors.rectification_trend(scope, today=today)
    assert len(rows) == selectors.TREND_MONTHS and rows[-1]["month"] == f"{today:%Y-%m}"
    tasks = list(Task.objects.filter(plan__feedback__jurisdiction=world.jurisdiction))
    ends = selectors._month_ends(today, selectors.TREND_MONTHS)
    for row, end in zip(rows, ends, strict=True):
        cutoff = min(end, today)
        existing = [t for t in tasks if timezone.localtime(t.created_at).date() <= cutoff]
        closed = [t for t in existing if t.closed_at and timezone.localtime(t.closed_at).date() <= cutoff]
        overdue = [t for t in existing if t not in closed and t.deadline < cutoff]
        assert (row["total"], row["closed"], row["overdue"]) == (len(existing), len(closed), len(overdue)), row
    assert any(r["closed"] for r in rows) and any(r["overdue"] for r in rows)


def _count_queries(scope):
    with CaptureQueriesContext(connection) as captured:
        selectors.figures(scope, include_leads=True)
        for level in (1, 2):
            selectors.findings_by_category(scope, level=level)
        selectors.rectification_trend(scope)
    return len(captured)


def test_query_count_does_not_grow_with_the_data(jurisdiction, other_jurisdiction):
    small = build_world(jurisdiction, seed=1, units=5, per_round=2)
    big = build_world(other_jurisdiction, seed=5, units=30, per_round=12)
    assert Finding.objects.filter(round__jurisdiction=other_jurisdiction).count() > 2 * Finding.objects.filter(
        round__jurisdiction=jurisdiction).count()
    for plan_index in (0, 1):
        few = _count_queries(FigureScope(jurisdiction_id=jurisdiction.pk, plan=small.plans[plan_index]))
        many = _count_queries(FigureScope(jurisdiction_id=other_jurisdiction.pk, plan=big.plans[plan_index]))
        assert few == many
    # 15 aggregates (one per group of figures, chart series and trend) + finding the plan whose coverage shows
    assert _count_queries(FigureScope(jurisdiction_id=jurisdiction.pk)) <= 18


def test_the_dashboard_agrees_with_the_referral_and_rectification_pages(world):
    """The apps' own figure functions (their statistics pages) and the dashboard count the same records."""
    from rectification.selectors import rectification_figures
    from referrals.selectors import referral_figures

    current = world.plans[1]
    for kwargs in ({}, {"plan": current}, {"round": world.rounds[1]}, {"round": world.rounds[0]}):
        mine = selectors.figures(FigureScope(jurisdiction_id=world.jurisdiction.pk, **kwargs), include_leads=True)
        theirs = referral_figures(world.jurisdiction, **kwargs)["totals"]
        assert (mine.leads["referred"], mine.leads["disposed"], mine.leads["concluded"], mine.cases_opened) == (
            theirs["referred"], theirs["disposed"], theirs["concluded"], theirs["cases_opened"]), kwargs
        assert mine.disciplined == theirs["people_disciplined"]
        assert (mine.organizational, mine.admonished, mine.accountable_by_receivers) == (
            theirs["organizational"], theirs["admonition"], theirs["accountability"])
        assert mine.results["money"] == theirs["money_recovered"]
        rect = rectification_figures(world.jurisdiction, **kwargs)
        assert (mine.rectification["fed_back"], mine.rectification["rectified"]) == (
            rect["findings"], rect["findings_rectified"]), kwargs
        tasks = mine.rectification["tasks"]
        assert (tasks["total"], tasks["closed"], tasks["overdue"]) == (rect["tasks"], rect["closed"], rect["overdue"])
        assert mine.rectification["task_rate"] == float(rect["completion_rate"])
        assert (mine.progress["money"], mine.progress["rules"], mine.progress["accountable"]) == (
            rect["money_recovered"], rect["rules_established"], rect["people_held_accountable"])


def test_a_finding_is_rectified_once_every_task_of_it_is_closed(jurisdiction):
    """The edge of the rectified count: on the problem list without tasks, with one task still open, all closed,
    one reopened by a look-back."""
    build_world(jurisdiction, seed=7)
    scope = FigureScope(jurisdiction_id=jurisdiction.pk)
    feedback = Feedback.objects.filter(jurisdiction=jurisdiction, plan__isnull=False).first()
    finding = Finding.objects.filter(round=feedback.round, unit=feedback.unit).first()
    finding.pk, finding.title = None, "新增问题：公务用车管理不规范"
    finding.save()
    ProblemItem.objects.create(feedback=feedback, finding=finding, position=99)
    before = selectors.rectification_figures(FigureScope(jurisdiction_id=jurisdiction.pk))

    def delta():
        now = selectors.rectification_figures(scope)
        return now["fed_back"] - before["fed_back"] + 1, now["rectified"] - before["rectified"]

    assert delta() == (1, 0)  # on the list, no task yet: not rectified
    fields = dict(plan=feedback.plan, jurisdiction_id=jurisdiction.pk, finding=finding, measures="规范车辆派遣",
                  responsible_leader="李某", responsible_department="办公室",
                  deadline=feedback.held_on + timedelta(days=30), kind="time_limited")
    Task.objects.create(**fields, status="closed", closed_at=timezone.now())
    second = Task.objects.create(**fields, status="in_progress")
    assert delta() == (1, 0)  # one task still open
    Task.objects.filter(pk=second.pk).update(status="closed", closed_at=timezone.now())
    assert delta() == (1, 1)  # every task closed
    Task.objects.filter(pk=second.pk).update(status="reopened", closed_at=None)
    assert delta() == (1, 0)  # a look-back reopened one
