"""The daily referral reminders at 08:30 Asia/Shanghai, as django-celery-beat PeriodicTasks editable in the admin."""

from django.db import migrations

ENTRIES = [
    ("referrals.remind_unsigned", "移交批次催签（每日）", "30", "提醒接收单位签收已发送未签收的移交批次，每批每日一次"),
    ("referrals.remind_overdue", "线索处置逾期提醒（每日）", "40", "提醒接收单位和巡察办：签收后超过处置报告期限仍未填报处置方式的线索"),
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, name, minute, description in ENTRIES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "enabled": True, "description": description}
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for _, name, _, _ in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_leads_referrals_dispositions_results"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
