"""The daily reminder job: due soon, due today, overdue and escalated tasks and plans.

Set-based: one query finds every item and the stage it has reached, one bulk insert records the reminders
(the unique constraint on (task, stage) drops those already sent, even by a run going on at the same time),
and each run notifies only for the rows it inserted itself (marked with the run's id). Each recipient gets
ONE in-app notification and ONE email per run listing all their items.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
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


def _record(model, rows, *, owner: str, today, run) -> None:
    """Insert a reminder per (owner id, stage) row, a chunk at a time; the unique constraint drops those sent."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        model.objects.bulk_create(
            [model(**{f"{owner}_id": pk}, stage=stage, sent_on=today, run=run) for pk, stage in chunk],
            ignore_conflicts=True,
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
    digest: dict[User, list[str]] = defaultdict(list)
    for item in items:
        for user in liaisons[item.unit_id]:
            digest[user].append(item.line)
        if item.stage == ReminderStage.ESCALATED:
            for user in overseers[item.jurisdiction_id]:
                digest[user].append(item.line)
    return digest


def send_reminders(*, today=None) -> dict:
    """Run once a day (Celery beat). Safe to run twice, or twice at once: each reminder is sent once."""
    today = today or timezone.localdate()
    run = uuid.uuid4()
    with transaction.atomic():
        tasks = _staged(
            Task.objects.filter(status__in=REMINDED_TASK_STATUSES),
            due_field="deadline",
            jurisdiction_path="plan__feedback__jurisdiction",
            reminder_model=TaskReminder,
            owner="task",
            today=today,
        ).values_list("pk", "stage")
        _record(TaskReminder, tasks.iterator(chunk_size=CHUNK), owner="task", today=today, run=run)
        plans = _staged(
            RectificationPlan.objects.filter(status__in=REMINDED_PLAN_STATUSES),
            due_field="feedback__plan_due_on",
            jurisdiction_path="feedback__jurisdiction",
            reminder_model=PlanReminder,
            owner="plan",
            today=today,
        ).values_list("pk", "stage")
        _record(PlanReminder, plans.iterator(chunk_size=CHUNK), owner="plan", today=today, run=run)
        task_items = _task_items(run, today)
        plan_items = _plan_items(run, today)
        items = task_items + plan_items
        digest = _recipients(items)
        url = reverse("rectification:home")
        Notification.objects.bulk_create(
            Notification(
                user=user,
                title=f"整改提醒：{len(lines)} 项整改事项需要关注",
                body="\n".join(lines),
                url=url,
            )
            for user, lines in digest.items()
        )
        messages = [
            EmailMessage(
                subject=f"【巡察整改提醒】{len(lines)} 项整改事项需要关注（{today:%Y-%m-%d}）",
                body=f"{user}：\n\n以下整改事项需要您关注：\n\n" + "\n".join(lines) + "\n\n请登录巡察管理系统办理。",
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
