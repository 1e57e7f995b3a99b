"""COPY FROM STDIN of generated rows, columns taken from the Django models.

Each table is loaded from a generator of rows (tuples in the order of the columns the generator names); every
other concrete column of the model gets the field's default, NULL or '' once, so a field an app adds later does
not break the generator unless it is required and has no default (then the error names it).
"""

import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from inspection.core.fields import BlindIndexField, blind_index, encrypt_text, is_encrypted

NULL = "\\N"
CHUNK_ROWS = 5000


class GenerationError(Exception):
    pass


def text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return text(json.dumps(value, ensure_ascii=False))
    return str(value)


def _default_for(field: models.Field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.default is not NOT_PROVIDED:
        value = field.default() if callable(field.default) else field.default
        if isinstance(value, models.Choices):
            value = value.value
        return value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField) and field.blank:
        return ""
    if isinstance(field, models.FileField):
        return ""
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    raise GenerationError(
        f"{field.model._meta.label}.{field.name} is required and has no default: give bench/generate.py a value for it"
    )


class _Stream:
    """A file-like object over an iterator of COPY lines, read by psycopg2's copy_expert in chunks."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self._buffer = b""
        self.rows = 0

    def _more(self) -> bytes:
        chunk = []
        for line in self._lines:
            chunk.append(line)
            if len(chunk) >= CHUNK_ROWS:
                break
        self.rows += len(chunk)
        return "".join(chunk).encode() if chunk else b""

    def read(self, size=-1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            more = self._more()
            if not more:
                break
            self._buffer += more
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def readline(self, size=-1) -> bytes:  # pragma: no cover - psycopg2 only calls read()
        return self.read(size)


def copy_rows(cursor, model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` (tuples matching `columns`, field names or attnames) into the model's table."""
    now = timezone.now()
    fields = {f.attname: f for f in model._meta.concrete_fields}
    by_name = {f.name: f for f in model._meta.concrete_fields}
    given = []
    for name in columns:
        field = fields.get(name) or by_name.get(name)
        if field is None:
            raise GenerationError(f"{model._meta.label} has no field {name}")
        given.append(field)
    given_names = {f.attname for f in given}
    # Personal data is encrypted at rest (inspection.core.fields): the generator gives plain values, COPY writes
    # their ciphertext, and each given encrypted field's blind index is computed from its plain value.
    encrypted = {i for i, f in enumerate(given) if is_encrypted(f)}
    positions = {f.name: i for i, f in enumerate(given)}
    indexes = [
        (f, positions[f.source], model._meta.get_field(f.source).kind)
        for f in model._meta.concrete_fields
        if isinstance(f, BlindIndexField) and f.source in positions
    ]
    given_names |= {f.attname for f, _, _ in indexes}
    # A primary key not given is left to the database's identity column.
    extra = [
        f for f in model._meta.concrete_fields
        if f.attname not in given_names and not isinstance(f, models.AutoField)
    ]
    suffix = "".join("\t" + text(_default_for(f, now)) for f in extra)
    column_sql = ", ".join(f'"{f.column}"' for f in [*given, *(f for f, _, _ in indexes), *extra])

    def lines():
        for row in rows:
            if encrypted or indexes:
                row = [
                    *(encrypt_text(v) if i in encrypted and v else v for i, v in enumerate(row)),
                    *(blind_index(kind, row[at] or "") for _, at, kind in indexes),
                ]
            yield "\t".join(map(text, row)) + suffix + "\n"

    stream = _Stream(lines())
    cursor.copy_expert(f'COPY "{model._meta.db_table}" ({column_sql}) FROM STDIN', stream, 1 << 20)
    return stream.rows


def reset_sequence(cursor, model) -> None:
    table = model._meta.db_table
    pk = model._meta.pk.column
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX(\"{pk}\") FROM \"{table}\"), 0) + 1, false)",
        [table, pk],
    )


def secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX ...) of the indexes on `tables` that back no constraint: dropped during the load."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY i.relname
        """,
        [tables],
    )
    return list(cursor.fetchall())


def uuid_text() -> str:
    return str(uuid.uuid4())


def decimal2(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")
