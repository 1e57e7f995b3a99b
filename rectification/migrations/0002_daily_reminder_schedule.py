"""The daily reminder job at 07:00 Asia/Shanghai, as a django-celery-beat PeriodicTask editable in the admin."""

from django.db import migrations

TASK_NAME = "rectification.send_reminders"
ENTRY_NAME = "整改到期提醒与逾期升级（每日）"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME,
        defaults={"task": TASK_NAME, "crontab": crontab, "enabled": True,
                  "description": "查找即将到期、今日到期、已逾期和逾期升级的整改任务与整改方案，按人汇总提醒"},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0001_feedback_plans_tasks_reminders_evaluation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
