"""In Chromium: the findings filter finds a unit by typing part of its name (autocomplete), keeps its name after
the search, and the team select lists the teams of the round chosen."""

import pytest

from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD
from tests.findings.factories import FindingFactory, TeamFactory, TeamUnitFactory

pytestmark = pytest.mark.browser


def test_office_types_a_unit_name_and_picks_a_round_then_its_team(browser_page, live_server, make_user, jurisdiction):
    office = make_user(username="office_ac")
    finance = TeamUnitFactory(team__round__jurisdiction=jurisdiction, team__name="第一巡察组", unit__name="清河县财政局")
    school = TeamUnitFactory(team__round=finance.round, unit__name="清河县教育局")
    TeamFactory(round=finance.round, name="第二巡察组")
    FindingFactory(team_unit=finance, title="财政局违规发放津贴")
    FindingFactory(team_unit=school, title="教育局违规收费")

    page, login = browser_page
    login(office.username, TEST_PASSWORD)
    page.goto(live_server.url + "/findings/")
    page.click("#id_unit")
    page.keyboard.type("财政")
    page.wait_for_selector(".autocomplete-item >> text=清河县财政局")
    assert page.locator(".autocomplete-item").count() == 1
    page.click(".autocomplete-item >> text=清河县财政局")
    assert page.input_value("input[name=unit]") == str(finance.unit.pk)

    # Choosing the round reloads the team select (htmx) with that round's teams only.
    page.select_option("select[name=round]", str(finance.round.pk))
    page.wait_for_selector("select[name=team] option >> text=第二巡察组", state="attached")
    page.select_option("select[name=team]", str(finance.team.pk))
    save_screenshot(page, "lists-1-unit-autocomplete")
    page.click(".filter-form button[type=submit]")
    page.wait_for_selector("#finding-table")
    assert "财政局违规发放津贴" in page.inner_text("#finding-table")
    assert "教育局违规收费" not in page.inner_text("#finding-table")
    assert page.input_value("#id_unit") == "清河县财政局"
    assert page.input_value("select[name=team]") == str(finance.team.pk)
