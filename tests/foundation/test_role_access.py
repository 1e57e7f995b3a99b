"""Who may list, see and change units and cadres, on the pages and through the API, role by role."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from inspection.core import team_scope
from inspection.units.models import Cadre, Unit, UnitKind
from tests.factories import CadreFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


class FakeTeamScope:
    """The provider `rounds` registers, reduced to fixed answers for the team roles."""

    def __init__(self, *, units, cadres):
        self.units, self.cadres = units, cadres

    def _team(self, scope, ids):
        return ids if scope.user.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER) else []

    def unit_ids(self, scope):
        return self._team(scope, self.units)

    def cadre_ids(self, scope):
        return self._team(scope, self.cadres)


@pytest.fixture
def world(make_user, jurisdiction, other_jurisdiction, monkeypatch):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    bureau = UnitFactory(jurisdiction=jurisdiction, name="县财政局")
    foreign = UnitFactory(jurisdiction=other_jurisdiction, name="柳林县财政局")
    users = {role: make_user(role, username=role) for role in Role.values if role != Role.UNIT_LIAISON}
    users[Role.UNIT_LIAISON] = make_user(Role.UNIT_LIAISON, username="liaison", unit=town)
    users["other_office"] = UserFactory(role=Role.OFFICE, jurisdiction=other_jurisdiction, username="other_office")
    member_cadre = CadreFactory(jurisdiction=jurisdiction, name="王建国", user=users[Role.TEAM_MEMBER])
    colleague = CadreFactory(jurisdiction=jurisdiction, name="李红梅", pool=Cadre.Pool.LEADER)
    stranger = CadreFactory(jurisdiction=jurisdiction, name="赵志强")
    foreign_cadre = CadreFactory(jurisdiction=other_jurisdiction, name="孙丽")
    # Team scoping belongs to `rounds`; here a provider stands in for "the team inspects 县财政局 with 李红梅".
    monkeypatch.setattr(team_scope, "_provider", None)
    team_scope.register(FakeTeamScope(units=[bureau.pk], cadres=[colleague.pk]))
    return {
        "users": users,
        "town": town,
        "bureau": bureau,
        "foreign": foreign,
        "member_cadre": member_cadre,
        "colleague": colleague,
        "stranger": stranger,
        "foreign_cadre": foreign_cadre,
    }


# role -> units it lists (by name)
UNIT_LISTS = {
    Role.OFFICE: {"城关镇", "县财政局"},
    Role.LEADING_GROUP: {"城关镇", "县财政局"},
    Role.TEAM_LEADER: {"县财政局"},
    Role.TEAM_MEMBER: {"县财政局"},
    Role.DISCIPLINE: {"城关镇", "县财政局"},
    Role.ORGANIZATION: {"城关镇", "县财政局"},
    Role.UNIT_LIAISON: {"城关镇"},
    "other_office": {"柳林县财政局"},
}
# role -> cadres it lists; None means the page/endpoint is refused
CADRE_LISTS = {
    Role.OFFICE: {"王建国", "李红梅", "赵志强"},
    Role.LEADING_GROUP: {"王建国", "李红梅", "赵志强"},
    Role.TEAM_LEADER: {"李红梅"},
    Role.TEAM_MEMBER: {"王建国", "李红梅"},
    Role.DISCIPLINE: None,
    Role.ORGANIZATION: None,
    Role.UNIT_LIAISON: None,
    "other_office": {"孙丽"},
}
CHANGERS = {Role.OFFICE, "other_office"}


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", list(UNIT_LISTS))
def test_unit_pages_by_role(world, role):
    client = _client(world["users"][role])
    response = client.get(reverse("units:unit_list"))
    assert response.status_code == 200
    assert {u.name for u in response.context["object_list"]} == UNIT_LISTS[role]
    for unit in (world["town"], world["bureau"], world["foreign"]):
        expected = 200 if unit.name in UNIT_LISTS[role] else 404
        assert client.get(reverse("units:unit_detail", args=[unit.pk])).status_code == expected
    may_change = role in CHANGERS
    assert client.get(reverse("units:unit_create")).status_code == (200 if may_change else 403)
    own = world["foreign"] if role == "other_office" else world["town"]
    update = client.post(reverse("units:unit_update", args=[own.pk]), {"name": "改名", "kind": UnitKind.TOWNSHIP})
    # Units are not secret: a role that may not change units is told so (403) before any lookup.
    assert update.status_code == (302 if may_change else 403)
    own.refresh_from_db()
    assert (own.name == "改名") == may_change


def test_office_cannot_edit_another_jurisdictions_unit(world):
    client = _client(world["users"][Role.OFFICE])
    url = reverse("units:unit_update", args=[world["foreign"].pk])
    assert client.post(url, {"name": "改名", "kind": UnitKind.COUNTY_DEPARTMENT}).status_code == 404
    assert client.post(reverse("units:unit_retire", args=[world["foreign"].pk])).status_code == 404


@pytest.mark.parametrize("role", list(CADRE_LISTS))
def test_cadre_pages_by_role(world, role):
    client = _client(world["users"][role])
    response = client.get(reverse("units:cadre_list"))
    expected = CADRE_LISTS[role]
    if expected is None:
        assert response.status_code == 403
        assert client.get(reverse("units:cadre_detail", args=[world["stranger"].pk])).status_code == 403
        return
    assert response.status_code == 200
    assert {c.name for c in response.context["object_list"]} == expected
    for key in ("member_cadre", "colleague", "stranger", "foreign_cadre"):
        cadre = world[key]
        status = 200 if cadre.name in expected else 404
        assert client.get(reverse("units:cadre_detail", args=[cadre.pk])).status_code == status
    assert client.get(reverse("units:cadre_create")).status_code == (200 if role in CHANGERS else 403)


def test_team_member_does_not_see_recusal_factors_or_edit_buttons(world):
    client = _client(world["users"][Role.TEAM_MEMBER])
    page = client.get(reverse("units:cadre_detail", args=[world["member_cadre"].pk])).content.decode()
    assert 'id="recusal"' not in page and "编辑" not in page
    office_page = _client(world["users"][Role.OFFICE]).get(reverse("units:cadre_detail", args=[world["member_cadre"].pk]))
    assert 'id="recusal"' in office_page.content.decode()


@pytest.mark.parametrize("role", list(UNIT_LISTS))
def test_units_api_by_role(world, role):
    api = _api(world["users"][role])
    response = api.get("/api/units/")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == UNIT_LISTS[role]
    for unit in (world["town"], world["bureau"], world["foreign"]):
        expected = 200 if unit.name in UNIT_LISTS[role] else 404
        assert api.get(f"/api/units/{unit.pk}/").status_code == expected
    created = api.post("/api/units/", {"name": "县审计局", "kind": UnitKind.COUNTY_DEPARTMENT}, format="json")
    assert created.status_code == (201 if role in CHANGERS else 403)
    own = world["foreign"] if role == "other_office" else world["town"]
    patched = api.patch(f"/api/units/{own.pk}/", {"head_name": "新负责人"}, format="json")
    assert patched.status_code == (200 if role in CHANGERS else 403 if own.name in UNIT_LISTS[role] else 404)


@pytest.mark.parametrize("role", list(CADRE_LISTS))
def test_cadres_api_by_role(world, role):
    api = _api(world["users"][role])
    response = api.get("/api/cadres/")
    expected = CADRE_LISTS[role]
    if expected is None:
        assert response.status_code == 403
        return
    assert {row["name"] for row in response.json()["results"]} == expected
    created = api.post(
        "/api/cadres/", {"name": "周文", "pool": "talent", "joined_via": "self"}, format="json"
    )
    assert created.status_code == (201 if role in CHANGERS else 403)


def test_recusal_factor_api_is_for_oversight_only(world):
    office = _api(world["users"][Role.OFFICE])
    payload = {"cadre": world["stranger"].pk, "unit": world["town"].pk, "kind": "hometown", "description": "籍贯城关镇"}
    created = office.post("/api/recusal-factors/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["unit_name"] == "城关镇"
    again = office.post("/api/recusal-factors/", payload, format="json")
    assert again.status_code == 400 and "unit" in again.json()
    assert _api(world["users"][Role.LEADING_GROUP]).get("/api/recusal-factors/").json()["results"]
    assert _api(world["users"][Role.TEAM_LEADER]).get("/api/recusal-factors/").status_code == 403
    assert _api(world["users"]["other_office"]).get(f"/api/recusal-factors/{created.json()['id']}/").status_code == 404
    foreign_unit = {**payload, "unit": world["foreign"].pk}
    assert office.post("/api/recusal-factors/", foreign_unit, format="json").status_code == 400


def test_api_has_no_delete(world):
    api = _api(world["users"][Role.OFFICE])
    assert api.delete(f"/api/units/{world['town'].pk}/").status_code == 405
    assert api.delete(f"/api/cadres/{world['stranger'].pk}/").status_code == 405
    assert Unit.objects.filter(pk=world["town"].pk).exists()


def test_api_validation_errors_are_400_with_chinese_field_message(world):
    api = _api(world["users"][Role.OFFICE])
    town, bureau = world["town"], world["bureau"]
    api.patch(f"/api/units/{bureau.pk}/", {"parent": town.pk}, format="json")
    cycle = api.patch(f"/api/units/{town.pk}/", {"parent": bureau.pk}, format="json")
    assert cycle.status_code == 400
    assert "循环" in cycle.json()["parent"][0]
    duplicate = api.post("/api/units/", {"name": "县财政局", "kind": "county_department"}, format="json")
    assert duplicate.status_code == 400 and "已有名为" in duplicate.json()["name"][0]
    foreign_parent = api.post(
        "/api/units/", {"name": "县审计局", "kind": "county_department", "parent": world["foreign"].pk}, format="json"
    )
    assert foreign_parent.status_code == 400 and "parent" in foreign_parent.json()
    bad_kind = api.post("/api/units/", {"name": "县审计局", "kind": "nonsense"}, format="json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
