"""The daily reminder job: due soon, due today, overdue and escalated tasks, plans and reports.

Set-based: one query finds every item and the stage it has reached, one bulk insert records the reminders
(the unique constraint on (task, stage, deadline) drops those already sent, even by a run going on at the same
time), and each run notifies only for the rows it inserted itself (marked with the run's id). Each recipient
gets ONE in-app notification and ONE email per run listing all their items.

A task reminder names the deadline it reminds of: a task reopened with a new time limit (services.task_reopen)
is reminded again at each stage of the new deadline, once, while the reminders of the old deadline stay.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.constants import OnConflict
from django.db.models.fields import CharField, DateField
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Notification, Role, User

from .models import (
    Feedback,
    PlanReminder,
    PlanStatus,
    RectificationPlan,
    ReminderStage,
    ReportReminder,
    ReportStatus,
    Task,
    TaskReminder,
    TaskStatus,
)
from .selectors import DaysFrom

# The liaison has done their part once a task awaits verification; the plan likewise once submitted.
REMINDED_TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.REOPENED)
REMINDED_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)
REMINDED_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _staged(queryset, *, due_field: str, jurisdiction_path: str, reminder_model, owner: str, today, keyed_by_due=False):
    """Annotate each row with the stage it has reached today, keep rows in a stage not yet reminded (of this due
    date, when the reminders are `keyed_by_due`: their `deadline` column names the due date they remind of)."""
    stage = Case(
        When(days_left__lt=-F(f"{jurisdiction_path}__escalate_after_days"), then=Value(ReminderStage.ESCALATED)),
        When(days_left__lt=0, then=Value(ReminderStage.OVERDUE)),
        When(days_left=0, then=Value(ReminderStage.DUE)),
        default=Value(ReminderStage.DUE_SOON),
        output_field=CharField(),
    )
    already = reminder_model.objects.filter(**{owner: OuterRef("pk")}, stage=OuterRef("stage"))
    if keyed_by_due:
        already = already.filter(deadline=OuterRef(due_field))
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


# A catch-up run (the first ever, or after an outage) sends hundreds of thousands of reminders at province scale:
# rows are streamed, and each recipient keeps a count and the first DIGEST_LINES lines, never every line
# (1.4 GB of model instances before, bench/RESULTS.md).
CHUNK = 2000
# An office overseeing a county can have thousands of escalated tasks on a catch-up day; a message lists the
# first ones and points to the task list, which filters and exports them all.
DIGEST_LINES = 100


def _task_items(run, today) -> Iterator[Item]:
    rows = (
        TaskReminder.objects.filter(run=run)
        .order_by("deadline", "task_id")
        .values_list(
            "stage", "task__plan__feedback__unit_id", "task__jurisdiction_id",
            "task__plan__feedback__unit__name", "task__finding__title", "deadline",
            "task__responsible_department",
        )
        .iterator(chunk_size=CHUNK)
    )
    for stage, unit_id, jurisdiction_id, unit_name, title, deadline, department in rows:
        yield Item(
            stage,
            unit_id,
            jurisdiction_id,
            f"【{STAGE_LABELS[stage]}】{unit_name}：整改任务“{title}”"
            f"（时限 {deadline:%Y-%m-%d}，{_when(today, deadline)}，责任部门：{department}）",
        )


def _plan_items(run, today) -> Iterator[Item]:
    rows = PlanReminder.objects.filter(run=run).select_related("plan__feedback__unit", "plan__feedback__round")
    for reminder in rows.iterator(chunk_size=CHUNK):
        feedback = reminder.plan.feedback
        yield Item(
            reminder.stage,
            feedback.unit_id,
            feedback.jurisdiction_id,
            f"【{STAGE_LABELS[reminder.stage]}】{feedback.unit.name}：{feedback.round.title}整改方案尚未报送"
            f"（期限 {feedback.plan_due_on:%Y-%m-%d}，{_when(today, feedback.plan_due_on)}）",
        )


def _report_items(run, today) -> Iterator[Item]:
    rows = ReportReminder.objects.filter(run=run).select_related("feedback__unit", "feedback__round")
    for reminder in rows.iterator(chunk_size=CHUNK):
        feedback = reminder.feedback
        yield Item(
            reminder.stage,
            feedback.unit_id,
            feedback.jurisdiction_id,
            f"【{STAGE_LABELS[reminder.stage]}】{feedback.unit.name}：{feedback.round.title}整改情况报告尚未报送"
            f"（期限 {feedback.report_due_on:%Y-%m-%d}，{_when(today, feedback.report_due_on)}）",
        )


def _reports_owed():
    """Feedbacks whose 整改情况报告 is still owed: the plan exists, and the report does not yet, or is a draft, or
    came back for correction.

    The reminded object is the Feedback, not the RectificationReport: a unit that has not started its report has
    no report row, and it is the one most in need of a reminder. The due date lives on the feedback
    (report_due_on) and a feedback has at most one report, so (feedback, stage) is "once per report per stage";
    a report created or returned after a stage was reminded does not get that stage again."""
    return Feedback.objects.filter(plan__isnull=False).filter(
        Q(report__isnull=True) | Q(report__status__in=REMINDED_REPORT_STATUSES)
    )


def _record(model, staged, *, owner: str, today, run, due_field: str | None = None) -> None:
    """INSERT ... SELECT: the database copies the staged (id, stage) rows into reminders in one statement, and
    the unique constraint drops those already sent, even by a run going on at the same time. Rows never pass
    through Python: a catch-up run inserts hundreds of thousands at province scale. With `due_field`, the
    item's due date is copied into the reminder's `deadline` (part of its unique key)."""
    selected = ("pk", "stage", due_field) if due_field else ("pk", "stage")
    sql, params = staged.values_list(*selected).query.sql_with_params()
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
    # values_list() aliases each column with its name: "pk", "stage" and the due field.
    columns, picked = (", deadline", f", staged.{ops.quote_name(due_field)}") if due_field else ("", "")
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} {table} ({owner}_id, stage{columns}, sent_on, run, created_at) "
            f"SELECT staged.pk, staged.stage{picked}, %s, %s, %s FROM ({sql}) staged {suffix}",
            [*values, *params],
        )


@dataclass
class Digest:
    """What one person is told in one run: how many items, and the first DIGEST_LINES of them."""

    count: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.count += 1
        if len(self.lines) < DIGEST_LINES:
            self.lines.append(line)

    @property
    def text(self) -> str:
        more = self.count - len(self.lines)
        return "\n".join(self.lines) + (f"\n……另有 {more} 项未列出，请登录系统查看全部。" if more else "")


RECIPIENT_FIELDS = ("id", "username", "display_name", "email", "unit_id", "jurisdiction_id")


def _digests(run, items: Iterable[Item]) -> tuple[dict[User, Digest], Counter]:
    """Liaisons of each item's unit; for escalated items also the office and leading group of the jurisdiction.
    Returns each recipient's digest and the number of items per kind."""
    tasks = TaskReminder.objects.filter(run=run)
    plans = PlanReminder.objects.filter(run=run)
    reports = ReportReminder.objects.filter(run=run)
    escalated = ReminderStage.ESCALATED
    users = {}
    liaisons = defaultdict(list)
    for user in User.objects.filter(
        Q(unit_id__in=tasks.values("task__plan__feedback__unit_id"))
        | Q(unit_id__in=plans.values("plan__feedback__unit_id"))
        | Q(unit_id__in=reports.values("feedback__unit_id")),
        role=Role.UNIT_LIAISON, is_active=True,
    ).only(*RECIPIENT_FIELDS):
        liaisons[user.unit_id].append(user.pk)
        users[user.pk] = user
    overseers = defaultdict(list)
    for user in User.objects.filter(
        Q(jurisdiction_id__in=tasks.filter(stage=escalated).values("task__jurisdiction_id"))
        | Q(jurisdiction_id__in=plans.filter(stage=escalated).values("plan__feedback__jurisdiction_id"))
        | Q(jurisdiction_id__in=reports.filter(stage=escalated).values("feedback__jurisdiction_id")),
        role__in=(Role.OFFICE, Role.LEADING_GROUP), is_active=True,
    ).only(*RECIPIENT_FIELDS):
        overseers[user.jurisdiction_id].append(user.pk)
        users[user.pk] = user
    # Keyed by id while collecting: hashing model instances once per line cost seconds on a catch-up run.
    digests: dict[int, Digest] = defaultdict(Digest)
    counted = Counter()
    for kind, item in items:
        counted[kind] += 1
        for user_id in liaisons.get(item.unit_id, ()):
            digests[user_id].add(item.line)
        if item.stage == escalated:
            for user_id in overseers.get(item.jurisdiction_id, ()):
                digests[user_id].add(item.line)
    return {users[user_id]: digest for user_id, digest in digests.items()}, counted


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
            keyed_by_due=True,
        )
        _record(TaskReminder, tasks, owner="task", today=today, run=run, due_field="deadline")
        plans = _staged(
            RectificationPlan.objects.filter(status__in=REMINDED_PLAN_STATUSES),
            due_field="feedback__plan_due_on",
            jurisdiction_path="feedback__jurisdiction",
            reminder_model=PlanReminder,
            owner="plan",
            today=today,
        )
        _record(PlanReminder, plans, owner="plan", today=today, run=run)
        reports = _staged(
            _reports_owed(),
            due_field="report_due_on",
            jurisdiction_path="jurisdiction",
            reminder_model=ReportReminder,
            owner="feedback",
            today=today,
        )
        _record(ReportReminder, reports, owner="feedback", today=today, run=run)
        items = chain(
            (("task", item) for item in _task_items(run, today)),
            (("plan", item) for item in _plan_items(run, today)),
            (("report", item) for item in _report_items(run, today)),
        )
        digests, counted = _digests(run, items)
        url = reverse("rectification:home")
        Notification.objects.bulk_create(
            (
                Notification(
                    user=user, title=f"整改提醒：{digest.count} 项整改事项需要关注", body=digest.text, url=url
                )
                for user, digest in digests.items()
            ),
            batch_size=CHUNK,
        )
        messages = [
            EmailMessage(
                subject=f"【巡察整改提醒】{digest.count} 项整改事项需要关注（{today:%Y-%m-%d}）",
                body=f"{user}：\n\n以下整改事项需要您关注：\n\n" + digest.text + "\n\n请登录巡察管理系统办理。",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            for user, digest in digests.items()
            if user.email
        ]
        if messages:
            transaction.on_commit(lambda: get_connection().send_messages(messages))
    return {
        "task_reminders": counted["task"],
        "plan_reminders": counted["plan"],
        "report_reminders": counted["report"],
        "notified_users": len(digests),
        "emails": len(messages),
    }
