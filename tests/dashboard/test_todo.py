"""Issue 16: 待办 per role — exact record sets, oldest first, before and after each move, and never what the user
may no longer act on (membership ended, assignment withdrawn, round past the user's window). Constant queries for
the page, the navigation badge and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import todo
from findings import services as finding_services
from findings.models import Finding, FindingStatus
from inspection.accounts.models import ReceivingBody, Role
from rectification import services as rect_services
from rectification.models import PlanStatus, RectificationReport, ReportStatus, Task, TaskStatus
from referrals.models import Lead, LeadSource, LeadStatus, Referral, ReferralStatus
from rounds.models import Membership, Phase, TeamUnit
from tests.factories import ReceivingBodyFactory, UserFactory
from tests.findings.factories import FindingFactory, TeamFactory, TeamUnitFactory, team_user
from tests.rectification.factories import TaskFactory, make_feedback

pytestmark = pytest.mark.django_db


def rows(user, key):
    """The record ids of one kind, in the order shown (the id is the last path segment of the link)."""
    group = next((g for g in todo.todo_for(user, limit=20) if g.key == key), None)
    return [] if group is None else [int(item.url.rstrip("/").split("/")[-1]) for item in group.items]


def keys(user):
    return {group.key for group in todo.todo_for(user)}


def _aged(queryset, field, days):
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


@pytest.fixture
def team_world(jurisdiction):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction, team__round__plan__jurisdiction=jurisdiction)
    team = team_unit.team
    leader = team_user(team, Role.TEAM_LEADER)
    member = team_user(team)
    teammate = team_user(team)
    other_unit = TeamUnitFactory(team=TeamFactory(round=team.round))
    return {"tu": team_unit, "team": team, "leader": leader, "member": member, "teammate": teammate,
            "other_tu": other_unit}


def _finding(team_unit, author, status=FindingStatus.DRAFT, **fields):
    return FindingFactory(team_unit=team_unit, created_by=author, status=status, **fields)


def test_finding_review_chain_moves_from_one_todo_to_the_next(team_world, office_user, leading_user):
    w = team_world
    old, new = _finding(w["tu"], w["member"]), _finding(w["tu"], w["teammate"])
    _finding(w["other_tu"], UserFactory(role=Role.TEAM_MEMBER), status=FindingStatus.SUBMITTED,
             submitted_at=timezone.now())  # another team's: not this leader's
    assert rows(w["leader"], "findings_submitted") == []
    finding_services.finding_submit(finding=new, actor=w["teammate"])
    finding_services.finding_submit(finding=old, actor=w["member"])
    _aged(Finding.objects.filter(pk=old.pk), "submitted_at", 2)
    assert rows(w["leader"], "findings_submitted") == [old.pk, new.pk]  # oldest first
    assert rows(office_user, "findings_leader_approved") == []

    finding_services.finding_leader_approve(finding=old, actor=w["leader"])
    assert rows(w["leader"], "findings_submitted") == [new.pk]
    assert rows(office_user, "findings_leader_approved") == [old.pk]
    finding_services.finding_office_review(finding=old, actor=office_user)
    assert rows(office_user, "findings_leader_approved") == []
    assert rows(leading_user, "findings_office_reviewed") == [old.pk]

    finding_services.finding_return(finding=old, actor=leading_user, reason="定性依据不准确")
    assert rows(leading_user, "findings_office_reviewed") == []
    assert rows(w["member"], "findings_returned") == [old.pk]
    assert rows(w["teammate"], "findings_returned") == []  # someone else's return
    finding_services.finding_submit(finding=old, actor=w["member"])
    assert rows(w["member"], "findings_returned") == []
    assert keys(w["member"]) == set()


def test_team_todo_ends_with_the_membership_the_assignment_and_the_round(team_world):
    w = team_world
    returned = _finding(w["tu"], w["member"], status=FindingStatus.RETURNED, returned_reason="补充凭证")
    submitted = _finding(w["tu"], w["teammate"], status=FindingStatus.SUBMITTED, submitted_at=timezone.now())
    assert rows(w["member"], "findings_returned") == [returned.pk]
    assert rows(w["leader"], "findings_submitted") == [submitted.pk]

    Membership.objects.filter(cadre__user=w["member"]).update(is_active=False)
    assert rows(w["member"], "findings_returned") == []

    TeamUnit.all_objects.filter(pk=w["tu"].pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=w["leader"], withdrawal_reason="调整分工")
    assert rows(w["leader"], "findings_submitted") == []
    TeamUnit.all_objects.filter(pk=w["tu"].pk).update(withdrawn_at=None, withdrawn_by=None, withdrawal_reason="")
    assert rows(w["leader"], "findings_submitted") == [submitted.pk]

    w["team"].round.__class__.objects.filter(pk=w["team"].round_id).update(phase=Phase.COMPLETED)
    assert rows(w["leader"], "findings_submitted") == []
    assert todo.todo_count(w["leader"]) == 0


def test_office_rectification_and_leads(jurisdiction, office_user, leading_user, make_user, other_jurisdiction):
    first, plan_a, found_a = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.SUBMITTED)
    second, plan_b, _ = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.SUBMITTED)
    make_feedback(jurisdiction=other_jurisdiction, plan_status=PlanStatus.SUBMITTED)
    type(plan_a).objects.filter(pk=plan_a.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    type(plan_b).objects.filter(pk=plan_b.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    group = next(g for g in todo.todo_for(office_user) if g.key == "plans_submitted")
    assert [item.url for item in group.items] == [f"/rectification/feedback/{first.pk}/", f"/rectification/feedback/{second.pk}/"]

    accepted, plan, found = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED)
    asked = TaskFactory(plan=plan, finding=found[0], status=TaskStatus.SUBMITTED, submitted_at=timezone.now())
    TaskFactory(plan=plan, finding=found[1], status=TaskStatus.IN_PROGRESS)
    assert rows(office_user, "tasks_submitted") == [asked.pk]
    rect_services.task_transition(task=asked, actor=office_user, verb="close", reason="经实地核查，整改到位，同意销号")
    assert rows(office_user, "tasks_submitted") == []

    report = RectificationReport.objects.create(feedback=accepted, content="整改情况", status=ReportStatus.SUBMITTED,
                                                submitted_at=timezone.now(), first_submitted_at=timezone.now(),
                                                submission_count=1, created_by=office_user)
    assert rows(office_user, "reports_submitted") == [report.pk]
    assert rows(leading_user, "reports_submitted") == [report.pk]  # the leading group 审定 reports too
    rect_services.report_transition(report=report, actor=leading_user, verb="accept")
    assert rows(office_user, "reports_submitted") == rows(leading_user, "reports_submitted") == []

    now = timezone.now()
    body = ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.DISCIPLINE)
    round_ = accepted.round
    registered = Lead.objects.create(jurisdiction=jurisdiction, round=round_, source=LeadSource.OTHER,
                                     subject_name="王某", summary="反映问题", created_by=office_user)
    referral = Referral.objects.create(jurisdiction=jurisdiction, receiving_body=body, letter_number="移〔2026〕1号",
                                       letter_date=timezone.localdate(), title="移交函", status=ReferralStatus.SIGNED,
                                       created_by=office_user, sent_at=now, signed_at=now, signed_by=office_user)
    received = {"referral": referral, "status": LeadStatus.RECEIVED, "referred_at": now, "received_at": now}
    overdue = Lead.objects.create(jurisdiction=jurisdiction, round=round_, source=LeadSource.OTHER, subject_name="李某",
                                  summary="反映问题", created_by=office_user, **received,
                                  disposition_due_on=timezone.localdate() - timedelta(days=2))
    Lead.objects.create(jurisdiction=jurisdiction, round=round_, source=LeadSource.OTHER, subject_name="赵某",
                        summary="反映问题", created_by=office_user, **received,
                        disposition_due_on=timezone.localdate() + timedelta(days=20))
    assert rows(office_user, "leads_to_refer") == [registered.pk]
    assert rows(office_user, "dispositions_overdue") == [overdue.pk]
    texts = " ".join(item.title + item.note for group in todo.todo_for(office_user) for item in group.items)
    assert "王某" not in texts and "李某" not in texts

    discipline = make_user(Role.DISCIPLINE, receiving_body=body)
    groups = {g.key: g for g in todo.todo_for(discipline)}
    assert {k: g.count for k, g in groups.items()} == {"receiver_dispose": 2}
    assert groups["receiver_dispose"].url == reverse("referrals:workspace") and groups["receiver_dispose"].items == []


def test_liaison_plan_tasks_and_report(jurisdiction, make_user):
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, found = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=3)
    assert rows(liaison, "liaison_plan") == [feedback.pk]
    type(plan).objects.filter(pk=plan.pk).update(status=PlanStatus.ACCEPTED, accepted_at=timezone.now())
    assert rows(liaison, "liaison_plan") == []
    today = timezone.localdate()
    due = TaskFactory(plan=plan, finding=found[0], deadline=today + timedelta(days=3))
    TaskFactory(plan=plan, finding=found[1], deadline=today + timedelta(days=60))  # not due yet
    returned = TaskFactory(plan=plan, finding=found[2], deadline=today + timedelta(days=50),
                           status=TaskStatus.RETURNED, return_reason="佐证材料不足")
    assert rows(liaison, "liaison_tasks") == [due.pk, returned.pk]  # by time limit
    Task.objects.filter(pk=due.pk).update(status=TaskStatus.SUBMITTED, submitted_at=timezone.now())
    assert rows(liaison, "liaison_tasks") == [returned.pk]

    assert rows(liaison, "liaison_report") == []  # due in 60 days: not yet
    type(feedback).objects.filter(pk=feedback.pk).update(report_due_on=today + timedelta(days=5))
    group = next(g for g in todo.todo_for(liaison) if g.key == "liaison_report")
    assert [item.url for item in group.items] == [f"/rectification/feedback/{feedback.pk}/report/"]
    other = make_user(Role.UNIT_LIAISON)
    assert keys(other) == set()


def _office_data(jurisdiction, office_user, n):
    for _ in range(n):
        feedback, plan, found = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, findings=1)
        TaskFactory(plan=plan, finding=found[0], status=TaskStatus.SUBMITTED, submitted_at=timezone.now())
        team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction)
        FindingFactory(team_unit=team_unit, status=FindingStatus.LEADER_APPROVED)


@pytest.mark.parametrize("path", ["dashboard:todo", "home", "dashboard:todo_count", "api-todo"])
def test_constant_queries(path, client, jurisdiction, office_user, make_user, django_assert_max_num_queries):
    client.force_login(office_user)
    url = reverse(path)
    _office_data(jurisdiction, office_user, 1)
    with django_assert_max_num_queries(200) as few:
        assert client.get(url).status_code == 200
    _office_data(jurisdiction, office_user, 8)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    if path == "dashboard:todo_count":
        assert response.content.decode() == '<span class="badge text-bg-warning" id="todo-count">18</span>'
    if path == "api-todo":
        data = response.json()
        assert data["total"] == 18
        groups = {g["kind"]: g for g in data["groups"]}
        assert groups["tasks_submitted"]["count"] == 9 and len(groups["tasks_submitted"]["items"]) == 5
        assert groups["findings_leader_approved"]["label"] == "待巡察办审核的问题"


def test_page_shows_chinese_labels_and_links(client, jurisdiction, office_user):
    client.force_login(office_user)
    _office_data(jurisdiction, office_user, 1)
    page = client.get(reverse("dashboard:todo")).content.decode()
    assert "申请销号待核验的整改任务" in page and "待巡察办审核的问题" in page
    home = client.get(reverse("home")).content.decode()
    assert 'id="todo"' in home and "全部待办" in home
    assert 'hx-get="/dashboard/todo/count/"' in home


def test_api_limit_is_checked(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("api-todo"), {"limit": "abc"})
    assert response.status_code == 400 and "limit" in response.json()
    assert client.get(reverse("api-todo"), {"limit": "20"}).json() == {"total": 0, "groups": []}


def test_every_todo_link_opens_for_its_user(client, team_world, jurisdiction, office_user, leading_user, make_user):
    w = team_world
    _finding(w["tu"], w["member"], status=FindingStatus.RETURNED, returned_reason="补充凭证")
    _finding(w["tu"], w["teammate"], status=FindingStatus.SUBMITTED, submitted_at=timezone.now())
    _finding(w["tu"], w["teammate"], status=FindingStatus.OFFICE_REVIEWED)
    _office_data(jurisdiction, office_user, 1)
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, found = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=1,
                                          plan_status=PlanStatus.RETURNED)
    type(plan).objects.filter(pk=plan.pk).update(return_reason="措施不具体")
    for user in (w["leader"], w["member"], office_user, leading_user, liaison):
        client.force_login(user)
        groups = todo.todo_for(user)
        assert groups, user.role
        for group in groups:
            assert client.get(group.url, follow=True).status_code == 200, (user.role, group.url)
            for item in group.items:
                assert client.get(item.url).status_code == 200, (user.role, item.url)
