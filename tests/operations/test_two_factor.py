"""Two-factor login for the roles that see secret records."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.accounts.demo_otp import current_code
from inspection.accounts.models import Role
from tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def enforce(settings):
    settings.OTP_ENFORCED = True
    # django-otp delays retries after a wrong code; the tests type a wrong code and then the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_login(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION])
def test_sensitive_roles_set_up_an_authenticator_before_anything_else(client, make_user, role):
    user = make_user(role)
    password_login(client, user)
    assert client.get("/").url == "/accounts/2fa/setup/"
    assert client.get("/api/units/").status_code == 403
    page = client.get("/accounts/2fa/setup/")
    assert "扫描下方二维码" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/accounts/2fa/setup/", {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    done = client.post("/accounts/2fa/setup/", {"token": current_code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and "只显示这一次" in done.content.decode()
    assert client.get("/").status_code == 200


def test_a_returning_user_verifies_with_a_code_or_a_recovery_code_once(client, make_user):
    user = make_user(Role.OFFICE)
    password_login(client, user)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    from inspection.accounts.twofactor import recovery_codes_regenerate

    codes = recovery_codes_regenerate(user=user)
    assert client.get("/").url == "/accounts/2fa/verify/"
    assert "不正确" in client.post("/accounts/2fa/verify/", {"token": "12345678"}).content.decode()
    assert client.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200

    client.post("/accounts/logout/")
    password_login(client, user)
    assert "不正确" in client.post("/accounts/2fa/verify/", {"token": codes[0]}).content.decode()
    assert client.post("/accounts/2fa/verify/", {"token": current_code(device)}).status_code == 302


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.UNIT_LIAISON])
def test_other_roles_log_in_with_a_password(client, make_user, role):
    password_login(client, make_user(role))
    assert client.get("/").status_code == 200


def test_lock_out_after_repeated_failed_logins(client, make_user):
    user = make_user(Role.TEAM_MEMBER)
    for _ in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert "锁定" in response.content.decode()


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("http://testserver.evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\\evil.example", "/"),
        ("/rounds/", "/rounds/"),
    ],
)
def test_the_second_factor_never_redirects_off_site(client, make_user, target, landing):
    user = make_user(Role.OFFICE)
    password_login(client, user)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    response = client.post(f"/accounts/2fa/verify/?next={target}", {"token": current_code(device)})
    assert response.status_code == 302
    assert response.url == landing


def test_login_refuses_an_off_site_next(client, make_user):
    user = make_user(Role.TEAM_MEMBER)
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/"


OFF_SITE = ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "/\\evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_setting_up_the_second_factor_never_leads_off_site(client, make_user, target):
    user = make_user(Role.OFFICE)
    password_login(client, user)
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(f"/accounts/2fa/setup/?next={target}", {"token": current_code(device)})
    assert done.context["next_url"] == "/"
    assert 'href="/">进入系统' in done.content.decode()


def test_setting_up_the_second_factor_returns_to_the_page_asked_for(client, make_user):
    user = make_user(Role.OFFICE)
    password_login(client, user)
    # The middleware sends the user to set up with the page asked for as next ...
    assert client.get("/rounds/?phase=plan").url == "/accounts/2fa/setup/?next=%2Frounds%2F%3Fphase%3Dplan"
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/2fa/setup/?next=/rounds/%3Fphase%3Dplan", {"token": current_code(device)})
    assert done.context["next_url"] == "/rounds/?phase=plan"


def test_verifying_returns_to_the_page_asked_for(client, make_user):
    user = make_user(Role.DISCIPLINE)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    password_login(client, user)
    assert client.get("/rounds/").url == "/accounts/2fa/verify/?next=%2Frounds%2F"
    response = client.post("/accounts/2fa/verify/?next=%2Frounds%2F", {"token": current_code(device)})
    assert response.url == "/rounds/"


def test_over_https_a_plain_http_next_is_refused(client, make_user):
    user = make_user(Role.OFFICE)
    password_login(client, user)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    response = client.post(
        "/accounts/2fa/verify/?next=http://testserver/rounds/", {"token": current_code(device)}, secure=True
    )
    assert response.url == "/"


@pytest.mark.parametrize(("target", "landing"), [*[(t, "/accounts/login/") for t in OFF_SITE], ("/rounds/", "/rounds/")])
def test_logout_never_redirects_off_site(client, make_user, target, landing):
    password_login(client, make_user(Role.TEAM_MEMBER))
    response = client.post("/accounts/logout/", {"next": target})
    assert (response.status_code, response.url) == (302, landing)


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_refuses_every_off_site_next(client, make_user, target):
    user = make_user(Role.TEAM_MEMBER)
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD, "next": target})
    assert (response.status_code, response.url) == (302, "/")
