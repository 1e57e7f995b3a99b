from django import forms
from django.utils import timezone

from findings.models import Finding
from inspection.accounts.models import ReceivingBody
from rounds.models import Petition, Round

from .models import DispositionKind, Lead, LeadSource, ResultKind


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class LeadForm(forms.Form):
    # The choices are the user's window (`selectors.lead_source_*`): anything else is refused with the reason.
    round = forms.ModelChoiceField(label="轮次", queryset=Round.objects.none(),
                                   error_messages={"invalid_choice": "您不能在该轮次登记线索"})
    source = forms.ChoiceField(label="线索来源", choices=LeadSource.choices)
    finding = forms.ModelChoiceField(label="来源问题", queryset=Finding.objects.none(), required=False,
                                     help_text="来源为巡察发现问题时选择",
                                     error_messages={"invalid_choice": "来源问题不存在或不可用"})
    petition = forms.ModelChoiceField(label="来源信访件", queryset=Petition.objects.none(), required=False,
                                      help_text="来源为信访件时选择；信访件的办理结论随线索一并移交",
                                      error_messages={"invalid_choice": "来源信访件不存在或不可用"})
    source_detail = forms.CharField(label="来源说明", max_length=200, required=False)
    subject_name = forms.CharField(label="被反映人姓名", max_length=50, required=False,
                                   help_text="来源为信访件且留空时，取信访件的被反映人")
    subject_post = forms.CharField(label="被反映人职务", max_length=100, required=False)
    subject_unit = forms.CharField(label="被反映人单位", max_length=120, required=False)
    subject_rank = forms.CharField(label="被反映人职级", max_length=40, required=False)
    summary = forms.CharField(label="问题线索摘要", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, rounds=None, findings=None, petitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds if rounds is not None else Round.objects.none()
        self.fields["finding"].queryset = findings if findings is not None else Finding.objects.none()
        self.fields["finding"].label_from_instance = lambda f: f"{f.pk} {f.unit} — {f.title}"
        self.fields["petition"].queryset = petitions if petitions is not None else Petition.objects.none()
        # The petition's number, channel, date and conclusion: no subject or petitioner, which would be an
        # unlogged read of every petition offered (the petition's own page is where they are read).
        self.fields["petition"].label_from_instance = lambda p: f"{p} — {p.get_conclusion_display()}"
        _bootstrap(self)


class BatchForm(forms.Form):
    receiving_body = forms.ModelChoiceField(label="接收单位", queryset=ReceivingBody.objects.none())
    letter_number = forms.CharField(label="移交函文号", max_length=60, help_text="如：清巡办移〔2026〕3号")
    letter_date = forms.DateField(label="移交日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    title = forms.CharField(label="移交函标题", max_length=200, required=False,
                            help_text="留空则为“关于移交巡察发现问题线索的函”")
    notes = forms.CharField(label="移交说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    leads = forms.ModelMultipleChoiceField(
        label="移交的问题线索", queryset=Lead.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, bodies=None, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_body"].queryset = bodies if bodies is not None else ReceivingBody.objects.none()
        self.fields["leads"].queryset = leads if leads is not None else Lead.objects.none()
        self.fields["leads"].label_from_instance = lambda lead: (
            f"{lead.subject_name_masked}（{lead.subject_post or '职务未填'}）— {lead.round.title} — {lead.summary[:40]}"
        )
        self.initial.setdefault("letter_date", timezone.localdate())
        _bootstrap(self)


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label="处置方式", choices=DispositionKind.choices)
    decided_on = forms.DateField(label="处置日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    note = forms.CharField(label="处置情况说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decided_on", timezone.localdate())
        _bootstrap(self)


class ResultsForm(forms.Form):
    """One people-count field per result kind, and the money recovered in total."""

    money_recovered = forms.DecimalField(label="挽回经济损失/收缴资金（元）", min_value=0, max_digits=16,
                                         decimal_places=2, required=False)
    note = forms.CharField(label="查处情况说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ResultKind:
            self.fields[f"people_{kind.value}"] = forms.IntegerField(
                label=f"{kind.label}（人）", min_value=0, max_value=10000, required=False
            )
        # Kinds first, then money and the note.
        order = [f"people_{kind.value}" for kind in ResultKind] + ["money_recovered", "note"]
        self.order_fields(order)
        _bootstrap(self)

    def results(self):
        data = self.cleaned_data
        items = []
        money = data.get("money_recovered") or 0
        for kind in ResultKind:
            people = data.get(f"people_{kind.value}") or 0
            if people:
                items.append({"kind": kind.value, "people_count": people, "money_recovered": 0,
                              "note": data.get("note", "")})
        if money:
            # Money goes with the first kind reported, or stands alone as 问责/挽回损失 when no person is named.
            if items:
                items[0]["money_recovered"] = money
            else:
                items.append({"kind": ResultKind.ACCOUNTABILITY.value, "people_count": 0,
                              "money_recovered": money, "note": data.get("note", "")})
        return items


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


