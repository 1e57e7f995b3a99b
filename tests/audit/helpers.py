"""Shared by the audit tests: the rows of one kind, and chain rows dated in the past (the retention tests)."""

from inspection.audit import chain
from inspection.audit.models import AuditEvent


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("id"))


def append_dated(at, *, label="旧记录") -> AuditEvent:
    """A correctly chained row stamped `at` (record() stamps now; the retention rules need older rows)."""
    values = {
        "at": at, "user_id": None, "username": "", "role": "", "ip_address": None, "kind": AuditEvent.Kind.LOGIN_FAILED,
        "object_type": "", "object_id": "", "object_label": label, "outcome": AuditEvent.Outcome.FAILURE,
        "detail": "", "request_id": "",
    }
    prev = chain.chain_head()
    return AuditEvent.objects.create(prev_hash=prev, hash=chain.row_hash(values, prev), **values)
