from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from inspection.core.exceptions import DomainError
from inspection.core.redirects import checked_next_url, safe_next_url

from . import services, tokens, twofactor
from .forms import ApiTokenForm, LoginForm, OTPTokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # Django checks `next` itself; routed through the project's one check so every redirect is the same rule.
        return checked_next_url(self.request) or ""


class LogoutView(auth_views.LogoutView):
    """Django's logout flushes the session server-side (the row is deleted, the cookie emptied). API tokens
    are separate credentials a program holds, and stay until they expire or their owner revokes them."""

    def get_redirect_url(self):
        return checked_next_url(self.request) or ""


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page_obj": page})


@login_required
@require_POST
def notification_mark_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("accounts:notifications")


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code, confirm with a code, receive recovery codes once."""
    if twofactor.has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("accounts:2fa_verify")
    device = twofactor.totp_device_pending(request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_device_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error("token", "动态口令不正确，请核对手机时间后重试")
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": safe_next_url(request)})
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_code": twofactor.qr_code_data_uri(device), "secret": b32encode(device.bin_key).decode()},
    )


@login_required
def two_factor_verify(request):
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", "动态口令或恢复码不正确")
        else:
            otp_login(request, device)
            return redirect(safe_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
@require_POST
def recovery_codes_regenerate(request):
    if not request.user.is_verified():
        return redirect("accounts:2fa_verify")
    codes = twofactor.recovery_codes_regenerate(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": safe_next_url(request)})


@login_required
def api_token_list(request):
    """The user's API tokens (等保三级: listed and revocable by their owner) and the form that issues one, offered
    only once this session has passed the second factor."""
    verified = tokens.verified_device(request.user) is not None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and verified and form.is_valid():
        try:
            issued = tokens.api_token_issue(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return render(request, "accounts/api_token_issued.html", {"issued": issued})
    rows = [(token, tokens.token_state(token)) for token in tokens.api_tokens_of(request.user)]
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "rows": rows, "verified": verified, "has_device": twofactor.has_confirmed_device(request.user)},
    )


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    try:
        token = tokens.api_token_revoke(token_id=token_id, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销令牌“{token.name}”，使用它的调用将被拒绝。")
    return redirect("accounts:api_tokens")
