"""List filters shared by the pages, the exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy

from inspection.core import access
from inspection.core.fields import matches
from inspection.core.filtersets import FilterSet
from inspection.core.widgets import AutocompleteWidget, YesNoSelect

from .models import Cadre, RecusalFactor, Specialty, Unit, UnitKind


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select form-select-sm", **attrs})


def _active_select():
    return YesNoSelect(attrs={"class": "form-select form-select-sm"})


def _visible_units(request):
    return access.visible(request.user, Unit) if request is not None else Unit.objects.none()


class UnitFilter(FilterSet):
    q = django_filters.CharFilter(
        label="关键词",
        method="search",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "名称/党组织/负责人"}),
    )
    kind = django_filters.ChoiceFilter(label="单位类别", choices=UnitKind.choices, empty_label="全部", widget=_select())
    # Typed, not listed (a province has 100,000 units): any visible unit, found by name as it is typed.
    parent = django_filters.ModelChoiceFilter(
        label="上级单位", queryset=_visible_units,
        widget=AutocompleteWidget(reverse_lazy("units:unit_autocomplete"), placeholder="输入上级单位名称"),
    )
    is_active = django_filters.BooleanFilter(label="在册", widget=_active_select())

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(party_org_name__icontains=value) | Q(head_name__icontains=value)
        )


class UnitApiFilter(UnitFilter):
    """The API's parent filter: any visible unit (a plain id)."""

    parent = django_filters.ModelChoiceFilter(queryset=_visible_units)


class CadreFilter(FilterSet):
    q = django_filters.CharFilter(
        label="关键词",
        method="search",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "姓名/职务/工作单位/完整电话或身份号码"}),
    )
    pool = django_filters.ChoiceFilter(label="所在库", choices=Cadre.Pool.choices, empty_label="全部", widget=_select())
    specialty = django_filters.ModelChoiceFilter(
        label="专长",
        field_name="specialties",
        queryset=Specialty.objects.all(),
        empty_label="全部",
        widget=_select(),
    )
    joined_via = django_filters.ChoiceFilter(
        label="入库方式", choices=Cadre.JoinedVia.choices, empty_label="全部", widget=_select()
    )
    is_active = django_filters.BooleanFilter(label="在库", widget=_active_select())

    class Meta:
        model = Cadre
        fields = ["q", "pool", "specialty", "joined_via", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(post__icontains=value)
            | Q(employer__name__icontains=value)
            | Q(employer_name__icontains=value)
            # Telephone and identity number are encrypted: found only by the whole value (blind index).
            | matches(Cadre, "phone", value)
            | matches(Cadre, "id_number", value)
        )


class RecusalFactorFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=RecusalFactor.Kind.choices)

    class Meta:
        model = RecusalFactor
        fields = ["cadre", "unit", "kind", "is_active"]
