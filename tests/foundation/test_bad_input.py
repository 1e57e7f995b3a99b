"""Bad input gets a Chinese message (form error or 400 JSON naming the field), never a server error."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.units.models import Cadre
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(office_user):
    client = APIClient()
    client.force_authenticate(office_user)
    return client


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"kind": "county_department"}, "name"),
        ({"name": "县审计局"}, "kind"),
        ({"name": "县审计局", "kind": "county_department", "staff_count": -3}, "staff_count"),
        ({"name": "县审计局", "kind": "county_department", "staff_count": "很多"}, "staff_count"),
        ({"name": "县" * 200, "kind": "county_department"}, "name"),
        ({"name": "县审计局", "kind": "county_department", "parent": "abc"}, "parent"),
        ({"name": "县审计局", "kind": "county_department", "parent": 999999}, "parent"),
        ({"name": "   ", "kind": "county_department"}, "name"),
    ],
)
def test_unit_api_bad_payloads(api, payload, field):
    response = api.post("/api/units/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"pool": "talent", "joined_via": "self"}, "name"),
        ({"name": "周文", "pool": "expert", "joined_via": "self"}, "pool"),
        ({"name": "周文", "pool": "talent", "joined_via": "self", "specialties": [999]}, "specialties"),
        ({"name": "周文", "pool": "talent", "joined_via": "self", "specialties": "审计"}, "specialties"),
        ({"name": "周文", "pool": "talent", "joined_via": "self", "joined_on": "去年"}, "joined_on"),
        ({"name": "周文", "pool": "talent", "joined_via": "self", "user": 999999}, "user"),
    ],
)
def test_cadre_api_bad_payloads(api, payload, field):
    response = api.post("/api/cadres/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_api_filters_with_bad_values_answer_400(api):
    assert api.get("/api/units/", {"parent": "abc"}).status_code == 400
    assert api.get("/api/cadres/", {"specialty": "abc"}).status_code == 400


def test_page_filters_with_bad_values_do_not_fail(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction)
    assert office_client.get(reverse("units:unit_list"), {"parent": "abc", "page": "x"}).status_code in (200, 404)
    assert office_client.get(reverse("units:cadre_list"), {"specialty": "abc"}).status_code == 200


def test_cadre_form_errors_are_chinese(office_client):
    response = office_client.post(reverse("units:cadre_create"), {"name": "", "pool": "", "joined_via": ""})
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()
    assert not Cadre.objects.exists()


def test_api_update_records_the_actor(api, office_user, jurisdiction):
    cadre = CadreFactory(jurisdiction=jurisdiction)
    response = api.patch(f"/api/cadres/{cadre.pk}/", {"post": "副局长", "specialties": [1, 2]}, format="json")
    assert response.status_code == 200
    assert response.json()["post"] == "副局长" and len(response.json()["specialties"]) == 2
    assert cadre.history.first().history_user == office_user


def test_api_parent_filter_accepts_a_unit_without_children(api, jurisdiction, other_jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇")
    village = UnitFactory(jurisdiction=jurisdiction, name="东关社区", parent=town)
    assert [r["name"] for r in api.get("/api/units/", {"parent": town.pk}).json()["results"]] == ["东关社区"]
    assert api.get("/api/units/", {"parent": village.pk}).json()["results"] == []
    foreign = UnitFactory(jurisdiction=other_jurisdiction)
    assert api.get("/api/units/", {"parent": foreign.pk}).status_code == 400


def test_a_malformed_json_body_is_told_in_chinese_with_its_position(office_client):
    response = office_client.post("/api/units/", data='{"name": "城关镇",}', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON（第 1 行第 16 列附近）：请检查引号、逗号和括号，字符串须用双引号"}


def test_a_malformed_multipart_body_is_told_in_chinese(office_client):
    response = office_client.post("/api/units/", data=b"--x\r\nbroken", content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体无法解析：请检查其格式是否与 Content-Type 一致"}
