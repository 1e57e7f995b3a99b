"""The daily reminder job and the 整改情况报告: owed reports are reminded per stage, once, escalated to the office;
submitted or accepted reports, and feedbacks with no plan yet, are not; the job's queries do not grow with rows."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification.models import (
    Feedback,
    PlanStatus,
    RectificationReport,
    ReminderStage,
    ReportReminder,
    ReportStatus,
    TaskStatus,
)
from rectification.reminders import send_reminders

from .factories import TaskFactory, make_feedback

TODAY = timezone.localdate()


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    def run(today=TODAY):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(today=today)

    return run


@pytest.fixture
def people(jurisdiction, make_user):
    jurisdiction.remind_before_days = 7
    jurisdiction.escalate_after_days = 30
    jurisdiction.save()
    return {
        "liaison": make_user(Role.UNIT_LIAISON, email="liaison@example.org"),
        "office": make_user(Role.OFFICE, email="office@example.org"),
        "leader": make_user(Role.LEADING_GROUP, email="leader@example.org"),
    }


def owed(jurisdiction, liaison, days_from_today, report_status=None, *, plan=True):
    """A feedback of the liaison's unit (a new round each time) whose report is due in `days_from_today` days,
    with a report in `report_status` (None: no report yet)."""
    feedback, plan_row, _ = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=1, plan_status=PlanStatus.ACCEPTED, held_days_ago=90
    )
    Feedback.objects.filter(pk=feedback.pk).update(report_due_on=TODAY + timedelta(days=days_from_today))
    feedback.refresh_from_db()
    if not plan:
        plan_row.delete()
    if report_status:
        now = timezone.now()
        sent = report_status != ReportStatus.DRAFT
        RectificationReport.objects.create(
            feedback=feedback, content="一、整改工作开展情况……", status=report_status, created_by=liaison,
            first_submitted_at=now if sent else None, submitted_at=now if sent else None,
            submission_count=1 if sent else 0,
            accepted_at=now if report_status == ReportStatus.ACCEPTED else None,
        )
    return feedback


@pytest.fixture
def feedbacks(jurisdiction, people):
    liaison = people["liaison"]
    return {
        "due_soon": owed(jurisdiction, liaison, 5),
        "due": owed(jurisdiction, liaison, 0, ReportStatus.DRAFT),
        "overdue": owed(jurisdiction, liaison, -3, ReportStatus.RETURNED),
        "escalated": owed(jurisdiction, liaison, -31),
        "far": owed(jurisdiction, liaison, 8),
        "submitted": owed(jurisdiction, liaison, -3, ReportStatus.SUBMITTED),
        "accepted": owed(jurisdiction, liaison, -40, ReportStatus.ACCEPTED),
        "no_plan": owed(jurisdiction, liaison, -10, plan=False),
    }


def test_each_owed_report_gets_the_stage_it_has_reached(feedbacks, remind):
    result = remind()
    assert dict(ReportReminder.objects.values_list("feedback_id", "stage")) == {
        feedbacks["due_soon"].pk: ReminderStage.DUE_SOON,
        feedbacks["due"].pk: ReminderStage.DUE,
        feedbacks["overdue"].pk: ReminderStage.OVERDUE,
        feedbacks["escalated"].pk: ReminderStage.ESCALATED,
    }
    assert result["report_reminders"] == 4


def test_submitted_and_accepted_reports_and_feedbacks_without_a_plan_are_not_reminded(feedbacks, remind):
    remind()
    reminded = set(ReportReminder.objects.values_list("feedback_id", flat=True))
    assert not reminded & {feedbacks[key].pk for key in ("submitted", "accepted", "no_plan", "far")}


def test_the_liaison_gets_one_digest_with_chinese_lines(feedbacks, people, remind):
    remind()
    body = Notification.objects.get(user=people["liaison"]).body
    assert body.count("整改情况报告尚未报送") == 4
    escalated = feedbacks["escalated"]
    assert (
        f"【逾期升级】{escalated.unit.name}：{escalated.round.title}整改情况报告尚未报送"
        f"（期限 {escalated.report_due_on:%Y-%m-%d}，逾期 31 天）"
    ) in body
    assert "今日到期" in body and "还有 5 天到期" in body and "逾期 3 天" in body
    assert [m.to for m in mail.outbox if "liaison" in m.to[0]] == [["liaison@example.org"]]


def test_escalation_reaches_the_office_and_leading_group_with_only_escalated_reports(feedbacks, people, remind):
    remind()
    for user in (people["office"], people["leader"]):
        body = Notification.objects.get(user=user).body
        assert body.count("【逾期升级】") == 1 and "整改情况报告尚未报送" in body
        assert "【已逾期】" not in body and "【今日到期】" not in body
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@example.org", "liaison@example.org", "office@example.org"]


def test_once_per_stage_and_again_at_the_next_stage(feedbacks, people, remind):
    remind()
    assert remind()["report_reminders"] == 0
    Notification.objects.all().delete()
    result = remind(TODAY + timedelta(days=1))
    # "due" becomes overdue and "far" comes within 7 days; the others stay in a stage already reminded.
    assert result["report_reminders"] == 2
    assert ReportReminder.objects.filter(feedback=feedbacks["due"], stage=ReminderStage.OVERDUE).exists()
    assert ReportReminder.objects.filter(feedback=feedbacks["far"], stage=ReminderStage.DUE_SOON).exists()
    assert not Notification.objects.filter(user=people["office"]).exists()


def test_a_report_started_after_a_reminder_does_not_get_that_stage_again(jurisdiction, people, remind):
    feedback = owed(jurisdiction, people["liaison"], -3)
    assert remind()["report_reminders"] == 1
    RectificationReport.objects.create(feedback=feedback, content="草稿", created_by=people["liaison"])
    assert remind()["report_reminders"] == 0
    assert ReportReminder.objects.get(feedback=feedback).stage == ReminderStage.OVERDUE


def test_a_report_submitted_before_the_deadline_ends_the_reminders(jurisdiction, people, remind):
    feedback = owed(jurisdiction, people["liaison"], 5)
    remind()
    now = timezone.now()
    RectificationReport.objects.create(
        feedback=feedback, content="报告", status=ReportStatus.SUBMITTED, created_by=people["liaison"],
        first_submitted_at=now, submitted_at=now, submission_count=1,
    )
    assert remind(TODAY + timedelta(days=40))["report_reminders"] == 0


def _rows(jurisdiction, liaison, count):
    for index in range(count):
        owed(jurisdiction, liaison, [5, 0, -3, -31][index % 4], [None, ReportStatus.DRAFT][index % 2])
        feedback, plan, findings = make_feedback(
            jurisdiction=jurisdiction, unit=liaison.unit, findings=2, plan_status=PlanStatus.DRAFT,
            held_days_ago=jurisdiction.plan_due_days + 40,
        )
        for finding, offset in zip(findings, (0, -40), strict=True):
            TaskFactory(plan=plan, finding=finding, status=TaskStatus.IN_PROGRESS, deadline=TODAY + timedelta(days=offset))


def test_the_jobs_query_count_does_not_grow_with_rows(jurisdiction, people, make_user, django_capture_on_commit_callbacks):
    def queries(today):
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            result = send_reminders(today=today)
        return len(captured), result

    _rows(jurisdiction, people["liaison"], 1)
    few, result = queries(TODAY)
    assert result["report_reminders"] and result["task_reminders"] == 2 and result["plan_reminders"] == 1

    for _ in range(3):
        make_user(Role.UNIT_LIAISON, unit=people["liaison"].unit)
    _rows(jurisdiction, people["liaison"], 12)
    many, result = queries(TODAY + timedelta(days=1))
    assert result["report_reminders"] >= 12 and result["task_reminders"] >= 24 and result["plan_reminders"] >= 12
    assert many == few
