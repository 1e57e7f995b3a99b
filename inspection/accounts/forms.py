from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator


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
