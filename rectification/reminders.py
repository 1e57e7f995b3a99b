"""The daily reminder job: due soon, due today, overdue and escalated tasks and plans.

Set-based: one query finds every item and the stage it has reached, one bulk insert records the reminders
(the unique constraint on (task, stage) drops those already sent, even by a run going on at the same time),
and each run notifies only for the rows it inserted itself (marked with the run's id). Each recipient gets
ONE in-app notification and ONE email per run listing all their items.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.db.models.constants import OnConflict
from django.db.models.fields import CharField, DateField
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Notification, Role, User

from .models import PlanReminder, PlanStatus, RectificationPlan, ReminderStage, Task, TaskReminder, TaskStatus
from .selectors import DaysFrom

# The liaison has done their part once a task awaits verification; the plan likewise once submitted.
REMINDED_TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.REOPENED)
REMINDED_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


def _staged(queryset, *, due_field: str, jurisdiction_path: str, reminder_model, owner: str, today):
    """Annotate each row with the stage it has reached today, keep rows in a stage not yet reminded."""
    stage = Case(
        When(days_left__lt=-F(f"{jurisdiction_path}__escalate_after_days"), then=Value(ReminderStage.ESCALATED)),
        When(days_left__lt=0, then=Value(ReminderStage.OVERDUE)),
        When(days_left=0, then=Value(ReminderStage.DUE)),
        default=Value(ReminderStage.DUE_SOON),
        output_field=CharField(),
    )
    already = reminder_model.objects.filter(**{owner: OuterRef("pk")}, stage=OuterRef("stage"))
    return (
        queryset.annotate(days_left=DaysFrom(F(due_field), Value(today, output_field=DateField())))
        .filter(days_left__lte=F(f"{jurisdiction_path}__remind_before_days"))
        .annotate(stage=stage)
        .filter(~Exists(already))
    )


@dataclass
class Item:
    stage: str
    unit_id: int
    jurisdiction_id: int
    line: str


STAGE_LABELS = dict(ReminderStage.choices)


def _when(today, due) -> str:
    late = (today - due).days
    return f"逾期 {late} 天" if late > 0 else ("今日到期" if late == 0 else f"还有 {-late} 天到期")


# A catch-up run (the first ever, or after an outage) inserts hundreds of thousands of reminders at province scale:
# rows are streamed in chunks and kept as short text lines, never as model instances (1.4 GB before, bench/RESULTS.md).
CHUNK = 2000


def _task_items(run, today) -> list[Item]:
    rows = (
        TaskReminder.objects.filter(run=run)
        .order_by("task__deadline", "task_id")
        .values_list(
            "stage", "task__plan__feedback__unit_id", "task__plan__feedback__jurisdiction_id",
            "task__plan__feedback__unit__name", "task__finding__title", "task__deadline",
            "task__responsible_department",
        )
        .iterator(chunk_size=CHUNK)
    )
    return [
        Item(
            stage,
            unit_id,
            jurisdiction_id,
            f"【{STAGE_LABELS[stage]}】{unit_name}：整改任务“{title}”"
            f"（时限 {deadline:%Y-%m-%d}，{_when(today, deadline)}，责任部门：{department}）",
        )
        for stage, unit_id, jurisdiction_id, unit_name, title, deadline, department in rows
    ]


def _plan_items(run, today) -> list[Item]:
    rows = PlanReminder.objects.filter(run=run).select_related("plan__feedback__unit", "plan__feedback__round")
    items = []
    for reminder in rows.iterator(chunk_size=CHUNK):
        feedback = reminder.plan.feedback
        items.append(
            Item(
                reminder.stage,
                feedback.unit_id,
                feedback.jurisdiction_id,
                f"【{STAGE_LABELS[reminder.stage]}】{feedback.unit.name}：{feedback.round.title}整改方案尚未报送"
                f"（期限 {feedback.plan_due_on:%Y-%m-%d}，{_when(today, feedback.plan_due_on)}）",
            )
        )
    return items


def _record(model, staged, *, owner: str, today, run) -> None:
    """INSERT ... SELECT: the database copies the staged (id, stage) rows into reminders in one statement, and
    the unique constraint drops those already sent, even by a run going on at the same time. Rows never pass
    through Python: a catch-up run inserts hundreds of thousands at province scale."""
    sql, params = staged.values_list("pk", "stage").query.sql_with_params()
    prep = {name: model._meta.get_field(name) for name in ("sent_on", "run", "created_at")}
    values = [
        prep["sent_on"].get_db_prep_value(today, connection),
        prep["run"].get_db_prep_value(run, connection),
        prep["created_at"].get_db_prep_value(timezone.now(), connection),
    ]
    ops = connection.ops
    insert = ops.insert_statement(on_conflict=OnConflict.IGNORE)
    suffix = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    table = ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} {table} ({owner}_id, stage, sent_on, run, created_at) "
            f"SELECT staged.pk, staged.stage, %s, %s, %s FROM ({sql}) staged {suffix}",
            [*values, *params],
        )


def _recipients(items: list[Item]) -> dict[User, list[str]]:
    """Liaisons of each item's unit; for escalated items also the office and leading group of the jurisdiction."""
    unit_ids = {item.unit_id for item in items}
    escalated_jurisdictions = {item.jurisdiction_id for item in items if item.stage == ReminderStage.ESCALATED}
    liaisons = defaultdict(list)
    for user in User.objects.filter(role=Role.UNIT_LIAISON, unit_id__in=unit_ids, is_active=True):
        liaisons[user.unit_id].append(user)
    overseers = defaultdict(list)
    for user in User.objects.filter(
        role__in=(Role.OFFICE, Role.LEADING_GROUP), jurisdiction_id__in=escalated_jurisdictions, is_active=True
    ):
        overseers[user.jurisdiction_id].append(user)
    # Keyed by id while collecting: hashing model instances once per line cost seconds on a catch-up run.
    users = {user.pk: user for group in (*liaisons.values(), *overseers.values()) for user in group}
    liaison_ids = {unit_id: [user.pk for user in group] for unit_id, group in liaisons.items()}
    overseer_ids = {jurisdiction_id: [user.pk for user in group] for jurisdiction_id, group in overseers.items()}
    digest: dict[int, list[str]] = defaultdict(list)
    for item in items:
        for user_id in liaison_ids.get(item.unit_id, ()):
            digest[user_id].append(item.line)
        if item.stage == ReminderStage.ESCALATED:
            for user_id in overseer_ids.get(item.jurisdiction_id, ()):
                digest[user_id].append(item.line)
    return {users[user_id]: lines for user_id, lines in digest.items()}


