"""The administrators land on a home page with their own entries and no business figures (issue 15)."""

import pytest
from django.urls import reverse

from inspection.accounts.models import Role
from inspection.core import navigation

pytestmark = pytest.mark.django_db

ENTRIES = {
    Role.SYSTEM_ADMIN: {"账号管理"},
    Role.SECURITY_ADMIN: {"授权审批"},
    Role.AUDIT_ADMIN: set(),
}


@pytest.mark.parametrize("role", list(ENTRIES))
def test_an_administrator_home_shows_its_entries_and_no_figures(client, make_user, role):
    user = make_user(role, username=f"home-{role}", jurisdiction=None, phone="13807310005")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="home-{role}"' in body
    labels = {item["label"] for item in navigation.entries_for(user)} - {"首页"}
    # The other helpers of issue 15 add entries for these roles (security policy, audit); none is a business page.
    assert ENTRIES[role] <= labels
    business = {entry.label for entry in navigation._entries if not entry.roles & {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN,
                                                                                    Role.AUDIT_ADMIN}}
    assert not labels & business
    assert "主要数据" not in body and "下级汇总" not in body
    assert "figures" not in response.context or response.context["figures"] is None


@pytest.mark.parametrize("role", list(ENTRIES))
def test_administrators_need_the_second_factor(settings, make_user, role):
    from inspection.accounts import twofactor

    settings.OTP_ENFORCED = True
    assert twofactor.requires_two_factor(make_user(role, username=f"otp-{role}", jurisdiction=None))
