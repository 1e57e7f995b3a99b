import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from inspection.accounts.models import ReceivingBody
from inspection.audit.models import ReadLog
from inspection.core.fields import matches
from inspection.core.filtersets import FilterSet
from rounds.models import Plan, Round

from .models import DispositionKind, Lead, LeadSource, LeadStatus, Referral, ReferralStatus
from .selectors import LOGGED_TYPES


def _jurisdiction_id(request):
    return getattr(getattr(request, "user", None), "jurisdiction_id", None)


def _rounds(request):
    return Round.objects.filter(jurisdiction_id=_jurisdiction_id(request)).select_related("plan")


def _bodies(request):
    return ReceivingBody.objects.filter(jurisdiction_id=_jurisdiction_id(request))


class LeadFilter(FilterSet):
    q = django_filters.CharFilter(label="被反映人/摘要", method="search")
    round = django_filters.ModelChoiceFilter(label="轮次", queryset=_rounds)
    status = django_filters.ChoiceFilter(label="状态", choices=LeadStatus.choices, empty_label="全部")
    source = django_filters.ChoiceFilter(label="来源", choices=LeadSource.choices, empty_label="全部")
    receiving_body = django_filters.ModelChoiceFilter(
        label="接收单位", field_name="referral__receiving_body", queryset=_bodies
    )
    overdue = django_filters.BooleanFilter(
        label="处置逾期", method="filter_overdue",
        widget=forms.Select(choices=[("", "全部"), ("true", "仅逾期"), ("false", "未逾期")]),
    )
    disposition = django_filters.ChoiceFilter(
        label="处置方式", field_name="disposition__kind", choices=DispositionKind.choices, empty_label="全部"
    )

    class Meta:
        model = Lead
        fields = ["q", "round", "status", "source", "receiving_body", "overdue", "disposition"]

    def search(self, queryset, name, value):
        # The subject's name is encrypted: found by its exact name (blind index), the summary by any part.
        return queryset.filter(matches(Lead, "subject_name", value) | Q(summary__icontains=value))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=LeadStatus.RECEIVED, disposition_due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ReferralFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=ReferralStatus.choices, empty_label="全部")
    receiving_body = django_filters.ModelChoiceFilter(label="接收单位", queryset=_bodies)
    letter_number = django_filters.CharFilter(label="文号", lookup_expr="icontains")

    class Meta:
        model = Referral
        fields = ["status", "receiving_body", "letter_number"]


class ReadLogFilter(FilterSet):
    user = django_filters.CharFilter(label="查阅人", method="filter_user")
    object_type = django_filters.ChoiceFilter(
        label="对象类型",
        choices=[(key, model._meta.verbose_name) for key, model in LOGGED_TYPES.items()],
        empty_label="全部",
    )
    object_id = django_filters.CharFilter(label="对象编号")
    action = django_filters.ChoiceFilter(label="方式", choices=ReadLog.Action.choices, empty_label="全部")
    since = django_filters.DateFilter(label="起始日期", field_name="at", lookup_expr="date__gte",
                                      widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    until = django_filters.DateFilter(label="截止日期", field_name="at", lookup_expr="date__lte",
                                      widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    class Meta:
        model = ReadLog
        fields = ["user", "object_type", "object_id", "action", "since", "until"]

    def filter_user(self, queryset, name, value):
        return queryset.filter(Q(user__username__icontains=value) | Q(user__display_name__icontains=value))


class FiguresFilter(FilterSet):
    """Only a form: the figures page narrows by round or term plan."""

    round = django_filters.ModelChoiceFilter(label="轮次", queryset=_rounds, method="noop")
    plan = django_filters.ModelChoiceFilter(
        label="巡察规划", method="noop",
        queryset=lambda request: Plan.objects.filter(jurisdiction_id=_jurisdiction_id(request)),
    )

    class Meta:
        model = Lead
        fields = ["round", "plan"]

    def noop(self, queryset, name, value):
        return queryset
