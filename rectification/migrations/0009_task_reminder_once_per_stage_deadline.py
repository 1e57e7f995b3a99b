"""Step 2 of 2: every reminder names its deadline; a task is reminded once per stage per deadline."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0008_task_reminder_deadline_and_reopening"),
    ]

    operations = [
        migrations.AlterField(
            model_name="taskreminder",
            name="deadline",
            field=models.DateField(verbose_name="所提醒的整改时限"),
        ),
        migrations.RemoveConstraint(
            model_name="taskreminder",
            name="task_reminder_once_per_stage",
        ),
        migrations.AddConstraint(
            model_name="taskreminder",
            constraint=models.UniqueConstraint(
                fields=("task", "stage", "deadline"), name="task_reminder_once_per_stage_deadline"
            ),
        ),
    ]
