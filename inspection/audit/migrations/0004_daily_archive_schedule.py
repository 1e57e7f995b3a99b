"""The audit rows past the 180-day retention are archived every night (02:30, Asia/Shanghai), as a
django-celery-beat PeriodicTask editable in the admin."""

from django.db import migrations

TASK_NAME = "audit.archive"
ENTRY_NAME = "安全审计记录归档（每日）"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME,
        defaults={"task": TASK_NAME, "crontab": crontab, "enabled": True,
                  "description": "将超过 180 天的安全审计记录归档到带 SHA-256/SM3 校验和的文件后移出审计表"},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_audit_events_append_only_hash_chained"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
