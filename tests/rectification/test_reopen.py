"""回头看重新整改 (issue 13 item 6): a closed task reopened with a new time limit and a reason, through the service,
the look-back verdict, the task page and the API; and reminders keyed by the deadline they remind of."""

import importlib
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.accounts.models import Notification, Role
from inspection.core.exceptions import DomainError, InvalidTransition
from rectification import services
from rectification.models import (
    LookbackCheck,
    PlanStatus,
    ReminderStage,
    Task,
    TaskReminder,
    TaskReopening,
    TaskStatus,
    TaskStatusChange,
)
from rectification.reminders import send_reminders
from rounds.models import RoundKind

from .factories import RoundFactory, TaskFactory, TeamUnitFactory, make_feedback

TODAY = timezone.localdate()
OLD_DEADLINE = TODAY - timedelta(days=40)
NEW_DEADLINE = TODAY + timedelta(days=5)
REASON = "抽查公务接待台账，仍有3批次超标准接待，整改不到位"


@pytest.fixture
def closed(jurisdiction, liaison):
    """A task of an accepted plan, closed after its deadline (40 days ago) had passed."""
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=1, plan_status=PlanStatus.ACCEPTED, held_days_ago=120
    )
    return TaskFactory(plan=plan, finding=findings[0], deadline=OLD_DEADLINE, status=TaskStatus.CLOSED,
                       closed_at=timezone.now())


def _unchanged(task):
    task.refresh_from_db()
    assert (task.status, task.deadline, task.closed_at is not None) == (TaskStatus.CLOSED, OLD_DEADLINE, True)
    assert not TaskReopening.objects.exists() and not TaskStatusChange.objects.exists()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The service ----------------------------------------------------------------------------------------


def test_reopen_sets_the_new_time_limit_and_records_who_when_and_why(closed, office):
    task = services.task_reopen(task=closed, actor=office, new_deadline=NEW_DEADLINE, reason=f"  {REASON} ")

    task.refresh_from_db()
    assert (task.status, task.deadline, task.closed_at, task.return_reason) == (
        TaskStatus.REOPENED, NEW_DEADLINE, None, REASON
    )
    change = TaskStatusChange.objects.get(task=task)
    assert (change.from_status, change.to_status, change.actor, change.reason) == (
        TaskStatus.CLOSED, TaskStatus.REOPENED, office, REASON
    )
    reopening = TaskReopening.objects.get(task=task)
    assert (reopening.previous_deadline, reopening.deadline, reopening.reason, reopening.reopened_by,
            reopening.lookback_check) == (OLD_DEADLINE, NEW_DEADLINE, REASON, office, None)
    latest = task.history.latest()
    assert (latest.deadline, latest.status, latest.history_change_reason) == (NEW_DEADLINE, TaskStatus.REOPENED, REASON)


@pytest.mark.parametrize(
    ("new_deadline", "reason", "field", "message"),
    [
        (NEW_DEADLINE, "", "reason", "请填写重新整改的原因"),
        (NEW_DEADLINE, "   ", "reason", "请填写重新整改的原因"),
        (TODAY - timedelta(days=1), REASON, "new_deadline", f"新的整改时限不能早于今天（{TODAY:%Y-%m-%d}）"),
        (None, REASON, "new_deadline", "请填写新的整改时限"),
    ],
)
def test_reopen_refuses_no_reason_or_a_past_date_and_changes_nothing(closed, office, new_deadline, reason, field, message):
    with pytest.raises(DomainError) as error:
        services.task_reopen(task=closed, actor=office, new_deadline=new_deadline, reason=reason)
    assert (error.value.field, error.value.message) == (field, message)
    _unchanged(closed)


def test_a_new_time_limit_of_today_is_accepted(closed, office):
    assert services.task_reopen(task=closed, actor=office, new_deadline=TODAY, reason=REASON).deadline == TODAY


def test_only_a_closed_task_is_reopened_and_not_by_the_unit(closed, office, liaison):
    with pytest.raises(InvalidTransition):
        services.task_reopen(task=closed, actor=liaison, new_deadline=NEW_DEADLINE, reason=REASON)
    services.task_reopen(task=closed, actor=office, new_deadline=NEW_DEADLINE, reason=REASON)
    with pytest.raises(DomainError) as error:
        services.task_reopen(task=closed, actor=office, new_deadline=NEW_DEADLINE, reason=REASON)
    assert error.value.message == "整改任务当前为“回头看重新整改”，只有已销号的任务才能重新整改"
    assert TaskReopening.objects.count() == 1


