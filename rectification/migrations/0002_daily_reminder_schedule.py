"""The daily reminder job at 07:00 Asia/Shanghai, as a django-celery-beat PeriodicTask editable in the admin."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="rectification.send_reminders", name="整改到期提醒与逾期升级（每日）", hour="7", minute="0",
        description="查找即将到期、今日到期、已逾期和逾期升级的整改任务与整改方案，按人汇总提醒",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0001_feedback_plans_tasks_reminders_evaluation"),
        BEAT_MIGRATION,
    ]

    operations = [schedule(*ENTRIES)]
