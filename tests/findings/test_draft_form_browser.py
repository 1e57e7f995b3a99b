"""In Chromium (issue 16): the member picks the category from the searchable checklist tree and attaches a file
on the draft form before the first save."""

import pytest

from findings.models import Attachment, Finding
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD

from .factories import manifestation
from .test_attachments import PDF

pytestmark = pytest.mark.browser


def test_category_tree_search_and_files_on_the_draft(team_unit, member, browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page, login = browser_page
    login(member.username, TEST_PASSWORD)
    page.goto(live_server.url + "/findings/new/")
    page.select_option("select[name=team_unit]", str(team_unit.pk))
    page.fill(".category-tree-search", "公款吃喝")
    leaf = manifestation("3.3.1")
    button = page.locator(f".category-leaf[data-value='{leaf.pk}']")
    assert button.is_visible()
    assert page.locator(".category-leaf:visible").count() < 5  # the search narrowed the tree
    button.click()
    assert page.eval_on_selector("select[name=category]", "s => s.value") == str(leaf.pk)
    page.fill("input[name=title]", "机关食堂违规公款吃喝")
    page.fill("textarea[name=facts]", "2026年9月，该局在机关食堂以接待名义宴请4次，费用7800元。")
    page.fill("textarea[name=basis]", "违反《中国共产党纪律处分条例》第一百零六条")
    page.set_input_files("input[name=attachments]", files=[
        {"name": "就餐登记表.pdf", "mimeType": "application/pdf", "buffer": PDF},
    ])
    save_screenshot(page, "finding-draft-tree")
    page.click("form#finding-form button[type=submit]")
    page.wait_for_selector("#attachments")
    finding = Finding.objects.get(title="机关食堂违规公款吃喝")
    assert finding.category_id == leaf.pk
    assert list(Attachment.objects.filter(finding=finding).values_list("original_name", flat=True)) == ["就餐登记表.pdf"]
