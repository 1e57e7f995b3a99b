import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import security, twofactor

ALLOWED_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/static/")
# The forced change lets through what the second factor does, and the change page itself.
PASSWORD_CHANGE_PREFIXES = (*ALLOWED_PREFIXES, "/accounts/password/")


class TwoFactorRequiredMiddleware:
    """Users of the roles that see secret records must pass a second factor before anything else. This sees the
    session's user only: a request with an API token is authenticated later, by DRF, and its second factor is
    checked there (`accounts.tokens.authenticate`: the token's issuing device must still be confirmed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and twofactor.requires_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "需要先完成二次验证（动态口令）"}, status=403)
            target = reverse("accounts:2fa_verify" if twofactor.has_confirmed_device(user) else "accounts:2fa_setup")
            if request.method == "GET" and request.get_full_path() != "/":
                # Back to the page asked for once the second factor is passed (checked again there: safe_next_url).
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password expired, or who holds a temporary one (first login, reset), changes it before any
    other page; the API answers 403 with the reason. Runs after the second factor (login → 2FA → change)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(PASSWORD_CHANGE_PREFIXES):
            reason = security.password_change_reason(user, security.policy_for(request))
            if reason:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": reason}, status=403)
                return redirect(reverse("accounts:password_change"))
        return self.get_response(request)


LAST_SEEN_KEY = security.LAST_SEEN_KEY


def _now() -> int:
    return int(time.time())


def register_session_at_login(sender, request, user, **kwargs):
    """Login saves the session anyway: stamping it then spares the first page after login a second write."""
    session = getattr(request, "session", None)
    if session is not None:
        security.session_register(user=user, session=session, now_ts=_now())


def mark_session_ended_at_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        security.session_mark_ended(session_key=session.session_key, reason="logout")


class IdleSessionMiddleware:
    """Ends a signed-in session idle longer than the policy's timeout or older than its absolute lifetime, before
    the request is authenticated (the request then proceeds as anonymous: login page, API 401/403).

    Pushes a live session's expiry forward (SESSION_COOKIE_AGE from now) at most once every
    SESSION_REFRESH_SECONDS. Saving the session on every request would write and commit a row on every GET; a
    minute's granularity on a 30-minute idle limit costs nothing a user can notice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            policy = security.policy_for(request)
            reason = security.session_end_reason(session, policy, now_ts=_now())
            if reason:
                security.session_end(session, reason=reason, policy=policy)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # No key: no session yet, or one flushed by logout; neither is to be kept alive.
        if session is None or session.session_key is None or user is None or not user.is_authenticated:
            return response
        now = _now()
        last_seen = session.get(LAST_SEEN_KEY)
        if not isinstance(last_seen, int) or now - last_seen >= settings.SESSION_REFRESH_SECONDS:
            session[LAST_SEEN_KEY] = now  # marks the session modified: SessionMiddleware saves it with a new expiry
        if security.LOGIN_AT_KEY not in session:
            # A session signed in before the absolute lifetime existed: its clock starts now.
            session[security.LOGIN_AT_KEY] = now
        return response
