"""In Chromium: the office opens the dashboard (cards and charts), asks for a unit's inspection report on the
documents page, watches the panel's progress while the render runs, and downloads the PDF."""

import subprocess

import pytest
from django.db.models import Count

from inspection.accounts.models import Role
from inspection.exports import services
from inspection.exports.models import GeneratedFile
from inspection.exports.tasks import render_generated_file
from rounds.models import TeamUnit
from tests.conftest import nav_click, save_screenshot
from tests.factories import TEST_PASSWORD

from .factories import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def office(make_user, jurisdiction):
    build_world(jurisdiction, seed=21, units=8)
    return make_user(Role.OFFICE, username="b_office_dash")


def test_office_asks_for_a_report_watches_progress_and_downloads_it(office, browser_page, live_server, monkeypatch,
                                                                    tmp_path, settings):
    # The page fetches its five charts at once; on the in-memory SQLite of the live server the session
    # write of every request (idle timeout) would lock the table. PostgreSQL has no such lock.
    settings.SESSION_SAVE_EVERY_REQUEST = settings.IS_POSTGRES
    team_unit = (
        TeamUnit.objects.annotate(n=Count("unit__findings")).filter(n__gt=1).select_related("unit", "round").first()
    )
    queued = []
    # The click only queues the render (as with a real broker); the test then plays the worker, so the page
    # is seen polling a queued and running job before it finishes.
    monkeypatch.setattr(render_generated_file, "delay", lambda pk: queued.append(pk))
    page, login = browser_page
    login(office.username, TEST_PASSWORD)

    nav_click(page, "统计分析")
    page.wait_for_selector("#figure-cards")
    page.wait_for_selector("#figure-cards [data-figure=findings]")
    page.wait_for_selector(".chart canvas")  # ECharts drew (no wait_for_function: the CSP forbids eval)
    for _ in range(50):
        if page.locator(".chart canvas").count() >= 5:
            break
        page.wait_for_timeout(200)
    assert page.locator(".chart canvas").count() == 5
    save_screenshot(page, "dashboard-figures-office")

    page.goto(f"{live_server.url}/dashboard/documents/?round={team_unit.round_id}")
    panel = f"#generated-dashboardinspection_report-{team_unit.pk}"  # the panel id slugifies the kind code
    page.click(f"{panel} button:has-text('生成')")
    page.wait_for_selector(f"{panel} .progress")
    assert "排队中" in page.inner_text(panel)
    assert queued, "the click did not queue a render"
    GeneratedFile.objects.filter(pk=queued[0]).update(status=GeneratedFile.Status.RUNNING, progress=40)
    page.wait_for_selector(f"{panel} .progress-bar:has-text('40%')")
    save_screenshot(page, "dashboard-document-progress")
    services.generated_file_render(generated_id=queued[0])
    link = page.wait_for_selector(f"{panel} a.download-link", timeout=20000)
    assert page.locator(f"{panel} .progress").count() == 0
    with page.expect_download() as download_info:
        link.click()
    target = tmp_path / "report.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert team_unit.unit.name in text.replace("\n", "")
    save_screenshot(page, "dashboard-document-done")


def test_city_office_ranks_its_counties_refreshes_and_picks_a_year(make_user, jurisdiction, other_jurisdiction,
                                                                  browser_page, live_server, monkeypatch):
    from dashboard import rollup, tasks
    from inspection.accounts.models import Jurisdiction

    city = Jurisdiction.objects.create(name="河阳市", office_name="中共河阳市委巡察工作领导小组办公室",
                                       level=Jurisdiction.Level.CITY)
    Jurisdiction.objects.filter(pk__in=[jurisdiction.pk, other_jurisdiction.pk]).update(parent=city)
    world = build_world(jurisdiction, seed=21, units=8)
    build_world(other_jurisdiction, seed=22, units=5, per_round=2)
    rollup.refresh()
    queued = []
    monkeypatch.setattr(tasks.refresh_rollup, "delay", lambda ids: queued.append(ids))
    make_user(Role.OFFICE, username="b_city_office", jurisdiction=city)
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # "重新计算…？"
    login("b_city_office", TEST_PASSWORD)

    page.wait_for_selector("#rollup-table")  # the home page of a city office is its roll-up
    assert page.locator("#rollup-table tbody tr").count() == 2
    page.wait_for_selector(".chart canvas")
    nav_click(page, "下级汇总")
    page.click("#rollup-table th >> text=整改完成率")
    page.wait_for_selector("#rollup-table th .bi-sort-down")
    page.click("text=立即刷新")
    page.wait_for_selector("#rollup-refresh-status.text-success")
    assert queued == [sorted([city.pk, jurisdiction.pk, other_jurisdiction.pk])]
    year = world.rounds[1].start_date.year
    page.select_option("#rollup-year", str(year))  # applies at once
    page.wait_for_selector(f"#rollup-scope:has-text('{year}年')")
    save_screenshot(page, "dashboard-rollup-city")
