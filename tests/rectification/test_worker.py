"""The reminder job run twice AT THE SAME TIME by a real prefork worker on PostgreSQL and Redis, before and
after tasks are reopened with a new time limit (reminders are unique per task, stage and deadline)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification import services
from rectification.models import PlanStatus, ReminderStage, Task, TaskReminder, TaskStatus
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


@pytest.mark.worker
@pytest.mark.postgres
def test_after_reopening_two_concurrent_runs_remind_once_per_stage_of_the_new_deadline(
    celery_worker_process, jurisdiction, make_user
):
    """Tasks reminded at every stage of their deadline are closed, then reopened by a look-back with a new time
    limit; at each stage of the new deadline two runs at once insert exactly one reminder per task."""
    jurisdiction.remind_before_days, jurisdiction.escalate_after_days = 7, 30
    jurisdiction.save()
    liaison, office = make_user(Role.UNIT_LIAISON), make_user(Role.OFFICE)
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=20, plan_status=PlanStatus.ACCEPTED, held_days_ago=120
    )
    today = timezone.localdate()
    old, new = today - timedelta(days=40), today + timedelta(days=3)
    tasks = [TaskFactory(plan=plan, finding=finding, status=TaskStatus.IN_PROGRESS, deadline=old) for finding in findings]
    every_stage = [(-5, ReminderStage.DUE_SOON), (0, ReminderStage.DUE), (1, ReminderStage.OVERDUE),
                   (31, ReminderStage.ESCALATED)]
    for days, _ in every_stage:
        send_reminders.delay((old + timedelta(days=days)).isoformat()).get(timeout=60)
    assert TaskReminder.objects.count() == 4 * len(tasks)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    for task in tasks:
        services.task_reopen(task=task, actor=office, new_deadline=new, reason="回头看核查未整改到位：仍有超标准接待")

    # The first run after the reopening is today: the new deadline is 3 days ahead (due soon).
    for day, stage in [(today, ReminderStage.DUE_SOON), *((new + timedelta(days=d), s) for d, s in every_stage[1:])]:
        first, second = send_reminders.delay(day.isoformat()), send_reminders.delay(day.isoformat())
        inserted = sorted(r["task_reminders"] for r in (first.get(timeout=60), second.get(timeout=60)))
        assert sum(inserted) == len(tasks), (stage, inserted)
        assert set(TaskReminder.objects.filter(deadline=new, stage=stage).values_list("task_id", flat=True)) == {
            t.pk for t in tasks
        }

    # Exactly one row per task, stage and deadline: four for the old deadline, four for the new one.
    rows = list(TaskReminder.objects.values_list("task_id", "stage", "deadline"))
    assert len(rows) == len(set(rows)) == 8 * len(tasks)
    assert set(TaskReminder.objects.filter(deadline=new).values_list("stage", flat=True)) == set(ReminderStage.values)
    again = send_reminders.delay((new + timedelta(days=31)).isoformat()).get(timeout=60)
    assert again["task_reminders"] == 0 and TaskReminder.objects.count() == 8 * len(tasks)
