"""Issue 16 item 3: the leading group approves a chosen set of findings at one meeting, the office reviews a set.
Each item goes through the single-item service (its own status change and history); refusals are listed per item
with the workflow's Chinese reason, and the rest go through."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from findings import services
from findings.models import ApprovalMeeting, Finding, FindingStatus, StatusChange
from inspection.accounts.models import Role
from tests.rounds.concurrency import Race, api_as, two_transactions

from .factories import FindingFactory, TeamUnitFactory

S = FindingStatus
MEETING = {
    "meeting_name": "县委巡察工作领导小组2026年第5次会议", "meeting_number": "2026年第5次",
    "meeting_date": "2026-11-20",
}


@pytest.fixture
def api_client_for(db):
    return api_as


@pytest.fixture
def chosen(team_unit, other_jurisdiction):
    """Two findings the leading group may approve, one still at the office, one draft, and one of another county."""
    ready = [FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED) for _ in range(2)]
    at_office = FindingFactory(team_unit=team_unit, status=S.LEADER_APPROVED)
    draft = FindingFactory(team_unit=team_unit, status=S.DRAFT)
    elsewhere = FindingFactory(
        team_unit=TeamUnitFactory(team__round__jurisdiction=other_jurisdiction), status=S.OFFICE_REVIEWED
    )
    return ready, at_office, draft, elsewhere


def _ids(*findings):
    return [f.pk for f in findings]


def test_batch_approve_approves_exactly_the_approvable_and_names_the_meeting(api_client_for, chosen, leading_user):
    ready, at_office, draft, elsewhere = chosen
    ids = _ids(*ready, at_office, draft, elsewhere)

    response = api_client_for(leading_user).post(
        "/api/findings/batch-approve/", {"ids": ids, **MEETING}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [item["id"] for item in body["succeeded"]] == _ids(*ready)
    assert {item["status"] for item in body["succeeded"]} == {"领导小组已审定"}
    failed = {item["id"]: item["message"] for item in body["failed"]}
    assert set(failed) == {at_office.pk, draft.pk, elsewhere.pk}
    assert failed[draft.pk] == "“草稿”状态的问题不能执行此操作"
    assert failed[at_office.pk] == "“组长已审核”状态的问题不能执行此操作"
    assert failed[elsewhere.pk] == "不存在或无权查看"
    meeting = ApprovalMeeting.objects.get()
    assert body["meeting"] == {"id": meeting.pk, **{"name": MEETING["meeting_name"],
                               "number": MEETING["meeting_number"], "held_on": "2026-11-20"}}
    assert set(Finding.objects.filter(status=S.APPROVED).values_list("pk", flat=True)) == set(_ids(*ready))
    # Each approval is its own status change, naming the meeting; nothing else moved.
    approvals = StatusChange.objects.filter(to_status=S.APPROVED)
    assert sorted(approvals.values_list("finding_id", "meeting_id", "actor_id")) == sorted(
        (f.pk, meeting.pk, leading_user.pk) for f in ready
    )
    assert Finding.objects.get(pk=at_office.pk).status == S.LEADER_APPROVED
    assert Finding.objects.get(pk=draft.pk).status == S.DRAFT
    assert all(f.history.filter(status=S.APPROVED).count() == 1 for f in Finding.objects.filter(pk__in=_ids(*ready)))


def test_a_second_batch_at_the_same_meeting_reuses_it_and_a_clash_is_refused(api_client_for, team_unit, leading_user):
    first, second = (FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED) for _ in range(2))
    client = api_client_for(leading_user)
    assert client.post("/api/findings/batch-approve/", {"ids": [first.pk], **MEETING}, format="json").status_code == 200
    assert client.post("/api/findings/batch-approve/", {"ids": [second.pk], **MEETING}, format="json").status_code == 200
    assert ApprovalMeeting.objects.count() == 1
    assert ApprovalMeeting.objects.get().approvals.count() == 2

    third = FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED)
    response = client.post(
        "/api/findings/batch-approve/", {"ids": [third.pk], **MEETING, "meeting_date": "2026-11-21"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"meeting_number": [
        "会议编号“2026年第5次”已登记为县委巡察工作领导小组2026年第5次会议（2026-11-20），请核对会议名称和日期"
    ]}
    assert Finding.objects.get(pk=third.pk).status == S.OFFICE_REVIEWED


def test_meeting_fields_and_ids_are_required_in_chinese(api_client_for, team_unit, leading_user):
    finding = FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED)
    client = api_client_for(leading_user)
    response = client.post("/api/findings/batch-approve/", {"ids": [finding.pk], **MEETING, "meeting_name": ""}, format="json")
    assert response.status_code == 400 and response.json() == {"meeting_name": ["请填写会议名称"]}
    response = client.post("/api/findings/batch-approve/", {"ids": [], **MEETING}, format="json")
    assert response.status_code == 400 and response.json() == {"ids": ["请至少选择一项"]}
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post("/api/findings/batch-approve/", {"ids": [finding.pk], **MEETING, "meeting_date": future}, format="json")
    assert response.status_code == 400 and "会议日期不能晚于今天" in response.json()["meeting_date"][0]
    assert not ApprovalMeeting.objects.exists() and Finding.objects.get().status == S.OFFICE_REVIEWED


def test_nothing_approved_registers_no_meeting(api_client_for, team_unit, leading_user):
    draft = FindingFactory(team_unit=team_unit, status=S.DRAFT)
    body = api_client_for(leading_user).post(
        "/api/findings/batch-approve/", {"ids": [draft.pk], **MEETING}, format="json"
    ).json()
    assert body["succeeded"] == [] and body["meeting"] is None
    assert not ApprovalMeeting.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.TEAM_LEADER, Role.UNIT_LIAISON, Role.DISCIPLINE])
def test_only_the_leading_group_batch_approves(api_client_for, make_user, team_unit, role):
    finding = FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED)
    response = api_client_for(make_user(role)).post(
        "/api/findings/batch-approve/", {"ids": [finding.pk], **MEETING}, format="json"
    )
    assert response.status_code == 403
    assert Finding.objects.get().status == S.OFFICE_REVIEWED and not ApprovalMeeting.objects.exists()


def test_office_batch_review_per_item(api_client_for, team_unit, office_user, leading_user):
    ready = FindingFactory(team_unit=team_unit, status=S.LEADER_APPROVED)
    submitted = FindingFactory(team_unit=team_unit, status=S.SUBMITTED)
    body = api_client_for(office_user).post(
        "/api/findings/batch-office-review/", {"ids": [ready.pk, submitted.pk]}, format="json"
    ).json()
    assert [i["id"] for i in body["succeeded"]] == [ready.pk]
    assert body["failed"] == [{"id": submitted.pk, "label": f"{submitted.title}（清河县财政局）",
                               "message": "“待组长审核”状态的问题不能执行此操作"}]
    assert api_client_for(leading_user).post(
        "/api/findings/batch-office-review/", {"ids": [ready.pk]}, format="json"
    ).status_code == 403


def test_the_list_page_offers_the_batch_form_and_the_result_page_lists_each(client, chosen, leading_user):
    ready, at_office, draft, _ = chosen
    client.force_login(leading_user)
    page = client.get(reverse("findings:finding_list"))
    assert page.context["can_batch_approve"] and 'name="ids"' in page.content.decode()
    assert "领导小组会议审定" in page.content.decode()

    response = client.post(reverse("findings:batch_approve"), {"ids": _ids(*ready, draft), **MEETING})

    assert response.status_code == 200
    result = response.context["result"]
    assert result.succeeded_ids == _ids(*ready) and result.failed_ids == [draft.pk]
    text = response.content.decode()
    assert "已办理 2 项" in text and "“草稿”状态的问题不能执行此操作" in text
    assert "审定会议：县委巡察工作领导小组2026年第5次会议（2026年第5次，2026-11-20）" in text
    detail = client.get(reverse("findings:finding_detail", args=[ready[0].pk])).content.decode()
    assert "审定会议：县委巡察工作领导小组2026年第5次会议" in detail


def test_the_page_keeps_the_choice_on_a_meeting_error(client, team_unit, leading_user):
    finding = FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED)
    client.force_login(leading_user)
    response = client.post(reverse("findings:batch_approve"), {"ids": [finding.pk], **MEETING, "meeting_number": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"meeting_number": ["请填写会议编号"]}
    assert response.context["chosen"] == [finding]
    assert response.context["form"]["meeting_name"].value() == MEETING["meeting_name"]
    assert Finding.objects.get().status == S.OFFICE_REVIEWED


def test_the_list_page_has_no_batch_form_for_a_member(client, member, team_unit):
    FindingFactory(team_unit=team_unit)
    client.force_login(member)
    page = client.get(reverse("findings:finding_list"))
    assert not page.context["can_batch_approve"] and 'name="ids"' not in page.content.decode()
    assert client.post(reverse("findings:batch_approve"), {"ids": [1], **MEETING}).status_code == 403


def test_list_page_queries_stay_constant_with_the_batch_form(client, team_unit, leading_user, django_assert_max_num_queries):
    client.force_login(leading_user)
    FindingFactory.create_batch(2, team_unit=team_unit, status=S.OFFICE_REVIEWED)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("findings:finding_list"))
    FindingFactory.create_batch(30, team_unit=team_unit, status=S.OFFICE_REVIEWED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("findings:finding_list"))


def test_the_service_is_the_single_approval_per_item(team_unit, leading_user):
    finding = FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED)
    result = services.findings_batch_approve(
        actor=leading_user, ids=[finding.pk, finding.pk], meeting_name=MEETING["meeting_name"],
        meeting_number=MEETING["meeting_number"], meeting_date=datetime.date(2026, 11, 20),
    )
    assert result.succeeded_ids == [finding.pk] and result.failed_ids == []  # chosen twice, approved once
    assert Finding.objects.get().approved_at is not None


def test_the_demo_approves_the_current_rounds_findings_at_one_meeting(office_user, leading_user, member, leader,
                                                                      team_unit):
    from findings import demo

    users = {"office": office_user, "leader": leading_user, "zuyuan": member, "zuzhang": leader}
    context = demo.seed({"users": users, "team_units": [team_unit], "current_round": team_unit.round,
                         "rectification_round": team_unit.round, "rounds": [team_unit.round]})
    meeting = ApprovalMeeting.objects.get()
    assert meeting.name.startswith("中共清河县委巡察工作领导小组") and meeting.name.endswith("次会议")
    approved = [f for f in context["findings"] if f.status == S.APPROVED]
    assert len(approved) >= 2 and context["approved_findings"] == approved
    assert set(meeting.approvals.values_list("finding_id", flat=True)) == {f.pk for f in approved}


@two_transactions
def test_two_batches_registering_one_new_meeting_at_once_share_it(monkeypatch, team_unit, make_user):
    """The meeting number is unique per office (a constraint the service relies on): two members of the leading group
    approving at the same new meeting at once both go through, and the second uses the first's meeting."""
    first_finding, second_finding = (FindingFactory(team_unit=team_unit, status=S.OFFICE_REVIEWED) for _ in range(2))
    group_a = make_user(Role.LEADING_GROUP, username="group_a")
    group_b = make_user(Role.LEADING_GROUP, username="group_b")
    race = Race()
    # Held after the first side inserted the meeting, its transaction open: the second's insert must wait on the
    # unique index, then find the committed meeting.
    monkeypatch.setattr(services, "_meeting_for", race.hold(services._meeting_for))

    first, second = race.run(
        lambda: api_as(group_a).post("/api/findings/batch-approve/", {"ids": [first_finding.pk], **MEETING},
                                     format="json"),
        lambda: api_as(group_b).post("/api/findings/batch-approve/", {"ids": [second_finding.pk], **MEETING},
                                     format="json"),
    )

    assert race.second_was == "blocked"
    assert (first.error, second.error) == (None, None)
    assert (first.result.status_code, second.result.status_code) == (200, 200)
    meeting = ApprovalMeeting.objects.get()
    assert sorted(meeting.approvals.values_list("finding_id", flat=True)) == sorted([first_finding.pk,
                                                                                     second_finding.pk])
    assert set(Finding.objects.values_list("status", flat=True)) == {S.APPROVED}
