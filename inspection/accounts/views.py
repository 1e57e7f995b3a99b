from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from inspection.core import access
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows
from inspection.core.redirects import checked_next_url, safe_next_url
from inspection.core.views import ScopedListView, filtered, form_error
from inspection.units.models import Cadre, Unit

from . import security, selectors, services, tokens, twofactor
from .filters import UserFilter
from .forms import (
    ApiTokenForm,
    ApiTokenRevokeForm,
    GrantDecisionForm,
    GrantRequestForm,
    LoginForm,
    OTPTokenForm,
    PasswordChangeForm,
    SecurityPolicyForm,
    UserCreateForm,
    UserEditForm,
)
from .models import ApiToken, Notification, RoleGrant, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # Django checks `next` itself; routed through the project's one check so every redirect is the same rule.
        return checked_next_url(self.request) or ""

    def get_context_data(self, **kwargs):
        # Why the last session ended (idle, absolute lifetime): left by IdleSessionMiddleware, shown once.
        return super().get_context_data(
            session_ended_notice=self.request.session.pop(security.ENDED_NOTICE_KEY, ""), **kwargs
        )


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
@require_POST
def notification_mark_one_read(request, pk):
    """Mark one of the user's own notices read; "打开" also follows its link."""
    try:
        notice = services.notification_mark_one_read(user=request.user, pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    # Notice links are paths the services reversed; anything else is not followed.
    if request.POST.get("open") and notice.url.startswith("/") and not notice.url.startswith(("//", "/\\")):
        return redirect(notice.url)
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


# --- Account management (系统管理员) and role grants (安全管理员) -------------------------------------------
# Thin: fetch through access, call one service, show its Chinese refusal. Temporary passwords are rendered
# once, on the answer to the POST that made them, never stored or shown again.


class UserListView(ScopedListView):
    model = User
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"

    def get_queryset(self):
        queryset = selectors.user_list_visible_to(self.request.user)
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        return filtered(self.filterset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = access.can(self.request.user, "add", User)
        return context


def _user_or_404(request, pk) -> User:
    return access.get_visible_or_404(request.user, User.objects.select_related("cadre"), pk=pk)


def _profile_initial(user: User) -> dict:
    initial = {field: getattr(user, field) for field in services.PROFILE_FIELDS}
    initial["cadre"] = getattr(user, "cadre", None)
    return initial


@login_required
def user_create(request):
    access.require(request.user, "add", User)
    # ?role=unit_liaison&unit=<id>: the feedback page's "create the liaison" link fills these in.
    initial = {key: request.GET[key] for key in ("role", "unit", "jurisdiction") if request.GET.get(key)}
    form = UserCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return render(request, "accounts/temporary_password.html", {
                "account": user, "password": password, "created": True,
                "pending": selectors.pending_grant(user),
            })
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账号",
                                                       "back": reverse("accounts:user_list")})


@login_required
def user_detail(request, pk):
    account = _user_or_404(request, pk)
    return render(request, "accounts/user_detail.html", {
        "account": account,
        "pending": selectors.pending_grant(account),
        "grants": account.role_grants.select_related("requested_by", "decided_by")[:20],
        "has_device": twofactor.has_confirmed_device(account),
        "can_manage": access.can(request.user, "manage", account),
        "can_request": access.can(request.user, "add", RoleGrant),
    })


@login_required
def user_edit(request, pk):
    account = _user_or_404(request, pk)
    access.require(request.user, "change", account)
    form = UserEditForm(request.POST or None, initial=_profile_initial(account))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=account, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "账号信息已保存")
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {
        "form": form, "title": f"编辑账号：{account.username}",
        "back": reverse("accounts:user_detail", args=[account.pk]),
    })


def _account_action(request, pk, act, done):
    account = _user_or_404(request, pk)
    access.require(request.user, "manage", account)
    try:
        result = act(account)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_POST
def user_set_active(request, pk):
    active = request.POST.get("active") == "1"
    return _account_action(
        request, pk, lambda account: services.user_set_active(actor=request.user, user=account, active=active),
        "账号已启用" if active else "账号已停用，不能再登录",
    )


@login_required
@require_POST
def user_unlock(request, pk):
    return _account_action(
        request, pk, lambda account: services.user_unlock(actor=request.user, user=account),
        lambda cleared: f"已解除锁定（清除登录失败记录 {cleared} 条）",
    )


