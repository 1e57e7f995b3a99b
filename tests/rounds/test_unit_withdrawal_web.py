"""The withdrawal of a unit from its team through the team page and the API, and who may do it."""

import pytest
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from inspection.core import access
from rounds import services
from rounds.models import Phase, RecusalCheck, TeamUnit
from tests.factories import JurisdictionFactory, RecusalFactorFactory

from .conftest import REASON

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def withdraw_url(team_unit):
    return f"/rounds/team-units/{team_unit.pk}/withdraw/"


# --- Permissions: the office of the jurisdiction only ---------------------------------------------------


def test_only_the_office_of_the_jurisdiction_may_withdraw(prep, office_user, make_user):
    team_unit = prep["finance_tu"]
    other_office = make_user(Role.OFFICE, username="liulin", jurisdiction=JurisdictionFactory(name="柳林县"))
    assert access.can(office_user, "withdraw", team_unit)
    for user in (prep["users"]["leader"], prep["users"]["member"], make_user(Role.LEADING_GROUP), other_office):
        assert not access.can(user, "withdraw", team_unit), user.role


@pytest.mark.parametrize("who, status", [("leader", 403), ("member", 403), ("leading", 403), ("other_office", 404)])
def test_others_are_refused_on_the_page_and_the_api(prep, client, make_user, who, status):
    users = {
        **prep["users"],
        "leading": make_user(Role.LEADING_GROUP, username="leading"),
        "other_office": make_user(Role.OFFICE, username="liulin", jurisdiction=JurisdictionFactory(name="柳林县")),
    }
    client.force_login(users[who])
    team_unit = prep["finance_tu"]
    assert client.post(withdraw_url(team_unit), {"reason": REASON}).status_code == status
    response = api(users[who]).post(f"/api/team-units/{team_unit.pk}/withdraw/", {"reason": REASON}, format="json")
    assert response.status_code in (403, 404)
    assert TeamUnit.objects.filter(pk=team_unit.pk).exists()


# --- Page -----------------------------------------------------------------------------------------------


def test_team_page_offers_the_action_in_preparation_only(prep, client, office_user):
    client.force_login(office_user)
    page = client.get(f"/rounds/teams/{prep['first'].pk}/").content.decode()
    assert withdraw_url(prep["finance_tu"]) in page and "调整出组" in page
    client.force_login(prep["users"]["leader"])
    assert withdraw_url(prep["finance_tu"]) not in client.get(f"/rounds/teams/{prep['first'].pk}/").content.decode()
    round = prep["round"]
    round.phase = Phase.ONSITE
    round.save()
    client.force_login(office_user)
    assert withdraw_url(prep["finance_tu"]) not in client.get(f"/rounds/teams/{prep['first'].pk}/").content.decode()
    page = client.get(withdraw_url(prep["finance_tu"])).content.decode()
    assert "本轮已进入“进驻”阶段" in page and "withdraw-unit-form" not in page
    response = client.post(withdraw_url(prep["finance_tu"]), {"reason": REASON, "to_team": prep["second"].pk})
    assert response.status_code == 400 and "不能再将单位调整出组" in response.content.decode()


def test_page_move_with_reason(prep, client, office_user):
    client.force_login(office_user)
    page = client.get(withdraw_url(prep["finance_tu"])).content.decode()
    assert "不调入其他组（撤出本轮巡察）" in page and "第二巡察组" in page and "调整理由" in page
    response = client.post(withdraw_url(prep["finance_tu"]), {"reason": REASON, "to_team": prep["second"].pk})
    assert response.status_code == 302 and response["Location"] == f"/rounds/teams/{prep['first'].pk}/"
    assert TeamUnit.objects.get(unit=prep["finance"]).team == prep["second"]
    page = client.get(f"/rounds/teams/{prep['first'].pk}/").content.decode()
    assert "已将清河县财政局由第一巡察组调整至第二巡察组" in page
    assert "被巡察单位调整记录" in page and REASON in page and "调整至" in page
    assert "由第一巡察组调整而来" in client.get(f"/rounds/teams/{prep['second'].pk}/").content.decode()
    # A second visit to the withdrawn assignment explains instead of failing.
    response = client.get(withdraw_url(prep["finance_tu"]), follow=True)
    assert "已调整出第一巡察组" in response.content.decode()


def test_page_errors_are_chinese_and_keep_the_input(prep, client, office_user):
    client.force_login(office_user)
    response = client.post(withdraw_url(prep["finance_tu"]), {"reason": "", "to_team": prep["second"].pk})
    page = response.content.decode()
    assert response.status_code == 400 and "调整被巡察单位须填写理由" in page
    assert f'<option value="{prep["second"].pk}" selected>' in page
    RecusalFactorFactory(cadre=prep["second_member"].cadre, unit=prep["finance"])
    response = client.post(withdraw_url(prep["finance_tu"]), {"reason": REASON, "to_team": prep["second"].pk})
    page = response.content.decode()
    assert response.status_code == 400 and "回避冲突" in page and REASON in page
    assert TeamUnit.objects.get(unit=prep["finance"]).team == prep["first"]
    response = client.post(
        withdraw_url(prep["finance_tu"]),
        {"reason": REASON, "to_team": prep["second"].pk, "override_reason": "仅曾短期借调，经研究可不回避"},
    )
    assert response.status_code == 302
    assert TeamUnit.objects.get(unit=prep["finance"]).team == prep["second"]


