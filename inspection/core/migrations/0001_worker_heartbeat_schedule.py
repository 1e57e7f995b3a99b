"""The worker heartbeat every 60 seconds, as a django-celery-beat PeriodicTask (read by /healthz)."""

from django.db import migrations

TASK_NAME = "core.heartbeat"
ENTRY_NAME = "Celery worker 心跳（每分钟，供健康检查）"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME,
        defaults={"task": TASK_NAME, "interval": every, "enabled": True,
                  "description": "worker 写入心跳时间，/healthz 据此判断 beat、消息队列与 worker 是否在运行"},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
