from celery import shared_task

from . import health


@shared_task(name="core.heartbeat", ignore_result=True, expires=health.HEARTBEAT_EVERY)
def heartbeat() -> None:
    """Every minute from beat: the health endpoint's proof that beat, broker and a worker all run."""
    health.beat()
