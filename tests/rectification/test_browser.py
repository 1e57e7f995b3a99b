"""In Chromium: the unit liaison writes and submits the plan, the office accepts it, the liaison reports
progress with a file and asks for closing, and the office closes (销号) the task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspection.accounts.models import Role
from rectification.models import RectificationPlan, Task, TaskStatus
from tests.conftest import nav_click, save_screenshot
from tests.factories import TEST_PASSWORD

from .factories import make_feedback

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(make_user, jurisdiction):
    liaison = make_user(Role.UNIT_LIAISON, username="r_liaison", display_name="周晓东")
    office = make_user(Role.OFFICE, username="r_office", display_name="孙丽娟")
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=1)
    RectificationPlan.objects.filter(pk=plan.pk).update(content="")
    return {"liaison": liaison, "office": office, "feedback": feedback, "finding": findings[0]}


def test_liaison_submits_plan_reports_progress_and_office_closes(people, browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "整改完成情况说明.pdf"
    evidence.write_bytes(PDF)
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts

    def logout():
        page.click("nav form button[type=submit]")
        page.wait_for_selector("input[name=username]")

    # The liaison: plan text, one task for the finding, submit.
    login("r_liaison", TEST_PASSWORD)
    nav_click(page, "本单位整改")
    page.wait_for_selector("#problem-list")
    assert "未制定整改任务" in page.inner_text("#problem-list")
    page.click("#edit-plan")
    page.fill("textarea[name=content]", "成立整改工作领导小组，建立问题、任务、责任三个清单，逐项整改销号。")
    page.click("#rectification-form button[type=submit]")
    page.click("a.add-task")
    page.fill("textarea[name=measures]", "清退超标准接待费用，修订公务接待管理办法。")
    page.fill("input[name=responsible_leader]", "王建国")
    page.fill("input[name=responsible_department]", "办公室")
    page.fill("input[name=deadline]", deadline)
    page.select_option("select[name=kind]", "time_limited")
    page.click("#rectification-form button[type=submit]")
    page.wait_for_selector("#problem-list")
    page.click("#plan button[data-verb=submit]")
    page.wait_for_selector("#plan-status:has-text('已报送待审核')")
    save_screenshot(page, "rectification-plan-submitted")
    logout()

    # The office accepts the plan.
    login("r_office", TEST_PASSWORD)
    page.goto(f"{live_server.url}/rectification/feedback/{people['feedback'].pk}/")
    page.click("#plan button[data-verb=accept]")
    page.wait_for_selector("#plan-status:has-text('已审核通过')")
    logout()

    # The liaison reports progress with an evidence file and asks for closing.
    login("r_liaison", TEST_PASSWORD)
    page.goto(f"{live_server.url}/rectification/feedback/{people['feedback'].pk}/")
    page.click("#problem-list a[href*='/tasks/']")
    page.click("#report-progress")
    page.fill("textarea[name=description]", "已清退超标准接待费用 12800 元，修订印发公务接待管理办法。")
    page.fill("input[name=money_recovered]", "12800")
    page.fill("input[name=rules_established_count]", "1")
    page.fill("textarea[name=rules_established_names]", "公务接待管理办法")
    page.set_input_files("input[name=files]", str(evidence))
    page.click("#rectification-form button[type=submit]")
    page.wait_for_selector("#progress-table a:has-text('整改完成情况说明.pdf')")
    page.click("#task-moves button[data-verb=submit]")
    page.wait_for_selector("#task-status:has-text('已申请销号')")
    logout()

    # The office verifies and closes the task.
    login("r_office", TEST_PASSWORD)
    page.goto(f"{live_server.url}/rectification/tasks/?overdue=false")
    page.click("#task-table a")
    with page.expect_download() as download:
        page.click("#progress-table a:has-text('整改完成情况说明.pdf')")
    assert download.value.suggested_filename == "整改完成情况说明.pdf"
    page.click("#close-task")
    page.click("#close-form button[type=submit]")  # without an opinion: refused with the field's message
    page.wait_for_selector("#close-form .invalid-feedback:has-text('请填写核验意见')")
    page.fill("textarea[name=verification_opinion]", "经查阅整改完成情况说明并电话回访，整改到位，同意销号。")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#task-status:has-text('已销号')")
    assert "经查阅整改完成情况说明并电话回访" in page.inner_text("#verification-opinion")
    save_screenshot(page, "rectification-task-closed")
    nav_click(page, "整改跟踪")
    assert "100.00%" in page.inner_text("#rectification-figures")
    save_screenshot(page, "rectification-overview")

    task = Task.objects.get()
    assert task.status == TaskStatus.CLOSED and task.closed_at is not None
    assert task.progress_reports.get().evidence.get().original_name == "整改完成情况说明.pdf"
