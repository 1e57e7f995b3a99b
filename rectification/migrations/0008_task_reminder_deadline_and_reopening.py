"""Reminders keyed by the deadline they remind of, and the record of a task reopened with a new time limit.

Step 1 of 2: the new column is added nullable and filled here; 0009 makes it required and swaps the unique
constraint. Two migrations because PostgreSQL refuses to ALTER a table with pending trigger events left by the
UPDATE in the same transaction.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def deadline_when_sent(Task, HistoricalTask):
    """The deadline a reminder was about: the task's deadline in its latest history row not after the reminder
    was inserted; for a task without history (rows bulk-loaded), its current deadline."""
    then = (
        HistoricalTask.objects.filter(id=OuterRef("task_id"), history_date__lte=OuterRef("created_at"))
        .order_by("-history_date", "-history_id")
        .values("deadline")[:1]
    )
    now = Task.objects.filter(pk=OuterRef("task_id")).values("deadline")[:1]
    return Coalesce(Subquery(then), Subquery(now), output_field=models.DateField())


def fill_reminder_deadlines(apps, schema_editor):
    """One UPDATE over the existing reminders; rows never pass through Python."""
    TaskReminder = apps.get_model("rectification", "TaskReminder")
    deadline = deadline_when_sent(apps.get_model("rectification", "Task"), apps.get_model("rectification", "HistoricalTask"))
    TaskReminder.objects.filter(deadline__isnull=True).update(deadline=deadline)


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0007_report_reminder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskReopening",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("previous_deadline", models.DateField(verbose_name="原整改时限")),
                ("deadline", models.DateField(verbose_name="新整改时限")),
                ("reason", models.TextField(verbose_name="重新整改原因")),
                ("reopened_at", models.DateTimeField(auto_now_add=True, verbose_name="重新整改时间")),
                (
                    "lookback_check",
                    models.OneToOneField(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="reopening",
                        to="rectification.lookbackcheck", verbose_name="回头看核查",
                    ),
                ),
                (
                    "reopened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="reopenings", to="rectification.task",
                        verbose_name="整改任务",
                    ),
                ),
            ],
            options={
                "verbose_name": "重新整改记录",
                "verbose_name_plural": "重新整改记录",
                "ordering": ["reopened_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="taskreminder",
            name="deadline",
            field=models.DateField(null=True, verbose_name="所提醒的整改时限"),
        ),
        migrations.RunPython(fill_reminder_deadlines, migrations.RunPython.noop),
    ]
