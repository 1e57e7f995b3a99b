"""Readable history of a record kept by django-simple-history: who, when, what changed."""

import posixpath
from dataclasses import dataclass

from django.db import models


@dataclass
class HistoryRow:
    at: object
    user: object
    kind: str
    reason: str
    changes: list  # [(field label, old, new)]


KIND_LABELS = {"+": "创建", "~": "修改", "-": "删除"}


def _display(record, field, value):
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        related = getattr(record, field.name, None)
        return str(related) if related is not None else value
    if value in (None, ""):
        return "（空）"
    if isinstance(field, models.FileField):
        # The file's name, never its storage path (which names the server's directories).
        return posixpath.basename(str(getattr(value, "name", value)))
    return value


def history_rows(obj, limit=100) -> list[HistoryRow]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                if getattr(field, "many_to_many", False):
                    # simple-history records m2m rows as {"<model>": id, "<related>": id}: show the related names.
                    key = field.m2m_reverse_field_name()
                    ids = {entry[key] for entry in [*change.old, *change.new]}
                    names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
                    old = "、".join(names.get(e[key], str(e[key])) for e in change.old) or "（空）"
                    new = "、".join(names.get(e[key], str(e[key])) for e in change.new) or "（空）"
                else:
                    old = _display(previous, field, change.old)
                    new = _display(record, field, change.new)
                changes.append((field.verbose_name, old, new))
        rows.append(
            HistoryRow(
                at=record.history_date,
                user=record.history_user,
                kind=KIND_LABELS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return rows
