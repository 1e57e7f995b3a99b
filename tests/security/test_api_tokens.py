"""API tokens (issue 15 items 4 and 7): issued only after the second factor, only the digest stored, expiry,
revocation by the owner on the 'API 令牌' page, 401 with a Chinese detail, logout leaves them alone."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.accounts import tokens
from inspection.accounts.demo_otp import current_code
from inspection.accounts.models import ApiToken, Role
from tests.factories import TEST_PASSWORD, issue_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enforce(settings):
    settings.OTP_ENFORCED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def api(client, secret, path="/api/units/"):
    return client.get(path, HTTP_AUTHORIZATION=f"Token {secret}")


def verified_login(client, user):
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    assert client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    assert client.post("/accounts/2fa/verify/", {"token": current_code(device)}).status_code == 302
    return device


def test_a_session_that_passed_the_second_factor_issues_a_token_shown_once(client, make_user, settings):
    user = make_user(Role.OFFICE)
    verified_login(client, user)
    response = client.post("/accounts/tokens/", {"name": "纪委监委案件管理系统对接", "days": "30"})
    assert response.status_code == 200
    secret = response.context["issued"].secret
    assert "令牌只显示这一次" in response.content.decode() and secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (token.name, token.key_hash, token.prefix) == ("纪委监委案件管理系统对接", tokens.digest(secret), secret[:8])
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    # Only the digest is stored: the secret is in no column of the row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken WHERE id = %s", [token.pk])
        assert not any(secret in str(value) for value in cursor.fetchone())
    # The list shows the row, never the secret again.
    page = client.get("/accounts/tokens/").content.decode()
    assert "纪委监委案件管理系统对接" in page and secret not in page and token.prefix in page
    assert api(client.__class__(), secret).status_code == 200


def test_a_session_without_the_second_factor_cannot_issue(client, make_user):
    user = make_user(Role.TEAM_MEMBER)  # a role that logs in with a password alone: still no token without it
    client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    assert "签发 API 令牌前需先绑定身份验证器并完成二次验证。" in page.content.decode()
    response = client.post("/accounts/tokens/", {"name": "自动化脚本", "days": "30"})
    assert response.status_code == 200 and "issued" not in response.context
    assert not ApiToken.objects.exists()


def test_the_expiry_is_bounded_by_the_setting(client, make_user, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    verified_login(client, user := make_user(Role.OFFICE))
    response = client.post("/accounts/tokens/", {"name": "长期令牌", "days": "91"})
    assert response.context["form"].errors == {"days": ["有效期最长 90 天"]}
    assert not ApiToken.objects.filter(user=user).exists()


def test_an_expired_token_answers_401_in_chinese(client, make_user):
    secret = issue_api_token(make_user(Role.OFFICE))
    expired = timezone.make_aware(datetime.datetime(2026, 11, 1, 8, 30))
    ApiToken.objects.update(created_at=expired - datetime.timedelta(days=30), expires_at=expired)
    response = api(client, secret)
    assert response.status_code == 401
    assert response.json() == {"detail": "API 令牌已于 2026-11-01 08:30 过期，请在“API 令牌”页面重新签发。"}


def test_the_owner_revokes_a_token_and_it_answers_401(client, make_user):
    user = make_user(Role.TEAM_MEMBER)
    secret = issue_api_token(user)
    token = ApiToken.objects.get(user=user)
    client.force_login(user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").url == "/accounts/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已撤销" in client.get("/accounts/tokens/").content.decode()
    response = api(client.__class__(), secret)
    assert response.status_code == 401
    assert response.json() == {"detail": "API 令牌已被撤销，请在“API 令牌”页面重新签发。"}


def test_nobody_revokes_another_users_token(client, make_user):
    secret = issue_api_token(owner := make_user(Role.TEAM_MEMBER))
    token = ApiToken.objects.get(user=owner)
    client.force_login(make_user(Role.TEAM_MEMBER))
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "没有找到该令牌" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None and api(client.__class__(), secret).status_code == 200


def test_a_forged_token_and_a_disabled_owner_are_refused(client, make_user):
    assert api(client, "xc_forged").json() == {"detail": "认证令牌无效。"}
    secret = issue_api_token(user := make_user(Role.OFFICE))
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = api(client, secret)
    assert (response.status_code, response.json()) == (401, {"detail": "账号已停用。"})


def test_a_call_records_when_the_token_was_last_used(client, make_user):
    secret = issue_api_token(make_user(Role.OFFICE))
    assert ApiToken.objects.get().last_used_at is None
    api(client, secret)
    assert ApiToken.objects.get().last_used_at is not None


def test_logout_destroys_the_session_but_not_the_tokens(client, make_user):
    user = make_user(Role.OFFICE)
    verified_login(client, user)
    secret = client.post("/accounts/tokens/", {"name": "报表脚本", "days": "7"}).context["issued"].secret
    session_key = client.session.session_key
    from django.contrib.sessions.backends.cached_db import SessionStore

    assert SessionStore().exists(session_key)
    client.post("/accounts/logout/")
    assert not SessionStore().exists(session_key)
    assert client.get("/accounts/tokens/").status_code == 302
    # A token is a separate credential a program holds: it stays valid until it expires or is revoked.
    assert api(client.__class__(), secret).status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_the_token_page_runs_a_constant_number_of_queries(client, make_user, django_assert_max_num_queries, n):
    user = make_user(Role.TEAM_MEMBER)
    for i in range(n):
        issue_api_token(user, name=f"对接{i}")
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get("/accounts/tokens/").status_code == 200


def test_the_demo_token_is_issued_after_the_demo_second_factor_and_listed(client, make_user):
    from inspection.accounts.demo_otp import DEMO_TOKEN_NAME, demo_api_token

    user = make_user(Role.DISCIPLINE, username="jiwei")
    token = demo_api_token(user)
    assert (token.name, token.user_id, token.device_id) == (DEMO_TOKEN_NAME, user.pk, user.otp_device.persistent_id)
    client.force_login(user)
    # The page needs the second factor for this role; with it off the row is what the demo shows.
    from django.test import override_settings

    with override_settings(OTP_ENFORCED=False):
        page = client.get("/accounts/tokens/").content.decode()
    assert DEMO_TOKEN_NAME in page and "有效" in page


def test_a_reset_password_stops_the_owners_token_until_the_owner_changes_it(client, make_user):
    """The forced change is one rule for sessions and tokens: the token's calls answer 403 with the same reason as
    the pages, and work again once the owner has chosen a new password."""
    from inspection.accounts import security

    owner = make_user(Role.OFFICE)
    secret = issue_api_token(owner)
    assert api(client, secret).status_code == 200
    security.password_set_temporary(user=owner)
    response = api(client, secret)
    assert (response.status_code, response.json()) == (403, {"detail": "您正在使用管理员设置的临时密码，请先修改密码"})
    owner.refresh_from_db()
    owner.set_password("Qinghe#2031xyz")
    owner.must_change_password = False
    owner.save()
    assert api(client, secret).status_code == 200


def test_issuing_and_revoking_a_token_are_security_events(client, make_user, settings):
    settings.OTP_ENFORCED = False  # the page, not the second factor, is under test here
    from inspection.audit.models import AuditEvent

    owner = make_user(Role.OFFICE)
    issue_api_token(owner)
    token = ApiToken.objects.get(user=owner)
    client.force_login(owner)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    details = list(AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT).order_by("id").values_list("user", "detail"))
    assert [user for user, _ in details] == [owner.pk, owner.pk]
    assert details[0][1].startswith(f"签发 API 令牌“{token}”，有效期至")
    assert details[1][1] == f"持有人撤销 API 令牌“{token}”"


def test_the_security_administrator_sees_every_token_and_revokes_one_with_a_reason(client, make_user, settings):
    settings.OTP_ENFORCED = False  # the page, not the second factor, is under test here
    from inspection.audit.models import AuditEvent

    holders = [make_user(Role.OFFICE, username="office1"), make_user(Role.TEAM_MEMBER, username="member1")]
    secrets_ = [issue_api_token(holder) for holder in holders]
    security_admin = make_user(Role.SECURITY_ADMIN, username="anquan", jurisdiction=None)
    client.force_login(security_admin)
    page = client.get("/accounts/tokens/all/")
    assert page.status_code == 200
    assert sorted(token.pk for token, _ in page.context["rows"]) == sorted(ApiToken.objects.values_list("pk", flat=True))
    target = ApiToken.objects.get(user=holders[1])

    refused = client.post(f"/accounts/tokens/all/{target.pk}/revoke/", {"reason": " "}, follow=True)
    assert "请填写撤销理由" in refused.content.decode()
    target.refresh_from_db()
    assert target.revoked_at is None

    done = client.post(f"/accounts/tokens/all/{target.pk}/revoke/", {"reason": "人员调离巡察组"}, follow=True)
    assert "已撤销" in done.content.decode() and "并通知持有人" in done.content.decode()
    assert api(client.__class__(), secrets_[1]).status_code == 401
    assert api(client.__class__(), secrets_[0]).status_code == 200
    notice = holders[1].notifications.get()
    assert notice.title == f"您的 API 令牌“{target.name}”已被安全管理员撤销" and "人员调离巡察组" in notice.body
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT, user=security_admin).get()
    assert event.detail == f"安全管理员撤销 member1 的 API 令牌“{target}”：人员调离巡察组"


@pytest.mark.parametrize("role", [Role.OFFICE, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.TEAM_LEADER])
def test_nobody_else_oversees_or_revokes_others_tokens(client, make_user, role, settings):
    settings.OTP_ENFORCED = False  # the page, not the second factor, is under test here
    owner = make_user(Role.TEAM_MEMBER, username="member1")
    secret = issue_api_token(owner)
    token = ApiToken.objects.get(user=owner)
    client.force_login(make_user(role, username="someone", jurisdiction=None if role in (
        Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN) else owner.jurisdiction))
    assert client.get("/accounts/tokens/all/").status_code == 403
    client.post(f"/accounts/tokens/all/{token.pk}/revoke/", {"reason": "试图撤销"})
    token.refresh_from_db()
    assert token.revoked_at is None and api(client.__class__(), secret).status_code == 200


@pytest.mark.parametrize("n", [1, 15])
def test_the_oversight_page_runs_a_constant_number_of_queries(client, make_user, django_assert_max_num_queries, n, settings):
    settings.OTP_ENFORCED = False  # the page, not the second factor, is under test here
    for i in range(n):
        issue_api_token(make_user(Role.OFFICE, username=f"office{i}"))
    client.force_login(make_user(Role.SECURITY_ADMIN, username="anquan", jurisdiction=None))
    with django_assert_max_num_queries(14):
        assert client.get("/accounts/tokens/all/").status_code == 200
