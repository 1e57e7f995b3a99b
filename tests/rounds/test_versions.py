"""Issue 13 item 8, rounds: optimistic versions of petitions and inquiries, on any database.

An edit names the version it was made on; one made on a version someone else has since saved over is refused with
"已被他人修改，请刷新后重试" (page: form error, the user's input kept; API: 400 on `version`), and saves nothing."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rounds import services
from rounds.models import Inquiry, Petition

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

STALE = "已被他人修改，请刷新后重试"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def petition(scene):
    return scene["petition"]


def _edit(petition, **fields):
    """Another person's edit, saved through the service on the version they read."""
    fresh = Petition.objects.get(pk=petition.pk)
    for name, value in fields.items():
        setattr(fresh, name, value)
    return services.petition_save(petition=fresh, actor=fresh.created_by)


def _form_data(petition, **fields):
    data = {
        "team": petition.team_id, "unit": petition.unit_id, "channel": petition.channel,
        "received_on": petition.received_on.isoformat(), "is_anonymous": "on", "summary": petition.summary,
        "conclusion": petition.conclusion, "version": str(petition.version),
    }
    data.update(fields)
    return data


def test_new_records_start_at_version_one_and_each_edit_adds_one(scene, petition):
    assert petition.version == 1  # the factory's row; the service sets 1 on create too
    created = services.petition_save(
        petition=PetitionFactory.build(team=scene["team_a"], round=scene["round"], unit=scene["unit_a"], version=7),
        actor=scene["users"]["member"],
    )
    assert created.version == 1
    assert _edit(petition, handling="已核实").version == 2
    assert _edit(petition, handling="已核实，部分属实").version == 3
    assert list(petition.history.values_list("version", flat=True)) == [3, 2, 1]


def test_a_stale_service_edit_saves_nothing(scene, petition):
    stale = Petition.objects.get(pk=petition.pk)
    _edit(petition, handling="第一次修改")
    stale.handling = "基于旧版本的修改"
    with pytest.raises(services.StaleEdit) as refused:
        services.petition_save(petition=stale, actor=scene["users"]["office"])
    assert (refused.value.message, refused.value.field) == (STALE, "version")
    assert refused.value.current.handling == "第一次修改"
    assert Petition.objects.values_list("version", "handling").get(pk=petition.pk) == (2, "第一次修改")
    assert petition.history.count() == 2


def test_edit_form_carries_the_version(client, scene, petition):
    _edit(petition, handling="已核实")
    client.force_login(scene["users"]["member"])
    html = client.get(reverse("rounds:record_edit", args=["petition", petition.pk])).content.decode()
    assert '<input type="hidden" name="version" value="2" id="id_version">' in html
    create = client.get(reverse("rounds:record_create", args=[scene["round"].pk, "petition"])).content.decode()
    assert 'name="version"' not in create


def test_stale_page_edit_keeps_the_input_shows_the_other_edit_and_saves_on_purpose(client, scene, petition):
    url = reverse("rounds:record_edit", args=["petition", petition.pk])
    mine = _form_data(petition, handling="组员：已约谈信访人。", conclusion_text="待查")
    _edit(petition, handling="组长：已调取账目。", conclusion="pending")
    client.force_login(scene["users"]["member"])

    response = client.post(url, mine)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"version": [STALE]}
    assert response.context["stale_rows"] == [("办理情况", "组长：已调取账目。"), ("结论说明", "（空）")]
    html = response.content.decode()
    assert f'<div class="alert alert-danger" role="alert"><div>{STALE}</div></div>' in html
    assert "组员：已约谈信访人。</textarea>" in html and "待查</textarea>" in html
    assert '<input type="hidden" name="version" value="2" id="id_version">' in html
    assert Petition.objects.values_list("version", "handling").get(pk=petition.pk) == (2, "组长：已调取账目。")

    # Having read the other edit, the user saves again: their input, now on version 2.
    again = client.post(url, {**mine, "version": "2"})
    assert again.status_code == 302
    assert Petition.objects.values_list("version", "handling", "conclusion_text").get(pk=petition.pk) == (
        3, "组员：已约谈信访人。", "待查"
    )


