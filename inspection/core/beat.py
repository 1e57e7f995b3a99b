"""Scheduled jobs are registered by data migrations as django-celery-beat PeriodicTasks, editable in the admin;
this is the one way such a migration writes them: `migrations.RunPython` built from a list of `BeatEntry`.

Each entry is created once by its name (`get_or_create`): an administrator's later change to its schedule or
its enabled flag survives a re-run. Reversing the migration removes the entries by name."""

from dataclasses import dataclass

from django.db import migrations

BEAT_MIGRATION = ("django_celery_beat", "0019_alter_periodictasks_options")
TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class BeatEntry:
    task: str  # the Celery task name, "app.verb"
    name: str  # the entry's Chinese name in the admin (unique)
    description: str
    minute: str = "0"
    hour: str = "*"
    every_seconds: int | None = None  # an interval instead of the daily/hourly crontab


def schedule(*entries: BeatEntry) -> migrations.RunPython:
    def create(apps, schema_editor):
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        for entry in entries:
            if entry.every_seconds:
                when = {"interval": IntervalSchedule.objects.get_or_create(every=entry.every_seconds,
                                                                           period="seconds")[0]}
            else:
                when = {"crontab": CrontabSchedule.objects.get_or_create(
                    minute=entry.minute, hour=entry.hour, day_of_week="*", day_of_month="*", month_of_year="*",
                    timezone=TIMEZONE)[0]}
            PeriodicTask.objects.get_or_create(
                name=entry.name,
                defaults={"task": entry.task, "enabled": True, "description": entry.description, **when},
            )

    def remove(apps, schema_editor):
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTask.objects.filter(name__in=[entry.name for entry in entries]).delete()

    return migrations.RunPython(create, remove)
