"""Filters of the rounds list pages (django-filter), Chinese labels."""

import django_filters

from inspection.core.fields import matches
from inspection.core.filtersets import FilterSet

from .models import Petition, Phase, Round, RoundKind


class RoundFilter(FilterSet):
    phase = django_filters.ChoiceFilter(label="阶段", choices=Phase.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="巡察方式", choices=RoundKind.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="年度", field_name="start_date", lookup_expr="year")

    class Meta:
        model = Round
        fields = ["phase", "kind", "year"]


class PetitionFilter(FilterSet):
    channel = django_filters.ChoiceFilter(label="渠道", choices=Petition.Channel.choices, empty_label="全部")
    conclusion = django_filters.ChoiceFilter(label="办理结论", choices=Petition.Conclusion.choices, empty_label="全部")
    is_anonymous = django_filters.BooleanFilter(label="匿名")
    contact = django_filters.CharFilter(label="信访人联系方式（完整）", method="filter_contact")

    class Meta:
        model = Petition
        fields = ["channel", "conclusion", "is_anonymous", "contact"]

    def filter_contact(self, queryset, name, value):
        # Encrypted at rest: only the whole contact finds the petition, through its blind index.
        return queryset.filter(matches(Petition, "petitioner_contact", value)) if value.strip() else queryset
