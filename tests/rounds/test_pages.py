import datetime

import pytest

from inspection.audit.models import ReadLog
from rounds.models import (
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    PhaseChange,
    RecusalCheck,
)
from tests.factories import RecusalFactorFactory, UnitFactory

from .factories import (
    PetitionFactory,
    PlanFactory,
    RoundFactory,
    TeamFactory,
    TeamUnitFactory,
    leader_cadre,
    talent_cadre,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_office_pages_render(scene, client):
    c = login(client, scene["users"]["office"])
    round, team = scene["round"], scene["team_a"]
    plan = round.plan
    plan.units.add(scene["unit_a"], scene["unit_b"])
    urls = [
        "/rounds/plans/", f"/rounds/plans/{plan.pk}/", f"/rounds/plans/{plan.pk}/edit/", "/rounds/plans/new/",
        "/rounds/", "/rounds/new/", f"/rounds/{round.pk}/", f"/rounds/{round.pk}/edit/",
        f"/rounds/{round.pk}/teams/new/", f"/rounds/teams/{team.pk}/", f"/rounds/{round.pk}/recusal-checks/",
        f"/rounds/{round.pk}/preparation/", "/rounds/materials/defaults/", f"/rounds/{round.pk}/petitions/",
        f"/rounds/{round.pk}/inquiries/", f"/rounds/{round.pk}/interviews/",
        f"/rounds/{round.pk}/petition/new/", f"/rounds/{round.pk}/inquiry/new/", f"/rounds/{round.pk}/interview/new/",
        f"/rounds/{round.pk}/announcement/new/", f"/rounds/{round.pk}/info_request/new/", f"/rounds/{round.pk}/material/new/",
        f"/rounds/petitions/{scene['petition'].pk}/",
    ]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.content.decode()


def test_unknown_record_kind_is_404(scene, client):
    assert login(client, scene["users"]["office"]).get(f"/rounds/{scene['round'].pk}/nonsense/new/").status_code == 404


def test_coverage_page_shows_rule_figures_and_uninspected(jurisdiction, client, office_user):
    units = [UnitFactory(jurisdiction=jurisdiction, kind="township", name=f"乡镇{i}") for i in range(3)]
    plan = PlanFactory(jurisdiction=jurisdiction)
    plan.units.set(units)
    TeamUnitFactory(team=TeamFactory(round=RoundFactory(plan=plan, phase=Phase.COMPLETED)), unit=units[0])
    html = login(client, office_user).get(f"/rounds/plans/{plan.pk}/").content.decode()
    assert "1 / 3" in html and "data-chart=" in html
    uninspected = html.split('id="uninspected"')[1].split('id="history"')[0]
    assert "乡镇1" in uninspected and "乡镇2" in uninspected and "乡镇0" not in uninspected


def test_phase_change_through_page(scene, client):
    c = login(client, scene["users"]["office"])
    round = scene["round"]
    response = c.post(f"/rounds/{round.pk}/phase/", {"to_phase": "feedback"})
    assert response.status_code == 400
    assert "不能从“进驻”变更为“反馈”" in response.content.decode()
    response = c.post(f"/rounds/{round.pk}/phase/", {"to_phase": "report"})
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.phase == Phase.REPORT and PhaseChange.objects.filter(round=round).count() == 1


def test_leading_group_sees_only_its_move(scene, client):
    round = scene["round"]
    round.phase = Phase.REPORT
    round.save()
    html = login(client, scene["users"]["leading"]).get(f"/rounds/{round.pk}/").content.decode()
    assert "审定报告，转入反馈" in html and "结束进驻" not in html


def test_team_form_conflict_then_override_page(jurisdiction, client, office_user):
    team = TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)))
    unit = TeamUnitFactory(team=team).unit
    cadre = leader_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=unit)
    c = login(client, office_user)
    response = c.post(f"/rounds/teams/{team.pk}/members/", {"cadre": cadre.pk, "position": "leader"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "回避冲突" in html and "审计或财务" in html
    check = RecusalCheck.objects.get(cadre=cadre)
    assert c.post(f"/rounds/recusal-checks/{check.pk}/override/", {"reason": ""}).status_code == 200
    response = c.post(f"/rounds/recusal-checks/{check.pk}/override/", {"reason": "经集体研究，不影响公正履职"})
    assert response.status_code == 302
    assert Membership.objects.filter(team=team, cadre=cadre, is_active=True).exists()
    assert "经集体研究" in c.get(f"/rounds/{team.round_id}/recusal-checks/").content.decode()


def test_overlap_refused_on_team_form(scene, client, jurisdiction):
    leader = scene["team_a"].memberships.get(position="leader").cadre
    other_round = RoundFactory(plan=scene["round"].plan, phase=Phase.PREPARATION)
    team = TeamFactory(round=other_round)
    response = login(client, scene["users"]["office"]).post(f"/rounds/teams/{team.pk}/members/", {"cadre": leader.pk, "position": "leader"})
    assert response.status_code == 400 and "时间重叠" in response.content.decode()


def test_petition_create_and_detail_logged(scene, client):
    c = login(client, scene["users"]["member"])
    round = scene["round"]
    response = c.post(f"/rounds/{round.pk}/petition/new/", {
        "team": scene["team_a"].pk, "unit": scene["unit_a"].pk, "channel": "visit", "received_on": "2026-03-15",
        "is_anonymous": "", "petitioner_name": "", "summary": "反映村干部优亲厚友", "conclusion": "pending",
    })
    assert response.status_code == 200 and "实名信访须填写信访人姓名" in response.content.decode()
    response = c.post(f"/rounds/{round.pk}/petition/new/", {
        "team": scene["team_a"].pk, "unit": scene["unit_a"].pk, "channel": "visit", "received_on": "2026-03-15",
        "is_anonymous": "on", "petitioner_name": "不应保存", "summary": "反映村干部优亲厚友", "conclusion": "pending",
    })
    assert response.status_code == 302
    petition = Petition.objects.latest("id")
    assert petition.is_anonymous and petition.petitioner_name == ""
    c.get(f"/rounds/petitions/{petition.pk}/")
    assert ReadLog.objects.filter(user=scene["users"]["member"], object_id=str(petition.pk), action="view").exists()


@pytest.mark.parametrize("who", ["other_member", "liaison", "discipline"])
def test_secret_pages_404_outside_scope(scene, client, who):
    inquiry = Inquiry.objects.create(
        round=scene["round"], team=scene["team_a"], asker_name="赵某", asked_person="组长", asked_on=datetime.date(2026, 3, 5),
        manner="probing", subject="打听巡察进展", created_by=scene["users"]["leader"],
    )
    c = login(client, scene["users"][who])
    assert c.get(f"/rounds/petitions/{scene['petition'].pk}/").status_code == 404
    assert c.get(f"/rounds/inquiries/{inquiry.pk}/").status_code == 404
    for url in (f"/rounds/{scene['round'].pk}/petitions/", f"/rounds/{scene['round'].pk}/inquiries/"):
        response = c.get(url)
        if who == "other_member":
            # Same round, other team: the page lists only that member's own team's rows.
            assert response.status_code == 200 and "暂无" in response.content.decode()
        else:
            assert response.status_code == 404
    assert not ReadLog.objects.exists()


def test_leading_group_inquiry_page_lists_and_logs(scene, client):
    for i in range(3):
        Inquiry.objects.create(
            round=scene["round"], team=scene["team_a"], asker_name=f"过问人{i}", asked_person="组长",
            asked_on=datetime.date(2026, 3, 5), manner="greeting", subject="打招呼", created_by=scene["users"]["leader"],
        )
    leading = scene["users"]["leading"]
    html = login(client, leading).get(f"/rounds/{scene['round'].pk}/inquiries/").content.decode()
    assert all(f"过问人{i}" in html for i in range(3))
    assert ReadLog.objects.filter(user=leading, object_type="rounds.inquiry", action="list").count() == 3


def test_team_member_pages_scope(scene, client):
    c = login(client, scene["users"]["member"])
    html = c.get("/rounds/").content.decode()
    assert scene["round"].title in html
    assert c.get(f"/rounds/teams/{scene['team_b'].pk}/").status_code == 404
    assert scene["team_a"].name in c.get("/rounds/my-team/").content.decode()
    assert c.get(f"/rounds/{scene['round'].pk}/recusal-checks/").status_code == 403
    scene["round"].phase = Phase.FEEDBACK
    scene["round"].save()
    assert c.get(f"/rounds/{scene['round'].pk}/").status_code == 404


def test_materials_default_list_applied(scene, client):
    c = login(client, scene["users"]["office"])
    for name in ("党委（党组）会议记录", "财务账簿及凭证"):
        assert c.post("/rounds/materials/defaults/", {"order": 1, "name": name, "is_active": "on"}).status_code == 302
    round = scene["round"]
    c.post(f"/rounds/{round.pk}/materials/apply-default/", {"unit": scene["unit_a"].pk})
    c.post(f"/rounds/{round.pk}/materials/apply-default/", {"unit": scene["unit_a"].pk})
    items = MaterialItem.objects.filter(round=round, unit=scene["unit_a"])
    assert items.count() == 2
    c.post(f"/rounds/materials/{items[0].pk}/receive/")
    assert "已收到 1 / 2" in c.get(f"/rounds/{round.pk}/preparation/").content.decode()


def test_info_request_overdue_flagged(scene, client):
    c = login(client, scene["users"]["office"])
    response = c.post(f"/rounds/{scene['round'].pk}/info_request/new/", {
        "unit": scene["unit_a"].pk, "recipient": "discipline_petitions", "sent_on": "2026-01-05", "due_date": "2026-01-01",
    })
    assert "回复期限不能早于发函日期" in response.content.decode()
    c.post(f"/rounds/{scene['round'].pk}/info_request/new/", {
        "unit": scene["unit_a"].pk, "recipient": "audit", "sent_on": "2020-01-05", "due_date": "2020-01-15",
    })
    assert "1件逾期未复" in c.get(f"/rounds/{scene['round'].pk}/preparation/").content.decode()


def test_interview_counts_per_unit(scene, client):
    for i in range(3):
        Interview.objects.create(round=scene["round"], team=scene["team_a"], unit=scene["unit_a"], interviewee_name=f"对象{i}",
                                 held_on=datetime.date(2026, 3, 6), interviewers="组长", created_by=scene["users"]["leader"])
    html = login(client, scene["users"]["leader"]).get(f"/rounds/{scene['round'].pk}/interviews/").content.decode()
    assert scene["unit_a"].name in html.split('id="interview-counts"')[1] and ">3<" in html


@pytest.mark.parametrize("n", [1, 20])
def test_page_query_counts_constant(scene, client, django_assert_max_num_queries, jurisdiction, n):
    for i in range(n):
        talent_cadre(jurisdiction, employer=UnitFactory(jurisdiction=jurisdiction))
        PetitionFactory(team=scene["team_a"], unit=scene["unit_a"], created_by=scene["users"]["member"])
        RoundFactory(plan=scene["round"].plan, number=200 + i)
        Inquiry.objects.create(round=scene["round"], team=scene["team_a"], asker_name="某", asked_person="组长",
                               asked_on=datetime.date(2026, 3, 5), manner="greeting", subject="x", created_by=scene["users"]["leader"])
    c = login(client, scene["users"]["office"])
    round = scene["round"]
    for url in (f"/rounds/{round.pk}/petitions/", f"/rounds/{round.pk}/inquiries/", "/rounds/", "/rounds/plans/",
                f"/rounds/{round.pk}/recusal-checks/", f"/rounds/{round.pk}/", f"/rounds/teams/{scene['team_a'].pk}/",
                f"/rounds/{round.pk}/preparation/", f"/rounds/{round.pk}/interviews/"):
        with django_assert_max_num_queries(22):
            assert c.get(url).status_code == 200


def test_my_team_page_is_for_team_roles_only(scene, client):
    assert login(client, scene["users"]["office"]).get("/rounds/my-team/").status_code == 403


def test_admin_is_read_only(scene, client):
    from django.contrib import admin

    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", role="", is_superuser=True, is_staff=True))
    for model in [m for m in admin.site._registry if m._meta.app_label == "rounds"]:
        base = f"/admin/rounds/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        if model._meta.model_name != "defaultmaterialitem":
            assert client.get(base + "add/").status_code == 403, base
    assert client.get(f"/admin/rounds/petition/{scene['petition'].pk}/delete/").status_code == 403


def test_round_list_filters_and_lookback_form(scene, client):
    c = login(client, scene["users"]["office"])
    earlier = RoundFactory(plan=scene["round"].plan, phase=Phase.COMPLETED, number=50)
    html = c.get("/rounds/", {"phase": "completed"}).content.decode()
    assert earlier.title in html and scene["round"].title not in html
    response = c.post("/rounds/new/", {"plan": earlier.plan_id, "kind": "lookback", "start_date": "2026-09-01", "end_date": "2026-09-30"})
    assert response.status_code == 200 and "须选择对应的原轮次" in response.content.decode()
    response = c.post("/rounds/new/", {"plan": earlier.plan_id, "kind": "lookback", "start_date": "2026-09-01",
                                       "end_date": "2026-09-30", "lookback_of": [earlier.pk]})
    assert response.status_code == 302
    assert earlier.title in c.get(response["Location"]).content.decode()


def test_inquiry_overview_for_leading_group(scene, client):
    Inquiry.objects.create(round=scene["round"], team=scene["team_b"], asker_name="钱某", asked_person="组长",
                           asked_on=datetime.date(2026, 3, 5), manner="greeting", subject="打招呼", created_by=scene["users"]["office"])
    html = login(client, scene["users"]["leading"]).get("/rounds/inquiries/").content.decode()
    assert scene["round"].title in html and "钱某" not in html
    assert "过问登记" in html.split('id="mainnav"')[1]
    assert login(client, scene["users"]["member"]).get("/rounds/inquiries/").status_code == 403
