"""The demo has the three administrators (three people, the demo password, a second factor in seed_demo) and
one grant waiting for the security administrator."""

import pytest

from inspection.accounts import demo
from inspection.accounts.models import Role, RoleGrant, User
from inspection.units import demo as units_demo

pytestmark = pytest.mark.django_db


def test_demo_administrators_and_a_pending_grant():
    context = demo.seed(units_demo.seed({}))
    admins = context["administrators"]
    assert {role: (u.username, u.display_name) for role, u in admins.items()} == {
        Role.SYSTEM_ADMIN: ("xitong", "何志远"),
        Role.SECURITY_ADMIN: ("anquan", "林静"),
        Role.AUDIT_ADMIN: ("shenji", "宋佳"),
    }
    assert all(u.check_password("Xuncha@2026") and not u.is_superuser for u in admins.values())
    grant = RoleGrant.objects.get()
    assert (grant.user.username, grant.user.unit.name, grant.role, grant.status, grant.requested_by) == (
        "jiaoyu", "县教育局", Role.UNIT_LIAISON, RoleGrant.Status.PENDING, admins[Role.SYSTEM_ADMIN])
    assert grant.user.role == ""
    assert admins[Role.SECURITY_ADMIN].notifications.get().title == f"{grant}待审批：被巡察单位联络员"

    demo.seed(context)  # a second run adds nothing
    assert User.objects.filter(role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]).count() == 3
    assert RoleGrant.objects.count() == 1


def test_the_demo_logins_open_their_home_page_without_a_forced_change(client):
    """`./dev demo` lists these logins with one password: each reaches its home page, not the change form (the
    services made them with a temporary password, as for a real office)."""
    demo.seed(units_demo.seed({}))
    assert list(User.objects.filter(must_change_password=True).values_list("username", flat=True)) == []
    assert client.post("/accounts/login/", {"username": "jiaoyu", "password": "Xuncha@2026"}).status_code == 302
    assert client.get("/").status_code == 200  # the forced change would redirect to /accounts/password/