def test_page_withdraw_out_of_the_round(prep, client, office_user):
    client.force_login(office_user)
    response = client.post(withdraw_url(prep["finance_tu"]), {"reason": "县财政局机构改革，列入下一轮巡察"}, follow=True)
    assert "已将清河县财政局撤出本轮巡察" in response.content.decode()
    assert not TeamUnit.objects.filter(unit=prep["finance"]).exists()
    assert TeamUnit.all_objects.get(unit=prep["finance"]).withdrawal_reason == "县财政局机构改革，列入下一轮巡察"


def test_round_of_a_plan_counts_units_in_force(prep, client, office_user):
    client.force_login(office_user)
    client.post(withdraw_url(prep["finance_tu"]), {"reason": "单位撤销"})
    response = client.get(f"/rounds/plans/{prep['round'].plan_id}/")
    assert [r.unit_count for r in response.context["rounds"]] == [2]


# --- API ------------------------------------------------------------------------------------------------


def test_api_move_and_list(prep, office_user):
    client = api(office_user)
    team = client.get(f"/api/teams/{prep['first'].pk}/").json()
    finance = next(u for u in team["units"] if u["name"] == "清河县财政局")
    assert finance["team_unit"] == prep["finance_tu"].pk
    response = client.post(
        f"/api/team-units/{finance['team_unit']}/withdraw/", {"reason": REASON, "to_team": prep["second"].pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["is_withdrawn"] and body["withdrawal_reason"] == REASON and body["withdrawn_by"] == office_user.pk
    assert body["moved_to_team"] == prep["second"].pk
    current = client.get("/api/team-units/", {"round": prep["round"].pk}).json()["results"]
    assert sorted((r["unit_name"], r["team_name"]) for r in current) == [
        ("清河县审计局", "第二巡察组"), ("清河县教育局", "第一巡察组"), ("清河县财政局", "第二巡察组"),
    ]
    withdrawn = client.get("/api/team-units/", {"round": prep["round"].pk, "withdrawn": "true"}).json()["results"]
    assert [r["id"] for r in withdrawn] == [prep["finance_tu"].pk]
    assert [u["name"] for u in client.get(f"/api/teams/{prep['first'].pk}/").json()["units"]] == ["清河县教育局"]


def test_api_bad_input_is_a_400_with_a_field_message(prep, office_user):
    client = api(office_user)
    url = f"/api/team-units/{prep['finance_tu'].pk}/withdraw/"
    response = client.post(url, {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json()["reason"] == ["调整被巡察单位须填写理由"]
    response = client.post(url, {"reason": REASON, "to_team": prep["first"].pk}, format="json")
    assert response.status_code == 400 and "请选择其他巡察组" in response.json()["to_team"][0]
    RecusalFactorFactory(cadre=prep["second_member"].cadre, unit=prep["finance"])
    response = client.post(url, {"reason": REASON, "to_team": prep["second"].pk}, format="json")
    body = response.json()
    assert response.status_code == 400 and "回避冲突" in body["to_team"][0]
    assert RecusalCheck.objects.get(pk=body["recusal_checks"][0]).result == "conflict"
    response = client.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 200
    response = client.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 400 and "已于" in response.json()["non_field_errors"][0]


def test_api_refused_after_onsite_start_and_no_delete(prep, office_user):
    round = prep["round"]
    round.phase = Phase.ONSITE
    round.save()
    client = api(office_user)
    url = f"/api/team-units/{prep['finance_tu'].pk}/"
    response = client.post(url + "withdraw/", {"reason": REASON}, format="json")
    assert response.status_code == 400 and "本轮已进入“进驻”阶段" in response.json()["non_field_errors"][0]
    assert client.delete(url).status_code == 405


def test_api_schema_documents_the_action(office_user):
    response = api(office_user).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/team-units/{id}/withdraw/" in schema and "WithdrawUnit" in schema


def test_teams_see_assignments_in_force_only_oversight_sees_the_withdrawn(prep, client, office_user, leading_user):
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"])
    for who in ("leader", "member", "second_member"):
        rows = api(prep["users"][who]).get("/api/team-units/", {"withdrawn": "true"}).json()["results"]
        assert rows == [], who
        client.force_login(prep["users"][who])
        page = client.get(f"/rounds/teams/{prep['second' if who == 'second_member' else 'first'].pk}/").content.decode()
        assert "被巡察单位调整记录" not in page and REASON not in page
    assert [r["id"] for r in api(leading_user).get("/api/team-units/", {"withdrawn": "true"}).json()["results"]] == [
        prep["finance_tu"].pk
    ]
    client.force_login(leading_user)
    page = client.get(f"/rounds/teams/{prep['first'].pk}/").content.decode()
    assert "被巡察单位调整记录" in page and REASON in page and "调整出组</a>" not in page