# An office overseeing a county can have thousands of escalated tasks on a catch-up day; a message lists the
# first ones and points to the task list, which filters and exports them all.
DIGEST_LINES = 100


def _digest_text(lines: list[str]) -> str:
    if len(lines) <= DIGEST_LINES:
        return "\n".join(lines)
    rest = len(lines) - DIGEST_LINES
    return "\n".join(lines[:DIGEST_LINES]) + f"\n……另有 {rest} 项未列出，请在“整改任务”列表中查看全部。"


def send_reminders(*, today=None) -> dict:
    """Run once a day (Celery beat). Safe to run twice, or twice at once: each reminder is sent once."""
    today = today or timezone.localdate()
    run = uuid.uuid4()
    with transaction.atomic():
        tasks = _staged(
            Task.objects.filter(status__in=REMINDED_TASK_STATUSES),
            due_field="deadline",
            jurisdiction_path="jurisdiction",
            reminder_model=TaskReminder,
            owner="task",
            today=today,
        )
        _record(TaskReminder, tasks, owner="task", today=today, run=run)
        plans = _staged(
            RectificationPlan.objects.filter(status__in=REMINDED_PLAN_STATUSES),
            due_field="feedback__plan_due_on",
            jurisdiction_path="feedback__jurisdiction",
            reminder_model=PlanReminder,
            owner="plan",
            today=today,
        )
        _record(PlanReminder, plans, owner="plan", today=today, run=run)
        task_items = _task_items(run, today)
        plan_items = _plan_items(run, today)
        items = task_items + plan_items
        digest = _recipients(items)
        url = reverse("rectification:home")
        Notification.objects.bulk_create(
            Notification(
                user=user,
                title=f"整改提醒：{len(lines)} 项整改事项需要关注",
                body=_digest_text(lines),
                url=url,
            )
            for user, lines in digest.items()
        )
        messages = [
            EmailMessage(
                subject=f"【巡察整改提醒】{len(lines)} 项整改事项需要关注（{today:%Y-%m-%d}）",
                body=f"{user}：\n\n以下整改事项需要您关注：\n\n" + _digest_text(lines) + "\n\n请登录巡察管理系统办理。",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            for user, lines in digest.items()
            if user.email
        ]
        if messages:
            transaction.on_commit(lambda: get_connection().send_messages(messages))
    return {
        "task_reminders": len(task_items),
        "plan_reminders": len(plan_items),
        "notified_users": len(digest),
        "emails": len(messages),
    }
