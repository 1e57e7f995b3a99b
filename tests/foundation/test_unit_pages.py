"""Unit pages: list with search/filters, detail with history, create/update with jurisdiction and cycle checks."""

import pytest
from django.urls import reverse

from inspection.units.models import Unit, UnitKind
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_list_searches_name_party_org_and_head(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="县财政局", party_org_name="中共清河县财政局党组", head_name="李明")
    UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP, head_name="赵刚")
    url = reverse("units:unit_list")
    assert [u.name for u in office_client.get(url, {"q": "财政"}).context["object_list"]] == ["县财政局"]
    assert [u.name for u in office_client.get(url, {"q": "赵刚"}).context["object_list"]] == ["城关镇"]
    kinds = office_client.get(url, {"kind": UnitKind.TOWNSHIP}).context["object_list"]
    assert [u.name for u in kinds] == ["城关镇"]


def test_list_filters_parent_and_active(office_client, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    UnitFactory(jurisdiction=jurisdiction, name="东关社区", kind=UnitKind.VILLAGE, parent=town)
    UnitFactory(jurisdiction=jurisdiction, name="西关村", kind=UnitKind.VILLAGE, parent=town, is_active=False)
    url = reverse("units:unit_list")
    children = office_client.get(url, {"parent": town.pk}).context["object_list"]
    assert sorted(u.name for u in children) == ["东关社区", "西关村"]
    retired = office_client.get(url, {"parent": town.pk, "is_active": "false"}).context["object_list"]
    assert [u.name for u in retired] == ["西关村"]


def test_list_paginates(office_client, jurisdiction):
    UnitFactory.create_batch(35, jurisdiction=jurisdiction)
    response = office_client.get(reverse("units:unit_list"))
    assert len(response.context["object_list"]) == 30
    assert "第 1 / 2 页，共 35 条" in response.content.decode()


def test_create_unit_and_detail_shows_parent_children(office_client, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    response = office_client.post(
        reverse("units:unit_create"),
        {"name": "东关社区", "kind": UnitKind.VILLAGE, "parent": town.pk, "head_name": "王芳"},
    )
    unit = Unit.objects.get(name="东关社区")
    assert response.status_code == 302
    assert unit.jurisdiction == jurisdiction and unit.parent == town
    page = office_client.get(reverse("units:unit_detail", args=[town.pk])).content.decode()
    assert "东关社区" in page and "下级单位（1）" in page


def test_create_refuses_duplicate_name_with_chinese_error(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="县财政局")
    response = office_client.post(reverse("units:unit_create"), {"name": "县财政局", "kind": UnitKind.COUNTY_DEPARTMENT})
    assert response.status_code == 200
    assert "本管辖范围内已有名为“县财政局”的单位" in response.content.decode()
    assert Unit.objects.filter(name="县财政局").count() == 1


def test_update_refuses_a_cycle(office_client, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    village = UnitFactory(jurisdiction=jurisdiction, name="东关社区", kind=UnitKind.VILLAGE, parent=town)
    response = office_client.post(
        reverse("units:unit_update", args=[town.pk]), {"name": "城关镇", "kind": UnitKind.TOWNSHIP, "parent": village.pk}
    )
    assert response.status_code == 200
    assert "会形成循环" in response.content.decode()
    town.refresh_from_db()
    assert town.parent is None


def test_parent_from_other_jurisdiction_is_refused(office_client, other_jurisdiction):
    foreign = UnitFactory(jurisdiction=other_jurisdiction, name="柳林县财政局")
    response = office_client.post(
        reverse("units:unit_create"), {"name": "县审计局", "kind": UnitKind.COUNTY_DEPARTMENT, "parent": foreign.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Unit.objects.filter(name="县审计局").exists()


def test_update_records_history_shown_on_page(office_client, office_user, jurisdiction):
    unit = UnitFactory(jurisdiction=jurisdiction, name="县水利局", head_name="张三")
    response = office_client.post(
        reverse("units:unit_update", args=[unit.pk]),
        {"name": "县水利局", "kind": UnitKind.COUNTY_DEPARTMENT, "head_name": "李四", "head_post": "局长"},
    )
    assert response.status_code == 302
    latest = unit.history.first()
    assert latest.history_type == "~" and latest.history_user == office_user
    page = office_client.get(reverse("units:unit_detail", args=[unit.pk])).content.decode()
    assert "主要负责人（一把手）</strong>：张三 → 李四" in page


def test_retire_marks_inactive_and_keeps_the_row(office_client, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    village = UnitFactory(jurisdiction=jurisdiction, name="东关社区", kind=UnitKind.VILLAGE, parent=town)
    office_client.post(reverse("units:unit_retire", args=[town.pk]))
    town.refresh_from_db()
    assert town.is_active  # an active child blocks it
    office_client.post(reverse("units:unit_retire", args=[village.pk]), {"reason": "撤村并居"})
    village.refresh_from_db()
    assert not village.is_active
    assert village.history.first().history_change_reason == "撤村并居"
    office_client.post(reverse("units:unit_restore", args=[village.pk]))
    village.refresh_from_db()
    assert village.is_active


def test_retire_requires_post(office_client, jurisdiction):
    unit = UnitFactory(jurisdiction=jurisdiction)
    assert office_client.get(reverse("units:unit_retire", args=[unit.pk])).status_code == 405
