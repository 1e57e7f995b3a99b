"""Page forms of the rounds app. Choices are limited to what the user may see; rules live in services."""

from django import forms

from inspection.core import access
from inspection.core.team_scope import team_scope
from inspection.units.models import Cadre, RecusalFactor, Unit

from . import selectors
from .models import (
    Announcement,
    DefaultMaterialItem,
    InfoRequest,
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    Plan,
    Round,
    Team,
    TeamUnit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledMixin:
    """Bootstrap classes on every widget, so templates stay plain `includes/form.html`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class PlanForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["name", "start_year", "end_year", "units", "notes"]
        widgets = {"units": forms.SelectMultiple(attrs={"size": 15}), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"units": "按住 Ctrl 可多选；本届任期内须全部巡察一遍（全覆盖）"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = access.visible(user, Unit).filter(is_active=True).order_by("kind", "name")


class RoundForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["plan", "kind", "topic", "start_date", "end_date", "lookback_of"]
        widgets = {"start_date": DATE, "end_date": DATE, "lookback_of": forms.SelectMultiple(attrs={"size": 5})}
        help_texts = {"topic": "专项、机动、联动巡察填写主题，如“乡村振兴领域资金使用”"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = access.visible(user, Plan)
        self.fields["lookback_of"].queryset = access.visible(user, Round).select_related("plan").exclude(pk=self.instance.pk)
        self.fields["lookback_of"].help_text = "仅巡察“回头看”填写：选择已整改或已完成的原轮次"
        if self.instance.pk:
            self.fields["plan"].disabled = True


class PhaseChangeForm(StyledMixin, forms.Form):
    to_phase = forms.ChoiceField(label="变更为", choices=Phase.choices)
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TeamForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]


class AddMemberForm(StyledMixin, forms.Form):
    position = forms.ChoiceField(label="职务", choices=Membership.Position.choices)
    cadre = forms.ModelChoiceField(label="巡察干部", queryset=Cadre.objects.none(), help_text="组长、副组长从组长库选派，组员从人才库抽调")
    start_date = forms.DateField(label="在组开始日期", required=False, widget=DATE, help_text="不填则为本轮进驻日期")
    end_date = forms.DateField(label="在组结束日期", required=False, widget=DATE)
    override_reason = forms.CharField(
        label="回避情形书面说明（仅巡察办）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="存在回避情形但确需安排时填写；留空则存在回避情形时不予安排",
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = (
            Cadre.objects.filter(jurisdiction_id=team.round.jurisdiction_id, is_active=True)
            .select_related("employer")
            .order_by("pool", "name")
        )
        self.fields["cadre"].label_from_instance = lambda c: f"{c.name}（{c.get_pool_display()}，{c.employer_label} {c.post}）"

    def clean(self):
        data = super().clean()
        cadre, position = data.get("cadre"), data.get("position")
        if cadre and position:
            expected = selectors.cadres_for_position(cadre.jurisdiction_id, position)
            if not expected.filter(pk=cadre.pk).exists():
                self.add_error("cadre", "组长、副组长须从组长库选派，组员须从人才库抽调")
        return data


class AddUnitForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label="被巡察单位", queryset=Unit.objects.none())
    override_reason = forms.CharField(
        label="回避情形书面说明（仅巡察办）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        taken = team.round.team_units.values("unit_id")
        self.fields["unit"].queryset = (
            Unit.objects.filter(jurisdiction_id=team.round.jurisdiction_id, is_active=True)
            .exclude(pk__in=taken)
            .order_by("kind", "name")
        )


class WithdrawUnitForm(StyledMixin, forms.Form):
    """Takes a unit off its team: moved to another team of the round (the common case) or out of the round."""

    to_team = forms.ModelChoiceField(
        label="调整至", queryset=Team.objects.none(), required=False, empty_label="不调入其他组（撤出本轮巡察）",
        help_text="调入其他组时，对接收组现有人员重新进行回避检查",
    )
    reason = forms.CharField(
        label="调整理由", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：发现回避情形、单位合并或撤销、改由其他组或以后轮次巡察",
        error_messages={"required": "调整被巡察单位须填写理由"},
    )
    override_reason = forms.CharField(
        label="回避情形书面说明（仅巡察办，接收组存在回避情形时填写）", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, team_unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = (
            Team.objects.filter(round_id=team_unit.round_id).exclude(pk=team_unit.team_id).order_by("id")
        )


class ReasonForm(StyledMixin, forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class RecusalApplicationForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label="关联单位", queryset=Unit.objects.none())
    kind = forms.ChoiceField(label="回避情形", choices=RecusalFactor.Kind.choices)
    description = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            jurisdiction_id=membership.team.round.jurisdiction_id, is_active=True
        ).order_by("kind", "name")


def _ordered(form, start, end, message):
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, message)


class RoundRecordForm(StyledMixin, forms.ModelForm):
    """A record of one round: its team and unit choices come from that round (and the user's own team)."""

    def __init__(self, *args, round, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.round = round
        if "team" in self.fields:
            self.fields["team"].queryset = access.visible(user, Team).filter(round=round)
        if "unit" in self.fields:
            units = Unit.objects.filter(pk__in=TeamUnit.objects.filter(round=round).values("unit_id"))
            if user.role in ("team_leader", "team_member"):
                units = units.filter(pk__in=team_scope(user, rounds=[round]).unit_ids())
            self.fields["unit"].queryset = units.order_by("name")


class AnnouncementForm(RoundRecordForm):
    class Meta:
        model = Announcement
        fields = ["team", "unit", "hotline", "mailbox", "email", "address", "start_date", "end_date", "published_on"]
        widgets = {"start_date": DATE, "end_date": DATE, "published_on": DATE}

    def clean(self):
        data = super().clean()
        _ordered(self, "start_date", "end_date", "受理截止日期不能早于开始日期")
        return data


class InfoRequestForm(RoundRecordForm):
    class Meta:
        model = InfoRequest
        fields = ["unit", "recipient", "recipient_other", "content", "sent_on", "due_date", "replied_on", "reply"]
        widgets = {"sent_on": DATE, "due_date": DATE, "replied_on": DATE, "content": forms.Textarea(attrs={"rows": 2}),
                   "reply": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        _ordered(self, "sent_on", "due_date", "回复期限不能早于发函日期")
        return data


class MaterialItemForm(RoundRecordForm):
    class Meta:
        model = MaterialItem
        fields = ["unit", "order", "name", "description", "requested_on", "received_on", "notes"]
        widgets = {"requested_on": DATE, "received_on": DATE}


class ApplyDefaultForm(RoundRecordForm):
    class Meta:
        model = MaterialItem
        fields = ["unit"]


class DefaultMaterialItemForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = DefaultMaterialItem
        fields = ["order", "name", "description", "is_active"]


class VersionedRecordForm(RoundRecordForm):
    """An edit form that carries the version it was opened on (hidden), so that the service can refuse an edit made
    on a version someone else has since saved over (`rounds.services.StaleEdit`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version, min_value=1,
                # Only a page opened before versions existed (or a forged post) lacks it: it cannot be checked.
                error_messages={"required": "页面已过期，请刷新后重试", "invalid": "页面已过期，请刷新后重试"},
            )

    def save(self, commit=True):
        instance = super().save(commit=False)
        if "version" in self.cleaned_data:
            instance.version = self.cleaned_data["version"]
        if commit:
            instance.save()
        return instance

    def show_stale(self, exc) -> list[tuple[str, str]]:
        """After a refused stale edit: keeps the user's input, moves the hidden version to the saved one (saving again
        is then a deliberate choice made after seeing the other edit) and returns (label, saved value) of each field
        where the saved record differs from what the user entered."""
        current = exc.current
        self.add_error("version", exc.message)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(current.version)
        rows = []
        for name, field in self.fields.items():
            if name == "version" or name not in self.cleaned_data:
                continue
            saved = getattr(current, name)
            if saved == self.cleaned_data[name]:
                continue
            model_field = current._meta.get_field(name)
            if model_field.choices:
                shown = getattr(current, f"get_{name}_display")()
            elif isinstance(saved, bool):
                shown = "是" if saved else "否"
            else:
                shown = "" if saved is None else str(saved)
            rows.append((str(field.label), shown or "（空）"))
        return rows


class PetitionForm(VersionedRecordForm):
    class Meta:
        model = Petition
        fields = [
            "team", "unit", "channel", "received_on", "is_anonymous", "petitioner_name", "petitioner_contact",
            "subject_person", "subject_post", "summary", "handling", "conclusion", "conclusion_text",
        ]
        widgets = {"received_on": DATE, "summary": forms.Textarea(attrs={"rows": 3}),
                   "handling": forms.Textarea(attrs={"rows": 3}), "conclusion_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False

    def clean(self):
        data = super().clean()
        if data.get("is_anonymous"):
            # An anonymous petitioner's name and contact are never kept.
            data["petitioner_name"] = ""
            data["petitioner_contact"] = ""
        elif not (data.get("petitioner_name") or "").strip():
            self.add_error("petitioner_name", "实名信访须填写信访人姓名；匿名信访请勾选“匿名”")
        return data


class InquiryForm(VersionedRecordForm):
    class Meta:
        model = Inquiry
        fields = ["team", "asker_name", "asker_post", "asked_person", "asked_on", "manner", "subject", "handling"]
        widgets = {"asked_on": DATE, "subject": forms.Textarea(attrs={"rows": 2}), "handling": forms.Textarea(attrs={"rows": 2})}


class InterviewForm(RoundRecordForm):
    class Meta:
        model = Interview
        fields = ["team", "unit", "interviewee_name", "interviewee_post", "held_on", "interviewers", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}



class CadreEvaluationForm(StyledMixin, forms.Form):
    membership = forms.ModelChoiceField(label="被考评干部", queryset=Membership.objects.none())
    score = forms.IntegerField(label="考评得分", min_value=0, max_value=100, help_text="90分以上为优秀，75分以上为称职，60分以上为基本称职")
    comment = forms.CharField(label="考评意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="修改理由", required=False, help_text="修改已有考评时填写")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = team.memberships.filter(is_active=True).select_related("cadre")
        self.fields["membership"].label_from_instance = lambda m: f"{m.get_position_display()} {m.cadre.name}"
