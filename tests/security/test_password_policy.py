"""身份鉴别 (GB/T 22239-2019 §8.1.4.1): password rules of the security policy, their Chinese messages, the
history of the last five, expiry and the first-login change forcing every page to the change page, and the
security administrator's policy page (issue 15 item 4)."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from inspection.accounts import security
from inspection.accounts.models import PasswordHistory, Role, SecurityPolicy, User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

CHANGE_URL = "/accounts/password/"
POLICY_URL = "/accounts/security-policy/"


def problems(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.fixture
def user(make_user):
    return make_user(Role.OFFICE, username="zhangwei")


# --- Each rule, with its exact message -------------------------------------------------------------------------


def test_each_password_rule_has_its_chinese_message(user):
    assert problems("Qh#2026", user) == ["密码至少 8 位"]
    assert problems("qinghe2026x", user) == ["密码须包含大写字母、小写字母、数字、特殊字符中的至少三类"]
    assert problems("Zhangwei#2026", user) == ["密码不能包含用户名"]
    assert problems("ZHANGWEI-qh-2026", user) == ["密码不能包含用户名"]  # case-insensitive
    assert problems(TEST_PASSWORD, user) == ["不能与最近 5 次使用过的密码相同"]
    assert problems("Qinghe#2026", user) == []
    # Three classes suffice by default: upper, lower, special without a digit.
    assert problems("Qinghe#Xian", user) == []


def test_the_rules_follow_the_policy(user):
    security.policy_update(actor=None, values={"min_length": 12, "min_char_classes": 4})
    assert problems("Qinghe#2026", user) == ["密码至少 12 位"]
    assert problems("Qinghe#Xianwei", user) == ["密码须包含大写字母、小写字母、数字、特殊字符中的至少四类"]
    assert problems("Qinghe#Xian2026", user) == []


def test_the_last_five_passwords_are_refused_and_the_sixth_allowed(user):
    passwords = [f"Qinghe#{n}-2026" for n in range(1, 6)]
    for password in passwords:  # TEST_PASSWORD, then five more: TEST_PASSWORD is now the sixth back
        security.password_change(user=user, new_password=password)
    user.refresh_from_db()
    for password in passwords:
        with pytest.raises(security.DomainError) as refused:
            security.password_change(user=user, new_password=password)
        assert refused.value.message == "不能与最近 5 次使用过的密码相同"
        assert refused.value.field == "new_password1"
    security.password_change(user=user, new_password=TEST_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    # Only hashes are kept, never the password itself.
    stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(stored) == 7 and not any(TEST_PASSWORD in value or "Qinghe" in value for value in stored)


def test_saving_a_password_restarts_its_age(user):
    long_ago = timezone.now() - timedelta(days=120)
    type(user).objects.filter(pk=user.pk).update(password_changed_at=long_ago)
    user.refresh_from_db()
    security.password_change(user=user, new_password="Qinghe#2026")
    user.refresh_from_db()
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)


# --- Expiry and the first login force the change ---------------------------------------------------------------


def _age(user, days):
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))


def test_an_expired_password_sends_every_page_to_the_change_page_and_the_api_answers_403(client, user):
    _age(user, 91)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == CHANGE_URL
    assert client.get("/units/")["Location"] == CHANGE_URL
    api = client.get("/api/units/")
    assert api.status_code == 403
    assert api.json() == {"detail": "您的密码已超过 90 天有效期，请先修改密码"}
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert "您的密码已超过 90 天有效期，请先修改密码" in page.content.decode()

    refused = client.post(
        CHANGE_URL, {"old_password": TEST_PASSWORD, "new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["new_password1"] == ["不能与最近 5 次使用过的密码相同"]
    changed = client.post(
        CHANGE_URL, {"old_password": TEST_PASSWORD, "new_password1": "Qinghe#2026", "new_password2": "Qinghe#2026"}
    )
    assert changed.status_code == 302 and changed["Location"] == "/"
    # The session survived its own password change; the pages and the API are open again.
    assert client.get("/").status_code == 200
    assert client.get("/api/units/").status_code == 200


def test_a_password_within_its_period_passes_and_warns_in_the_last_week(client, user):
    _age(user, 89)
    client.force_login(user)
    home = client.get("/")
    assert home.status_code == 200
    assert "您的密码将于 1 天后过期" in home.content.decode()
    _age(user, 80)
    assert "您的密码将于" not in client.get("/").content.decode()


def test_the_change_page_refuses_a_wrong_current_password_and_a_mismatch(client, user):
    client.force_login(user)
    response = client.post(
        CHANGE_URL, {"old_password": "wrong", "new_password1": "Qinghe#2026", "new_password2": "Qinghe#2027"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "old_password": ["当前密码不正确"],
        "new_password2": ["两次输入的新密码不一致"],
    }


def test_a_temporary_password_is_changed_at_the_first_login(client, user):
    temporary = security.password_set_temporary(user=user)
    assert problems(temporary, user) == ["不能与最近 5 次使用过的密码相同"]  # it meets every other rule
    login = client.post("/accounts/login/", {"username": "zhangwei", "password": temporary})
    assert login.status_code == 302
    assert client.get(login["Location"])["Location"] == CHANGE_URL
    assert client.get("/api/units/").json() == {"detail": "您正在使用管理员设置的临时密码，请先修改密码"}
    page = client.get(CHANGE_URL)
    assert "您正在使用管理员设置的临时密码，请先修改密码" in page.content.decode()
    client.post(CHANGE_URL, {"old_password": temporary, "new_password1": "Qinghe#2026", "new_password2": "Qinghe#2026"})
    user.refresh_from_db()
    assert user.must_change_password is False
    assert client.get("/").status_code == 200


def test_the_second_factor_comes_before_the_forced_change(client, user, settings):
    """login → 2FA → forced change: a stolen password alone never reaches the change page."""
    settings.OTP_ENFORCED = True
    _age(user, 91)
    client.post("/accounts/login/", {"username": "zhangwei", "password": TEST_PASSWORD})
    assert client.get("/")["Location"] == "/accounts/2fa/setup/"
    assert client.get(CHANGE_URL)["Location"].split("?")[0] == "/accounts/2fa/setup/"
    assert client.get("/api/units/").json() == {"detail": "需要先完成二次验证（动态口令）"}


# --- The security administrator's page -------------------------------------------------------------------------


@pytest.fixture
def security_admin_client(client, make_user):
    client.force_login(make_user(Role.SECURITY_ADMIN, username="anquan", jurisdiction=None))
    return client


@pytest.mark.parametrize("role", [Role.OFFICE, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.LEADING_GROUP])
def test_the_policy_page_is_refused_to_every_other_role(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(POLICY_URL).status_code == 403
    assert client.post(POLICY_URL, security.policy_defaults()).status_code == 403
    assert SecurityPolicy.history.count() == 0


def test_the_policy_page_asks_a_visitor_to_log_in(client):
    assert client.get(POLICY_URL)["Location"] == f"/accounts/login/?next={POLICY_URL}"


def test_the_security_administrator_sees_and_changes_the_policy(security_admin_client):
    page = security_admin_client.get(POLICY_URL)
    assert page.status_code == 200
    assert page.context["form"].initial["min_length"] == 8 and page.context["form"].initial["expiry_days"] == 90
    assert "会话最长时长（小时）" in page.content.decode()
    values = {**security.policy_defaults(), "min_length": 10, "max_sessions": 1}
    response = security_admin_client.post(POLICY_URL, values)
    assert response.status_code == 302
    policy = SecurityPolicy.objects.get()
    assert (policy.min_length, policy.max_sessions, policy.updated_by.username) == (10, 1, "anquan")
    record = policy.history.latest("history_date")
    assert record.history_change_reason == "密码最小长度：8 → 10；同一账号同时在线会话数：2 → 1"
    assert record.history_user.username == "anquan"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("min_length", 6, "密码最小长度不能小于 8"),
        ("min_char_classes", 2, "至少包含的字符类别数不能小于 3"),
        ("history_count", 3, "密码历史检查次数不能小于 5"),
        ("expiry_days", 0, "密码有效期（天）不能小于 1"),
        ("expiry_days", 366, "密码有效期（天）不能大于 365"),
        ("idle_minutes", 60, "会话空闲超时（分钟）不能大于 30"),
        ("max_sessions", 0, "同一账号同时在线会话数不能小于 1"),
        ("expiry_days", "九十", "请输入整数"),
    ],
)
def test_bad_policy_values_are_form_errors(security_admin_client, field, value, message):
    response = security_admin_client.post(POLICY_URL, {**security.policy_defaults(), field: value})
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert SecurityPolicy.history.count() == 0


def test_the_service_refuses_what_the_form_refuses(make_user):
    with pytest.raises(security.DomainError) as refused:
        security.policy_update(actor=None, values={"min_length": 7})
    assert (refused.value.message, refused.value.field) == ("密码最小长度不能小于 8", "min_length")
    with pytest.raises(security.DomainError) as refused:
        security.policy_update(actor=make_user(Role.SYSTEM_ADMIN), values={"min_length": 12})
    assert refused.value.message == "只有安全管理员可以修改安全策略"


def test_a_policy_change_takes_effect_on_the_next_request(security_admin_client, user):
    _age(user, 40)
    office = Client()
    office.force_login(user)
    assert office.get("/").status_code == 200
    values = {**security.policy_defaults(), "expiry_days": 30}
    assert security_admin_client.post(POLICY_URL, values).status_code == 302
    assert office.get("/")["Location"] == CHANGE_URL


def test_an_account_made_in_the_admin_changes_its_password_at_the_first_login(admin_client, client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "newcomer", "password1": "Qinghe#2026", "password2": "Qinghe#2026", "usable_password": "true",
         "display_name": "新同事", "role": Role.OFFICE, "_save": "保存"},
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.must_change_password is True
    client.force_login(newcomer)
    assert client.get("/")["Location"] == CHANGE_URL


def test_the_admin_add_form_speaks_the_policy(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "newcomer", "password1": "qinghe", "password2": "qinghe", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["password2"] == [
        "密码至少 8 位",
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类",
    ]


def test_every_temporary_password_comes_from_the_one_policy_generator(user):
    """Account creation, reset and the bootstrap administrators share one generator: the policy's length, all
    four classes, no look-alike characters, never the username."""
    security.policy_update(actor=None, values={"min_length": 16})
    for _ in range(50):
        password = security.temporary_password(username="abc")
        assert len(password) == 16
        assert security.char_classes(password) == 4
        assert not set(password) & set("0O1lI")
        assert "abc" not in password.casefold()
