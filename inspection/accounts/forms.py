from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.validators import MaxValueValidator
from django.urls import reverse_lazy

from inspection.core.widgets import AutocompleteWidget
from inspection.units.models import Cadre, Unit

from .backends import SUPERUSER_REFUSED, superuser_refused
from .models import Jurisdiction, ReceivingBody, Role, SecurityPolicy, User
from .security import bound_message, policy_bounds


class RefuseSuperuserMixin:
    """Under the production settings a superuser's correct password is refused (the Django admin's login too)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if superuser_refused(user):
            raise forms.ValidationError(SUPERUSER_REFUSED, code="superuser")


class LoginForm(RefuseSuperuserMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败多次后账号将被暂时锁定。",
        "inactive": "该账号已停用。",
    }

    username = forms.CharField(label="用户名", widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(attrs={"class": "form-control"}))


class AdminLoginForm(RefuseSuperuserMixin, AdminAuthenticationForm):
    pass


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label="动态口令或恢复码",
        max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "请输入动态口令"},
    )


# --- Account management (系统管理员) ---------------------------------------------------------------------

_INPUT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


def _role_choices():
    return [("", "（暂不授予角色）")] + [(value, label) for value, label in Role.choices]


class _ProfileFields(forms.Form):
    """The profile an administrator edits; the unit and the cadre are typed (a province has 100,000 units)."""

    display_name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs=_INPUT),
                                   error_messages={"required": "请填写姓名"})
    phone = forms.CharField(label="电话", max_length=30, required=False, widget=forms.TextInput(attrs=_INPUT),
                            help_text="管理员账号必填：以姓名和电话确认同一人不兼任两个管理员角色")
    email = forms.EmailField(label="电子邮箱", required=False, widget=forms.EmailInput(attrs=_INPUT),
                             error_messages={"invalid": "请输入有效的电子邮箱地址"})
    jurisdiction = forms.ModelChoiceField(
        label="所属管辖范围", queryset=Jurisdiction.objects.all(), required=False,
        widget=forms.Select(attrs=_SELECT), empty_label="（无，管理员账号可不选）",
        error_messages={"invalid_choice": "请选择有效的管辖范围"},
    )
    unit = forms.ModelChoiceField(
        label="所在被巡察单位（联络员）", queryset=Unit.objects.filter(is_active=True), required=False,
        widget=AutocompleteWidget(reverse_lazy("accounts:unit_autocomplete"), placeholder="输入单位名称"),
        error_messages={"invalid_choice": "请选择有效的被巡察单位"},
    )
    receiving_body = forms.ModelChoiceField(
        label="所属接收单位（纪委监委/组织部）", required=False, widget=forms.Select(attrs=_SELECT),
        queryset=ReceivingBody.objects.filter(is_active=True).select_related("jurisdiction"),
        error_messages={"invalid_choice": "请选择有效的接收单位"},
    )
    cadre = forms.ModelChoiceField(
        label="关联巡察干部（组长、组员）", queryset=Cadre.objects.filter(is_active=True), required=False,
        widget=AutocompleteWidget(reverse_lazy("accounts:cadre_autocomplete"), placeholder="输入干部姓名"),
        help_text="组长、组员经干部库进入巡察组；编组在轮次的巡察组页面办理",
        error_messages={"invalid_choice": "请选择有效的巡察干部"},
    )


class UserCreateForm(_ProfileFields):
    username = forms.RegexField(
        label="用户名", max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$", widget=forms.TextInput(attrs=_INPUT),
        error_messages={"required": "请填写用户名", "invalid": "用户名只能包含字母、数字和 @ . + - _"},
    )
    role = forms.ChoiceField(label="申请角色", choices=_role_choices, required=False,
                             widget=forms.Select(attrs=_SELECT), help_text="角色经安全管理员审批后生效")
    reason = forms.CharField(label="申请理由", required=False, widget=forms.Textarea(attrs={**_INPUT, "rows": 2}))
    field_order = ["username", "display_name", "phone", "email", "role", "jurisdiction", "unit", "receiving_body",
                   "cadre", "reason"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"用户名“{username}”已被使用")
        return username

    def clean(self):
        data = super().clean()
        if data.get("role") and not (data.get("reason") or "").strip():
            self.add_error("reason", "申请角色须填写申请理由")
        return data


class UserEditForm(_ProfileFields):
    pass


class GrantRequestForm(forms.Form):
    role = forms.ChoiceField(label="申请角色", choices=lambda: [("", "撤销角色（无角色）"), *Role.choices],
                             required=False, widget=forms.Select(attrs=_SELECT))
    reason = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={**_INPUT, "rows": 2}),
                             error_messages={"required": "请填写申请理由"})


class GrantDecisionForm(forms.Form):
    note = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={**_INPUT, "rows": 2}),
                           help_text="驳回时必填")


class ApiTokenRevokeForm(forms.Form):
    reason = forms.CharField(label="撤销理由", max_length=200, widget=forms.TextInput(attrs={**_INPUT, "placeholder": "如：人员调离、设备遗失"}),
                             error_messages={"required": "请填写撤销理由"})


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="名称（用途）",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：纪委监委案件管理系统对接"}),
        error_messages={"required": "请填写令牌名称（用途）"},
    )
    days = forms.IntegerField(
        label="有效期（天）",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={"required": "请填写有效期", "invalid": "有效期应为整数天", "min_value": "有效期至少 1 天"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.initial = settings.API_TOKEN_DEFAULT_DAYS
        days.max_value = settings.API_TOKEN_MAX_DAYS
        days.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS, f"有效期最长 {settings.API_TOKEN_MAX_DAYS} 天"))
        days.help_text = f"默认 {settings.API_TOKEN_DEFAULT_DAYS} 天，最长 {settings.API_TOKEN_MAX_DAYS} 天；到期后令牌失效，需重新签发。"
class PasswordChangeForm(forms.Form):
    """The user's own change. The policy's rules are checked by the service (`security.password_change`), which
    the view turns into errors on the new password."""

    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "请输入当前密码"},
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
        error_messages={"required": "请输入新密码"},
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = "；".join(password_validators_help_texts())

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确")
        return value

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return cleaned


class SecurityPolicyForm(forms.Form):
    """The security administrator's form; its bounds are `security.policy_bounds()` (the same the service
    enforces), its refusals the service's messages."""

    FIELDS = (
        "min_length",
        "min_char_classes",
        "history_count",
        "expiry_days",
        "expiry_warning_days",
        "dormant_days",
        "idle_minutes",
        "absolute_hours",
        "max_sessions",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FIELDS:
            model_field = SecurityPolicy._meta.get_field(name)
            lowest, highest = policy_bounds()[name]
            self.fields[name] = forms.IntegerField(
                label=model_field.verbose_name,
                help_text=f"{model_field.help_text}（{lowest}–{highest}）" if model_field.help_text else f"{lowest}–{highest}",
                widget=forms.NumberInput(attrs={"class": "form-control"}),
                error_messages={"required": f"请填写{model_field.verbose_name}", "invalid": "请输入整数"},
            )

    def clean(self):
        cleaned = super().clean()
        for name in self.FIELDS:
            value = cleaned.get(name)
            if value is not None:
                message = bound_message(name, value)
                if message:
                    self.add_error(name, message)
        return cleaned
