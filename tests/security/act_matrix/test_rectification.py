"""Who may act on rectification, and when (DOMAIN.md): the unit's liaison, once the feedback has been held, writes
and submits the plan, starts its tasks, reports progress and submits the report; the office accepts or returns the
plan; the office and the leading group accept or return the report; the office, and the team that gave the feedback
while its round is in rectification, verify and close (销号) or reopen the tasks — a later look-back team does so
for the units it revisits, during the look-back round, and records its checks. The team's right ends when its
round is completed, when its member is taken off the team or the unit's assignment is withdrawn; a member of an
earlier round of the same unit has no say over a later round's rectification."""

import datetime

import pytest
from django.utils import timezone

from findings.models import Finding, FindingStatus
from rectification.models import (
    Feedback,
    LookbackCheck,
    PlanStatus,
    ProblemItem,
    Progress,
    RectificationPlan,
    RectificationReport,
    ReportStatus,
    Task,
    TaskKind,
    TaskStatus,
)
from rounds.models import Phase, RoundKind
from tests.findings.factories import manifestation

from .conftest import (
    ADMINS,
    BEFORE,
    BEFORE_MEETING,
    ENDED,
    FEEDBACK,
    LATER,
    MOVED,
    ONSITE,
    RECEIVERS,
    REMOVED,
    TEAM_OFF,
    TEAM_ON,
    WITHDRAWN,
    Case,
    check,
    expect,
    params,
    remove_team_actors,
    scene,
    withdraw_assignment,
)

TODAY = timezone.localdate


def feed_back(world, made, *, plan=PlanStatus.ACCEPTED, task=TaskStatus.PENDING, report=None, held_days_ago=10):
    """The unit fed back in `made.round`: one approved finding on the problem list, the plan, one task."""
    finding = Finding.objects.create(
        round=made.round, jurisdiction=world.jurisdiction, team=made.team, unit=world.unit, category=manifestation(),
        title="公务接待超标准问题", facts="2025年12批次公务接待超出标准。", basis="《党政机关国内公务接待管理规定》第九条",
        status=FindingStatus.APPROVED, approved_at=timezone.now(), created_by=world.users["team_member"],
    )
    held_on = TODAY() - datetime.timedelta(days=held_days_ago)
    feedback = Feedback.objects.create(
        round=made.round, unit=world.unit, jurisdiction=world.jurisdiction, held_on=held_on, place="单位三楼会议室",
        attendees="单位领导班子成员", letter_number=f"清巡反〔2026〕{made.round.pk}号",
        plan_due_on=held_on + datetime.timedelta(days=30), report_due_on=held_on + datetime.timedelta(days=60),
        created_by=world.users["office"],
    )
    ProblemItem.objects.create(feedback=feedback, finding=finding, position=1)
    now = timezone.now()
    rectification_plan = RectificationPlan.objects.create(
        feedback=feedback, content="一、总体要求……", status=plan,
        submitted_at=now if plan in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED) else None,
        accepted_at=now if plan == PlanStatus.ACCEPTED else None,
    )
    the_task = Task.objects.create(
        plan=rectification_plan, jurisdiction=world.jurisdiction, finding=finding,
        measures="制定公务接待管理办法，清退超标准费用。", responsible_leader="王副局长", responsible_department="办公室",
        deadline=TODAY() + datetime.timedelta(days=30), kind=TaskKind.TIME_LIMITED, status=task,
        submitted_at=now if task in (TaskStatus.SUBMITTED, TaskStatus.CLOSED) else None,
        closed_at=now if task == TaskStatus.CLOSED else None,
    )
    if task in (TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.CLOSED):
        Progress.objects.create(task=the_task, reported_on=TODAY(), description="已清退超标准费用3.2万元。",
                                created_by=world.users["liaison"])
    state = {"scene": made, "feedback": feedback, "plan": rectification_plan, "task": the_task}
    if report:
        state["report"] = RectificationReport.objects.create(
            feedback=feedback, content="整改工作总体情况……", status=report, created_by=world.users["liaison"],
            submitted_at=now if report == ReportStatus.SUBMITTED else None,
            first_submitted_at=now if report == ReportStatus.SUBMITTED else None,
        )
    return state


