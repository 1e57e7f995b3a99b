"""The worker heartbeat every 60 seconds, as a django-celery-beat PeriodicTask (read by /healthz)."""

from django.db import migrations

from inspection.core.beat import BEAT_MIGRATION, BeatEntry, schedule

ENTRIES = [
    BeatEntry(
        task="core.heartbeat", name="Celery worker 心跳（每分钟，供健康检查）", every_seconds=60,
        description="worker 写入心跳时间，/healthz 据此判断 beat、消息队列与 worker 是否在运行",
    ),
]


class Migration(migrations.Migration):
    dependencies = [BEAT_MIGRATION]

    operations = [schedule(*ENTRIES)]
