"""The daily removal of generated files past their retention (剩余信息保护), at 03:00 Asia/Shanghai, as a
django-celery-beat PeriodicTask editable in the admin."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="exports.purge_expired", name="清除超过保存期限的生成文件（每日）", hour="3", minute="0",
        description="删除生成满保存期限（GENERATED_FILE_RETENTION_DAYS）的文书与台账文件，记录保留并标记为已过期清除",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_generated_file_expiry"),
        BEAT_MIGRATION,
    ]

    operations = [schedule(*ENTRIES)]
