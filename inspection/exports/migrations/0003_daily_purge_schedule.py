"""The daily removal of generated files past their retention (剩余信息保护), at 03:00 Asia/Shanghai, as a
django-celery-beat PeriodicTask editable in the admin."""

from django.db import migrations

TASK_NAME = "exports.purge_expired"
ENTRY_NAME = "清除超过保存期限的生成文件（每日）"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME,
        defaults={"task": TASK_NAME, "crontab": crontab, "enabled": True,
                  "description": "删除生成满保存期限（GENERATED_FILE_RETENTION_DAYS）的文书与台账文件，记录保留并标记为已过期清除"},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_generated_file_expiry"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
