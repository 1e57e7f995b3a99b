"""Archiving audit rows past the retention period (180 days) to checksummed files, the only path that removes
a row from the table.

Rows leave oldest first, as one prefix of the chain (every row before the first row younger than the cutoff),
so the rows that remain still verify: the oldest remaining row chains to `AuditArchive.last_hash`. Each run
writes `audit-<first>-<last>.jsonl` (one JSON object per row, with its hashes) and beside it
`….jsonl.sha256` and `….jsonl.sm3` (`<hex>  <name>`, so `sha256sum -c` checks the first), records the archive
and deletes the rows in the same transaction, with `xuncha.audit_archiving` set: the trigger refuses any other
DELETE, and this one too for a row younger than 180 days, whatever the caller asks.
"""

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .models import ARCHIVING_SETTING, RETENTION_DAYS, AuditArchive, AuditEvent

BATCH = 50_000


class RetentionRefused(Exception):
    pass


@dataclass(frozen=True)
class ArchiveResult:
    archive: AuditArchive | None
    rows: int


def archive_directory() -> Path:
    path = Path(settings.AUDIT_ARCHIVE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _row_json(row: dict) -> str:
    row = dict(row)
    row["at"] = row["at"].isoformat(timespec="microseconds")
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def file_checksums(path: Path) -> tuple[str, str]:
    sha256 = hashlib.sha256()
    sm3 = hashes.Hash(hashes.SM3())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha256.update(block)
            sm3.update(block)
    return sha256.hexdigest(), sm3.finalize().hex()


def verify_archive_file(path: Path) -> bool:
    """The file matches both checksum files written beside it."""
    sha256, sm3 = file_checksums(path)
    expected_sha = Path(f"{path}.sha256").read_text().split()[0]
    expected_sm3 = Path(f"{path}.sm3").read_text().split()[0]
    return sha256 == expected_sha and sm3 == expected_sm3


def _delete(last_id: int) -> None:
    """The one DELETE of audit rows; the trigger admits it only with the archiving setting and old rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [ARCHIVING_SETTING])
        cursor.execute("DELETE FROM audit_auditevent WHERE id <= %s", [last_id])


def archive_events(*, up_to_id: int | None = None, now=None) -> ArchiveResult:
    """Archive the oldest rows older than the retention period (at most BATCH per run). `up_to_id` asks for a
    prefix ending at that row: refused (RetentionRefused here, the trigger in PostgreSQL) when any of it is
    younger than 180 days."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=RETENTION_DAYS)
    with transaction.atomic():
        chain.lock_chain()
        first_young = AuditEvent.objects.filter(at__gte=cutoff).order_by("pk").values_list("pk", flat=True).first()
        rows_qs = AuditEvent.objects.order_by("pk")
        if up_to_id is not None:
            if first_young is not None and first_young <= up_to_id:
                raise RetentionRefused(f"第 {first_young} 条记录未满 {RETENTION_DAYS} 天，不得归档或删除")
            rows_qs = rows_qs.filter(pk__lte=up_to_id)
        elif first_young is not None:
            rows_qs = rows_qs.filter(pk__lt=first_young)
        rows = list(rows_qs.values("pk", "prev_hash", "hash", *chain.FIELDS)[:BATCH])
        if not rows:
            return ArchiveResult(None, 0)
        first_id, last_id = rows[0]["pk"], rows[-1]["pk"]
        name = f"audit-{first_id:012d}-{last_id:012d}.jsonl"
        path = archive_directory() / name
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(_row_json(row) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        sha256, sm3 = file_checksums(path)
        Path(f"{path}.sha256").write_text(f"{sha256}  {name}\n")
        Path(f"{path}.sm3").write_text(f"{sm3}  {name}\n")
        archive = AuditArchive.objects.create(
            first_event_id=first_id, last_event_id=last_id, last_hash=rows[-1]["hash"], row_count=len(rows),
            filename=name, sha256=sha256, sm3=sm3,
        )
        _delete(last_id)
    return ArchiveResult(archive, len(rows))
