"""Issue 13 item 2: feedback only for a unit of the round, once the round has reached feedback and every finding of
the unit is approved or withdrawn; a finding approved after the feedback joins the problem list through a
service, with a reason, and gets its task (and then counts in the figures)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dashboard.documents import feedback_letter_context, rectification_ledger_context
from findings import services as finding_services
from findings.models import FindingStatus
from inspection.accounts.models import Notification, Role
from inspection.core.exceptions import DomainError
from rectification import selectors, services
from rectification.models import Feedback, PlanStatus, ProblemItem, Task, TaskKind, TaskStatus
from rectification.workflow import FEEDBACK_PHASES, feedback_refusal
from rounds.models import Phase, TeamUnit
from tests.factories import UnitFactory

from .factories import FindingFactory, RoundFactory, TeamUnitFactory, make_feedback

TODAY = timezone.localdate()
MEETING = {"place": "单位三楼会议室", "attendees": "巡察组全体成员；单位领导班子成员", "letter_number": "清巡反〔2026〕9号"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _assigned(jurisdiction, phase, *, approved=1, **finding_statuses):
    """A unit assigned to a round in `phase`, with `approved` approved findings and others by status."""
    team_unit = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction, phase=phase))
    for _ in range(approved):
        FindingFactory(team=team_unit.team, unit=team_unit.unit)
    for status, count in finding_statuses.items():
        for _ in range(count):
            FindingFactory(team=team_unit.team, unit=team_unit.unit, status=status, approved_at=None)
    return team_unit


def _record(actor, team_unit, **extra):
    return services.feedback_record(
        actor=actor, round=team_unit.round, unit=team_unit.unit, held_on=TODAY - timedelta(days=1), **MEETING, **extra
    )


def _phase_message(round):
    return f"{round.title}尚未进入反馈阶段（当前为“进驻”阶段）：领导小组审定巡察报告、转入反馈阶段后才能登记反馈"


def _options(page: str, name: str) -> set[int]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select)}


# --- The rule (pure) --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "kind"),
    [
        ({"assigned": False}, "not_assigned"),
        ({"phase": Phase.PREPARATION}, "phase"),
        ({"phase": Phase.ONSITE}, "phase"),
        ({"phase": Phase.REPORT}, "phase"),
        ({"fed_back": True}, "fed_back"),
        ({"undecided": 3}, "undecided"),
        ({"approved": 0}, "no_approved"),
        ({}, None),
        ({"phase": Phase.REFERRAL}, None),
        ({"phase": Phase.RECTIFICATION}, None),
        ({"phase": Phase.COMPLETED}, None),
    ],
)
def test_feedback_refusal_table(facts, kind):
    given = {"round_title": "第2轮常规巡察", "phase": Phase.FEEDBACK, "unit_name": "县林业局", "assigned": True,
             "fed_back": False, "undecided": 0, "approved": 2, **facts}
    refusal = feedback_refusal(**given)
    assert (refusal.kind if refusal else None) == kind


def test_feedback_phases_are_feedback_and_later():
    assert FEEDBACK_PHASES == (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED)


# --- Onsite: refused by the service, the form page and the API ---------------------------------------------


def test_service_refuses_feedback_while_the_round_is_on_site(jurisdiction, office_user):
    team_unit = _assigned(jurisdiction, Phase.ONSITE)
    with pytest.raises(DomainError) as error:
        _record(office_user, team_unit)
    assert error.value.message == _phase_message(team_unit.round)
    assert error.value.field == "round"
    assert not Feedback.objects.exists()


def test_form_page_does_not_offer_an_onsite_round_and_refuses_it_with_the_reason(office_client, jurisdiction):
    onsite = _assigned(jurisdiction, Phase.ONSITE)
    ready = _assigned(jurisdiction, Phase.FEEDBACK)
    url = reverse("rectification:feedback_create")
    page = office_client.get(url).content.decode()
    assert _options(page, "round") == {ready.round.pk}
    assert _options(page, "unit") == {ready.unit.pk}

    response = office_client.post(url, {"round": onsite.round.pk, "unit": onsite.unit.pk,
                                         "held_on": (TODAY - timedelta(days=1)).isoformat(), **MEETING})
    assert response.status_code == 200
    assert _phase_message(onsite.round) in response.content.decode()
    assert not Feedback.objects.exists()


def test_api_answers_400_naming_the_round_while_it_is_on_site(jurisdiction, make_user):
    team_unit = _assigned(jurisdiction, Phase.ONSITE)
    response = api(make_user(Role.OFFICE)).post("/api/rectification/feedbacks/", {
        "round": team_unit.round.pk, "unit": team_unit.unit.pk, "held_on": (TODAY - timedelta(days=1)).isoformat(),
        **MEETING}, format="json")
    assert response.status_code == 400
    assert response.json() == {"round": [_phase_message(team_unit.round)]}
    assert not Feedback.objects.exists()


# --- A unit not in the round ------------------------------------------------------------------------------


def test_a_unit_not_assigned_to_the_round_is_refused(jurisdiction, office_user, make_user):
    team_unit = _assigned(jurisdiction, Phase.FEEDBACK)
    stranger = UnitFactory(jurisdiction=jurisdiction, name="县气象局")
    expected = f"县气象局不是{team_unit.round.title}的巡察对象（或已调整出组），不能登记反馈"
    with pytest.raises(DomainError) as error:
        services.feedback_record(actor=office_user, round=team_unit.round, unit=stranger,
                                 held_on=TODAY - timedelta(days=1), **MEETING)
    assert (error.value.field, error.value.message) == ("unit", expected)
    response = api(office_user).post("/api/rectification/feedbacks/", {
        "round": team_unit.round.pk, "unit": stranger.pk, "held_on": (TODAY - timedelta(days=1)).isoformat(),
        **MEETING}, format="json")
    assert response.status_code == 400 and response.json() == {"unit": [expected]}
    assert not Feedback.objects.exists()


def test_a_unit_whose_assignment_was_withdrawn_is_refused(jurisdiction, office_user):
    team_unit = _assigned(jurisdiction, Phase.FEEDBACK)
    TeamUnit.all_objects.filter(pk=team_unit.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=office_user, withdrawal_reason="本人申请回避，调整出组"
    )
    with pytest.raises(DomainError) as error:
        _record(office_user, team_unit)
    assert error.value.message == f"{team_unit.unit.name}不是{team_unit.round.title}的巡察对象（或已调整出组），不能登记反馈"


# --- A unit with findings not yet decided ------------------------------------------------------------------


def test_a_unit_with_undecided_findings_is_refused_until_each_is_approved_or_withdrawn(
    jurisdiction, office_user, leading_user
):
    team_unit = _assigned(
        jurisdiction, Phase.FEEDBACK, **{FindingStatus.OFFICE_REVIEWED: 1, FindingStatus.LEADER_APPROVED: 1}
    )
    reviewed, leader_approved = (
        team_unit.unit.findings.get(status=FindingStatus.OFFICE_REVIEWED),
        team_unit.unit.findings.get(status=FindingStatus.LEADER_APPROVED),
    )
    message = (f"{team_unit.unit.name}在{team_unit.round.title}还有 2 条问题未审核通过或撤回："
               "须全部经领导小组审定或撤回后才能登记反馈")
    with pytest.raises(DomainError) as error:
        _record(office_user, team_unit)
    assert (error.value.field, error.value.message) == ("unit", message)
    response = api(office_user).post("/api/rectification/feedbacks/", {
        "round": team_unit.round.pk, "unit": team_unit.unit.pk, "held_on": (TODAY - timedelta(days=1)).isoformat(),
        **MEETING}, format="json")
    assert response.status_code == 400 and response.json() == {"unit": [message]}

    finding_services.finding_approve(finding=reviewed, actor=leading_user)
    with pytest.raises(DomainError, match="还有 1 条问题未审核通过或撤回"):
        _record(office_user, team_unit)
    finding_services.finding_withdraw(finding=leader_approved, actor=office_user, reason="经核实与另一问题属同一事项")

    feedback = _record(office_user, team_unit)
    on_list = set(feedback.problem_items.values_list("finding_id", flat=True))
    assert on_list == set(team_unit.unit.findings.filter(status=FindingStatus.APPROVED).values_list("pk", flat=True))
    assert reviewed.pk in on_list and leader_approved.pk not in on_list and len(on_list) == 2


def test_the_form_lists_waiting_units_with_the_reason_and_offers_only_eligible_ones(office_client, jurisdiction):
    waiting = _assigned(jurisdiction, Phase.FEEDBACK, **{FindingStatus.SUBMITTED: 1})
    ready = _assigned(jurisdiction, Phase.RECTIFICATION)
    _assigned(jurisdiction, Phase.REPORT)
    done, _, _ = make_feedback(jurisdiction=jurisdiction, round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    page = office_client.get(reverse("rectification:feedback_create")).content.decode()
    assert _options(page, "round") == {ready.round.pk}
    assert _options(page, "unit") == {ready.unit.pk}
    card = re.search(r'id="feedback-waiting".*?</ul>', page, re.S).group(0)
    assert f"{waiting.unit.name}在{waiting.round.title}还有 1 条问题未审核通过或撤回" in card
    assert done.unit.name not in card


def test_api_candidates_are_what_the_form_offers(jurisdiction, office_user, make_user):
    waiting = _assigned(jurisdiction, Phase.FEEDBACK, **{FindingStatus.DRAFT: 2})
    ready = _assigned(jurisdiction, Phase.FEEDBACK)
    _assigned(jurisdiction, Phase.ONSITE)
    response = api(office_user).get("/api/rectification/feedbacks/candidates/")
    assert response.status_code == 200
    assert {(row["round"], row["unit"], row["eligible"], row["reason"]) for row in response.json()} == {
        (ready.round.pk, ready.unit.pk, True, ""),
        (waiting.round.pk, waiting.unit.pk, False,
         f"{waiting.unit.name}在{waiting.round.title}还有 2 条问题未审核通过或撤回：须全部经领导小组审定或撤回后才能登记反馈"),
    }
    assert api(make_user(Role.LEADING_GROUP)).get("/api/rectification/feedbacks/candidates/").status_code == 403


# --- Eligible ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED])
def test_an_eligible_unit_is_fed_back_in_feedback_or_any_later_phase(jurisdiction, office_user, phase):
    team_unit = _assigned(jurisdiction, phase, approved=2)
    feedback = _record(office_user, team_unit)
    assert feedback.problem_items.count() == 2
    assert feedback.plan.status == PlanStatus.DRAFT


def test_eligible_unit_through_the_form(office_client, jurisdiction):
    ready = _assigned(jurisdiction, Phase.FEEDBACK)
    response = office_client.post(reverse("rectification:feedback_create"), {
        "round": ready.round.pk, "unit": ready.unit.pk, "held_on": (TODAY - timedelta(days=1)).isoformat(), **MEETING})
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response.url == reverse("rectification:feedback_detail", args=[feedback.pk])
    assert (feedback.round_id, feedback.unit_id) == (ready.round.pk, ready.unit.pk)


# --- A finding approved after the feedback -------------------------------------------------------------------


@pytest.fixture
def late(jurisdiction, leading_user, make_user):
    """A feedback recorded while one finding of the unit was still under review (as before the rule), whose plan has
    since been accepted; the leading group then approves that finding."""
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=1, plan_status=PlanStatus.ACCEPTED,
        round=RoundFactory(jurisdiction=jurisdiction, phase="rectification"),
    )
    Task.objects.create(plan=plan, jurisdiction=jurisdiction, finding=findings[0], measures="清退超标准费用",
                        responsible_leader="王副局长", responsible_department="办公室",
                        deadline=TODAY + timedelta(days=30), kind=TaskKind.TIME_LIMITED)
    pending = FindingFactory(team=findings[0].team, unit=feedback.unit, status=FindingStatus.OFFICE_REVIEWED,
                             approved_at=None, title="违规发放津贴补贴问题")
    finding = finding_services.finding_approve(finding=pending, actor=leading_user)
    return feedback, plan, finding, liaison


ADD = {
    "reason": "经听取单位主要负责人解释说明后，领导小组于反馈后审定，补充反馈",
    "measures": "清退违规发放的津贴补贴，修订内部财务管理制度",
    "responsible_leader": "李局长",
    "responsible_department": "财务室",
    "kind": TaskKind.TIME_LIMITED,
}


def test_a_finding_approved_after_the_feedback_joins_with_its_reason_and_task_and_counts(
    late, office_user, django_capture_on_commit_callbacks
):
    feedback, plan, finding, liaison = late
    assert [f.pk for f in selectors.findings_awaiting_problem_list(feedback=feedback)] == [finding.pk]
    assert [f.pk for f in selectors.findings_awaiting_problem_list(jurisdiction_id=feedback.jurisdiction_id)] == [finding.pk]
    before = selectors.rectification_figures(feedback.jurisdiction, round=feedback.round, unit=feedback.unit)
    assert (before["findings"], before["tasks"]) == (1, 1)

    deadline = TODAY + timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.problem_item_add(feedback=feedback, finding=finding, actor=office_user, deadline=deadline, **ADD)

    item = ProblemItem.objects.get(pk=item.pk)
    assert (item.position, item.added_by, item.added_reason) == (2, office_user, ADD["reason"])
    assert item.added_at is not None
    task = Task.objects.get(plan=plan, finding=finding)
    assert (task.status, task.deadline, task.responsible_department) == (TaskStatus.PENDING, deadline, "财务室")
    assert task.history.get().history_change_reason == f"反馈后补充进问题清单：{ADD['reason']}"
    after = selectors.rectification_figures(feedback.jurisdiction, round=feedback.round, unit=feedback.unit)
    assert (after["findings"], after["tasks"], after["findings_rectified"]) == (2, 2, 0)
    assert not selectors.findings_awaiting_problem_list(feedback=feedback).exists()
    assert services.report_figures(feedback)["findings_total"] == 2
    note = Notification.objects.get(user=liaison)
    assert note.title == f"问题清单新增 1 个问题（{feedback.round.title}）"
    assert note.url == reverse("rectification:feedback_detail", args=[feedback.pk])


def test_adding_refuses_without_a_reason_an_unapproved_finding_and_a_second_time(late, office_user):
    feedback, plan, finding, liaison = late
    deadline = TODAY + timedelta(days=60)
    with pytest.raises(DomainError) as error:
        services.problem_item_add(feedback=feedback, finding=finding, actor=office_user, deadline=deadline,
                                  **{**ADD, "reason": "补充"})
    assert (error.value.field, error.value.message) == ("reason", "请填写补充进问题清单的原因（不少于5个字）")
    draft = FindingFactory(team=finding.team, unit=feedback.unit, status=FindingStatus.RETURNED, approved_at=None,
                           title="会议记录不完整问题")
    with pytest.raises(DomainError) as error:
        services.problem_item_add(feedback=feedback, finding=draft, actor=office_user, deadline=deadline, **ADD)
    assert error.value.message == "“会议记录不完整问题”当前为“已退回”，领导小组审定后才能补充进问题清单"
    with pytest.raises(DomainError) as error:
        services.problem_item_add(feedback=feedback, finding=finding, actor=office_user,
                                  deadline=TODAY + timedelta(days=30), **{**ADD, "kind": TaskKind.IMMEDIATE})
    assert error.value.field == "deadline"
    days = feedback.jurisdiction.immediate_fix_days
    assert error.value.message == (
        f"立行立改的任务须在补充进问题清单后 {days} 天内完成（不晚于 {TODAY + timedelta(days=days):%Y-%m-%d}）"
    )
    services.problem_item_add(feedback=feedback, finding=finding, actor=office_user, deadline=deadline, **ADD)
    with pytest.raises(DomainError) as error:
        services.problem_item_add(feedback=feedback, finding=finding, actor=office_user, deadline=deadline, **ADD)
    assert error.value.message == "“违规发放津贴补贴问题”已在问题清单中"
    assert ProblemItem.objects.filter(finding=finding).count() == 1
    assert Task.objects.filter(finding=finding).count() == 1


def test_the_office_adds_it_on_the_page_and_the_feedback_page_shows_who_when_why(late, office_client, client, office_user):
    feedback, plan, finding, liaison = late
    detail = reverse("rectification:feedback_detail", args=[feedback.pk])
    add = reverse("rectification:problem_item_add", args=[feedback.pk, finding.pk])
    overview = office_client.get(reverse("rectification:overview")).content.decode()
    assert re.search(r'id="awaiting-problems".*?违规发放津贴补贴问题', overview, re.S)
    assert add in overview
    page = office_client.get(detail).content.decode()
    assert "反馈后新增的问题（1 个，尚未列入问题清单）" in page and add in page

    response = office_client.post(add, {**ADD, "deadline": (TODAY + timedelta(days=60)).isoformat()})
    assert response.status_code == 302 and response.url == detail
    page = office_client.get(detail).content.decode()
    assert 'id="awaiting-problems"' not in page
    added = re.search(r'id="added-problems".*?</table>', page, re.S).group(0)
    assert "违规发放津贴补贴问题" in added and ADD["reason"] in added and str(office_user) in added
    assert "反馈后补充" in re.search(r'id="problem-list".*?</table>', page, re.S).group(0)
    assert office_client.get(add).status_code == 404  # on the list now: nothing awaits

    client.force_login(liaison)
    page = client.get(detail).content.decode()
    assert ADD["reason"] in page and 'id="awaiting-problems"' not in page
    assert client.get(add).status_code == 403


def test_the_api_adds_it_and_refuses_another_units_finding_and_other_roles(late, office_user, leading_user, jurisdiction):
    feedback, plan, finding, liaison = late
    url = f"/api/rectification/feedbacks/{feedback.pk}/add-problem/"
    awaiting = api(office_user).get(f"/api/rectification/feedbacks/{feedback.pk}/awaiting/")
    assert awaiting.status_code == 200 and [row["id"] for row in awaiting.json()] == [finding.pk]
    payload = {**ADD, "finding": finding.pk, "deadline": (TODAY + timedelta(days=60)).isoformat()}
    assert api(leading_user).post(url, payload, format="json").status_code == 403
    assert api(liaison).post(url, payload, format="json").status_code == 403

    other_feedback, _, other_findings = make_feedback(jurisdiction=jurisdiction)
    refused = api(office_user).post(url, {**payload, "finding": other_findings[0].pk}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"finding": [f"该问题不是{feedback.unit.name}在{feedback.round.title}的问题"]}

    created = api(office_user).post(url, payload, format="json")
    assert created.status_code == 201
    body = created.json()
    task = Task.objects.get(finding=finding)
    assert (body["finding"], body["position"], body["added_by"], body["added_reason"], body["task"]) == (
        finding.pk, 2, office_user.pk, ADD["reason"], task.pk)


def test_the_task_of_a_finding_added_later_counts_its_time_limits_from_the_day_it_was_added(
    jurisdiction, office_user, leading_user, make_user
):
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=1, held_days_ago=40,
        round=RoundFactory(jurisdiction=jurisdiction, phase="rectification"),
    )
    pending = FindingFactory(team=findings[0].team, unit=feedback.unit, status=FindingStatus.OFFICE_REVIEWED,
                             approved_at=None)
    finding = finding_services.finding_approve(finding=pending, actor=leading_user)
    days = jurisdiction.immediate_fix_days
    item = services.problem_item_add(feedback=feedback, finding=finding, actor=office_user,
                                     deadline=TODAY + timedelta(days=30), **ADD)
    # 40 days after the meeting, a 立行立改 task of the meeting's findings would be long overdue; this one runs from today.
    task = services.task_update(task=item.task, actor=liaison, kind=TaskKind.IMMEDIATE, deadline=TODAY + timedelta(days=days))
    assert (task.kind, task.deadline) == (TaskKind.IMMEDIATE, TODAY + timedelta(days=days))
    with pytest.raises(DomainError) as error:
        services.task_update(task=task, actor=liaison, deadline=TODAY - timedelta(days=1))
    assert error.value.message == f"整改时限不能早于该问题补充进问题清单的日期（{TODAY:%Y-%m-%d}）"
    with pytest.raises(DomainError) as error:
        services.task_create(plan=plan, actor=liaison, finding=findings[0], measures="m", responsible_leader="l",
                             responsible_department="d", deadline=TODAY, kind=TaskKind.IMMEDIATE)
    assert error.value.message.startswith(f"立行立改的任务须在反馈后 {days} 天内完成")


def test_a_feedback_recorded_too_early_shows_the_liaison_nothing_while_the_round_is_on_site(jurisdiction, make_user):
    liaison = make_user(Role.UNIT_LIAISON)
    round = RoundFactory(jurisdiction=jurisdiction, phase="onsite")
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, round=round)
    task = Task.objects.create(plan=plan, jurisdiction=jurisdiction, finding=findings[0], measures="m",
                               responsible_leader="l", responsible_department="d",
                               deadline=TODAY + timedelta(days=30), kind=TaskKind.TIME_LIMITED)
    client = api(liaison)
    assert client.get("/api/rectification/feedbacks/").json()["results"] == []
    assert client.get(f"/api/rectification/feedbacks/{feedback.pk}/").status_code == 404
    assert client.get(f"/api/rectification/tasks/{task.pk}/").status_code == 404
    round.phase = Phase.FEEDBACK
    round.save(update_fields=["phase"])
    assert [row["id"] for row in client.get("/api/rectification/feedbacks/").json()["results"]] == [feedback.pk]
    assert client.get(f"/api/rectification/tasks/{task.pk}/").status_code == 200


def test_the_meeting_letter_keeps_its_findings_and_the_ledger_lists_the_added_one(late, office_user):
    feedback, plan, finding, liaison = late
    services.problem_item_add(feedback=feedback, finding=finding, actor=office_user,
                              deadline=TODAY + timedelta(days=60), **ADD)
    letter = feedback_letter_context(feedback)
    assert letter["item_total"] == 1
    listed = {f.pk for area in letter["areas"] for aspect in area["aspects"] for f in aspect["findings"]}
    assert listed == {item.finding_id for item in feedback.problem_items.filter(added_at__isnull=True)}
    assert finding.pk not in listed
    ledger = rectification_ledger_context(feedback)
    assert [row["item"].finding_id for row in ledger["rows"]][-1] == finding.pk
    assert ledger["task_total"] == 2
