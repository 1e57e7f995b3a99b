"""The hash chain of the audit: canonical form of a row, SM3, the head of the chain, verification.

`hash = SM3(canonical(row) + prev_hash)`, `prev_hash` = the previous row's hash (by id), GENESIS for the first
row ever and, after archiving, the last archived row's hash (kept in `AuditArchive`). A row edited, removed or
inserted behind the application's back breaks the chain at that row.

Appends are serialised so that two writers never take the same head: on PostgreSQL `audit_chain_head()` (a
function created by migration 0003) takes a transaction-level advisory lock and reads the last hash, one query;
the lock is held until the writer's transaction ends, so the next writer reads the new head. SQLite (the demo)
serialises writers on its own database lock.
"""

import json
from dataclasses import dataclass
from datetime import UTC

from cryptography.hazmat.primitives import hashes
from django.db import connection

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the chain ("audit" in ASCII), the same in the function and in the archiver.
CHAIN_LOCK_KEY = 0x6175646974

FIELDS = (
    "at", "user_id", "username", "role", "ip_address", "kind", "object_type", "object_id", "object_label",
    "outcome", "detail", "request_id",
)


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _value(name, value):
    if name == "at":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value if value is None or isinstance(value, int) else str(value)


def canonical(values: dict) -> bytes:
    """A fixed, unambiguous serialisation (JSON array in field order), the same on every database."""
    return json.dumps([_value(name, values[name]) for name in FIELDS], ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(values: dict, prev_hash: str) -> str:
    return sm3_hex(canonical(values) + prev_hash.encode())


def chain_head() -> str:
    """The hash the next row chains to; on PostgreSQL the caller holds the chain lock from here to its commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_chain_head()")
        else:
            cursor.execute("SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row and row[0] else anchor()


def anchor() -> str:
    """What the oldest row in the table chains to: the last archived row's hash, or GENESIS."""
    from .models import AuditArchive

    last = AuditArchive.objects.order_by("-last_event_id").values_list("last_hash", flat=True).first()
    return last or GENESIS


def lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@dataclass(frozen=True)
class Break:
    id: int
    at: object
    expected: str
    found: str
    field: str  # "prev_hash": a row missing or inserted before it; "hash": the row itself edited

    @property
    def message(self) -> str:
        what = "上一条摘要不符（其前有记录被删除或插入）" if self.field == "prev_hash" else "摘要不符（本条记录被改动）"
        return (
            f"第 {self.id} 条记录（{self.at.astimezone():%Y-%m-%d %H:%M:%S}）{what}：应为 {self.expected}，实为 {self.found}"
        )


@dataclass(frozen=True)
class Verification:
    checked: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(chunk_size: int = 5000) -> Verification:
    """Walk the whole chain in id order, in bounded memory; stop at the first broken row."""
    from .models import AuditEvent

    expected_prev = anchor()
    checked = 0
    last_id = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(pk__gt=last_id).order_by("pk").values("pk", "prev_hash", "hash", *FIELDS)[:chunk_size]
        )
        if not rows:
            return Verification(checked, None)
        for row in rows:
            if row["prev_hash"] != expected_prev:
                return Verification(checked, Break(row["pk"], row["at"], expected_prev, row["prev_hash"], "prev_hash"))
            computed = row_hash(row, row["prev_hash"])
            if computed != row["hash"]:
                return Verification(checked, Break(row["pk"], row["at"], computed, row["hash"], "hash"))
            expected_prev = row["hash"]
            checked += 1
        last_id = rows[-1]["pk"]
