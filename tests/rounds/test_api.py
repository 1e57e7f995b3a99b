import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from inspection.audit.models import ReadLog
from rounds.models import (
    Announcement,
    InfoRequest,
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    PhaseChange,
    RecusalCheck,
    TeamUnit,
)
from tests.factories import RecusalFactorFactory, UnitFactory

from .factories import (
    MembershipFactory,
    PetitionFactory,
    PlanFactory,
    RoundFactory,
    TeamFactory,
    TeamUnitFactory,
    leader_cadre,
)

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_round_create_numbers_and_lists_moves(jurisdiction, office_user):
    plan = PlanFactory(jurisdiction=jurisdiction)
    client = api(office_user)
    response = client.post("/api/rounds/", {"plan": plan.pk, "kind": "mobile", "start_date": "2026-05-01", "end_date": "2026-05-20"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1 and body["phase"] == "preparation" and body["title"] == "第1轮机动巡察"
    assert [m["to_phase"] for m in body["available_moves"]] == ["onsite"]


def test_a_round_created_without_a_kind_is_a_regular_round(jurisdiction, office_user):
    # The model defaults the kind, so the API schema leaves it optional; the service must agree (found by fuzzing).
    plan = PlanFactory(jurisdiction=jurisdiction)
    response = api(office_user).post("/api/rounds/", {"plan": plan.pk, "start_date": "2026-05-01", "end_date": "2026-05-20"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "regular" and response.json()["title"] == "第1轮常规巡察"


def test_round_bad_dates_are_a_400_with_field(jurisdiction, office_user):
    plan = PlanFactory(jurisdiction=jurisdiction)
    response = api(office_user).post("/api/rounds/", {"plan": plan.pk, "kind": "regular", "start_date": "2026-05-01", "end_date": "2026-04-01"}, format="json")
    assert response.status_code == 400 and "end_date" in response.json()


def test_change_phase_refusal_is_chinese_and_success_logs(scene):
    round = scene["round"]
    leading = api(scene["users"]["leading"])
    response = leading.post(f"/api/rounds/{round.pk}/change-phase/", {"to_phase": "report"}, format="json")
    assert response.status_code == 400
    assert "您的角色无权" in str(response.json())
    response = api(scene["users"]["office"]).post(f"/api/rounds/{round.pk}/change-phase/", {"to_phase": "report"}, format="json")
    assert response.status_code == 200 and response.json()["phase"] == "report"
    assert [m["to_phase"] for m in leading.get(f"/api/rounds/{round.pk}/").json()["available_moves"]] == ["feedback", "onsite"]
    assert PhaseChange.objects.filter(round=round, to_phase=Phase.REPORT).count() == 1


def test_team_members_cannot_change_phase(scene):
    response = api(scene["users"]["leader"]).post(f"/api/rounds/{scene['round'].pk}/change-phase/", {"to_phase": "report"}, format="json")
    assert response.status_code == 403


def test_add_member_conflict_then_override_through_api(jurisdiction, office_user):
    team = TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)))
    unit = TeamUnitFactory(team=team).unit
    cadre = leader_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=unit)
    client = api(office_user)
    response = client.post(f"/api/teams/{team.pk}/members/", {"cadre": cadre.pk, "position": "leader"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "回避冲突" in body["cadre"][0]
    check_id = body["recusal_checks"][0]
    listed = client.get("/api/recusal-checks/", {"round": team.round_id}).json()["results"]
    assert [c["id"] for c in listed] == [check_id] and listed[0]["result"] == "conflict"
    response = client.post(f"/api/recusal-checks/{check_id}/override/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(f"/api/recusal-checks/{check_id}/override/", {"reason": "已离开该单位十年"}, format="json")
    assert response.status_code == 200 and response.json()["result"] == "overridden"
    team_body = client.get(f"/api/teams/{team.pk}/").json()
    assert [m["cadre"] for m in team_body["members"]] == [cadre.pk]
    assert any("审计或财务" in w for w in team_body["warnings"])


def test_adding_a_member_answers_with_the_place_it_created(jurisdiction, office_user):
    team = TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)))
    cadre = leader_cadre(jurisdiction)
    response = api(office_user).post(f"/api/teams/{team.pk}/members/", {"cadre": cadre.pk, "position": "leader"},
                                     format="json")
    assert response.status_code == 201
    place = Membership.objects.get(team=team, cadre=cadre)
    assert {k: response.json()[k] for k in ("id", "team", "cadre", "position", "position_label")} == {
        "id": place.pk, "team": team.pk, "cadre": cadre.pk, "position": "leader", "position_label": "组长"}