# --- The look-back verdict --------------------------------------------------------------------------------


@pytest.fixture
def lookback(jurisdiction, closed):
    lookback_round = RoundFactory(jurisdiction=jurisdiction, kind=RoundKind.LOOKBACK)
    lookback_round.lookback_of.add(closed.plan.feedback.round)
    TeamUnitFactory(team__round=lookback_round, unit=closed.plan.feedback.unit)
    return lookback_round


def test_a_lookback_that_finds_a_closed_task_not_fixed_reopens_it_with_its_new_time_limit(lookback, closed, office):
    with pytest.raises(DomainError) as error:
        services.lookback_check_record(lookback_round=lookback, task=closed, actor=office, is_fixed=False, notes=REASON)
    assert (error.value.field, error.value.message) == (
        "new_deadline", "该任务已销号，核查认定未整改到位的须重新整改：请填写新的整改时限"
    )
    with pytest.raises(DomainError, match="不能早于今天"):
        services.lookback_check_record(lookback_round=lookback, task=closed, actor=office, is_fixed=False, notes=REASON,
                                       new_deadline=TODAY - timedelta(days=3))
    assert not LookbackCheck.objects.exists()
    _unchanged(closed)

    check = services.lookback_check_record(lookback_round=lookback, task=closed, actor=office, is_fixed=False,
                                           notes=REASON, new_deadline=NEW_DEADLINE)
    closed.refresh_from_db()
    assert (closed.status, closed.deadline) == (TaskStatus.REOPENED, NEW_DEADLINE)
    reopening = TaskReopening.objects.get()
    assert (reopening.lookback_check, reopening.previous_deadline, reopening.reason) == (
        check, OLD_DEADLINE, f"回头看核查未整改到位：{REASON}"
    )


def test_a_lookback_that_finds_the_task_fixed_takes_no_new_time_limit(lookback, closed, office):
    with pytest.raises(DomainError) as error:
        services.lookback_check_record(lookback_round=lookback, task=closed, actor=office, is_fixed=True,
                                       notes="制度执行到位", new_deadline=NEW_DEADLINE)
    assert (error.value.field, error.value.message) == ("new_deadline", "核查结论为已整改到位，无需设定新的整改时限")
    services.lookback_check_record(lookback_round=lookback, task=closed, actor=office, is_fixed=True, notes="制度执行到位")
    _unchanged(closed)


# --- The task page --------------------------------------------------------------------------------------


