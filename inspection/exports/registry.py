"""Kinds of generated files. Apps register a renderer per kind in their AppConfig.ready().

A renderer takes (record, report_progress) and returns (bytes, filename, content_type); report_progress(percent)
lets the page show how far it got. `action` is the access action the requester needs on the record.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    model_label: str  # "referrals.Batch"
    render: Callable
    action: str = "view"

    @property
    def model(self):
        return apps.get_model(self.model_label)


_kinds: dict[str, Kind] = {}


def register(code: str, *, title: str, model: str, render: Callable, action: str = "view") -> None:
    _kinds[code] = Kind(code, title, model, render, action)


def kinds() -> list[Kind]:
    """Every registered kind, in registration order (the API's list of document kinds)."""
    return list(_kinds.values())


def get(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError as exc:
        raise LookupError(f"未知的文件类型：{code}") from exc
