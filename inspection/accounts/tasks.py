"""Thin Celery tasks: arguments in, a service call, a small result out."""

from celery import shared_task

from . import security


@shared_task(name="accounts.disable_dormant_accounts")
def disable_dormant_accounts() -> dict:
    """Daily at 02:30 Asia/Shanghai (django-celery-beat, editable in the admin): accounts with no login for the
    policy's `dormant_days` are disabled."""
    return {"disabled": security.dormant_accounts_disable()}
