"""In Chromium: a member files a finding (the near-duplicate warning appears and is confirmed), uploads an
attachment and submits it; the team leader approves it."""

import pytest

from findings.models import Attachment, Finding, FindingStatus
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD

from .factories import FindingFactory, manifestation
from .test_attachments import PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(team_unit, member, leader):
    earlier = FindingFactory(team_unit=team_unit, created_by=member, title="机关食堂违规公款吃喝",
                             category=manifestation("3.3.1"))
    return {"team_unit": team_unit, "member": member, "leader": leader, "earlier": earlier}


def test_member_files_with_attachment_and_leader_approves(setup, browser_page, live_server):
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(setup["member"].username, TEST_PASSWORD)

    page.goto(live_server.url + "/findings/")
    page.click("text=起草问题")
    page.select_option("select[name=team_unit]", str(setup["team_unit"].pk))
    page.select_option("select[name=category]", str(manifestation("3.3.1").pk))
    page.fill("input[name=title]", "食堂违规公款吃喝")
    # The htmx partial lists the near duplicate of the same unit while the title is typed.
    page.wait_for_selector("#duplicates .duplicate-item")
    assert "机关食堂违规公款吃喝" in page.inner_text("#duplicates")
    assert page.is_visible("input[name=confirm_not_duplicate]")
    page.fill("textarea[name=facts]", "2026年9月，该局在机关食堂以接待名义宴请县直单位人员4次，费用7800元由办公经费列支。")
    page.fill("textarea[name=basis]", "违反《中国共产党纪律处分条例》第一百零六条")
    page.fill("input[name=money_involved]", "7800")
    page.fill("textarea[name=paper_supporting_facts]", "食堂就餐登记表、报销凭证第2026-09-031号")
    save_screenshot(page, "findings-1-duplicate-warning")

    # Without the confirmation the form refuses.
    page.click("#finding-form button[type=submit]")
    page.wait_for_selector("text=确认不是重复问题后勾选")
    page.check("input[name=confirm_not_duplicate]")
    page.click("#finding-form button[type=submit]")
    page.wait_for_selector("#finding-status")
    assert page.inner_text("#finding-status") == "草稿"

    page.set_input_files("#attachment-form input[name=file]",
                         files=[{"name": "食堂就餐登记表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#attachment-form button[type=submit]")
    page.wait_for_selector("#attachments >> text=食堂就餐登记表.pdf")
    page.click("button[data-verb=submit]")
    page.wait_for_selector("#finding-status >> text=待组长审核")
    save_screenshot(page, "findings-2-submitted-with-attachment")
    detail_url = page.url

    page.click("text=退出")
    page.wait_for_selector("input[name=username]")
    login(setup["leader"].username, TEST_PASSWORD)
    page.goto(detail_url)
    assert page.is_visible("button[data-verb=return]")
    page.click("button[data-verb=leader_approve]")
    page.wait_for_selector("#finding-status >> text=组长已审核")
    assert "王组长" in page.inner_text("#status-changes")
    save_screenshot(page, "findings-3-leader-approved")

    finding = Finding.objects.get(title="食堂违规公款吃喝")
    assert finding.status == FindingStatus.LEADER_APPROVED and finding.duplicate_confirmed
    assert Attachment.objects.get(finding=finding).original_name == "食堂就餐登记表.pdf"
