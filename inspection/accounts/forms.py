from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