def test_add_unit_through_api_rechecks(jurisdiction, office_user):
    team = TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)))
    cadre = leader_cadre(jurisdiction)
    Membership.objects.create(team=team, cadre=cadre, position="leader", start_date=team.round.start_date, end_date=team.round.end_date)
    unit = UnitFactory(jurisdiction=jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=unit)
    client = api(office_user)
    response = client.post(f"/api/teams/{team.pk}/units/", {"unit": unit.pk}, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not TeamUnit.objects.filter(unit=unit).exists()
    response = client.post(f"/api/teams/{team.pk}/units/", {"unit": unit.pk, "override_reason": "经研究不影响公正"}, format="json")
    assert response.status_code == 201
    assigned = TeamUnit.objects.get(unit=unit)
    assert (response.json()["id"], response.json()["team"], response.json()["unit"]) == (assigned.pk, team.pk, unit.pk)
    assert RecusalCheck.objects.filter(unit=unit, result="overridden").count() == 1


def test_unit_of_another_jurisdiction_is_not_a_choice(jurisdiction, other_jurisdiction, office_user):
    team = TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)))
    response = api(office_user).post(f"/api/teams/{team.pk}/units/", {"unit": UnitFactory(jurisdiction=other_jurisdiction).pk}, format="json")
    assert response.status_code == 400 and "unit" in response.json()


def test_no_delete(scene):
    response = api(scene["users"]["office"]).delete(f"/api/petitions/{scene['petition'].pk}/")
    assert response.status_code == 405
    assert Petition.objects.filter(pk=scene["petition"].pk).exists()


# --- Secrecy ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "leading", "leader", "member"])
def test_petition_readers_and_logging(scene, who):
    user = scene["users"][who]
    petition = scene["petition"]
    client = api(user)
    response = client.get(f"/api/petitions/{petition.pk}/")
    assert response.status_code == 200
    assert ReadLog.objects.filter(user=user, object_type="rounds.petition", object_id=str(petition.pk), action="view").count() == 1
    rows = client.get("/api/petitions/").json()["results"]
    assert [r["id"] for r in rows] == [petition.pk]
    assert ReadLog.objects.filter(user=user, object_type="rounds.petition", action="list").count() == 1


@pytest.mark.parametrize("who", ["other_member", "liaison", "discipline"])
def test_petition_outsiders_get_404(scene, who):
    client = api(scene["users"][who])
    assert client.get(f"/api/petitions/{scene['petition'].pk}/").status_code == 404
    assert client.get(f"/api/petitions/{scene['petition'].pk + 999}/").status_code == 404
    listed = client.get("/api/petitions/")
    assert listed.status_code == 403 or listed.json()["results"] == []
    assert not ReadLog.objects.exists()


def test_other_team_member_404_on_petition_and_inquiry(scene):
    inquiry = Inquiry.objects.create(
        round=scene["round"], team=scene["team_a"], asker_name="王某", asker_post="某局副局长", asked_person="组长",
        asked_on=datetime.date(2026, 3, 5), manner="pleading", subject="为某科长说情", created_by=scene["users"]["leader"],
    )
    client = api(scene["users"]["other_member"])
    assert client.get(f"/api/petitions/{scene['petition'].pk}/").status_code == 404
    assert client.get(f"/api/inquiries/{inquiry.pk}/").status_code == 404
    assert client.get("/api/inquiries/").json()["results"] == []
    leading = api(scene["users"]["leading"])
    assert leading.get(f"/api/inquiries/{inquiry.pk}/").status_code == 200
    assert ReadLog.objects.filter(object_type="rounds.inquiry", user=scene["users"]["leading"]).count() == 1