def test_the_task_page_offers_reopening_to_the_office_not_to_the_unit(client, closed, office, liaison):
    detail = reverse("rectification:task_detail", args=[closed.pk])
    url = reverse("rectification:task_reopen", args=[closed.pk])
    client.force_login(liaison)
    assert 'id="reopen-task"' not in client.get(detail).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"new_deadline": NEW_DEADLINE.isoformat(), "reason": REASON}).status_code == 403
    client.force_login(office)
    assert 'id="reopen-task"' in client.get(detail).content.decode()
    assert f"原整改时限 {OLD_DEADLINE:%Y-%m-%d}" in client.get(url).content.decode()
    _unchanged(closed)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_deadline": NEW_DEADLINE.isoformat(), "reason": ""}, "请填写重新整改的原因"),
        ({"new_deadline": "", "reason": REASON}, "请填写新的整改时限"),
        ({"new_deadline": "2026-02-30", "reason": REASON}, "请输入有效的日期"),
        ({"new_deadline": (TODAY - timedelta(days=1)).isoformat(), "reason": REASON},
         f"新的整改时限不能早于今天（{TODAY:%Y-%m-%d}）"),
    ],
)
def test_the_reopen_form_shows_the_chinese_error_and_changes_nothing(client, closed, office, data, message):
    client.force_login(office)
    response = client.post(reverse("rectification:task_reopen", args=[closed.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    _unchanged(closed)


def test_the_reopen_form_reopens_and_the_task_page_shows_the_record(client, closed, office):
    client.force_login(office)
    response = client.post(reverse("rectification:task_reopen", args=[closed.pk]),
                           {"new_deadline": NEW_DEADLINE.isoformat(), "reason": REASON})
    assert response.status_code == 302 and response.url == reverse("rectification:task_detail", args=[closed.pk])
    closed.refresh_from_db()
    assert (closed.status, closed.deadline) == (TaskStatus.REOPENED, NEW_DEADLINE)
    page = client.get(response.url).content.decode()
    assert "重新整改记录" in page and f"{OLD_DEADLINE:%Y-%m-%d} → {NEW_DEADLINE:%Y-%m-%d}" in page
    assert f"重新整改原因</dt><dd class=\"col-sm-10 text-danger\">{REASON}" in page
    assert 'id="reopen-task"' not in page


# --- The API --------------------------------------------------------------------------------------------


def test_api_reopen_without_a_reason_or_with_a_past_date_is_a_400_with_chinese_field_messages(closed, office):
    url = f"/api/rectification/tasks/{closed.pk}/reopen/"
    response = api(office).post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"new_deadline": ["请填写新的整改时限"], "reason": ["请填写重新整改的原因"]}
    response = api(office).post(url, {"new_deadline": NEW_DEADLINE.isoformat(), "reason": " "}, format="json")
    assert (response.status_code, response.json()) == (400, {"reason": ["请填写重新整改的原因"]})
    past = (TODAY - timedelta(days=1)).isoformat()
    response = api(office).post(url, {"new_deadline": past, "reason": REASON}, format="json")
    assert (response.status_code, response.json()) == (400, {"new_deadline": [f"新的整改时限不能早于今天（{TODAY:%Y-%m-%d}）"]})
    response = api(office).post(url, {"new_deadline": "明天", "reason": REASON}, format="json")
    assert (response.status_code, response.json()) == (400, {"new_deadline": ["请输入有效的日期，格式为 YYYY-MM-DD"]})
    _unchanged(closed)


def test_api_reopen_sets_the_deadline_and_lists_the_move(closed, office, liaison):
    listed = api(office).get(f"/api/rectification/tasks/{closed.pk}/").json()
    assert listed["moves"] == [{"verb": "reopen", "label": "回头看重新整改", "to": "reopened", "needs_reason": True}]
    assert api(liaison).get(f"/api/rectification/tasks/{closed.pk}/").json()["moves"] == []
    url = f"/api/rectification/tasks/{closed.pk}/reopen/"
    assert api(liaison).post(url, {"new_deadline": NEW_DEADLINE.isoformat(), "reason": REASON}, format="json").status_code == 403
    _unchanged(closed)
    response = api(office).post(url, {"new_deadline": NEW_DEADLINE.isoformat(), "reason": REASON}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["deadline"], body["return_reason"]) == (
        TaskStatus.REOPENED, NEW_DEADLINE.isoformat(), REASON
    )


def test_api_lookback_check_takes_the_new_time_limit(lookback, closed, office):
    url = "/api/rectification/lookback-checks/"
    data = {"lookback_round": lookback.pk, "task": closed.pk, "is_fixed": False, "notes": REASON}
    response = api(office).post(url, data, format="json")
    assert (response.status_code, response.json()) == (
        400, {"new_deadline": ["该任务已销号，核查认定未整改到位的须重新整改：请填写新的整改时限"]}
    )
    _unchanged(closed)
    response = api(office).post(url, {**data, "new_deadline": NEW_DEADLINE.isoformat()}, format="json")
    assert response.status_code == 201 and response.json()["new_deadline"] == NEW_DEADLINE.isoformat()
    assert api(office).get(url).json()["results"][0]["new_deadline"] == NEW_DEADLINE.isoformat()
    closed.refresh_from_db()
    assert (closed.status, closed.deadline) == (TaskStatus.REOPENED, NEW_DEADLINE)


# --- Reminders keyed by the deadline ---------------------------------------------------------------------

STAGES = {ReminderStage.DUE_SOON, ReminderStage.DUE, ReminderStage.OVERDUE, ReminderStage.ESCALATED}


def _reminders():
    return sorted(TaskReminder.objects.values_list("stage", "deadline"))


def _every_stage_of(deadline, escalate_after_days=30):
    """The days on which a task of this deadline reaches each stage (remind 7 days before)."""
    return [deadline - timedelta(days=5), deadline, deadline + timedelta(days=1),
            deadline + timedelta(days=escalate_after_days + 1)]


def test_a_reopened_task_is_reminded_again_once_per_stage_of_its_new_deadline(
    jurisdiction, closed, office, liaison, django_capture_on_commit_callbacks
):
    jurisdiction.remind_before_days, jurisdiction.escalate_after_days = 7, 30
    jurisdiction.save()
    Task.objects.filter(pk=closed.pk).update(status=TaskStatus.IN_PROGRESS, closed_at=None)
    for day in _every_stage_of(OLD_DEADLINE):
        send_reminders(today=day)
    before = _reminders()
    assert before == sorted((stage, OLD_DEADLINE) for stage in STAGES)
    # The old deadline's stages are all spent: nothing more for it, however often the job runs.
    assert send_reminders(today=TODAY)["task_reminders"] == 0
    Task.objects.filter(pk=closed.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())

    services.task_reopen(task=closed, actor=office, new_deadline=NEW_DEADLINE, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=TODAY)["task_reminders"] == 1
    assert _reminders() == sorted([*before, (ReminderStage.DUE_SOON, NEW_DEADLINE)])
    body = Notification.objects.filter(user=liaison).latest("id").body
    assert f"时限 {NEW_DEADLINE:%Y-%m-%d}，还有 5 天到期" in body
    assert send_reminders(today=TODAY)["task_reminders"] == 0

    for day in _every_stage_of(NEW_DEADLINE)[1:]:
        assert send_reminders(today=day)["task_reminders"] == 1
        assert send_reminders(today=day)["task_reminders"] == 0
    assert _reminders() == sorted([*before, *((stage, NEW_DEADLINE) for stage in STAGES)])
    assert TaskReminder.objects.filter(task=closed).count() == 8


def test_the_data_migration_gives_each_existing_reminder_the_deadline_it_reminded_of(closed, office):
    """0008 fills TaskReminder.deadline with the task's deadline when the reminder was sent (its history), not the
    deadline of today: a task reopened before the migration is then reminded of its new deadline."""
    migration = importlib.import_module("rectification.migrations.0008_task_reminder_deadline_and_reopening")
    HistoricalTask = Task.history.model
    Task.objects.filter(pk=closed.pk).update(status=TaskStatus.IN_PROGRESS, closed_at=None)
    send_reminders(today=OLD_DEADLINE)
    other = TaskFactory(plan=closed.plan, finding=closed.finding, deadline=OLD_DEADLINE, status=TaskStatus.IN_PROGRESS)
    send_reminders(today=OLD_DEADLINE)
    # The first task's deadline changes afterwards (saved, so with a history row); the second has no history.
    task = Task.objects.get(pk=closed.pk)
    task.deadline = NEW_DEADLINE
    task.save()
    HistoricalTask.objects.filter(id=other.pk).delete()
    Task.objects.filter(pk=other.pk).update(deadline=NEW_DEADLINE)

    filled = dict(
        TaskReminder.objects.annotate(filled=migration.deadline_when_sent(Task, HistoricalTask))
        .values_list("task_id", "filled")
    )
    assert filled == {closed.pk: OLD_DEADLINE, other.pk: NEW_DEADLINE}


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="需要 PostgreSQL（两个事务同时提交）")
def test_two_people_reopening_one_task_at_once_reopen_it_once(
    transactional_db, django_db_serialized_rollback, closed, office, make_user
):
    """The row lock in task_reopen: the second waits for the first, then finds the task already reopened.
    (Serialized rollback like the other transactional tests, or the next one cannot restore the content types.)"""
    second_office = make_user(Role.OFFICE)
    barrier = threading.Barrier(2)
    outcomes = {}

    def reopen(actor, days):
        try:
            barrier.wait(timeout=10)
            services.task_reopen(task=closed, actor=actor, new_deadline=TODAY + timedelta(days=days), reason=REASON)
            outcomes[actor.pk] = "ok"
        except DomainError as error:
            outcomes[actor.pk] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=reopen, args=(actor, days)) for actor, days in ((office, 10), (second_office, 20))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["ok", "整改任务当前为“回头看重新整改”，只有已销号的任务才能重新整改"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "ok")
    reopening = TaskReopening.objects.get()
    closed.refresh_from_db()
    assert reopening.reopened_by_id == winner and closed.deadline == reopening.deadline
    assert TaskStatusChange.objects.filter(task=closed).count() == 1
