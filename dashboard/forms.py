"""The dashboard's filter form: plan (term), round, year, unit kind. Choices come from what the user may see."""

from django import forms

from inspection.accounts.models import Jurisdiction
from inspection.core import access
from inspection.units.models import UnitKind
from rounds.models import Plan, Round

from .selectors import FigureScope


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


class FigureFilterForm(forms.Form):
    plan = forms.ModelChoiceField(label="巡察规划", queryset=Plan.objects.none(), required=False, empty_label="全部",
                                  widget=_select())
    round = forms.ModelChoiceField(label="轮次", queryset=Round.objects.none(), required=False, empty_label="全部",
                                   widget=_select())
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None, widget=_select())
    unit_kind = forms.ChoiceField(label="单位类别", choices=[("", "全部"), *UnitKind.choices], required=False,
                                  widget=_select())
    lookback_as_of = forms.DateField(
        label="回头看覆盖截至", required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
        help_text="按截至该日已反馈的单位、该日前开始的回头看计算覆盖率；不填为截至今日",
        error_messages={"invalid": "请输入有效的日期，如 2024-06-30"},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["plan"].queryset = access.visible(user, Plan).order_by("-start_year", "-id")
        rounds = access.visible(user, Round).select_related("plan").order_by("-start_date", "-id")
        self.fields["round"].queryset = rounds
        years = sorted({d.year for d in rounds.order_by().dates("start_date", "year")}, reverse=True)
        self.fields["year"].choices = [("", "全部"), *[(y, f"{y}年") for y in years]]

    def clean(self):
        data = super().clean()
        plan, round_ = data.get("plan"), data.get("round")
        if plan and round_ and round_.plan_id != plan.pk:
            self.add_error("round", "所选轮次不属于所选规划")
        return data

    def scope(self) -> FigureScope:
        """The scope of the (valid) form; an invalid or empty form means the whole jurisdiction."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return FigureScope(
            jurisdiction_id=self.user.jurisdiction_id,
            plan=data.get("plan"),
            round=data.get("round"),
            year=data.get("year"),
            unit_kind=data.get("unit_kind") or "",
            subtree=is_higher_office(self.user),
            lookback_as_of=data.get("lookback_as_of"),
        )


def is_higher_office(user) -> bool:
    """A city or province office: its statistics add up the offices below it (DOMAIN.md: figures, not records)."""
    jurisdiction = user.jurisdiction if user.jurisdiction_id else None
    return bool(jurisdiction and jurisdiction.level != Jurisdiction.Level.COUNTY)


class RollupFilterForm(forms.Form):
    """The roll-up's query: which office's roll-up (the user's own, or one below it), which year, which order.
    Whether the office is the user's to see is decided by the view (403), not here."""

    jurisdiction = forms.IntegerField(label="巡察机构", required=False, min_value=1,
                                      error_messages={"invalid": "巡察机构须为编号", "min_value": "巡察机构须为编号"})
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": "年度须为四位数字", "min_value": "年度须在2000至2100之间",
                                              "max_value": "年度须在2000至2100之间"})
    sort = forms.CharField(label="排序", required=False, max_length=40)

    def clean_sort(self):
        from .rollup import SORT_KEYS

        sort = self.cleaned_data.get("sort") or ""
        if sort and sort.lstrip("-") not in SORT_KEYS:
            raise forms.ValidationError("无效的排序字段")
        return sort
