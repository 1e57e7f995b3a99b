from base64 import b32encode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import services, twofactor
from .forms import LoginForm, OTPTokenForm


def safe_next_url(request, default="home"):
    """The `next` target when it stays on this site; anything else (another host, a scheme, `//evil`) goes home.
    Every redirect to a user-given target goes through here (Django's LoginView does the same check itself)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


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
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
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
    return render(request, "accounts/recovery_codes.html", {"codes": codes})
