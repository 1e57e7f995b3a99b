"""The reminder job run twice AT THE SAME TIME by a real prefork worker on PostgreSQL and Redis."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification.models import PlanStatus, ReminderStage, TaskReminder, TaskStatus
from rectification.tasks import send_reminders

from .factories import TaskFactory, make_feedback


@pytest.mark.worker
@pytest.mark.postgres
def test_two_concurrent_runs_send_one_reminder_each(celery_worker_process, jurisdiction, make_user):
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=40, plan_status=PlanStatus.ACCEPTED, held_days_ago=90
    )
    today = timezone.localdate()
    offsets = [3, 0, -2, -40]
    tasks = [
        TaskFactory(plan=plan, finding=finding, status=TaskStatus.IN_PROGRESS,
                    deadline=today + timedelta(days=offsets[index % 4]))
        for index, finding in enumerate(findings)
    ]

    first = send_reminders.delay(today.isoformat())
    second = send_reminders.delay(today.isoformat())
    results = [first.get(timeout=60), second.get(timeout=60)]

    assert TaskReminder.objects.count() == len(tasks)
    assert set(TaskReminder.objects.values_list("task_id", flat=True)) == {t.pk for t in tasks}
    assert TaskReminder.objects.filter(stage=ReminderStage.ESCALATED).count() == 10
    # Between them the two runs inserted each reminder once, and notified the liaison once.
    assert sorted(r["task_reminders"] for r in results)[1] + sorted(r["task_reminders"] for r in results)[0] == 40
    assert Notification.objects.filter(user=liaison).count() == sum(1 for r in results if r["task_reminders"])
    # Two runs really ran in the worker (not in the test process).
    assert {first.status, second.status} == {"SUCCESS"}
