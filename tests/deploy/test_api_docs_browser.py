"""The API documentation pages work in a real browser under our Content-Security-Policy, with nothing loaded
from outside the system (issue 14 item 4: /api/docs/ stayed blank, /api/redoc/ reached for Google fonts)."""

from urllib.parse import urlparse

import pytest

from inspection.accounts.models import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def watch(page, live_server):
    """Collect what the page is refused by the policy, its script errors, and every request off the server."""
    seen = {"console": [], "outside": []}
    host = urlparse(live_server.url).netloc
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    page.on("request", lambda r: urlparse(r.url).netloc not in (host, "") and seen["outside"].append(r.url))
    return seen


def test_swagger_ui_lists_the_operations_under_the_policy(browser_page, live_server, make_user):
    page, login = browser_page
    make_user(Role.TEAM_MEMBER, username="api_reader")
    login("api_reader", TEST_PASSWORD)
    seen = watch(page, live_server)

    page.goto(live_server.url + "/api/docs/")
    # Tags start folded (a 600 kB schema expanded at once is slow to draw); opening one lists its operations.
    page.wait_for_selector(".opblock-tag[data-tag='巡察轮次']", timeout=90_000)
    assert page.title() == "巡察管理系统 API · 交互式文档"
    tags = set(page.locator(".opblock-tag").evaluate_all("els => els.map(e => e.dataset.tag)"))
    # Tags are the resources' Chinese names (inspection/core/schema.py ChineseAutoSchema).
    assert {"巡察轮次", "巡察发现问题", "问题线索", "整改任务", "被巡察单位"} <= tags
    page.click(".opblock-tag[data-tag='巡察轮次']")
    page.wait_for_selector(".opblock-summary-path[data-path='/api/rounds/']")
    assert seen == {"console": [], "outside": []}


def test_redoc_renders_without_outside_fonts_under_the_policy(browser_page, live_server, make_user):
    page, login = browser_page
    make_user(Role.TEAM_MEMBER, username="api_reader")
    login("api_reader", TEST_PASSWORD)
    seen = watch(page, live_server)

    page.goto(live_server.url + "/api/redoc/")
    page.wait_for_selector("h1:has-text('巡察管理系统 API')", timeout=90_000)
    page.wait_for_selector("[data-section-id^='tag/']")
    assert page.title() == "巡察管理系统 API · 接口说明"
    # Each operation carries its curl example (x-codeSamples).
    assert page.locator("text=Authorization: Token <令牌>").count() > 0
    # ReDoc's bundle always draws its maker's logo from cdn.redoc.ly (no option turns it off); the policy
    # refuses it in the browser, so the request never leaves the network. Nothing else is refused or fetched.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert seen["outside"] in ([], [logo])
    assert [m for m in seen["console"] if logo not in m] == []
