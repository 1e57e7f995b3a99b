"""Finding filters shared by the list page, the ledger export and the API. Choices are limited to what the user
may see, and a rendered form never lists an unbounded number of them: the unit is typed (autocomplete), a
superuser's rounds are the chosen office's or the most recent ones, teams are those of the chosen round."""

import django_filters
from django.db.models import Q
from django.urls import reverse_lazy

from inspection.accounts.models import Jurisdiction
from inspection.accounts.roles import TEAM
from inspection.core import access
from inspection.core.filtersets import ApiFilterSet
from inspection.core.team_scope import team_scope
from inspection.core.widgets import AutocompleteWidget, FastSelect, limit_choices
from inspection.units.models import Unit, UnitKind
from inspection.units.selectors import spans_jurisdictions, unit_label
from rounds.models import Plan, Round, Team

from . import selectors
from .models import Category, FindingStatus


def _rounds(request):
    if request is None:
        return Round.objects.none()
    user = request.user
    if user.is_superuser:
        return Round.objects.select_related("plan")
    if user.role in TEAM:
        return Round.objects.filter(pk__in=team_scope(user).round_ids()).select_related("plan")
    return Round.objects.filter(jurisdiction_id=user.jurisdiction_id).select_related("plan")


def _teams(request):
    if request is None:
        return Team.objects.none()
    user = request.user
    if user.is_superuser:
        return Team.objects.select_related("round")
    if user.role in TEAM:
        return Team.objects.filter(pk__in=team_scope(user).team_ids()).select_related("round")
    return Team.objects.filter(round__jurisdiction_id=user.jurisdiction_id).select_related("round")


def _categories(request):
    """The nodes of the user's office checklist, retired ones included (old findings stay findable); a
    superuser's are the default tree and the chosen office's own nodes."""
    if request is None:
        return Category.objects.none()
    user = request.user
    office = _digits(request.GET.get("jurisdiction")) if user.is_superuser else user.jurisdiction_id
    return selectors.checklist_nodes(office).order_by("code", "id")


def _plans(request):
    if request is None:
        return Plan.objects.none()
    return access.visible(request.user, Plan)


def _units(request):
    if request is None:
        return Unit.objects.none()
    return access.visible(request.user, Unit)


# A superuser's round select lists this many recent rounds (or every round of the chosen office).
RECENT_ROUNDS = 30


def _digits(value):
    value = value[-1] if isinstance(value, list) and value else value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def _round_label(round_):
    return f"{round_.jurisdiction.name} {round_}"


class ChainedSelect(FastSelect):
    """A select whose change reloads the options of the next select named `target` (htmx, no page JS)."""

    def __init__(self, src, target, attrs=None):
        super().__init__(attrs={
            "hx-get": src, "hx-trigger": "change", "hx-target": f"next select[name='{target}']",
            "hx-swap": "innerHTML", "hx-sync": "this:replace", **(attrs or {}),
        })


class FindingFilter(ApiFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    # Only for a user who sees several offices (the field is removed for everyone else).
    jurisdiction = django_filters.ModelChoiceFilter(
        label="巡察机构", queryset=Jurisdiction.objects.all(),
        widget=ChainedSelect(reverse_lazy("findings:round_options"), "round"),
    )
    round = django_filters.ModelChoiceFilter(
        label="轮次", queryset=_rounds, widget=ChainedSelect(reverse_lazy("findings:team_options"), "team")
    )
    team = django_filters.ModelChoiceFilter(label="巡察组", queryset=_teams, widget=FastSelect)
    unit = django_filters.ModelChoiceFilter(
        label="被巡察单位", queryset=_units,
        widget=AutocompleteWidget(reverse_lazy("units:unit_autocomplete"), placeholder="输入单位名称",
                                  with_fields=("jurisdiction",)),
    )
    category = django_filters.ModelChoiceFilter(
        label="问题分类", queryset=_categories, method="filter_category", widget=FastSelect
    )
    status = django_filters.ChoiceFilter(label="状态", choices=FindingStatus.choices)
    fixed_on_site = django_filters.BooleanFilter(label="立行立改")
    # The dashboard's scopes (term, year, unit kind), so a figure's link lists exactly the findings it counts.
    plan = django_filters.ModelChoiceFilter(
        label="巡察规划", field_name="round__plan", queryset=_plans, widget=FastSelect
    )
    year = django_filters.NumberFilter(label="年度", field_name="round__start_date", lookup_expr="year")
    unit_kind = django_filters.ChoiceFilter(label="单位类别", field_name="unit__kind", choices=UnitKind.choices)

    class Meta:
        fields = [
            "q", "jurisdiction", "round", "team", "unit", "category", "status", "fixed_on_site", "plan", "year",
            "unit_kind",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        wide = user is not None and user.is_authenticated and spans_jurisdictions(user)
        if not wide:
            self.filters.pop("jurisdiction", None)
        self._limit_choices(user, wide)
        self.form.fields["q"].widget.attrs.setdefault("placeholder", "标题或事实中的文字")

    def _limit_choices(self, user, wide):
        """Bound what the rendered form lists; evaluated only if the form is rendered."""
        fields = self.form.fields
        data = self.data or {}
        jurisdiction_id = _digits(data.get("jurisdiction")) if wide else None
        round_id = _digits(data.get("round"))
        if wide:
            rounds = fields["round"].queryset.select_related("plan", "jurisdiction")
            if jurisdiction_id:
                limit_choices(fields["round"], rounds.filter(jurisdiction_id=jurisdiction_id), selected=round_id,
                              label=_round_label)
                limit_choices(fields["plan"], fields["plan"].queryset.filter(jurisdiction_id=jurisdiction_id),
                              selected=_digits(data.get("plan")))
            else:
                limit_choices(fields["round"], rounds.order_by("-start_date", "-id"), selected=round_id,
                              limit=RECENT_ROUNDS, label=_round_label)
                limit_choices(fields["plan"], fields["plan"].queryset.order_by("-start_year", "-id"),
                              selected=_digits(data.get("plan")), limit=RECENT_ROUNDS)
            fields["unit"].label_from_instance = lambda unit: unit_label(unit, True)
            fields["unit"].queryset = fields["unit"].queryset.select_related("jurisdiction")
        teams = fields["team"].queryset
        if round_id:
            limit_choices(fields["team"], teams.filter(round_id=round_id), selected=_digits(data.get("team")))
        elif user is None or not user.is_authenticated or user.role not in TEAM or user.is_superuser:
            # Without a round, only a chosen team is listed: the round's change reloads this list.
            limit_choices(fields["team"], teams.none(), selected=_digits(data.get("team")))
            fields["team"].empty_label = "全部（先选轮次）"

    def filter_q(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_category(self, queryset, name, value):
        # Any level: an area or aspect selects everything filed beneath it.
        return queryset.filter(Q(category=value) | Q(category__parent=value) | Q(category__parent__parent=value))
