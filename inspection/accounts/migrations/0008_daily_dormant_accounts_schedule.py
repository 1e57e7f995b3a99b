"""Dormant accounts disabled daily at 02:30 Asia/Shanghai, as a django-celery-beat PeriodicTask editable in the
admin (the way every scheduled job of the project is registered)."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="accounts.disable_dormant_accounts", name="停用长期未登录账号（每日）", hour="2", minute="30",
        description="按安全策略停用连续多日（默认 90 天）未登录的账号",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_security_policy_password_history_sessions"),
        BEAT_MIGRATION,
    ]

    operations = [schedule(*ENTRIES)]
