"""Page forms. They only shape input; every rule lives in `findings.services`."""

from django import forms

from inspection.core.batch import IdsField
from inspection.core.exceptions import DomainError
from inspection.core.widgets import MultipleFileField
from rounds.models import TeamUnit

from . import selectors
from .attachments import ALLOWED_LABEL, check_upload
from .models import Category, Finding
from .widgets import CategoryTreeSelect

MAX_DRAFT_ATTACHMENTS = 10




class CategoryChoiceField(forms.ModelChoiceField):
    """A manifestation, picked from the checklist tree (area › aspect › manifestation) with a search box
    (`CategoryTreeSelect`: a select grouped by area and aspect that static/js/xuncha.js turns into a tree)."""

    widget = CategoryTreeSelect

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.parent.parent.name} › {obj.parent.name} › {obj.name}"


class TeamUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.round.title} · {obj.team.name} · {obj.unit.name}"


class FindingForm(forms.Form):
    team_unit = TeamUnitChoiceField(label="轮次 · 巡察组 · 被巡察单位", queryset=TeamUnit.objects.none())
    category = CategoryChoiceField(label="问题分类（具体表现）", queryset=Category.objects.none())
    title = forms.CharField(label="问题标题", max_length=200)
    facts = forms.CharField(label="问题事实", widget=forms.Textarea(attrs={"rows": 5}))
    basis = forms.CharField(
        label="定性依据", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="违反的具体规定，如《中国共产党纪律处分条例》第X条",
    )
    money_involved = forms.DecimalField(label="涉及金额（元）", required=False, max_digits=16, decimal_places=2, min_value=0)
    persons_involved = forms.CharField(label="涉及人员", max_length=300, required=False)
    fixed_on_site = forms.BooleanField(label="立行立改（边巡边改）", required=False)
    paper_description = forms.CharField(label="底稿：问题描述", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    paper_supporting_facts = forms.CharField(
        label="底稿：事实支撑", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="查阅的账册、凭证、会议记录、谈话笔录等",
    )
    paper_basis = forms.CharField(label="底稿：定性依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    paper_process_record = forms.CharField(
        label="底稿：过程记录", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="何时、何人、以何种方式核实",
    )
    confirm_not_duplicate = forms.BooleanField(label="我已确认不是重复问题", required=False)
    attachments = MultipleFileField(
        label="附件（可多选）", required=False,
        help_text=f"起草时即可上传证据材料，随草稿一并保存；允许{ALLOWED_LABEL}，最多{MAX_DRAFT_ATTACHMENTS}个",
    )
    reason = forms.CharField(
        label="修改理由（审定后修改必填）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args, team_units=None, jurisdiction_id=None, finding: Finding | None = None, amend=False, **kwargs
    ):
        """`jurisdiction_id`: the office whose checklist a new finding is filed under (an edited finding's is
        its own office's)."""
        super().__init__(*args, **kwargs)
        if finding is not None:
            jurisdiction_id = finding.jurisdiction_id
        categories = selectors.manifestations_in_use(jurisdiction_id)
        if finding is not None:
            # A finding filed under a since-retired category keeps it: show it alongside the active ones.
            categories = Category.objects.filter(pk=finding.category_id) | categories
            categories = categories.select_related("parent", "parent__parent")
            del self.fields["team_unit"]
            # An edited finding adds its files on its own page (附件 card): one way per record.
            del self.fields["attachments"]
        else:
            self.fields["team_unit"].queryset = team_units
        self.fields["category"].queryset = categories.distinct().select_related("parent", "parent__parent")
        if not amend:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            del self.fields["confirm_not_duplicate"]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            else:
                field.widget.attrs.setdefault("class", "form-control")
        for name in ("title", "facts"):
            self.fields[name].widget.attrs.update({"data-duplicate-source": "1"})

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_DRAFT_ATTACHMENTS:
            raise forms.ValidationError(f"一次最多上传{MAX_DRAFT_ATTACHMENTS}个附件")
        for uploaded in files:
            try:
                check_upload(uploaded, field="attachments")
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return files

    def finding_changes(self):
        data = self.cleaned_data
        return {name: data[name] for name in (
            "category", "title", "facts", "basis", "money_involved", "persons_involved", "fixed_on_site"
        )}

    def paper(self):
        return {name[len("paper_"):]: self.cleaned_data[name] for name in self.cleaned_data if name.startswith("paper_")}


class BatchIdsForm(forms.Form):
    ids = IdsField(required=False)


class BatchApproveForm(BatchIdsForm):
    meeting_name = forms.CharField(
        label="会议名称", max_length=200, required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：县委巡察工作领导小组2026年第5次会议"}),
    )
    meeting_number = forms.CharField(
        label="会议编号", max_length=50, required=False, widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：2026年第5次"})
    )
    meeting_date = forms.DateField(label="会议日期", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))


class TransitionForm(forms.Form):
    verb = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件", help_text=f"允许{ALLOWED_LABEL}")
    description = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "form-control"
        self.fields["description"].widget.attrs["class"] = "form-control"


class HearingForm(forms.Form):
    explained_by = forms.CharField(label="说明人（姓名及职务）", max_length=100)
    held_on = forms.DateField(label="说明日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    explanation = forms.CharField(label="解释说明内容", widget=forms.Textarea(attrs={"rows": 3}))
    team_response = forms.CharField(label="巡察组意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    adopted = forms.BooleanField(label="采纳解释说明", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            )


class OpinionForm(forms.Form):
    department = forms.CharField(label="认定部门", max_length=120)
    opinion = forms.CharField(label="认定意见", widget=forms.Textarea(attrs={"rows": 3}))
    given_on = forms.DateField(label="认定日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    file = forms.FileField(label="认定文书（可选）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class CategoryForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    order = forms.IntegerField(
        label="排序", min_value=0, max_value=32767, required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
