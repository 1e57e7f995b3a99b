"""The demo seed builds a believable county and fills the context later seeds rely on; it runs twice safely."""

import pytest

from inspection.accounts.models import ReceivingBody, Role
from inspection.units import demo
from inspection.units.models import Cadre, RecusalFactor, Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_seed_fills_the_context():
    context = demo.seed({})
    jurisdiction = context["jurisdiction"]
    assert jurisdiction.name == "清河县" and jurisdiction.office_name == "中共清河县委巡察工作领导小组办公室"
    units = context["units"]
    assert 110 <= len(units) <= 150
    assert {u.kind for u in units} >= set(UnitKind.values) - {UnitKind.OTHER}
    townships = [u for u in units if u.kind == UnitKind.TOWNSHIP]
    assert len(townships) == 12
    assert all(Unit.objects.filter(parent=t, kind=UnitKind.VILLAGE).count() >= 4 for t in townships)
    cadres = context["cadres"]
    assert 75 <= len(cadres) <= 90
    assert {c.pool for c in cadres} == set(Cadre.Pool.values)
    assert {c.joined_via for c in cadres} == set(Cadre.JoinedVia.values)
    assert Cadre.objects.filter(specialties__counts_as_finance=True).distinct().count() >= 8
    assert RecusalFactor.objects.filter(cadre__jurisdiction=jurisdiction).count() >= 20
    assert set(context["receiving_bodies"]) == {"discipline", "organization", "other"}
    assert context["receiving_bodies"]["discipline"].name == "县纪委监委"
    assert ReceivingBody.objects.filter(jurisdiction=jurisdiction).count() >= 4


def test_seed_users_log_in_with_the_demo_password():
    context = demo.seed({})
    users = context["users"]
    expected = {
        "office": Role.OFFICE,
        "leader": Role.LEADING_GROUP,
        "zuzhang": Role.TEAM_LEADER,
        "zuyuan": Role.TEAM_MEMBER,
        "jiwei": Role.DISCIPLINE,
        "zuzhibu": Role.ORGANIZATION,
        "liaison": Role.UNIT_LIAISON,
    }
    assert {name: users[name].role for name in expected} == expected
    assert users["admin"].is_superuser
    for name in [*expected, "admin"]:
        assert users[name].check_password("Xuncha@2026")
    assert users["liaison"].unit == context["liaison_unit"]
    assert context["liaison_unit"].kind == UnitKind.TOWNSHIP
    assert users["jiwei"].receiving_body.kind == ReceivingBody.Kind.DISCIPLINE
    assert users["zuzhibu"].receiving_body.kind == ReceivingBody.Kind.ORGANIZATION
    leader_cadre, member_cadre = context["leader_cadre"], context["member_cadre"]
    assert leader_cadre.pool == Cadre.Pool.LEADER and leader_cadre.user == users["zuzhang"]
    assert member_cadre.pool == Cadre.Pool.TALENT and member_cadre.user == users["zuyuan"]
    assert users["zuzhang"].display_name == leader_cadre.name


def test_seed_is_deterministic_and_idempotent():
    first = demo.seed({})
    counts = (Unit.objects.count(), Cadre.objects.count(), RecusalFactor.objects.count())
    second = demo.seed({})
    assert (Unit.objects.count(), Cadre.objects.count(), RecusalFactor.objects.count()) == counts
    assert [c.name for c in first["cadres"]] == [c.name for c in second["cadres"]]
    assert first["leader_cadre"] == second["leader_cadre"]


def test_the_demo_policy_is_the_default_and_one_password_is_about_to_expire(client):
    from inspection.accounts import demo_policy, security
    from inspection.accounts.models import SecurityPolicy

    users = demo_policy.seed(demo.seed({}))["users"]
    policy = SecurityPolicy.objects.get()
    assert {field: getattr(policy, field) for field in security.policy_defaults()} == security.policy_defaults()
    client.force_login(users["zuyuan"])
    assert "您的密码将于 6 天后过期" in client.get("/").content.decode()
    # Everyone else works without a forced change or a warning.
    for username in ("office", "leader", "zuzhang", "jiwei", "zuzhibu", "liaison", "admin"):
        client.force_login(users[username])
        page = client.get("/")
        assert page.status_code == 200 and "您的密码将于" not in page.content.decode(), username
