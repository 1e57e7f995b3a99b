"""Dates of things that have already happened (a petition received, an interview held, a feedback meeting).

One rule for every such record, applied by its service so pages, the API, imports and the demo all meet it:
the date may be today or earlier, never later. Deadlines and planned dates (a round's on-site period, a task's
time limit) are not past events and do not use it.
"""

from datetime import date

from django.utils import timezone

from .exceptions import DomainError


def refuse_future(value: date | None, *, field: str, label: str, hint: str = "") -> None:
    """DomainError on `field` when `value` is later than today (the office's local date)."""
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise DomainError(f"{label}不能晚于今天（{today:%Y-%m-%d}）{hint}", field=field)
