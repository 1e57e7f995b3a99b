from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts

from .models import SecurityPolicy
from .security import bound_message, policy_bounds


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败多次后账号将被暂时锁定。",
        "inactive": "该账号已停用。",
    }

    username = forms.CharField(label="用户名", widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(attrs={"class": "form-control"}))


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label="动态口令或恢复码",
        max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "请输入动态口令"},
    )


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