@login_required
@require_POST
def user_reset_two_factor(request, pk):
    return _account_action(
        request, pk, lambda account: services.user_reset_two_factor(actor=request.user, user=account),
        "已重置二次验证：该用户下次登录时须重新绑定身份验证器",
    )


@login_required
@require_POST
def user_reset_password(request, pk):
    account = _user_or_404(request, pk)
    access.require(request.user, "manage", account)
    password = services.user_reset_password(actor=request.user, user=account)
    return render(request, "accounts/temporary_password.html", {"account": account, "password": password})


@login_required
def grant_request(request, pk):
    account = _user_or_404(request, pk)
    access.require(request.user, "add", RoleGrant)
    form = GrantRequestForm(request.POST or None, initial={"role": account.role})
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_request(actor=request.user, user=account, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"已提交{grant}（{grant.role_text}），经安全管理员审批后生效")
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {
        "form": form, "title": f"申请授权：{account.username}（现角色：{account.role_label or '无'}）",
        "back": reverse("accounts:user_detail", args=[account.pk]), "submit": "提交审批",
    })


@login_required
def grant_list(request):
    """授权审批: the pending grants (the security administrator decides them here) and the decided ones."""
    access.require(request.user, "view", RoleGrant)
    pending = list(selectors.grant_list_visible_to(request.user, status=RoleGrant.Status.PENDING))
    decided = Paginator(
        selectors.grant_list_visible_to(request.user).exclude(status=RoleGrant.Status.PENDING), 30
    ).get_page(request.GET.get("page"))
    return render(request, "accounts/grant_list.html", {
        "pending": pending, "page_obj": decided, "decided": decided, "paginator": decided.paginator,
        "is_paginated": decided.has_other_pages(),
        "can_approve": access.can(request.user, "approve", RoleGrant), "form": GrantDecisionForm(),
    })


@login_required
@require_POST
def grant_decide(request, pk, verb):
    grant = access.get_visible_or_404(request.user, RoleGrant.objects.select_related("user"), pk=pk)
    access.require(request.user, "approve", grant)
    form = GrantDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decide = services.grant_approve if verb == "approve" else services.grant_reject
    try:
        grant = decide(grant=grant, actor=request.user, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        verb_text = "已批准" if verb == "approve" else "已驳回"
        messages.success(request, f"{grant}{verb_text}：{grant.user.username}（{grant.role_text}）")
    return redirect("accounts:grant_list")


def _autocomplete(request, queryset, field):
    if not access.can(request.user, "add", User):
        return JsonResponse({"results": []}, status=403)
    text = (request.GET.get("q") or "").strip()[:60]
    if not text:
        return JsonResponse({"results": []})
    rows = queryset.filter(**{f"{field}__contains": text}).select_related("jurisdiction").order_by(field, "id")[:20]
    results = [{"id": row.pk, "label": f"{getattr(row, field)}（{row.jurisdiction.name}）"} for row in rows]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


@login_required
def unit_autocomplete(request):
    """Units by name for the liaison's account: organisation data the system administrator manages, not a
    business record (the unit policy, which scopes business roles, grants administrators nothing)."""
    return _autocomplete(request, Unit.objects.filter(is_active=True), "name")


@login_required
def cadre_autocomplete(request):
    return _autocomplete(request, Cadre.objects.filter(is_active=True, user__isnull=True), "name")




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


@login_required
def api_token_oversight(request):
    """令牌管理: every API token of the installation with its holder and state, for the security administrator,
    who revokes any of them with a reason."""
    access.require(request.user, "view", ApiToken)
    page = Paginator(access.visible(request.user, ApiToken.objects.select_related("user")), 50).get_page(
        request.GET.get("page"))
    rows = [(token, tokens.token_state(token)) for token in page]
    return render(request, "accounts/api_token_oversight.html", {
        "rows": rows, "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
        "form": ApiTokenRevokeForm(),
    })


@login_required
@require_POST
def api_token_oversight_revoke(request, token_id: int):
    form = ApiTokenRevokeForm(request.POST)
    try:
        token = tokens.api_token_revoke_by_security_admin(
            token_id=token_id, actor=request.user, reason=form.data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销 {token.user.display_name or token.user.username} 的令牌“{token.name}”，并通知持有人。")
    return redirect("accounts:api_token_oversight")



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