def fed_back(phase=Phase.RECTIFICATION, time=None, **statuses):
    """The feedback's round in `phase`; the team actors on its teams, or (LATER) on an earlier round of the unit
    that is still following up its own rectification, the later round's teams being other cadres."""
    def build(world):
        if time == LATER:
            scene(world, Phase.RECTIFICATION, start=datetime.date(2023, 4, 1))
            made = scene(world, phase, actors=False)
        else:
            made = scene(world, phase)
        state = feed_back(world, made, **statuses)
        if time == REMOVED:
            remove_team_actors(made)
        if time == WITHDRAWN:
            withdraw_assignment(world, made)
        return state
    return build


def post(path, key, **body):
    """POST /api/rectification/<resource>/<id>/<verb>/ for path "resource:verb"."""
    return lambda client, state: client.post(_url(path, state[key].pk), _body(body), format="json")


def _url(path, pk):
    resource, verb = path.split(":")
    return f"/api/rectification/{resource}/{pk}/{verb}/"


def _body(body):
    return {name: value() if callable(value) else value for name, value in body.items()}


def status_of(model, key):
    return lambda state: model.objects.filter(pk=state[key].pk).values_list("status", flat=True).get()


task_status = status_of(Task, "task")
plan_status = status_of(RectificationPlan, "plan")
report_status = status_of(RectificationReport, "report")

OVERSEERS = ("leading_group", *RECEIVERS)  # read the county's rectification, act on none of it
REASON = {"reason": "佐证材料不足，请补充"}
OPINION = {"verification_opinion": "经实地核查，整改到位，同意销号"}
REOPEN = {"reason": "回头看发现问题反弹", "new_deadline": lambda: (TODAY() + datetime.timedelta(days=30)).isoformat()}


def task_case(verb, time, build, ok, body=None, c403=()):
    return Case("task", verb, time, build, post(f"tasks:{verb}", "task", **(body or {})), task_status,
                expect(ok, c403=c403))


VERIFY = ("office", *TEAM_ON)
TASKS = [
    task_case("start", FEEDBACK, fed_back(task=TaskStatus.PENDING), {"liaison"},
              c403=("office", *OVERSEERS, *TEAM_ON)),
    task_case("submit", FEEDBACK, fed_back(task=TaskStatus.IN_PROGRESS), {"liaison"},
              c403=("office", *OVERSEERS, *TEAM_ON)),
    task_case("submit", ENDED, fed_back(Phase.COMPLETED, task=TaskStatus.IN_PROGRESS), {"liaison"},
              c403=("office", *OVERSEERS)),
    task_case("close", FEEDBACK, fed_back(task=TaskStatus.SUBMITTED), set(VERIFY), OPINION, c403=(*OVERSEERS, "liaison")),
    task_case("close", ENDED, fed_back(Phase.COMPLETED, task=TaskStatus.SUBMITTED), {"office"}, OPINION,
              c403=(*OVERSEERS, "liaison")),
    task_case("close", LATER, fed_back(time=LATER, task=TaskStatus.SUBMITTED), {"office"}, OPINION,
              c403=(*OVERSEERS, "liaison")),
    task_case("close", REMOVED, fed_back(time=REMOVED, task=TaskStatus.SUBMITTED), {"office"}, OPINION,
              c403=(*OVERSEERS, "liaison")),
    task_case("close", WITHDRAWN, fed_back(time=WITHDRAWN, task=TaskStatus.SUBMITTED), {"office"}, OPINION,
              c403=(*OVERSEERS, "liaison")),
    task_case("return", FEEDBACK, fed_back(task=TaskStatus.SUBMITTED), set(VERIFY), REASON,
              c403=(*OVERSEERS, "liaison")),
    task_case("return", ENDED, fed_back(Phase.COMPLETED, task=TaskStatus.SUBMITTED), {"office"}, REASON,
              c403=(*OVERSEERS, "liaison")),
    task_case("reopen", FEEDBACK, fed_back(task=TaskStatus.CLOSED), set(VERIFY), REOPEN,
              c403=(*OVERSEERS, "liaison")),
    task_case("reopen", LATER, fed_back(time=LATER, task=TaskStatus.CLOSED), {"office"}, REOPEN,
              c403=(*OVERSEERS, "liaison")),
]


