from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from findings.models import Finding
from inspection.core.batch import IdsField
from inspection.core.widgets import MultipleFileField
from inspection.units.models import Unit
from rounds.models import Round

from . import selectors, services
from .models import (
    Disclosure,
    Evaluation,
    EvaluationWeights,
    Progress,
    RectificationReport,
    Task,
    TaskKind,
    TaskStatus,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("rows", 3)
    return form


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FeedbackForm(BootstrapMixin, forms.Form):
    round = forms.ModelChoiceField(label="轮次", queryset=Round.objects.none())
    unit = forms.ModelChoiceField(label="被巡察单位", queryset=Unit.objects.none())
    held_on = forms.DateField(label="反馈日期", widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label="反馈地点", max_length=200)
    attendees = forms.CharField(label="参会人员", widget=forms.Textarea)
    letter_number = forms.CharField(label="反馈意见文号", max_length=100, help_text="如：清巡反〔2026〕3号")

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        jurisdiction_id = getattr(jurisdiction, "pk", None)
        # Offered: only the rounds and units the feedback rule allows now (selectors.feedback_choices). Accepted for
        # validation: any of the office's, so a stale or hand-made choice reaches the service and gets its reason
        # ("尚未进入反馈阶段", "还有 N 条问题未审核通过或撤回") instead of a bare "invalid choice".
        self.eligible, self.waiting = selectors.feedback_choices(jurisdiction_id)
        self.fields["round"].queryset = Round.objects.filter(jurisdiction_id=jurisdiction_id)
        self.fields["unit"].queryset = Unit.objects.filter(jurisdiction_id=jurisdiction_id)
        rounds, units = {}, {}
        for candidate in self.eligible:
            rounds.setdefault(candidate.round.pk, candidate.round)
            units.setdefault(candidate.unit.pk, (candidate.unit, []))[1].append(candidate.round.title)
        empty = [("", "---------")]
        self.fields["round"].widget.choices = empty + [
            (r.pk, f"{r.title}（{r.get_phase_display()}阶段）") for r in rounds.values()
        ]
        self.fields["unit"].widget.choices = empty + [
            (unit.pk, f"{unit.name}（{'、'.join(titles)}）")
            for unit, titles in sorted(units.values(), key=lambda pair: pair[0].name)
        ]


class ProblemItemAddForm(BootstrapMixin, forms.Form):
    """反馈后新增的问题 joins the problem list: why, and its rectification task."""

    reason = forms.CharField(
        label="补充原因", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：该问题经听取解释说明后于反馈后审定，按领导小组意见补充反馈",
    )
    measures = forms.CharField(label="整改措施", widget=forms.Textarea)
    responsible_leader = forms.CharField(label="责任领导", max_length=50)
    responsible_department = forms.CharField(label="责任部门", max_length=100)
    deadline = forms.DateField(label="整改时限", widget=DATE)
    kind = forms.ChoiceField(label="整改类型", choices=TaskKind.choices)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        # The finding's clock starts on the day it is added.
        immediate_limit(self.fields["kind"], start=timezone.localdate(), days=jurisdiction.immediate_fix_days)


class PlanForm(BootstrapMixin, forms.Form):
    content = forms.CharField(
        label="整改方案正文", widget=forms.Textarea(attrs={"rows": 12}),
        help_text="包括整改工作的总体要求、组织领导、整改措施、时间安排和保障措施",
    )


class TaskForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["finding", "measures", "responsible_leader", "responsible_department", "deadline", "kind"]
        widgets = {"deadline": DATE}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = Finding.objects.filter(
            pk__in=plan.feedback.problem_items.values("finding_id")
        ).order_by("id")
        feedback = plan.feedback
        # An existing task's finding may have joined the list after the feedback: its clock starts then.
        start, _ = services.task_clock_start(feedback, self.instance.finding_id if self.instance.pk else None)
        immediate_limit(self.fields["kind"], start=start, days=feedback.jurisdiction.immediate_fix_days)


def immediate_limit(field, *, start, days):
    """static/js/rectification.js caps the date picker for 立行立改; the service enforces the rule."""
    limit = start + timedelta(days=days)
    field.widget.attrs.update({"data-immediate-limit": limit.isoformat(), "data-earliest": start.isoformat()})
    field.help_text = f"立行立改的任务须在 {limit:%Y-%m-%d} 前完成"


class ReasonForm(BootstrapMixin, forms.Form):
    verb = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))




class ProgressForm(BootstrapMixin, forms.ModelForm):
    files = MultipleFileField(
        label="佐证材料", required=False, help_text="可多选；支持 PDF、Word、Excel、JPG、PNG，按文件内容识别类型"
    )

    class Meta:
        model = Progress
        fields = [
            "reported_on",
            "description",
            "money_recovered",
            "rules_established_count",
            "rules_established_names",
            "people_held_accountable",
        ]
        widgets = {"reported_on": DATE, "rules_established_names": forms.Textarea(attrs={"rows": 3})}


