from pathlib import Path

import pytest

from inspection.accounts import security
from inspection.accounts.models import ReceivingBody, Role, SecurityPolicy

from .factories import JurisdictionFactory, ReceivingBodyFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def default_security_policy():
    """Every test starts with the default policy in the cache, as a warm server has it: the cache outlives a test's
    rolled-back transaction, and a cold one would add a query to whichever request happened to read it first."""
    from django.core.cache import cache

    cache.set(security.POLICY_CACHE_KEY, SecurityPolicy(pk=SecurityPolicy.SINGLETON_ID), security.POLICY_CACHE_SECONDS)


@pytest.fixture
def jurisdiction(db):
    return JurisdictionFactory(name="清河县")


@pytest.fixture
def other_jurisdiction(db):
    return JurisdictionFactory(name="柳林县")


@pytest.fixture
def make_user(db, jurisdiction):
    """make_user(role, **fields): a user of `role` in the test jurisdiction (unit liaisons get a unit)."""

    def make(role=Role.OFFICE, **fields):
        fields.setdefault("jurisdiction", jurisdiction)
        if role == Role.UNIT_LIAISON and "unit" not in fields:
            fields["unit"] = UnitFactory(jurisdiction=fields["jurisdiction"])
        if role in (Role.DISCIPLINE, Role.ORGANIZATION) and "receiving_body" not in fields:
            fields["receiving_body"] = ReceivingBodyFactory(
                jurisdiction=fields["jurisdiction"], kind=ReceivingBody.Kind(role)
            )
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def office_user(make_user):
    return make_user(Role.OFFICE, username="office")


@pytest.fixture
def leading_user(make_user):
    return make_user(Role.LEADING_GROUP, username="leading")


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client


# --- Browser tests (Playwright driving the machine's Chromium) -------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture
def browser_page(live_server, transactional_db, django_db_serialized_rollback, monkeypatch):
    """A Playwright page on the live server. The test runs in a real transaction, flushed afterwards; the
    serialized rollback then restores what the migrations seeded (the checklist, specialties, beat schedules).

    Usage: page, login = browser_page; login("office", TEST_PASSWORD); page.goto(live_server.url + "/...").
    """
    # Tests read the database while the browser's event loop runs; scoped to the test so that no later
    # subprocess (e.g. `check --deploy`) inherits it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium 未安装：请先运行 ./dev install（apt-get install chromium）")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)

        def login(username, password):
            page.goto(live_server.url + "/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_selector("#current-user")

        yield page, login
        context.close()
        browser.close()


def nav_click(page, label: str) -> None:
    """Follow a navigation entry: a plain link, or an item of its stage's dropdown (opened first)."""
    plain = page.locator("nav a.nav-link:not(.dropdown-toggle)", has_text=label)
    if plain.count():
        plain.first.click()
        return
    page.locator(f"nav li.dropdown:has(a.dropdown-item:has-text('{label}')) > a.dropdown-toggle").first.click()
    page.locator("nav .dropdown-menu.show a.dropdown-item", has_text=label).first.click()


def nav_has(page, label: str) -> bool:
    return page.locator("nav a.nav-link:not(.dropdown-toggle), nav a.dropdown-item", has_text=label).count() > 0


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
