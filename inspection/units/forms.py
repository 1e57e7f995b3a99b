from django import forms

from inspection.accounts.models import Role, User

from .models import Cadre, RecusalFactor, Specialty, Unit


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class UnitForm(forms.ModelForm):
    """Field checks only; the jurisdiction and cycle rules live in services (they answer the API too)."""

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "party_org_name", "head_name", "head_post", "staff_count", "address"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(jurisdiction_id=user.jurisdiction_id, is_active=True).order_by("kind", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "（无上级单位）"
        self.fields["kind"].choices = [("", "请选择")] + list(self.fields["kind"].choices)[1:]
        _style(self)


class CadreForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "pool",
            "joined_via",
            "joined_on",
            "employer",
            "employer_name",
            "post",
            "rank",
            "specialties",
            "phone",
            "id_number",
            "user",
            "notes",
        ]
        widgets = {
            "specialties": forms.CheckboxSelectMultiple,
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"employer_name": "工作单位不在被巡察单位名录中时填写", "user": "组长、组员登录后据此找到自己的巡察组"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Unit.objects.filter(jurisdiction_id=user.jurisdiction_id).order_by(
            "kind", "name"
        )
        self.fields["employer"].empty_label = "（库外单位，见下一项）"
        self.fields["specialties"].queryset = Specialty.objects.all()
        accounts = User.objects.filter(
            jurisdiction_id=user.jurisdiction_id, role__in=[Role.TEAM_LEADER, Role.TEAM_MEMBER], is_active=True
        ).filter(cadre__isnull=True)
        if self.instance.user_id:
            accounts = accounts | User.objects.filter(pk=self.instance.user_id)
        self.fields["user"].queryset = accounts.order_by("username")
        self.fields["user"].empty_label = "（不关联）"
        _style(self)


class RecusalFactorForm(forms.ModelForm):
    class Meta:
        model = RecusalFactor
        fields = ["unit", "kind", "description", "declared_at"]
        widgets = {"declared_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(jurisdiction_id=cadre.jurisdiction_id).order_by(
            "kind", "name"
        )
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）")
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 10MB")
        return upload
