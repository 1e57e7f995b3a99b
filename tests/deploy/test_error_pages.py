"""Every error a person or an integrating client meets is in Chinese: the site's error pages in its layout with
a way back, JSON with a Chinese `detail` under /api/, and a refused CSRF check explained (issue 14 item 3)."""

import json

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from inspection import urls
from inspection.accounts.models import Role
from inspection.core import errors

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_chinese_404_in_the_site_layout(client, make_user):
    client.force_login(make_user(Role.OFFICE))
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>未找到该页面或记录 · 巡察管理系统</title>" in page
    assert "您访问的页面或记录不存在，或您无权查看" in page
    assert 'href="/"><i class="bi bi-house"></i> 返回首页</a>' in page
    assert "Page not found" not in page and "Not Found" not in page


def test_a_refused_page_is_the_chinese_403_with_the_reason(client, make_user):
    client.force_login(make_user(Role.UNIT_LIAISON))
    response = client.get("/referrals/leads/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>无权操作 · 巡察管理系统</title>" in page
    assert "您无权访问此页面" in page
    assert "如需办理，请联系本级巡察办管理员" in page


def test_the_500_page_renders_without_a_request_context():
    # Django renders 500.html with no context processors: the page must not need the user or the database.
    response = errors.server_error(RequestFactory().get("/rounds/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "<title>系统内部错误 · 巡察管理系统</title>" in page
    assert "已保存的数据不受影响" in page


def test_a_bad_request_page_is_chinese():
    response = errors.bad_request(RequestFactory().get("/rounds/"), Exception("bad"))
    assert response.status_code == 400
    assert "请求的格式或参数不正确，系统未作任何修改" in response.content.decode()


def test_the_project_routes_every_error_to_these_handlers():
    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        "inspection.core.errors.bad_request",
        "inspection.core.errors.permission_denied",
        "inspection.core.errors.page_not_found",
        "inspection.core.errors.server_error",
    )
    assert settings.CSRF_FAILURE_VIEW == "inspection.core.errors.csrf_failure"


def test_api_errors_are_json_in_chinese(client, make_user):
    assert client.get("/api/units/").json() == {"detail": "身份认证信息未提供。"}
    assert client.get("/api/units/", HTTP_AUTHORIZATION="Token forged").json() == {"detail": "认证令牌无效。"}
    client.force_login(make_user(Role.OFFICE))
    missing = client.get("/api/no-such-resource/")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert missing.json() == {"detail": "未找到该记录，或您无权查看"}
    assert client.get("/api/units/987654321/").json() == {"detail": "未找到该记录，或您无权查看"}
    server = errors.server_error(RequestFactory().get("/api/units/"))
    assert server.status_code == 500
    assert json.loads(server.content) == {"detail": "系统内部错误，操作可能未完成，请稍后重试；如反复出现，请联系系统管理员"}


def test_a_refused_csrf_check_is_explained_in_chinese_on_pages_and_in_the_api(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(Role.OFFICE))

    page = browser.post("/rounds/plans/new/", {"title": "不会保存"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "<title>页面已过期 · 巡察管理系统</title>" in text
    assert "浏览器未保存本系统的安全凭据（Cookie）" in text
    assert "CSRF verification failed" not in text

    api = browser.post("/api/units/", {"name": "不会保存"})
    assert api.status_code == 403
    assert api.json() == {
        "detail": "安全校验（CSRF）未通过：提交中缺少安全校验码。请刷新页面后重试；程序调用接口请使用令牌（Token）认证。"
    }


def test_throttled_api_calls_are_answered_in_chinese(client, make_user, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/min", "anon": "1/min"})
    cache.clear()
    client.force_login(make_user(Role.OFFICE))
    client.get("/api/units/")
    throttled = client.get("/api/units/")
    cache.clear()
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("请求已被限流。")