class ReportForm(BootstrapMixin, forms.ModelForm):
    """The unit's words; the figures beside them are counted by the system and shown, not typed."""

    files = MultipleFileField(
        label="附件", required=False,
        help_text="可多选：盖章的整改情况报告、整改台账等；支持 PDF、Word、Excel、JPG、PNG，按文件内容识别类型。"
        "保存未成功时需重新选择文件",
    )

    class Meta:
        model = RectificationReport
        fields = ["content", "other_results"]
        widgets = {"content": forms.Textarea(attrs={"rows": 12}), "other_results": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"content": "按问题清单逐项说明整改措施落实情况、完成情况、尚未完成的原因和下一步打算"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].required = True
        self.fields["content"].error_messages["required"] = "请填写整改情况"


class DisclosureForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Disclosure
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}


class EvaluationForm(BootstrapMixin, forms.ModelForm):
    # What the user had in front of them (`evaluated_at` of the evaluation, empty for none), so that saving over an
    # evaluation someone else saved in the meantime is refused (`services.evaluation_save`). Text, not a
    # DateTimeField: that widget drops the microseconds and the comparison must be exact.
    seen_evaluated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Evaluation
        fields = ["self_score", "public_score", "supervision_score", "onsite_score", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_evaluated_at"].initial = self.instance.evaluated_at.isoformat() if self.instance.pk else ""

    def clean_seen_evaluated_at(self):
        value = self.cleaned_data["seen_evaluated_at"]
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("页面已过期，请刷新后重试") from None

    def show_stale(self, current) -> None:
        """After a refused stale save: keep the user's input, and move the hidden marker on to what is saved now, so
        that saving again (having read the message) is a deliberate choice."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_evaluated_at")] = current.evaluated_at.isoformat() if current else ""


class WeightsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = EvaluationWeights
        fields = ["self_weight", "public_weight", "supervision_weight", "onsite_weight"]

    def clean(self):
        data = super().clean()
        values = [data.get(name) for name in self.Meta.fields]
        if None not in values and sum(values) != 100:
            raise forms.ValidationError(f"四项权重之和应为 100，当前为 {sum(values)}")
        return data


def new_deadline_field(**kwargs):
    """The new time limit of a reopened task; the service refuses a date in the past with a Chinese message."""
    return forms.DateField(
        label="新的整改时限", widget=DATE, error_messages={"required": "请填写新的整改时限", "invalid": "请输入有效的日期"},
        **kwargs,
    )


class TaskReopenForm(BootstrapMixin, forms.Form):
    new_deadline = new_deadline_field(help_text="重新整改后按新的时限提醒：到期前、到期当日、逾期和逾期升级各提醒一次")
    reason = forms.CharField(
        label="重新整改原因", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写重新整改的原因"},
        help_text="写明核查发现的问题和整改要求，单位在任务页面可以看到",
    )


class LookbackCheckForm(BootstrapMixin, forms.Form):
    is_fixed = forms.TypedChoiceField(
        label="核查结论", choices=[("1", "已真正整改到位"), ("0", "未整改到位（重新整改）")], coerce=lambda v: v == "1"
    )
    notes = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = new_deadline_field(
        required=False, help_text="核查结论为未整改到位时必填：任务重新整改，按新的时限提醒"
    )

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a closed task is reopened: for one still open the field would have nothing to set.
        if task is not None and task.status != TaskStatus.CLOSED:
            del self.fields["new_deadline"]


# --- Closing with an opinion, batch close, the plan's task table (issue 16) ---------------------------------


class TaskCloseForm(BootstrapMixin, forms.Form):
    # Not required here: the service's message ("请填写核验意见：…") is the one the user reads, page and API alike.
    verification_opinion = forms.CharField(
        label="核验意见", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明核验的方式和结论，如：经实地核查、查阅台账，整改到位，同意销号",
    )


class TaskBatchCloseForm(TaskCloseForm):
    ids = IdsField(required=False)


class TaskRowForm(BootstrapMixin, forms.Form):
    """One row of the plan's task table: a task of one problem (task_id set: that task is changed)."""

    finding_id = forms.IntegerField(widget=forms.HiddenInput)
    task_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_leader = forms.CharField(label="责任领导", required=False, max_length=50)
    responsible_department = forms.CharField(label="责任部门", required=False, max_length=100)
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE)
    kind = forms.ChoiceField(label="整改类型", required=False, choices=[("", "请选择"), *TaskKind.choices])

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("task_id") and not any(
            data.get(name) for name in ("measures", "responsible_leader", "responsible_department", "deadline", "kind")
        )


TaskRowFormSet = forms.formset_factory(TaskRowForm, extra=0)


class TaskExcelUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="整改任务表（Excel）", help_text="请先下载本单位问题清单模板，填写后上传 .xlsx 文件")
