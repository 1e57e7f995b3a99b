"""Writing the audit: `record(...)`, the one way a row is appended, and the secret-read log beside it.

The read log (`ReadLog`) stays beside the audit as its detail: one row per secret record shown (a list of 30
petitions is 30 rows), which the office reviews record by record. Each read-log call also appends one chained
audit event (查阅涉密记录) naming the record, or the model and the record numbers for a list, so the audit of
everyone — read by the audit administrator — holds every secret read, tamper-evident, at two queries per call.
"""

import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import chain, context
from .models import AuditEvent, ReadLog

Kind = AuditEvent.Kind
Outcome = AuditEvent.Outcome

# Forwarded to syslog when AUDIT_SYSLOG_ADDRESS is set (settings attach a SysLogHandler to this logger).
syslog = logging.getLogger("xuncha.audit")


def _syslog_line(event: AuditEvent) -> str:
    return json.dumps(
        {"id": event.pk, "at": event.at.isoformat(), "user": event.username, "role": event.role,
         "ip": event.ip_address, "kind": event.get_kind_display(), "object": f"{event.object_type}#{event.object_id}",
         "label": event.object_label, "outcome": event.get_outcome_display(), "detail": event.detail,
         "request_id": event.request_id, "hash": event.hash},
        ensure_ascii=False,
    )


def _actor(user, request):
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user


def record(
    *,
    kind: str,
    user=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
    username: str = "",
    request=None,
) -> AuditEvent:
    """Append one audit row. Inside the caller's transaction (no savepoint): if the row cannot be written, the
    exception reaches the caller and the whole operation rolls back. `user` defaults to the request's user;
    `username` names the account tried in a failed login. Kinds for other helpers: `Kind.ROLE_GRANT`,
    `Kind.ROLE_REVOKE` (object: the user granted), `Kind.ACCOUNT` (enable, disable, unlock, reset a second
    factor), `Kind.POLICY` (object: the policy, detail: what changed)."""
    request = request if request is not None else context.current_request()
    user = _actor(user, request)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_label = object_label or str(obj)
    values = {
        "user_id": user.pk if user is not None else None,
        "username": (user.get_username() if user is not None else username)[:150],
        "role": (getattr(user, "role", "") or ("superuser" if getattr(user, "is_superuser", False) else ""))
        if user is not None
        else "",
        "ip_address": context.client_ip(request),
        "kind": str(kind),
        "object_type": object_type[:60],
        "object_id": str(object_id)[:40],
        "object_label": object_label[:200],
        "outcome": str(outcome),
        "detail": detail[:300],
        "request_id": getattr(request, "id", "") if request is not None else "",
    }
    # savepoint=False: the row is part of the caller's transaction (or its own, in autocommit), and the chain
    # lock taken by chain_head() lasts until that transaction ends.
    with transaction.atomic(savepoint=False):
        prev_hash = chain.chain_head()
        # Stamped under the lock, so time order and chain (id) order agree.
        values["at"] = timezone.now()
        event = AuditEvent.objects.create(prev_hash=prev_hash, hash=chain.row_hash(values, prev_hash), **values)
        if settings.AUDIT_SYSLOG_ADDRESS:
            # Only rows that were committed leave the system.
            transaction.on_commit(lambda: syslog.info(_syslog_line(event)))
    return event


def _ip(request):
    return context.client_ip(request)


def read_log_record(*, user, obj, action=ReadLog.Action.VIEW, request=None) -> ReadLog:
    row = ReadLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        ip_address=_ip(request),
    )
    record(kind=Kind.SECRET_READ, user=user, obj=obj, detail=ReadLog.Action(action).label, request=request)
    return row


def read_log_record_many(*, user, objects: Iterable, action=ReadLog.Action.LIST, request=None) -> None:
    """One row per secret record shown in a list or export, written in one statement; one audit event."""
    ip = _ip(request)
    rows = [
        ReadLog(
            user=user,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            ip_address=ip,
        )
        for obj in objects
    ]
    if not rows:
        return
    ReadLog.objects.bulk_create(rows, batch_size=1000)
    types = sorted({row.object_type for row in rows})
    numbers = "、".join(row.object_id for row in rows)
    record(
        kind=Kind.SECRET_READ,
        user=user,
        object_type=types[0] if len(types) == 1 else "",
        object_label=f"{len(rows)} 条：{numbers}"[:200],
        detail=ReadLog.Action(action).label,
        request=request,
    )
