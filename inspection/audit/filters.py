from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from inspection.core.filtersets import FilterSet

from .models import AuditEvent


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def _text(placeholder=""):
    return forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": placeholder})


def _date():
    return forms.DateInput(attrs={"class": "form-control form-control-sm", "type": "date"})


class AuditEventFilter(FilterSet):
    # Local days turned into instants, so the filter is a range on the indexed column, not a date cast per row.
    since = django_filters.DateFilter(label="起始日期", method="from_day", widget=_date())
    until = django_filters.DateFilter(label="截止日期", method="to_day", widget=_date())
    # Typed, not listed: the user as the row names it (the attempted name of a failed login included).
    username = django_filters.CharFilter(label="用户名", field_name="username", widget=_text("登录名"))
    kind = django_filters.ChoiceFilter(label="事件类型", choices=AuditEvent.Kind.choices, empty_label="全部", widget=_select())
    outcome = django_filters.ChoiceFilter(
        label="结果", choices=AuditEvent.Outcome.choices, empty_label="全部", widget=_select()
    )
    object_type = django_filters.CharFilter(label="对象类型", field_name="object_type", widget=_text("如 findings.finding"))
    object_id = django_filters.CharFilter(label="对象编号", field_name="object_id", widget=_text())
    up_to = django_filters.NumberFilter(label="截至记录号", field_name="id", lookup_expr="lte", widget=_text())

    class Meta:
        model = AuditEvent
        fields = []

    def from_day(self, queryset, name, value):
        return queryset.filter(at__gte=_day_start(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(at__lt=_day_start(value + timedelta(days=1)))


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))
