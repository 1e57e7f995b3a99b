"""In Chromium: the navigation's 待办 count arrives by htmx after the page (CSP allows it), the home page lists the
waiting task, and a notice is opened and marked read from the notices page."""

import pytest
from django.utils import timezone

from inspection.accounts.models import Role
from inspection.accounts.services import notify
from rectification.models import PlanStatus, TaskStatus
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD
from tests.rectification.factories import TaskFactory, make_feedback

pytestmark = pytest.mark.browser


def test_badge_todo_and_notice_in_the_browser(make_user, jurisdiction, browser_page, live_server):
    office = make_user(Role.OFFICE, username="b_office_todo")
    feedback, plan, found = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, findings=1)
    task = TaskFactory(plan=plan, finding=found[0], status=TaskStatus.SUBMITTED, submitted_at=timezone.now())
    notify(users=[office], title=f"整改任务#{task.pk}申请销号，请核验", url=f"/rectification/tasks/{task.pk}/")
    page, login = browser_page
    login(office.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("nav #todo-count.badge")
    assert page.inner_text("nav #todo-count") == "1"
    assert "申请销号待核验的整改任务" in page.inner_text("#todo")
    save_screenshot(page, "home-todo-office")
    page.goto(f"{live_server.url}/accounts/notifications/")
    page.click("text=打开并标为已读")
    page.wait_for_url(f"**/rectification/tasks/{task.pk}/")
    assert office.notifications.get().read_at is not None