def test_team_member_loses_sight_after_report(scene):
    member = api(scene["users"]["member"])
    leader = api(scene["users"]["leader"])
    round = scene["round"]
    round.phase = Phase.FEEDBACK
    round.save()
    assert member.get(f"/api/rounds/{round.pk}/").status_code == 404
    assert member.get(f"/api/petitions/{scene['petition'].pk}/").status_code == 404
    assert leader.get(f"/api/rounds/{round.pk}/").status_code == 200
    round.phase = Phase.REFERRAL
    round.save()
    assert leader.get(f"/api/rounds/{round.pk}/").status_code == 404


def petition_payload(scene, **fields):
    """A named petition of team A about unit A, as the member posts it; `fields` change what a test is about."""
    payload = {
        "round": scene["round"].pk, "team": scene["team_a"].pk, "unit": scene["unit_a"].pk, "channel": "call",
        "received_on": "2026-03-12", "is_anonymous": False, "petitioner_name": "李某", "summary": "反映食堂违规吃喝",
    }
    payload.update(fields)
    return payload


def test_team_member_creates_petition_only_for_own_team(scene):
    client = api(scene["users"]["member"])
    payload = petition_payload(scene, petitioner_name="")
    response = client.post("/api/petitions/", payload, format="json")
    assert response.status_code == 400 and "petitioner_name" in response.json()
    payload["petitioner_name"] = "李某"
    assert client.post("/api/petitions/", payload, format="json").status_code == 201
    payload["team"] = scene["team_b"].pk
    response = client.post("/api/petitions/", payload, format="json")
    assert response.status_code == 400 and "team" in response.json()


def test_team_scope_providers(scene):
    from inspection.core.team_scope import team_scope

    member = scene["users"]["member"]
    assert set(team_scope(member).unit_ids()) == {scene["unit_a"].pk}
    assert len(set(team_scope(member).cadre_ids())) == 2
    assert set(team_scope(scene["users"]["other_member"]).unit_ids()) == {scene["unit_b"].pk}


# --- Query counts ----------------------------------------------------------------------------------------


def _petitions(scene, n):
    for _ in range(n):
        PetitionFactory(team=scene["team_a"], unit=scene["unit_a"], created_by=scene["users"]["member"])


