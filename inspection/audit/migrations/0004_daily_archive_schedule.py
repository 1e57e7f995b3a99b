"""The audit rows past the 180-day retention are archived every night (02:30, Asia/Shanghai), as a
django-celery-beat PeriodicTask editable in the admin."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="audit.archive", name="安全审计记录归档（每日）", hour="2", minute="30",
        description="将超过 180 天的安全审计记录归档到带 SHA-256/SM3 校验和的文件后移出审计表",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_audit_events_append_only_hash_chained"),
        BEAT_MIGRATION,
    ]

    operations = [schedule(*ENTRIES)]
