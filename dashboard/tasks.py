"""Thin Celery tasks: arguments in, a service call, a small result out."""

from celery import shared_task

from . import rollup


@shared_task(name="dashboard.refresh_rollup")
def refresh_rollup(jurisdiction_ids: list[int] | None = None) -> int:
    """Hourly (django-celery-beat, editable in the admin) for every office, and on an office's "立即刷新" for
    that office and the offices below it. Returns the number of counter rows written."""
    return rollup.refresh(jurisdiction_ids)
