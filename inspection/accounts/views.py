from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows

from . import security, services, twofactor
from .forms import LoginForm, OTPTokenForm, PasswordChangeForm, SecurityPolicyForm


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

    def get_context_data(self, **kwargs):
        # Why the last session ended (idle, absolute lifetime): left by IdleSessionMiddleware, shown once.
        return super().get_context_data(
            session_ended_notice=self.request.session.pop(security.ENDED_NOTICE_KEY, ""), **kwargs
        )


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


@login_required
def password_change(request):
    """The user's own password; also where PasswordChangeRequiredMiddleware sends an expired or temporary one."""
    reason = security.password_change_reason(request.user, security.policy_for(request))
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            for message in exc.message.split("；"):
                form.add_error("new_password1", message)
        else:
            update_session_auth_hash(request, request.user)  # this session stays; the user's others end
            messages.success(request, "密码已修改")
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason}, status=status)


@login_required
def security_policy(request):
    """The security administrator's page: the policy, its bounds, its history."""
    if not security.can_manage_policy(request.user):
        raise PermissionDenied("只有安全管理员可以查看和修改安全策略")
    policy = security.policy_get()
    initial = {name: getattr(policy, name) for name in SecurityPolicyForm.FIELDS}
    form = SecurityPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            security.policy_update(actor=request.user, values=form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, "安全策略已保存，自下一次请求起生效")
            return redirect("accounts:security_policy")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "policy": policy, "history": history_rows(policy, limit=30)}
    return render(request, "accounts/security_policy.html", context, status=status)
