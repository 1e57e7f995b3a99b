"""The navigation fits on one line at 1366 px for the office, whose entries are the most (issue 16), its stage
groups open as dropdowns, and a record page prints without navigation, buttons or forms — in Chromium."""

import pytest

from inspection.accounts.models import Role
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD, UserFactory
from tests.referrals.factories import FindingFactory, TeamFactory

ONE_LINE = 64  # px: a Bootstrap navbar of one line is 56 px high


def _navbar_height(page):
    return page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height")


@pytest.mark.browser
def test_office_navigation_is_one_line_at_1366_and_records_print_without_it(browser_page, live_server, jurisdiction):
    UserFactory(username="office", role=Role.OFFICE, jurisdiction=jurisdiction, display_name="巡察办王小明")
    finding = FindingFactory(team=TeamFactory(round__plan__jurisdiction=jurisdiction), title="违规发放津补贴问题")
    page, login = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login("office", TEST_PASSWORD)
    page.goto(live_server.url + "/")
    height = _navbar_height(page)
    save_screenshot(page, "navigation-1366")
    assert height <= ONE_LINE, f"导航栏高 {height}px，已折行"
    tops = page.evaluate(
        "Array.from(document.querySelectorAll('#mainnav > ul > li')).map(li => Math.round(li.getBoundingClientRect().top))"
    )
    assert len(tops) >= 8 and max(tops) - min(tops) <= 8
    # Seventeen entries in six stage groups; one opens as a menu.
    page.click("#nav-groups a.dropdown-toggle:has-text('线索移交')")
    page.wait_for_selector("#nav-groups .dropdown-menu.show a:has-text('移交批次')")
    # The search box in the navigation finds the finding by a word of its title.
    page.fill("#nav-search input[name=q]", "津补贴")
    page.press("#nav-search input[name=q]", "Enter")
    page.wait_for_selector("#search-findings")
    assert "违规发放津补贴问题" in page.inner_text("#search-findings")

    page.goto(live_server.url + f"/findings/{finding.pk}/")
    assert page.is_visible("nav.navbar") and page.is_visible("#print-button")
    page.emulate_media(media="print")
    save_screenshot(page, "finding-print")
    assert not page.is_visible("nav.navbar")
    assert not page.is_visible("#print-button")
    shown = page.evaluate("Array.from(document.querySelectorAll('main form, main button, main input, main select'))"
                          ".filter(e => e.checkVisibility()).map(e => e.outerHTML.slice(0, 80))")
    assert shown == []
    assert "违规发放津补贴问题" in page.inner_text("main")
