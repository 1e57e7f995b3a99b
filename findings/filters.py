"""Finding filters shared by the list page and the API. Choices are limited to what the user may see."""

import django_filters
from django import forms
from django.db.models import Q

from inspection.accounts.roles import TEAM
from inspection.core import access
from inspection.units.models import Unit, UnitKind
from rounds.models import Plan, Round, Team

from . import selectors
from .models import Category, FindingStatus
from .permissions import team_ids_of


def _rounds(request):
    if request is None:
        return Round.objects.none()
    user = request.user
    if user.is_superuser:
        return Round.objects.select_related("plan")
    if user.role in TEAM:
        return Round.objects.filter(teams__in=team_ids_of(user)).distinct().select_related("plan")
    return Round.objects.filter(jurisdiction_id=user.jurisdiction_id).select_related("plan")


def _teams(request):
    if request is None:
        return Team.objects.none()
    user = request.user
    if user.is_superuser:
        return Team.objects.select_related("round")
    if user.role in TEAM:
        return Team.objects.filter(pk__in=team_ids_of(user)).select_related("round")
    return Team.objects.filter(round__jurisdiction_id=user.jurisdiction_id).select_related("round")


def _plans(request):
    if request is None:
        return Plan.objects.none()
    return access.visible(request.user, Plan)


def _units(request):
    if request is None:
        return Unit.objects.none()
    return access.visible(request.user, Unit)



class FindingFilter(django_filters.rest_framework.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    round = django_filters.ModelChoiceFilter(label="轮次", queryset=_rounds)
    team = django_filters.ModelChoiceFilter(label="巡察组", queryset=_teams)
    unit = django_filters.ModelChoiceFilter(label="被巡察单位", queryset=_units)
    category = django_filters.ModelChoiceFilter(
        label="问题分类", queryset=Category.objects.all(), method="filter_category"
    )
    status = django_filters.ChoiceFilter(label="状态", choices=FindingStatus.choices)
    fixed_on_site = django_filters.BooleanFilter(label="立行立改")
    # The dashboard's scopes (term, year, unit kind), so a figure's link lists exactly the findings it counts.
    plan = django_filters.ModelChoiceFilter(label="巡察规划", field_name="round__plan", queryset=_plans)
    year = django_filters.NumberFilter(label="年度", field_name="round__start_date", lookup_expr="year")
    unit_kind = django_filters.ChoiceFilter(label="单位类别", field_name="unit__kind", choices=UnitKind.choices)

    class Meta:
        fields = ["q", "round", "team", "unit", "category", "status", "fixed_on_site", "plan", "year", "unit_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
        self.form.fields["q"].widget.attrs.setdefault("placeholder", "标题或事实中的文字")

    def filter_q(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_category(self, queryset, name, value):
        # Any level: an area or aspect selects everything filed beneath it.
        return queryset.filter(Q(category=value) | Q(category__parent=value) | Q(category__parent__parent=value))
