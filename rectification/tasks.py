"""Thin Celery tasks: arguments in, a service call, a small result out."""

from datetime import date

from celery import shared_task

from . import reminders


@shared_task(name="rectification.send_reminders")
def send_reminders(today: str | None = None) -> dict:
    """Daily at 07:00 Asia/Shanghai (django-celery-beat, editable in the admin). `today` (ISO date) is for tests."""
    return reminders.send_reminders(today=date.fromisoformat(today) if today else None)
