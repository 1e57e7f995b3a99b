"""The Django admin without English leftovers (issue 15: "AXES", "OTP_STATIC", "After you've created a user…")."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client, jurisdiction):
    client.force_login(UserFactory(username="root", role="", is_superuser=True, is_staff=True, jurisdiction=jurisdiction))
    return client


def _english_words(html):
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_’']{2,}", text) if w not in {"root", "rsaquo", "API"}}


def test_admin_index_names_every_app_in_chinese(root_client):
    body = root_client.get("/admin/").content.decode()
    for title in ("登录失败与锁定", "二次验证：恢复码", "二次验证：身份验证器", "登录失败尝试", "恢复码设备", "身份验证器",
                  "账号与角色", "角色授权申请", "API 令牌", "后台管理（日常账号管理请用系统内“账号管理”）"):
        assert title in body
    assert _english_words(body) == set()


def test_user_add_page_helps_in_chinese(root_client):
    body = root_client.get("/admin/accounts/user/add/").content.decode()
    assert "先填写用户名和密码，保存后可继续编辑姓名、角色、管辖范围等信息。" in body
    assert "必填。150 个字符以内，只能包含字母、数字和 @ . + - _" in body
    assert "After you" not in body
    assert _english_words(body) == set()
