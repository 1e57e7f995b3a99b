import django.db.models.deletion
from django.db import migrations, models


def copy_from_feedback(apps, schema_editor):
    Task = apps.get_model("rectification", "Task")
    Feedback = apps.get_model("rectification", "Feedback")
    Task.objects.update(
        jurisdiction_id=models.Subquery(
            Feedback.objects.filter(plan__pk=models.OuterRef("plan_id")).values("jurisdiction_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("rectification", "0002_daily_reminder_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="jurisdiction",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="accounts.jurisdiction", verbose_name="管辖范围",
            ),
        ),
        migrations.RunPython(copy_from_feedback, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="task",
            name="jurisdiction",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="accounts.jurisdiction", verbose_name="管辖范围",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["jurisdiction", "-id"], name="task_jurisdiction_recent"),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["jurisdiction", "deadline", "id"], name="task_jurisdiction_deadline"),
        ),
    ]
