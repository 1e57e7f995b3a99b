"""Cadre pages: filters, create/update with specialties, recusal factors added and retired, history."""

import pytest
from django.urls import reverse

from inspection.accounts.models import Role
from inspection.units.models import Cadre, RecusalFactor, Specialty
from tests.factories import CadreFactory, RecusalFactorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _names(response):
    return sorted(c.name for c in response.context["object_list"])


def test_filters_and_search(office_client, jurisdiction):
    audit = Specialty.objects.get(code="audit")
    bureau = UnitFactory(jurisdiction=jurisdiction, name="县审计局")
    a = CadreFactory(jurisdiction=jurisdiction, name="王建国", pool=Cadre.Pool.LEADER, employer=bureau, post="副局长")
    a.specialties.add(audit)
    CadreFactory(jurisdiction=jurisdiction, name="李红梅", joined_via=Cadre.JoinedVia.SELF, employer_name="县一中")
    CadreFactory(jurisdiction=jurisdiction, name="赵志强", is_active=False, post="主任科员")
    url = reverse("units:cadre_list")
    assert _names(office_client.get(url, {"pool": "leader"})) == ["王建国"]
    assert _names(office_client.get(url, {"specialty": audit.pk})) == ["王建国"]
    assert _names(office_client.get(url, {"joined_via": "self"})) == ["李红梅"]
    assert _names(office_client.get(url, {"is_active": "false"})) == ["赵志强"]
    assert _names(office_client.get(url, {"q": "审计局"})) == ["王建国"]
    assert _names(office_client.get(url, {"q": "一中"})) == ["李红梅"]
    assert _names(office_client.get(url, {"q": "主任"})) == ["赵志强"]


def test_create_with_specialties_and_linked_account(office_client, jurisdiction, make_user):
    member = make_user(Role.TEAM_MEMBER, username="zuyuan")
    finance = Specialty.objects.get(code="finance")
    law = Specialty.objects.get(code="law")
    response = office_client.post(
        reverse("units:cadre_create"),
        {
            "name": "陈晓燕",
            "gender": "female",
            "pool": "talent",
            "joined_via": "recommended",
            "employer_name": "县财政局",
            "post": "会计",
            "specialties": [finance.pk, law.pk],
            "user": member.pk,
        },
    )
    assert response.status_code == 302
    cadre = Cadre.objects.get(name="陈晓燕")
    assert cadre.user == member and cadre.jurisdiction == jurisdiction
    assert set(cadre.specialties.all()) == {finance, law}
    page = office_client.get(reverse("units:cadre_detail", args=[cadre.pk])).content.decode()
    assert "财务" in page and "法律" in page


def test_cannot_link_an_office_account(office_client, office_user):
    response = office_client.post(
        reverse("units:cadre_create"),
        {"name": "陈晓燕", "pool": "talent", "joined_via": "self", "user": office_user.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    assert not Cadre.objects.filter(name="陈晓燕").exists()


def test_update_records_specialty_history(office_client, office_user, jurisdiction):
    cadre = CadreFactory(jurisdiction=jurisdiction, name="王建国")
    audit = Specialty.objects.get(code="audit")
    response = office_client.post(
        reverse("units:cadre_update", args=[cadre.pk]),
        {"name": "王建国", "pool": "leader", "joined_via": "designated", "specialties": [audit.pk]},
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.pool == "leader" and list(cadre.specialties.all()) == [audit]
    assert cadre.history.first().history_user == office_user
    page = office_client.get(reverse("units:cadre_detail", args=[cadre.pk])).content.decode()
    assert "所在库</strong>：人才库 → 组长库" in page
    assert "专长</strong>：（空） → 审计" in page


def test_add_and_retire_recusal_factor(office_client, jurisdiction):
    cadre = CadreFactory(jurisdiction=jurisdiction, name="王建国")
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇")
    url = reverse("units:cadre_detail", args=[cadre.pk])
    response = office_client.post(url, {"unit": town.pk, "kind": "relative", "description": "配偶在该镇工作"})
    assert response.status_code == 302
    factor = RecusalFactor.objects.get(cadre=cadre)
    assert factor.unit == town and factor.is_active
    again = office_client.post(url, {"unit": town.pk, "kind": "relative"})
    assert again.status_code == 400
    assert "已登记了与此单位的同类回避因素" in again.content.decode()
    office_client.post(reverse("units:recusal_factor_retire", args=[factor.pk]))
    factor.refresh_from_db()
    assert not factor.is_active
    assert RecusalFactor.objects.filter(pk=factor.pk).exists()


def test_leading_group_sees_factors_but_cannot_add(client, leading_user, jurisdiction):
    factor = RecusalFactorFactory(
        cadre=CadreFactory(jurisdiction=jurisdiction), unit=UnitFactory(jurisdiction=jurisdiction, name="县卫健局")
    )
    client.force_login(leading_user)
    url = reverse("units:cadre_detail", args=[factor.cadre.pk])
    page = client.get(url).content.decode()
    assert "县卫健局" in page and 'id="recusal-form"' not in page
    assert client.post(url, {"unit": factor.unit.pk, "kind": "hometown"}).status_code == 403
    assert client.post(reverse("units:recusal_factor_retire", args=[factor.pk])).status_code == 403


def test_retire_and_restore_cadre(office_client, jurisdiction):
    cadre = CadreFactory(jurisdiction=jurisdiction)
    office_client.post(reverse("units:cadre_retire", args=[cadre.pk]), {"reason": "调离"})
    cadre.refresh_from_db()
    assert not cadre.is_active and cadre.history.first().history_change_reason == "调离"
    office_client.post(reverse("units:cadre_restore", args=[cadre.pk]))
    cadre.refresh_from_db()
    assert cadre.is_active


def test_list_is_ordered_leader_pool_first_then_name(office_client, jurisdiction):
    CadreFactory(jurisdiction=jurisdiction, name="赵志强")
    CadreFactory(jurisdiction=jurisdiction, name="王建国", pool=Cadre.Pool.LEADER)
    CadreFactory(jurisdiction=jurisdiction, name="李红梅")
    response = office_client.get(reverse("units:cadre_list"))
    assert response.context["object_list"].ordered
    assert [c.name for c in response.context["object_list"]] == ["王建国", "李红梅", "赵志强"]


def test_unit_page_lists_cadres_who_must_recuse(office_client, client, make_user, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇")
    RecusalFactorFactory(cadre=CadreFactory(jurisdiction=jurisdiction, name="王建国"), unit=town, kind="hometown")
    RecusalFactorFactory(cadre=CadreFactory(jurisdiction=jurisdiction, name="李红梅"), unit=town, is_active=False)
    page = office_client.get(reverse("units:unit_detail", args=[town.pk])).content.decode()
    assert "须回避的巡察干部（1）" in page and "王建国" in page and "李红梅" not in page
    client.force_login(make_user(Role.DISCIPLINE))
    assert "须回避的巡察干部" not in client.get(reverse("units:unit_detail", args=[town.pk])).content.decode()
