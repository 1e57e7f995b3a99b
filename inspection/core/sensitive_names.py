"""Names that must never appear in a text made public (整改公开): petitioners, persons a lead or a petition is
about. They live in apps the public text's app may not import (rectification never imports referrals), so each
app that holds such names registers a provider in its AppConfig.ready() and the public side asks here.

A provider is `provider(text, *, feedback) -> iterable of (kind, name)`: the names of the feedback's round (and
unit) that occur in `text`, with a Chinese kind ("信访人姓名"). Providers match in the database (the text is a
parameter, `text LIKE '%' || name || '%'`), so a round with thousands of petitions loads none of them; names of
fewer than MIN_LENGTH characters are ignored (a one-character "名字" would match any text). A field encrypted at
rest (`inspection.core.fields`) cannot be compared in the database: its values of the queryset (one round's
petitions, one unit's leads) are decrypted and matched here.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db.models import F, TextField, Value
from django.db.models.functions import Length

from .fields import is_encrypted

MIN_LENGTH = 2


class Found(NamedTuple):
    kind: str
    name: str


Provider = Callable[..., Iterable[tuple[str, str]]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register a provider (idempotent: ready() may run more than once in tests). Usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def names_in(text: str, *, feedback) -> list[Found]:
    """Every registered kind of name of the feedback's round and unit that occurs in `text`."""
    if not text or not text.strip():
        return []
    found = []
    for provider in _providers:
        found.extend(Found(kind, name) for kind, name in provider(text, feedback=feedback))
    return found


def kinds(found: Iterable[Found]) -> list[str]:
    """The kinds found, each once, in the order first found: what a message may say without naming anyone."""
    return list(dict.fromkeys(item.kind for item in found))


def matching(queryset, field: str, text: str):
    """The distinct values of `field` in `queryset` that occur in `text` (at least MIN_LENGTH characters)."""
    if is_encrypted(queryset.model._meta.get_field(field)):
        values = queryset.exclude(**{field: ""}).order_by().values_list(field, flat=True)
        return list(dict.fromkeys(v for v in values if len(v) >= MIN_LENGTH and v in text))
    return (
        queryset.alias(_text=Value(text, output_field=TextField()), _length=Length(field))
        .filter(_length__gte=MIN_LENGTH, _text__contains=F(field))
        .order_by()
        .values_list(field, flat=True)
        .distinct()
    )