def test_page_edit_without_a_version_is_refused(client, scene, petition):
    client.force_login(scene["users"]["member"])
    data = _form_data(petition, handling="没有版本号的修改")
    del data["version"]
    response = client.post(reverse("rounds:record_edit", args=["petition", petition.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"version": ["页面已过期，请刷新后重试"]}
    assert "页面已过期，请刷新后重试" in response.content.decode()
    assert Petition.objects.values_list("version", "handling").get(pk=petition.pk) == (1, "")


def test_api_edit_needs_the_version_and_refuses_a_stale_one(scene, petition):
    client = api(scene["users"]["member"])
    url = f"/api/petitions/{petition.pk}/"
    assert client.get(url).json()["version"] == 1

    missing = client.patch(url, {"handling": "没有版本号"}, format="json")
    assert missing.status_code == 400 and missing.json() == {"version": ["修改时须提交读取时的版本号（version）"]}

    saved = client.patch(url, {"handling": "已核实", "version": 1}, format="json")
    assert saved.status_code == 200 and saved.json()["version"] == 2

    stale = client.patch(url, {"handling": "基于旧版本", "version": 1}, format="json")
    assert stale.status_code == 400 and stale.json() == {"version": [STALE]}
    assert Petition.objects.values_list("version", "handling").get(pk=petition.pk) == (2, "已核实")


def test_api_create_ignores_a_version_sent(scene):
    payload = {
        "round": scene["round"].pk, "team": scene["team_a"].pk, "unit": scene["unit_a"].pk, "channel": "call",
        "received_on": "2026-03-12", "is_anonymous": True, "summary": "反映食堂违规吃喝", "version": 9,
    }
    response = api(scene["users"]["member"]).post("/api/petitions/", payload, format="json")
    assert response.status_code == 201 and response.json()["version"] == 1


@pytest.fixture
def inquiry(scene):
    return services.inquiry_save(
        inquiry=Inquiry(
            round=scene["round"], team=scene["team_a"], asker_name="孙某", asker_post="县某局副局长",
            asked_person="第一巡察组组长", asked_on=datetime.date(2026, 3, 12), manner="probing",
            subject="打听第一巡察组对该局财务问题的掌握情况",
        ),
        actor=scene["users"]["leader"],
    )


def test_inquiry_service_logs_for_the_own_team_at_version_one(scene, inquiry):
    assert (inquiry.version, inquiry.created_by) == (1, scene["users"]["leader"])
    other = Inquiry(
        round=scene["round"], team=scene["team_b"], asker_name="吴某", asked_person="组长",
        asked_on=datetime.date(2026, 3, 12), manner="greeting", subject="打招呼",
    )
    with pytest.raises(services.DomainError) as refused:
        services.inquiry_save(inquiry=other, actor=scene["users"]["leader"])
    assert (refused.value.message, refused.value.field) == ("只能为本组登记", "team")


def test_stale_inquiry_page_edit_keeps_the_input(client, scene, inquiry):
    url = reverse("rounds:record_edit", args=["inquiry", inquiry.pk])
    mine = {
        "team": scene["team_a"].pk, "asker_name": "孙某", "asker_post": "县某局副局长", "asked_person": "第一巡察组组长",
        "asked_on": "2026-03-12", "manner": "probing", "subject": inquiry.subject, "handling": "组长：已报领导小组。",
        "version": "1",
    }
    fresh = Inquiry.objects.get(pk=inquiry.pk)
    fresh.handling = "巡察办：已登记。"
    services.inquiry_save(inquiry=fresh, actor=scene["users"]["office"])
    client.force_login(scene["users"]["leader"])

    response = client.post(url, mine)

    assert response.status_code == 200
    assert response.context["form"].errors == {"version": [STALE]}
    assert response.context["stale_rows"] == [("处理情况", "巡察办：已登记。")]
    assert "组长：已报领导小组。</textarea>" in response.content.decode()
    assert Inquiry.objects.values_list("version", "handling").get(pk=inquiry.pk) == (2, "巡察办：已登记。")


def test_api_inquiry_edit_refuses_a_stale_version(scene, inquiry):
    client = api(scene["users"]["leader"])
    url = f"/api/inquiries/{inquiry.pk}/"
    assert client.patch(url, {"handling": "已报领导小组", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"handling": "基于旧版本", "version": 1}, format="json")
    assert stale.status_code == 400 and stale.json() == {"version": [STALE]}
    assert Inquiry.objects.values_list("version", "handling").get(pk=inquiry.pk) == (2, "已报领导小组")


def test_record_save_does_not_take_versioned_records(scene, petition):
    with pytest.raises(TypeError):
        services.record_save(instance=petition, actor=scene["users"]["office"])
