"""The one look of every list filter (issue 16): selects are `form-select`, other inputs `form-control`, "any" is
全部 (the empty choice, `FILTERS_EMPTY_CHOICE_LABEL`), and yes/no filters say 全部/是/否 (`YesNoSelect`), never
"---------" or 未知. Every FilterSet of the project derives from `FilterSet` (pages) or `ApiFilterSet` (shared
with the API)."""

import django_filters
from django import forms
from django_filters import rest_framework as drf_filters

from .widgets import AutocompleteWidget, YesNoSelect


def style_filter_form(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.NullBooleanField) and not isinstance(field.widget, YesNoSelect):
            field.widget = YesNoSelect(attrs=field.widget.attrs)
        if getattr(field, "empty_label", None) == "---------":
            field.empty_label = "全部"
        if isinstance(field.widget, AutocompleteWidget):
            continue
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


class _Styled:
    @property
    def form(self):
        if not hasattr(self, "_form"):
            style_filter_form(super().form)
        return self._form


class FilterSet(_Styled, django_filters.FilterSet):
    pass


class ApiFilterSet(_Styled, drf_filters.FilterSet):
    pass
