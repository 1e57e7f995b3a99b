"""Keyset (cursor) pagination for every API list, and the one ordering filter it can page correctly.

DRF's cursor holds the value of the *first* ordering key of the last row shown, plus an offset among the rows
that share that value. That pages correctly only when rows with the same value always come back in the same
order, so every ordering a client may ask for is one key that is a plain, non-null column of the listed model,
followed by the primary key in the same direction as a tie-break. A cursor is the client's input: one that does
not decode, or whose position is not a value of the ordering key (a date where an id belongs), is a 400 with a
Chinese message, never a 500.
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination

from .fields import BlindIndexField, is_encrypted

INVALID_CURSOR = "翻页参数（cursor）无效，请从列表第一页重新查询"


def _key_field(model, term: str):
    """The model field an ordering term names, when it can be a cursor key: a concrete, non-null local
    column that is not a relation (the cursor reads the attribute itself, and a related object is no position)."""
    name = term.lstrip("-")
    if "__" in name:
        return None
    if name == "pk":
        return model._meta.pk
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # An encrypted column orders by ciphertext, which says nothing (inspection.core.fields); a blind index neither.
    if (not field.concrete or field.null or field.is_relation or is_encrypted(field)
            or isinstance(field, BlindIndexField)):
        return None
    return field


class KeysetOrderingFilter(OrderingFilter):
    """`?ordering=` with one key the cursor can page on; the primary key breaks ties (see the module docstring)."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        keys = [term for term in valid if _key_field(queryset.model, term) is not None]
        return keys[:1]

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        return tie_broken(queryset.model, tuple(ordering))


def tie_broken(model, ordering: tuple) -> tuple:
    """`ordering` followed by the primary key in the direction of its first key, unless a key is already unique."""
    if any((field := _key_field(model, term)) is not None and (field.primary_key or field.unique) for term in ordering):
        return ordering
    pk = model._meta.pk.attname
    return (*ordering, f"-{pk}" if ordering[0].startswith("-") else pk)


class DefaultCursorPagination(CursorPagination):
    """Keyset pagination: deep pages cost the same as the first, and no COUNT(*) over millions."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
    invalid_cursor_message = INVALID_CURSOR

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from exc
        if cursor is not None and cursor.position is not None:
            field = _key_field(self._model, self.ordering[0])
            try:
                if field is None:
                    raise DjangoValidationError(INVALID_CURSOR)
                field.to_python(cursor.position)
            except (DjangoValidationError, ValueError, TypeError) as exc:
                raise exceptions.ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from exc
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)
