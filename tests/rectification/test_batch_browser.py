"""In Chromium (issue 16): the liaison enters every task of the plan in one table with the facts in view, and the
office ticks tasks on the task list and closes them in one batch with its verification opinion."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspection.accounts.models import Role
from rectification.models import PlanStatus, Task, TaskStatus
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD

from .factories import TaskFactory, make_feedback

pytestmark = pytest.mark.browser


def test_the_plan_table_and_the_batch_close(make_user, jurisdiction, browser_page, live_server):
    liaison = make_user(Role.UNIT_LIAISON, username="b_liaison", display_name="周晓东")
    make_user(Role.OFFICE, username="b_office", display_name="孙丽娟")
    _, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=2)
    _, accepted, done = make_feedback(jurisdiction=jurisdiction, findings=2, plan_status=PlanStatus.ACCEPTED)
    closing = [TaskFactory(plan=accepted, finding=f, status=TaskStatus.SUBMITTED) for f in done]
    deadline = (timezone.localdate() + timedelta(days=40)).isoformat()
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())

    login("b_liaison", TEST_PASSWORD)
    page.goto(f"{live_server.url}/rectification/plans/{plan.pk}/tasks/table/")
    assert findings[0].facts in page.inner_text("#plan-tasks")
    for index in range(2):
        page.fill(f"textarea[name=tasks-{index}-measures]", f"第{index + 1}项：清退超标准费用，修订管理办法。")
        page.fill(f"input[name=tasks-{index}-responsible_leader]", "王建国")
        page.fill(f"input[name=tasks-{index}-responsible_department]", "办公室")
        page.fill(f"input[name=tasks-{index}-deadline]", deadline)
        page.select_option(f"select[name=tasks-{index}-kind]", "time_limited")
    save_screenshot(page, "rectification-plan-table")
    page.click("#plan-tasks-form button[type=submit]")
    page.wait_for_selector("#problem-list")
    assert Task.objects.filter(plan=plan).count() == 2
    page.click("nav form button[type=submit]")
    page.wait_for_selector("input[name=username]")

    login("b_office", TEST_PASSWORD)
    page.goto(f"{live_server.url}/rectification/tasks/?status=submitted_for_closing")
    page.check("th input[data-batch-toggle]")
    page.fill("#batch-close-form textarea[name=verification_opinion]", "经实地核查，整改到位，同意销号。")
    page.click("#batch-close")
    page.wait_for_selector("#batch-succeeded")
    assert "已办理 2 项" in page.inner_text("#batch-succeeded")
    save_screenshot(page, "rectification-batch-close")
    assert set(Task.objects.filter(status=TaskStatus.CLOSED).values_list("pk", flat=True)) == {t.pk for t in closing}
