import django_filters
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone

from inspection.core import access
from inspection.core.filtersets import FilterSet
from inspection.core.widgets import AutocompleteWidget, FastSelect, YesNoSelect, limit_choices
from inspection.units.models import Unit, UnitKind
from inspection.units.selectors import spans_jurisdictions, unit_label
from rounds.models import Round

from .models import OPEN_TASK_STATUSES, Feedback, PlanStatus, ReportStatus, TaskKind, TaskStatus


def _yes_no():
    return YesNoSelect()


def _rounds(request):
    if request is None or not request.user.is_authenticated:
        return Round.objects.none()
    return Round.objects.filter(jurisdiction_id=request.user.jurisdiction_id).select_related("plan")


def _units(request):
    if request is None or not request.user.is_authenticated:
        return Unit.objects.none()
    if request.user.is_superuser:
        return Unit.objects.select_related("jurisdiction")
    return Unit.objects.filter(jurisdiction_id=request.user.jurisdiction_id)


class FeedbackFilter(FilterSet):
    round = django_filters.ModelChoiceFilter(label="轮次", queryset=_rounds)
    unit_kind = django_filters.ChoiceFilter(label="单位类别", field_name="unit__kind", choices=UnitKind.choices)
    plan_status = django_filters.ChoiceFilter(label="整改方案", field_name="plan__status", choices=PlanStatus.choices)
    overdue = django_filters.BooleanFilter(label="有逾期任务", method="filter_overdue", widget=_yes_no())

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(task_overdue__gt=0) if value else queryset.filter(task_overdue=0)


class TaskFilter(FilterSet):
    round = django_filters.ModelChoiceFilter(label="轮次", field_name="plan__feedback__round", queryset=_rounds)
    # Typed, not listed: an office has hundreds of units, a province 100,000 (AutocompleteWidget).
    unit = django_filters.ModelChoiceFilter(
        label="单位", field_name="plan__feedback__unit", queryset=_units,
        widget=AutocompleteWidget(reverse_lazy("units:unit_autocomplete"), placeholder="输入单位名称"),
    )
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices)
    kind = django_filters.ChoiceFilter(label="整改类型", choices=TaskKind.choices)
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue", widget=_yes_no())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and spans_jurisdictions(user):
            self.form.fields["unit"].label_from_instance = lambda unit: unit_label(unit, True)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {"status__in": OPEN_TASK_STATUSES, "deadline__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


def _report_rounds(request):
    """Rounds with a feedback the user may see (a liaison: their unit's; a team: its units'; an office: its own)."""
    if request is None or not request.user.is_authenticated:
        return Round.objects.none()
    user = request.user
    if user.is_superuser:
        return Round.objects.select_related("plan", "jurisdiction")
    return Round.objects.filter(pk__in=access.visible(user, Feedback).values("round_id")).select_related("plan")


# The round select lists this many rounds, most recent first (plus the chosen one): a superuser sees every
# office's rounds, an office over the years a few dozen.
RECENT_ROUNDS = 30


def late_q(today):
    """逾期: first sent after the deadline (is_late), or never sent and past it (逾期未报)."""
    return Q(is_late=True) | Q(first_submitted_at__isnull=True, feedback__report_due_on__lt=today)


class ReportFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices)
    late = django_filters.BooleanFilter(label="逾期", method="filter_late", widget=_yes_no())
    round = django_filters.ModelChoiceFilter(
        label="轮次", field_name="feedback__round", queryset=_report_rounds, widget=FastSelect
    )
    # Typed, not listed, like the task filter's unit.
    unit = django_filters.ModelChoiceFilter(
        label="被巡察单位", field_name="feedback__unit", queryset=_units,
        widget=AutocompleteWidget(reverse_lazy("units:unit_autocomplete"), placeholder="输入单位名称"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        wide = user is not None and user.is_authenticated and spans_jurisdictions(user)
        fields = self.form.fields
        selected = (self.data or {}).get("round")
        limit_choices(
            fields["round"], fields["round"].queryset.order_by("-start_date", "-id"), selected=selected,
            limit=RECENT_ROUNDS, label=(lambda r: f"{r.jurisdiction.name} {r}") if wide else None,
        )
        if wide:
            fields["unit"].label_from_instance = lambda unit: unit_label(unit, True)

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = late_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