def progress_count(state):
    return Progress.objects.filter(task=state["task"]).count()


def report_progress(client, state):
    return client.post("/api/rectification/progress/", {
        "task": state["task"].pk, "reported_on": TODAY().isoformat(), "description": "已制定公务接待管理办法。",
    }, format="json")


# Reporting progress is the liaison's alone: every other role is refused at the endpoint (403); the other unit's
# liaison may not know the task exists (404).
PROGRESS = [
    Case("task", "report progress", FEEDBACK, fed_back(task=TaskStatus.IN_PROGRESS), report_progress, progress_count,
         expect({"liaison"}, default=403, c404=("liaison_other",))),
    Case("task", "report progress", BEFORE_MEETING,
         lambda world: feed_back(world, scene(world, Phase.FEEDBACK), task=TaskStatus.IN_PROGRESS, held_days_ago=-3),
         report_progress, progress_count, expect(default=403, c404=("liaison", "liaison_other"))),
]

PLANS = [
    Case("plan", "submit", FEEDBACK, fed_back(Phase.FEEDBACK, plan=PlanStatus.DRAFT), post("plans:submit", "plan"),
         plan_status, expect({"liaison"}, c403=("office", *OVERSEERS, *TEAM_ON))),
    Case("plan", "submit", BEFORE_MEETING,
         lambda world: feed_back(world, scene(world, Phase.FEEDBACK), plan=PlanStatus.DRAFT, held_days_ago=-3),
         post("plans:submit", "plan"), plan_status, expect(c403=("office", *OVERSEERS, *TEAM_ON))),
    Case("plan", "accept", FEEDBACK, fed_back(plan=PlanStatus.SUBMITTED), post("plans:accept", "plan"), plan_status,
         expect({"office"}, c403=(*OVERSEERS, *TEAM_ON, "liaison"))),
    Case("plan", "return", FEEDBACK, fed_back(plan=PlanStatus.SUBMITTED), post("plans:return", "plan", **REASON),
         plan_status, expect({"office"}, c403=(*OVERSEERS, *TEAM_ON, "liaison"))),
    Case("plan", "accept", ENDED, fed_back(Phase.COMPLETED, plan=PlanStatus.SUBMITTED), post("plans:accept", "plan"),
         plan_status, expect({"office"}, c403=(*OVERSEERS, "liaison"))),
    Case("plan", "accept", LATER, fed_back(time=LATER, plan=PlanStatus.SUBMITTED), post("plans:accept", "plan"),
         plan_status, expect({"office"}, c403=(*OVERSEERS, "liaison"))),
]

REPORTS = [
    Case("report", "submit", FEEDBACK, fed_back(report=ReportStatus.DRAFT), post("reports:submit", "report"),
         report_status, expect({"liaison"}, c403=("office", *OVERSEERS, *TEAM_ON))),
    Case("report", "accept", FEEDBACK, fed_back(report=ReportStatus.SUBMITTED), post("reports:accept", "report"),
         report_status, expect({"office", "leading_group"}, c403=(*RECEIVERS, *TEAM_ON, "liaison"))),
    Case("report", "return", FEEDBACK, fed_back(report=ReportStatus.SUBMITTED),
         post("reports:return", "report", **REASON), report_status,
         expect({"office", "leading_group"}, c403=(*RECEIVERS, *TEAM_ON, "liaison"))),
    Case("report", "accept", ENDED, fed_back(Phase.COMPLETED, report=ReportStatus.SUBMITTED),
         post("reports:accept", "report"), report_status,
         expect({"office", "leading_group"}, c403=(*RECEIVERS, "liaison"))),
]


# --- look-back (回头看): the look-back team checks the earlier round's tasks of the units it revisits ------------

