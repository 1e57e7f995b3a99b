"""No superuser under the production settings; the three administrators of a new installation come from
`manage.py bootstrap_admins`, once."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from inspection.accounts.models import Role, User
from tests.deploy.test_settings_choice import PRODUCTION_SECRETS, ROOT, clean_env
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "生产环境不允许超级用户登录，请使用系统管理员、安全管理员或安全审计员账号"


@pytest.fixture
def root(jurisdiction):
    return UserFactory(username="root", role="", is_superuser=True, is_staff=True, jurisdiction=jurisdiction)


@override_settings(SUPERUSER_LOGIN_ALLOWED=False)
def test_superuser_login_is_refused_under_production_rules(client, root):
    response = client.post(reverse("accounts:login"), {"username": "root", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(SUPERUSER_LOGIN_ALLOWED=False)
def test_superuser_is_refused_on_the_admin_login_and_its_session_counts_for_nothing(client, root):
    response = client.post("/admin/login/", {"username": "root", "password": TEST_PASSWORD, "next": "/admin/"})
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    client.force_login(root)  # a session opened before the switch, or by any other path
    assert client.get(reverse("home")).status_code == 302
    assert client.get("/admin/").status_code == 302


@override_settings(SUPERUSER_LOGIN_ALLOWED=False)
def test_other_users_still_log_in_under_production_rules(client, office_user):
    response = client.post(reverse("accounts:login"), {"username": "office", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_superuser_logs_in_outside_production(client, root):
    response = client.post(reverse("accounts:login"), {"username": "root", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_the_production_settings_refuse_superusers():
    env = clean_env(DJANGO_SETTINGS_MODULE="inspection.settings.production", **PRODUCTION_SECRETS)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.SUPERUSER_LOGIN_ALLOWED)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


ARGS = ["--system", "xtgly,何志远,13807310001", "--security", "aqgly,林静,13807310002", "--audit", "sjy,宋佳,13807310003"]


def test_bootstrap_creates_exactly_the_three_administrators_and_refuses_a_second_run():
    out = StringIO()
    call_command("bootstrap_admins", *ARGS, stdout=out)
    admins = User.objects.filter(role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
    assert sorted(admins.values_list("username", "role", "display_name", "phone", "is_superuser")) == [
        ("aqgly", Role.SECURITY_ADMIN, "林静", "13807310002", False),
        ("sjy", Role.AUDIT_ADMIN, "宋佳", "13807310003", False),
        ("xtgly", Role.SYSTEM_ADMIN, "何志远", "13807310001", False),
    ]
    assert User.objects.count() == 3
    text = out.getvalue()
    assert text.count("临时密码：") == 3
    for user in admins:
        password = next(line for line in text.splitlines() if f" {user.username} " in line).split("临时密码：")[1]
        assert user.check_password(password)

    with pytest.raises(CommandError) as refused:
        call_command("bootstrap_admins", "--system", "xtgly2,王五,13900000001", "--security", "aqgly2,赵六,13900000002",
                     "--audit", "sjy2,钱七,13900000003", stdout=StringIO())
    assert str(refused.value) == "已有管理员账号“xtgly”（系统管理员）：初始化只能在新安装时运行一次"
    assert User.objects.count() == 3


def test_bootstrap_refuses_one_person_for_two_roles():
    with pytest.raises(CommandError) as refused:
        call_command("bootstrap_admins", "--system", "xtgly,何志远,13807310001", "--security", "aqgly,何志远,13807310001",
                     "--audit", "sjy,宋佳,13807310003", stdout=StringIO())
    assert str(refused.value) == "三名管理员的姓名不能相同：三员须由三个不同的人担任（三员分立）"
    assert not User.objects.exists()
