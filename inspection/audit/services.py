from collections.abc import Iterable

from .models import ReadLog


def _ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def read_log_record(*, user, obj, action=ReadLog.Action.VIEW, request=None) -> ReadLog:
    return ReadLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        ip_address=_ip(request),
    )


def read_log_record_many(*, user, objects: Iterable, action=ReadLog.Action.LIST, request=None) -> None:
    """One row per secret record shown in a list or export, written in one statement."""
    ip = _ip(request)
    ReadLog.objects.bulk_create(
        [
            ReadLog(
                user=user,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                ip_address=ip,
            )
            for obj in objects
        ],
        batch_size=1000,
    )