def looked_back(phase, time=None, task=TaskStatus.CLOSED):
    """An earlier round (completed) that fed the unit back, and a look-back round of it in `phase` whose teams are
    the team actors (the unit's team revisits the unit)."""
    def build(world):
        earlier = scene(world, Phase.COMPLETED, actors=False, start=datetime.date(2025, 3, 1))
        state = feed_back(world, earlier, task=task)
        lookback = scene(world, phase, kind=RoundKind.LOOKBACK)
        lookback.round.lookback_of.add(earlier.round)
        if time == REMOVED:
            remove_team_actors(lookback)
        if time in (WITHDRAWN, MOVED):
            withdraw_assignment(world, lookback, to_off_team=time == MOVED)
        return {**state, "lookback": lookback}
    return build


def record_check(client, state):
    return client.post("/api/rectification/lookback-checks/", {
        "lookback_round": state["lookback"].round.pk, "task": state["task"].pk, "is_fixed": True,
        "notes": "现场查看接待台账，整改到位。",
    }, format="json")


def checks_of(state):
    return sorted(LookbackCheck.objects.filter(task=state["task"]).values_list("pk", flat=True))


# Recording a check is the office's and the look-back team's (403 at the endpoint for every other role); a team
# actor that does not have the unit in the look-back round may not know the earlier task exists (404).
NOT_CHECKERS = ("leading_group", *RECEIVERS, "liaison", "liaison_other", *ADMINS)
LOOKBACK = [
    Case("look-back", "record check", BEFORE, looked_back(Phase.PREPARATION), record_check, checks_of,
         expect(VERIFY, c403=NOT_CHECKERS)),
    Case("look-back", "record check", ONSITE, looked_back(Phase.ONSITE), record_check, checks_of,
         expect(VERIFY, c403=NOT_CHECKERS)),
    Case("look-back", "record check", ENDED, looked_back(Phase.COMPLETED), record_check, checks_of,
         expect({"office"}, c403=NOT_CHECKERS)),
    Case("look-back", "record check", REMOVED, looked_back(Phase.ONSITE, REMOVED), record_check, checks_of,
         expect({"office"}, c403=NOT_CHECKERS)),
    # Taken out of the look-back round, the unit is no look-back target any more: nobody records a check in it.
    Case("look-back", "record check", WITHDRAWN, looked_back(Phase.ONSITE, WITHDRAWN), record_check, checks_of,
         expect(c400=("office",), c403=NOT_CHECKERS)),
    Case("look-back", "record check", MOVED, looked_back(Phase.ONSITE, MOVED), record_check, checks_of,
         expect(("office", *TEAM_OFF), c403=NOT_CHECKERS)),
    Case("look-back", "close an earlier task", ONSITE, looked_back(Phase.ONSITE, task=TaskStatus.SUBMITTED),
         post("tasks:close", "task", **OPINION), task_status, expect(VERIFY, c403=(*OVERSEERS, "liaison"))),
    Case("look-back", "close an earlier task", ENDED, looked_back(Phase.COMPLETED, task=TaskStatus.SUBMITTED),
         post("tasks:close", "task", **OPINION), task_status, expect({"office"}, c403=(*OVERSEERS, "liaison"))),
    Case("look-back", "close an earlier task", WITHDRAWN,
         looked_back(Phase.ONSITE, WITHDRAWN, task=TaskStatus.SUBMITTED), post("tasks:close", "task", **OPINION), task_status,
         expect({"office"}, c403=(*OVERSEERS, "liaison"))),
    Case("look-back", "close an earlier task", MOVED,
         looked_back(Phase.ONSITE, MOVED, task=TaskStatus.SUBMITTED), post("tasks:close", "task", **OPINION), task_status,
         expect(("office", *TEAM_OFF), c403=(*OVERSEERS, "liaison"))),
]


@pytest.mark.parametrize("case", params(TASKS + PROGRESS + PLANS + REPORTS + LOOKBACK))
def test_who_may_act_on_rectification(world, db, case):
    check(world, case)
