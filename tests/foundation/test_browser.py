"""Each role logs in through the real login page in Chromium, lands on its home page, opens the units list
when its role may, and leaves a screenshot in var/screenshots/."""

import pytest

from inspection.accounts.models import Role
from inspection.units.models import Cadre, UnitKind
from tests.conftest import nav_click, nav_has, save_screenshot
from tests.factories import TEST_PASSWORD, CadreFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.browser

ROLES = [
    Role.OFFICE,
    Role.LEADING_GROUP,
    Role.TEAM_LEADER,
    Role.TEAM_MEMBER,
    Role.DISCIPLINE,
    Role.ORGANIZATION,
    Role.UNIT_LIAISON,
]
# Roles whose navigation offers the units list (the liaison only ever sees its own unit's page).
UNITS_IN_NAV = set(ROLES) - {Role.UNIT_LIAISON}


@pytest.fixture
def people(make_user, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP, head_name="刘志刚")
    UnitFactory(jurisdiction=jurisdiction, name="东关社区", kind=UnitKind.VILLAGE, parent=town)
    UnitFactory(jurisdiction=jurisdiction, name="县财政局", head_name="李明")
    CadreFactory(jurisdiction=jurisdiction, name="王建国", pool=Cadre.Pool.LEADER)
    users = {
        role: make_user(role, username=f"b_{role}", unit=town)
        if role == Role.UNIT_LIAISON
        else make_user(role, username=f"b_{role}")
        for role in ROLES
    }
    users["admin"] = UserFactory(
        username="b_admin", role="", is_superuser=True, is_staff=True, jurisdiction=jurisdiction
    )
    return users


@pytest.mark.parametrize("role", [*ROLES, "admin"])
def test_role_logs_in_and_opens_units(people, browser_page, live_server, role):
    page, login = browser_page
    user = people[role]
    login(user.username, TEST_PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert user.display_name in page.inner_text("#current-user")
    save_screenshot(page, f"foundation-home-{role}")

    if role in UNITS_IN_NAV or role == "admin":
        nav_click(page, "被巡察单位")
        page.wait_for_selector("#unit-table")
        table = page.inner_text("#unit-table")
        if role in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
            # No round yet: a team sees no unit until `rounds` puts it on a team.
            assert "没有符合条件的单位" in table
        else:
            assert "城关镇" in table and "县财政局" in table
        save_screenshot(page, f"foundation-units-{role}")
        if role == Role.OFFICE:
            page.fill("form.filter-form input[name=q]", "财政")
            page.click("form.filter-form button[type=submit]")
            page.wait_for_selector("#unit-table")
            assert "县财政局" in page.inner_text("#unit-table")
            assert "城关镇" not in page.inner_text("#unit-table")
            page.click("text=县财政局")
            page.wait_for_selector("#history")
            save_screenshot(page, "foundation-unit-detail-office")
    else:
        assert not nav_has(page, "被巡察单位")
        page.goto(live_server.url + "/units/")
        page.wait_for_selector("#unit-table")
        assert "城关镇" in page.inner_text("#unit-table")
        assert "县财政局" not in page.inner_text("#unit-table")
        save_screenshot(page, f"foundation-units-{role}")


def test_office_import_with_bad_rows_shows_each_row(people, browser_page, live_server, tmp_path):
    from openpyxl import Workbook

    from inspection.units.ledgers import UNIT_HEADERS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(UNIT_HEADERS)
    sheet.append(["县审计局", "县直部门", "", "", "", "", "", ""])
    sheet.append(["", "县直部门", "", "", "", "", "", ""])
    sheet.append(["北山村", "村/社区", "北山乡", "", "", "", "", ""])
    path = tmp_path / "单位导入.xlsx"
    workbook.save(path)

    page, login = browser_page
    login(people[Role.OFFICE].username, TEST_PASSWORD)
    page.goto(live_server.url + "/units/")
    page.click("text=导入")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('上传并导入')")
    page.wait_for_selector("#import-errors")
    errors = page.inner_text("table")
    assert "第 3 行" in errors and "缺少单位名称" in errors
    assert "第 4 行" in errors and "上级单位“北山乡”不存在" in errors
    save_screenshot(page, "foundation-import-errors-office")
    page.goto(live_server.url + "/units/?q=审计局")
    assert "没有符合条件的单位" in page.inner_text("#unit-table")
