"""Batch actions with a result per item: one service per batch verb runs the single-item service on each item.

`run_each` is the one loop behind every batch verb (findings: approve at a meeting, office review; rectification:
close with a verification opinion). Each item runs in its own savepoint, so a refused item leaves nothing behind
and the rest go through; the refusal is the single-item service's own Chinese message (DomainError) or the access
refusal. Items the user may not see are reported like missing ones ("不存在或无权查看"), never named.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from .exceptions import DomainError

MAX_ITEMS = 200
NOT_VISIBLE = "不存在或无权查看"
NOT_ALLOWED = "无权执行此操作"


@dataclass(frozen=True)
class ItemResult:
    id: int
    ok: bool
    label: str = ""
    message: str = ""
    status: str = ""


@dataclass
class BatchResult:
    items: list[ItemResult] = field(default_factory=list)
    # What the whole batch was done under, when there is such a record (the leading-group meeting).
    record: object = None

    @property
    def succeeded(self) -> list[ItemResult]:
        return [item for item in self.items if item.ok]

    @property
    def failed(self) -> list[ItemResult]:
        return [item for item in self.items if not item.ok]

    @property
    def succeeded_ids(self) -> list[int]:
        return [item.id for item in self.succeeded]

    @property
    def failed_ids(self) -> list[int]:
        return [item.id for item in self.failed]


def clean_ids(ids: Iterable) -> list[int]:
    """The chosen ids in their order, once each. Refuses an empty choice, too many, or an id that is no number."""
    result, seen = [], set()
    for value in ids or ():
        try:
            pk = int(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(f"编号“{value}”无效", field="ids") from exc
        if pk not in seen:
            seen.add(pk)
            result.append(pk)
    if not result:
        raise DomainError("请至少选择一项", field="ids")
    if len(result) > MAX_ITEMS:
        raise DomainError(f"一次最多处理 {MAX_ITEMS} 项，请分批操作", field="ids")
    return result


def shown_ids(values) -> list[int]:
    """The ticked ids to show again on a form that was refused (what the user chose is kept): numbers only."""
    return [int(v) for v in values if str(v).isdigit()][:MAX_ITEMS]


def run_each(ids: list[int], *, visible: QuerySet, act: Callable, label: Callable = str) -> BatchResult:
    """Run `act(obj)` on each chosen object the user sees (`visible`: the user's scoped queryset), each in its own
    savepoint. `act` is the single-item service; it returns the moved object (its status is reported)."""
    found = {obj.pk: obj for obj in visible.filter(pk__in=ids)}
    result = BatchResult()
    for pk in ids:
        obj = found.get(pk)
        if obj is None:
            result.items.append(ItemResult(pk, False, message=NOT_VISIBLE))
            continue
        try:
            with transaction.atomic():
                moved = act(obj)
        except DomainError as error:
            result.items.append(ItemResult(pk, False, label=label(obj), message=error.message))
        except Http404:
            result.items.append(ItemResult(pk, False, message=NOT_VISIBLE))
        except PermissionDenied as error:
            result.items.append(ItemResult(pk, False, label=label(obj), message=str(error) or NOT_ALLOWED))
        else:
            result.items.append(ItemResult(pk, True, label=label(moved), status=moved.get_status_display()))
    return result


class IdsField(forms.Field):
    """The rows ticked on a list page (checkboxes named `ids`), as sent: `clean_ids` in the batch service checks them
    and `run_each` reads them through the user's scope, so a page and the API refuse alike."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return list(value or [])
