"""The account list's filters (系统管理员)."""

import django_filters
from django import forms
from django.db.models import Q

from inspection.core.fields import matches
from inspection.core.filtersets import FilterSet

from .models import Jurisdiction, Role, User

_SMALL_SELECT = {"class": "form-select form-select-sm"}


class UserFilter(FilterSet):
    q = django_filters.CharFilter(
        label="关键词", method="search",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "用户名/姓名/电话"}),
    )
    role = django_filters.ChoiceFilter(
        label="角色", choices=[("none", "无角色"), *Role.choices], empty_label="全部", method="by_role",
        widget=forms.Select(attrs=_SMALL_SELECT),
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label="管辖范围", queryset=Jurisdiction.objects.all(), empty_label="全部", widget=forms.Select(attrs=_SMALL_SELECT),
    )
    is_active = django_filters.BooleanFilter(
        label="状态", widget=forms.Select(choices=[("", "全部"), ("true", "启用"), ("false", "停用")], attrs=_SMALL_SELECT),
    )

    class Meta:
        model = User
        fields = ["q", "role", "jurisdiction", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            # The phone is SM4-encrypted: found by its whole number through the blind index.
            Q(username__icontains=value) | Q(display_name__contains=value) | matches(User, "phone", value)
        )

    def by_role(self, queryset, name, value):
        return queryset.filter(role="" if value == "none" else value)
