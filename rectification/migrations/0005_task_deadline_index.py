from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0004_historical_task_jurisdiction"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["deadline", "id"], name="task_deadline"),
        ),
    ]
