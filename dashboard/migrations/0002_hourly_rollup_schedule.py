"""The roll-up counters refreshed every hour (at minute 10, Asia/Shanghai), as a django-celery-beat PeriodicTask
editable in the admin."""

from django.db import migrations

TASK_NAME = "dashboard.refresh_rollup"
ENTRY_NAME = "上级汇总统计刷新（每小时）"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME,
        defaults={"task": TASK_NAME, "crontab": crontab, "enabled": True,
                  "description": "按各巡察机构重新计算统计数字（与县级统计分析同一口径），供市、省巡察机构汇总查看"},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_office_figures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