@pytest.mark.parametrize("n", [1, 25])
def test_list_query_counts_are_constant(scene, django_assert_max_num_queries, n):
    _petitions(scene, n)
    for i in range(n):
        team = TeamFactory(round=scene["round"], name=f"附加组{i}")
        unit = TeamUnitFactory(team=team).unit
        MembershipFactory(team=team)
        RoundFactory(plan=scene["round"].plan, number=100 + i)
        Announcement.objects.create(round=scene["round"], team=team, hotline="0318-5200000", start_date=scene["round"].start_date,
                                    end_date=scene["round"].end_date, created_by=scene["users"]["office"])
        InfoRequest.objects.create(round=scene["round"], unit=unit, recipient="audit", sent_on=datetime.date(2026, 2, 1),
                                   due_date=datetime.date(2026, 2, 10), created_by=scene["users"]["office"])
        MaterialItem.objects.create(round=scene["round"], unit=unit, name=f"资料{i}", requested_on=datetime.date(2026, 2, 1))
        Interview.objects.create(round=scene["round"], team=team, unit=unit, interviewee_name="某", interviewers="组长",
                                 held_on=datetime.date(2026, 3, 6), created_by=scene["users"]["office"])
    client = api(scene["users"]["office"])
    for url in ("/api/petitions/", "/api/teams/", "/api/rounds/", "/api/recusal-checks/", "/api/plans/", "/api/inquiries/",
                "/api/announcements/", "/api/info-requests/", "/api/material-items/", "/api/interviews/",
                "/api/memberships/", "/api/cadre-evaluations/", "/api/default-material-items/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_plan_coverage_endpoint(jurisdiction, office_user):
    units = [UnitFactory(jurisdiction=jurisdiction, kind=k) for k in ("township", "township", "school")]
    plan = PlanFactory(jurisdiction=jurisdiction)
    plan.units.set(units)
    done = RoundFactory(plan=plan, phase=Phase.REPORT)
    TeamUnitFactory(team=TeamFactory(round=done), unit=units[0])
    onsite = RoundFactory(plan=plan, phase=Phase.ONSITE)
    TeamUnitFactory(team=TeamFactory(round=onsite), unit=units[2])
    body = api(office_user).get(f"/api/plans/{plan.pk}/coverage/").json()
    assert (body["planned"], body["inspected"]) == (3, 1)
    assert {r["kind"]: (r["planned"], r["inspected"]) for r in body["by_kind"]} == {"township": (2, 1), "school": (1, 0)}
    assert {u["id"] for u in body["uninspected"]} == {units[1].pk, units[2].pk}


def test_liaison_sees_own_round_only_after_feedback(scene, make_user):
    liaison = api(scene["users"]["liaison"])
    assert liaison.get(f"/api/rounds/{scene['round'].pk}/").status_code == 404
    scene["round"].phase = Phase.RECTIFICATION
    scene["round"].save()
    assert liaison.get(f"/api/rounds/{scene['round'].pk}/").status_code == 200
    assert make_user(Role.UNIT_LIAISON).role == Role.UNIT_LIAISON


def test_interview_counts_endpoint(scene):
    from rounds.models import Interview

    for name in ("甲", "乙"):
        Interview.objects.create(round=scene["round"], team=scene["team_a"], unit=scene["unit_a"], interviewee_name=name,
                                 held_on=datetime.date(2026, 3, 6), interviewers="组长", created_by=scene["users"]["leader"])
    rows = api(scene["users"]["leader"]).get("/api/interviews/counts/", {"round": scene["round"].pk}).json()
    assert rows == [{"unit_id": scene["unit_a"].pk, "unit_name": scene["unit_a"].name, "count": 2}]
    assert api(scene["users"]["other_member"]).get("/api/interviews/counts/").json() == []


def test_a_petition_dated_in_the_future_is_refused(scene):
    """A petition records something that happened: a date after today is a typing error (issue 13 item 9)."""
    client = api(scene["users"]["member"])
    payload = petition_payload(scene, received_on="2099-03-12")
    response = client.post("/api/petitions/", payload, format="json")
    assert response.status_code == 400
    today = timezone.localdate().isoformat()
    assert response.json() == {"received_on": [f"收到日期不能晚于今天（{today}）"]}
    assert not Petition.objects.filter(received_on__year=2099).exists()


def test_applying_the_default_material_list_answers_with_the_items_it_listed(jurisdiction, office_user):
    from rounds.models import DefaultMaterialItem

    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction)
    for order, name in enumerate(["党委会议记录", "财务凭证"], start=1):
        DefaultMaterialItem.objects.create(jurisdiction=jurisdiction, order=order, name=name)
    client = api(office_user)
    payload = {"round": team_unit.team.round_id, "unit": team_unit.unit_id}
    first = client.post("/api/material-items/apply-default/", payload, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    listed = MaterialItem.objects.filter(round=team_unit.team.round, unit=team_unit.unit)
    assert body["created"] == 2
    assert [(item["id"], item["name"]) for item in body["items"]] == [(m.pk, m.name) for m in listed.order_by("order")]
    again = client.post("/api/material-items/apply-default/", payload, format="json")
    assert (again.status_code, again.json()) == (201, {"created": 0, "items": []})
