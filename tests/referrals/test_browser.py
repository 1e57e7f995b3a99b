"""The office refers a batch, the discipline commission signs it and records a case opened with two people
disciplined, and the office's figures show it — in the machine's Chromium."""

import pytest

from inspection.accounts.models import ReceivingBody, Role
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD, ReceivingBodyFactory, UserFactory

from .factories import LeadFactory, RoundFactory


@pytest.mark.browser
def test_refer_sign_dispose_and_see_the_figures(browser_page, live_server, jurisdiction, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = UserFactory(username="office", role=Role.OFFICE, jurisdiction=jurisdiction, display_name="巡察办小王")
    body = ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.DISCIPLINE, name="清河县纪委监委")
    ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.ORGANIZATION, name="中共清河县委组织部")
    UserFactory(username="jiwei", role=Role.DISCIPLINE, jurisdiction=jurisdiction, receiving_body=body,
                display_name="纪委老李")
    round_ = RoundFactory(plan__jurisdiction=jurisdiction)
    lead = LeadFactory(round=round_, created_by=office, subject_name="王某某", subject_post="县住建局副局长",
                       summary="反映其插手老旧小区改造工程")
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())

    # The office makes and sends the batch.
    login("office", TEST_PASSWORD)
    page.goto(live_server.url + "/referrals/batches/new/")
    page.select_option("select[name=receiving_body]", str(body.pk))
    page.fill("input[name=letter_number]", "清巡办移〔2026〕5号")
    page.fill("input[name=letter_date]", "2026-06-18")
    page.check(f"input[name=leads][value='{lead.pk}']")
    save_screenshot(page, "referrals-batch-form")
    page.click("form#batch-form button[type=submit]")
    page.wait_for_selector("#batch-send")
    page.click("#batch-send")
    page.wait_for_selector("#letter-link")
    assert "已发送待签收" in page.inner_text("#batch-status")
    save_screenshot(page, "referrals-batch-sent")
    page.click("form[action$='/accounts/logout/'] button")

    # The discipline commission signs, disposes and records the results.
    login("jiwei", TEST_PASSWORD)
    page.goto(live_server.url + "/referrals/workspace/")
    page.click("#to-sign a:has-text('清巡办移〔2026〕5号')")
    page.click("#batch-sign")
    page.wait_for_selector("#batch-status:has-text('已签收')")
    page.click("#batch-leads a:has-text('王**')")  # lists mask the subject's name; the lead page shows it
    page.select_option("#dispose-card select[name=kind]", "case_opened")
    page.click("#dispose-card button[type=submit]")
    page.wait_for_selector("#results-card")
    assert "立案审查调查" in page.inner_text("#disposition-kind")
    page.fill("#results-card input[name=people_party_discipline]", "2")
    page.fill("#results-card input[name=money_recovered]", "52000")
    page.click("#results-card button[type=submit]")
    page.wait_for_selector("#results")
    assert "党纪处分 2人" in page.inner_text("#results")
    assert page.inner_text("#lead-status") == "已办结"
    save_screenshot(page, "referrals-lead-concluded")
    page.click("form[action$='/accounts/logout/'] button")

    # The office's figures show it.
    login("office", TEST_PASSWORD)
    page.goto(live_server.url + "/referrals/statistics/")
    assert page.inner_text("[data-figure=cases_opened] .stat-value") == "1"
    assert page.inner_text("[data-figure=people_disciplined] .stat-value") == "2"
    assert page.inner_text("[data-figure=signed] .stat-value") == "1"
    assert "清河县纪委监委" in page.inner_text("#by-receiver")
    page.wait_for_selector(".chart canvas")
    save_screenshot(page, "referrals-statistics")
