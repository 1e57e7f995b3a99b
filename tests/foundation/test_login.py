"""The login page speaks Chinese, and five failed logins lock the account (django-axes)."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "登录巡察管理系统" in page and "用户名" in page and "密码" in page
    assert 'lang="zh-hans"' in page


def test_wrong_password_shows_chinese_error(client, office_user):
    response = client.post(reverse("accounts:login"), {"username": "office", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_login_goes_home(client, office_user):
    response = client.post(reverse("accounts:login"), {"username": "office", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_lockout_after_five_failed_logins(client, office_user):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "office", "password": "wrong-password"})
    # Even the right password is refused now.
    response = client.post(reverse("accounts:login"), {"username": "office", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_require_login(client):
    response = client.get(reverse("units:unit_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert client.get("/api/units/").status_code in (401, 403)
