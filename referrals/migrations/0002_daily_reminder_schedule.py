"""The daily referral reminders at 08:30 Asia/Shanghai, as django-celery-beat PeriodicTasks editable in the admin."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="referrals.remind_unsigned", name="移交批次催签（每日）", hour="8", minute="30",
        description="提醒接收单位签收已发送未签收的移交批次，每批每日一次",
    ),
    BeatEntry(
        task="referrals.remind_overdue", name="线索处置逾期提醒（每日）", hour="8", minute="40",
        description="提醒接收单位和巡察办：签收后超过处置报告期限仍未填报处置方式的线索",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_leads_referrals_dispositions_results"),
        BEAT_MIGRATION,
    ]

    operations = [schedule(*ENTRIES)]
