"""The roll-up counters refreshed every hour (at minute 10, Asia/Shanghai), as a django-celery-beat PeriodicTask
editable in the admin."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="dashboard.refresh_rollup", name="上级汇总统计刷新（每小时）", hour="*", minute="10",
        description="按各巡察机构重新计算统计数字（与县级统计分析同一口径），供市、省巡察机构汇总查看",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_office_figures"),
        BEAT_MIGRATION,
    ]

    operations = [schedule(*ENTRIES)]
