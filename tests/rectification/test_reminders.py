"""The daily reminder job: stages, one digest per person per run, once per task per stage, escalation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification.models import Feedback, PlanReminder, PlanStatus, ReminderStage, TaskReminder, TaskStatus
from rectification.reminders import send_reminders
from rectification.tasks import send_reminders as send_reminders_task

from .factories import TaskFactory, make_feedback

TODAY = timezone.localdate()


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the job and its after-commit side effects (the emails)."""

    def run(today=TODAY):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(today=today)

    return run


@pytest.fixture
def setup(jurisdiction, make_user):
    """remind 7 days before, escalate 30 days after; a liaison, an office user and a leading-group member."""
    jurisdiction.remind_before_days = 7
    jurisdiction.escalate_after_days = 30
    jurisdiction.save()
    liaison = make_user(Role.UNIT_LIAISON, email="liaison@example.org")
    office = make_user(Role.OFFICE, email="office@example.org")
    leader = make_user(Role.LEADING_GROUP, email="leader@example.org")
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=6, plan_status=PlanStatus.ACCEPTED, held_days_ago=60
    )
    # These tests are about tasks: the report is not due for a while (reports: test_report_reminders.py).
    Feedback.objects.filter(pk=feedback.pk).update(report_due_on=TODAY + timedelta(days=60))

    def task(days_from_today, status=TaskStatus.IN_PROGRESS, index=0):
        return TaskFactory(plan=plan, finding=findings[index], deadline=TODAY + timedelta(days=days_from_today),
                           status=status, closed_at=timezone.now() if status == TaskStatus.CLOSED else None)

    tasks = {
        "due_soon": task(5, index=0),
        "due": task(0, index=1),
        "overdue": task(-3, index=2),
        "escalated": task(-31, index=3),
        "far": task(8, index=4),
        "closed_overdue": task(-10, status=TaskStatus.CLOSED, index=5),
    }
    return {"liaison": liaison, "office": office, "leader": leader, "tasks": tasks, "plan": plan}


def test_each_task_gets_the_stage_it_has_reached(setup, remind):
    result = remind()
    stages = dict(TaskReminder.objects.values_list("task_id", "stage"))
    tasks = setup["tasks"]
    assert stages == {
        tasks["due_soon"].pk: ReminderStage.DUE_SOON,
        tasks["due"].pk: ReminderStage.DUE,
        tasks["overdue"].pk: ReminderStage.OVERDUE,
        tasks["escalated"].pk: ReminderStage.ESCALATED,
    }
    assert result["task_reminders"] == 4


def test_one_notification_and_one_email_per_person_listing_their_items(setup, remind):
    remind()
    liaison_notes = Notification.objects.filter(user=setup["liaison"])
    assert liaison_notes.count() == 1
    body = liaison_notes.get().body
    assert body.count("\n") == 3  # four items, one per line
    assert "逾期 31 天" in body and "今日到期" in body and "还有 5 天到期" in body
    liaison_mail = [m for m in mail.outbox if m.to == ["liaison@example.org"]]
    assert len(liaison_mail) == 1 and "4 项" in liaison_mail[0].subject


def test_a_long_digest_lists_the_first_items_and_says_how_many_more(setup, remind, monkeypatch):
    monkeypatch.setattr("rectification.reminders.DIGEST_LINES", 3)
    remind()
    body = Notification.objects.get(user=setup["liaison"]).title, Notification.objects.get(user=setup["liaison"]).body
    title, text = body
    assert "4 项" in title  # the count is of every item
    assert text.count("【") == 3
    assert text.endswith("……另有 1 项未列出，请登录系统查看全部。")
    liaison_mail = next(m for m in mail.outbox if m.to == ["liaison@example.org"])
    assert "另有 1 项未列出" in liaison_mail.body


def test_escalation_reaches_the_office_and_the_leading_group_with_only_escalated_items(setup, remind):
    remind()
    for user in (setup["office"], setup["leader"]):
        note = Notification.objects.get(user=user)
        assert note.body.count("【逾期升级】") == 1
        assert "【已逾期】" not in note.body and "【即将到期】" not in note.body
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@example.org", "liaison@example.org", "office@example.org"]


def test_running_twice_sends_nothing_new(setup, remind, django_capture_on_commit_callbacks):
    remind()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_reminders_task.delay(TODAY.isoformat()).get()
    assert second == {
        "task_reminders": 0, "plan_reminders": 0, "report_reminders": 0, "notified_users": 0, "emails": 0
    }
    assert TaskReminder.objects.count() == 4
    assert Notification.objects.filter(user=setup["liaison"]).count() == 1
    assert mail.outbox == []


def test_a_task_moving_to_the_next_stage_is_reminded_again_once(setup, remind):
    remind()
    Notification.objects.all().delete()
    result = remind(TODAY + timedelta(days=1))
    # "due" becomes overdue and "far" comes within 7 days; the others stay in a stage already reminded.
    assert result["task_reminders"] == 2
    assert TaskReminder.objects.filter(task=setup["tasks"]["due"], stage=ReminderStage.OVERDUE).exists()
    assert TaskReminder.objects.filter(task=setup["tasks"]["far"], stage=ReminderStage.DUE_SOON).exists()
    assert Notification.objects.filter(user=setup["liaison"]).count() == 1
    assert not Notification.objects.filter(user=setup["office"]).exists()


def test_unsubmitted_plan_past_its_due_date_is_reminded(jurisdiction, make_user, remind):
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, held_days_ago=jurisdiction.plan_due_days + 2
    )
    result = remind()
    assert result["plan_reminders"] == 1
    assert PlanReminder.objects.get(plan=plan).stage == ReminderStage.OVERDUE
    assert "整改方案尚未报送" in Notification.objects.get(user=liaison).body


def test_submitted_tasks_and_plans_are_not_reminded(setup, remind):
    TaskReminder.objects.all().delete()
    for task in setup["tasks"].values():
        if task.status != TaskStatus.CLOSED:
            task.status = TaskStatus.SUBMITTED
            task.save()
    assert remind()["task_reminders"] == 0


def test_beat_schedule_is_created_at_seven(db):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="rectification.send_reminders")
    assert (entry.crontab.hour, entry.crontab.minute, str(entry.crontab.timezone)) == ("7", "0", "Asia/Shanghai")
