"""The security policy (安全策略, GB/T 22239-2019 §8.1.4.1 身份鉴别; issue 15 item 4): every rule of passwords,
their expiry, dormant accounts and sessions, read and written here only. The password validators
(`validators.py`), the middlewares, the pages, the Celery task and the demo call these functions.

The policy is one row, read on every signed-in request (idle and absolute session limits, forced change), so it
is kept in the cache: a write deletes the cached copy at once and again after commit, so the next request of any
process reads the new row."""

import secrets
import string
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inspection.core.exceptions import DomainError

from .models import PasswordHistory, Role, SecurityPolicy, User, UserSession

POLICY_CACHE_KEY = "accounts.security_policy.v1"
POLICY_CACHE_SECONDS = 600

# The session keys this module keeps: when the user signed in, and when the session was last seen active
# (refreshed at most once every SESSION_REFRESH_SECONDS by IdleSessionMiddleware).
LOGIN_AT_KEY = "_logged_in_at"
LAST_SEEN_KEY = "_last_seen"
ENDED_NOTICE_KEY = "_session_ended_notice"

# Rows of password history kept per user: the largest `history_count` a policy may ask for.
HISTORY_KEEP = 24


def policy_bounds() -> dict[str, tuple[int, int]]:
    """field → (lowest, highest) a security administrator may set. The lower bounds of the password rules are the
    等保三级 floor; the idle timeout cannot pass SESSION_COOKIE_AGE, the lifetime of a session in the store."""
    return {
        "min_length": (8, 64),
        "min_char_classes": (3, 4),
        "history_count": (5, HISTORY_KEEP),
        "expiry_days": (1, 365),
        "expiry_warning_days": (1, 30),
        "dormant_days": (30, 365),
        "idle_minutes": (5, settings.SESSION_COOKIE_AGE // 60),
        "absolute_hours": (1, 24),
        "max_sessions": (1, 5),
    }


def bound_message(field: str, value: int) -> str | None:
    """The Chinese refusal of `value` for `field`, or None when it is within bounds."""
    lowest, highest = policy_bounds()[field]
    label = SecurityPolicy._meta.get_field(field).verbose_name
    if value < lowest:
        return f"{label}不能小于 {lowest}"
    if value > highest:
        return f"{label}不能大于 {highest}"
    return None


def can_manage_policy(user) -> bool:
    """Only the security administrator (安全管理员, 三员分立) views and sets the policy."""
    return bool(user and user.is_authenticated and user.role == Role.SECURITY_ADMIN)


# --- The policy row -------------------------------------------------------------------------------------------


def policy_get() -> SecurityPolicy:
    policy = cache.get(POLICY_CACHE_KEY)
    if policy is None:
        # The migration creates the row; a flushed test database may have lost it.
        policy, _ = SecurityPolicy.objects.get_or_create(pk=SecurityPolicy.SINGLETON_ID)
        cache.set(POLICY_CACHE_KEY, policy, POLICY_CACHE_SECONDS)
    return policy


def policy_for(request) -> SecurityPolicy:
    """The policy once per request, however many middlewares and templates ask."""
    policy = getattr(request, "_security_policy", None)
    if policy is None:
        policy = request._security_policy = policy_get()
    return policy


def _forget_cached_policy():
    cache.delete(POLICY_CACHE_KEY)


@transaction.atomic
def policy_update(*, actor: User | None, values: dict[str, int]) -> SecurityPolicy:
    """Set the policy. `actor` None is the system itself (the demo seed, an install command)."""
    if actor is not None and not can_manage_policy(actor):
        raise DomainError("只有安全管理员可以修改安全策略")
    for field, value in values.items():
        if field not in policy_bounds():
            raise DomainError(f"未知的安全策略项：{field}")
        message = bound_message(field, value)
        if message:
            raise DomainError(message, field=field)
    SecurityPolicy.objects.get_or_create(pk=SecurityPolicy.SINGLETON_ID)
    policy = SecurityPolicy.objects.select_for_update().get(pk=SecurityPolicy.SINGLETON_ID)
    changes = {
        field: (getattr(policy, field), value) for field, value in values.items() if getattr(policy, field) != value
    }
    if not changes:
        return policy
    for field, (_, value) in changes.items():
        setattr(policy, field, value)
    policy.updated_by = actor
    policy._change_reason = "；".join(
        f"{SecurityPolicy._meta.get_field(field).verbose_name}：{old} → {new}" for field, (old, new) in changes.items()
    )
    policy.save()
    _audit_policy_change(actor=actor, policy=policy, changes=changes)
    _forget_cached_policy()
    transaction.on_commit(_forget_cached_policy)
    return policy


def policy_defaults() -> dict[str, int]:
    return {field: SecurityPolicy._meta.get_field(field).default for field in policy_bounds()}


# The audit rows of this module (安全审计: every policy change; accounts disabled for dormancy), written in the
# caller's transaction: if the row cannot be written, the change fails.
def _audit_policy_change(*, actor, policy, changes):
    from inspection.audit.models import AuditEvent
    from inspection.audit.services import record

    record(kind=AuditEvent.Kind.POLICY, user=actor, obj=policy, detail=policy._change_reason)


def _audit_accounts_disabled(*, user_ids, reason):
    from inspection.audit.models import AuditEvent
    from inspection.audit.services import record

    for user in User.objects.filter(pk__in=user_ids).only("pk", "username", "display_name"):
        record(kind=AuditEvent.Kind.ACCOUNT, obj=user, detail=f"停用账号：{reason}")


# --- Passwords ------------------------------------------------------------------------------------------------

CLASS_NAMES = ("大写字母", "小写字母", "数字", "特殊字符")
CHINESE_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四"}


def char_classes(password: str) -> int:
    """How many of the four classes the password uses; anything not an ASCII letter or digit is special."""
    return sum(
        (
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c in string.digits for c in password),
            any(c not in string.ascii_letters + string.digits for c in password),
        )
    )


def length_problem(password: str, policy: SecurityPolicy) -> str | None:
    if len(password) < policy.min_length:
        return f"密码至少 {policy.min_length} 位"
    return None


def classes_problem(password: str, policy: SecurityPolicy) -> str | None:
    if char_classes(password) < policy.min_char_classes:
        return f"密码须包含{'、'.join(CLASS_NAMES)}中的至少{CHINESE_NUMBERS[policy.min_char_classes]}类"
    return None


def username_problem(password: str, user) -> str | None:
    username = getattr(user, "username", "") or ""
    if username and username.casefold() in password.casefold():
        return "密码不能包含用户名"
    return None


def history_problem(password: str, user, policy: SecurityPolicy) -> str | None:
    """The current password counts as the most recent one, also for an account older than the history table."""
    if user is None or user.pk is None:
        return None
    hashes = list(user.password_history.values_list("password", flat=True)[: policy.history_count])
    if user.password and user.password not in hashes:
        hashes = [user.password, *hashes[: policy.history_count - 1]]
    # Each check costs one Argon2 computation: at most `history_count` on a password change, which is rare.
    if any(check_password(password, encoded) for encoded in hashes):
        return f"不能与最近 {policy.history_count} 次使用过的密码相同"
    return None


def password_history_record(*, user: User) -> None:
    """After a password was saved (Django's `password_changed` hook): keep its hash and restart its age."""
    now = timezone.now()
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    User.objects.filter(pk=user.pk).update(password_changed_at=now)
    user.password_changed_at = now
    keep = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id").values("pk")[:HISTORY_KEEP]
    PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()


def password_validate(password: str, user) -> None:
    """Every configured validator (AUTH_PASSWORD_VALIDATORS: this policy's and Django's common-password list);
    the messages joined, as one DomainError on the new password."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="new_password1") from exc


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """The user's own change (the change page, the forced change): checked against the policy, clears the
    must-change mark; the validators' `password_changed` hook keeps the history and restarts the age."""
    password_validate(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


# No look-alikes (0/O, 1/l/I): a temporary password is read off the screen and typed by someone else.
_TEMPORARY_CLASSES = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=?")


def temporary_password(*, username: str = "", policy: SecurityPolicy | None = None) -> str:
    """The one generator of temporary passwords (account creation, reset, the bootstrap administrators): every
    character class present, at least 12 characters and the policy's minimum, never containing the username."""
    policy = policy or policy_get()
    length = max(12, policy.min_length)
    rng = secrets.SystemRandom()
    everything = "".join(_TEMPORARY_CLASSES)
    while True:
        chars = [rng.choice(cls) for cls in _TEMPORARY_CLASSES]
        chars += [rng.choice(everything) for _ in range(length - len(chars))]
        rng.shuffle(chars)
        candidate = "".join(chars)
        if username_problem(candidate, User(username=username)) is None:
            return candidate


@transaction.atomic
def password_set_temporary(*, user: User) -> str:
    """An account reset by an administrator gets a temporary password, shown once to that administrator, which
    the user must change at the first login. The caller (account management) checks that its actor may do
    this."""
    password = temporary_password(username=user.username)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


def password_expires_at(user: User, policy: SecurityPolicy):
    return user.password_changed_at + timedelta(days=policy.expiry_days)


def password_change_reason(user, policy: SecurityPolicy, *, now=None) -> str | None:
    """Why this user must change the password before anything else, or None."""
    if not user.is_authenticated:
        return None
    if user.must_change_password:
        return "您正在使用管理员设置的临时密码，请先修改密码"
    if (now or timezone.now()) >= password_expires_at(user, policy):
        return f"您的密码已超过 {policy.expiry_days} 天有效期，请先修改密码"
    return None


def password_days_left(user, policy: SecurityPolicy, *, now=None) -> int | None:
    """Whole days until the password expires, when that is within the warning period (else None)."""
    if not user.is_authenticated:
        return None
    left = password_expires_at(user, policy) - (now or timezone.now())
    if left <= timedelta(0) or left > timedelta(days=policy.expiry_warning_days):
        return None
    return max(1, left.days + (1 if left.seconds or left.microseconds else 0))


# --- Dormant accounts -----------------------------------------------------------------------------------------


def dormant_users(policy: SecurityPolicy, *, now=None):
    """Active accounts with no login for `dormant_days` (never logged in: counted from the day they were made)."""
    cutoff = (now or timezone.now()) - timedelta(days=policy.dormant_days)
    return User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


@transaction.atomic
def dormant_accounts_disable(*, now=None) -> list[int]:
    """Disable dormant accounts (the daily beat task), set-based whatever their number. The UPDATE repeats the
    dormancy condition: a login committed after the candidates were read spares its account (PostgreSQL re-checks
    the condition on the row it waited for), so only accounts still dormant are disabled and reported."""
    policy = policy_get()
    candidates = list(dormant_users(policy, now=now).order_by("pk").values_list("pk", flat=True))
    if not candidates:
        return []
    dormant_users(policy, now=now).filter(pk__in=candidates).update(is_active=False)
    ids = list(User.objects.filter(pk__in=candidates, is_active=False).order_by("pk").values_list("pk", flat=True))
    _audit_accounts_disabled(user_ids=ids, reason=f"连续 {policy.dormant_days} 天未登录")
    return ids


# --- Sessions -------------------------------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_register(*, user: User, session, now_ts: int) -> None:
    """On login: stamp the session, record it, and end the user's oldest sessions beyond `max_sessions`
    server-side (their store entries are deleted, so their cookies lead to the login page)."""
    session[LOGIN_AT_KEY] = now_ts
    session[LAST_SEEN_KEY] = now_ts
    if session.session_key is None:
        session.save()
    now = timezone.now()
    # A login on a session key already recorded (force_login twice, a key cycled back) starts that row afresh.
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "started_at": now, "ended_at": None, "end_reason": ""},
    )
    open_sessions = UserSession.objects.filter(user=user, ended_at__isnull=True)
    # Sessions that lapsed on their own (idle, closed browser) are still open here: close them first.
    live_keys = Session.objects.filter(expire_date__gt=now).values("session_key")
    open_sessions.exclude(session_key__in=live_keys).update(ended_at=now, end_reason=UserSession.EndReason.EXPIRED)
    keys = list(open_sessions.order_by("-started_at", "-id").values_list("session_key", flat=True))
    excess = keys[policy_get().max_sessions :]
    if excess:
        store = _session_store()
        for key in excess:
            store(session_key=key).delete()
        UserSession.objects.filter(session_key__in=excess).update(
            ended_at=now, end_reason=UserSession.EndReason.CONCURRENT
        )


def session_mark_ended(*, session_key: str | None, reason: str) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


def session_end_reason(session, policy: SecurityPolicy, *, now_ts: int) -> str | None:
    """Whether a signed-in session must end now: idle longer than the policy allows, or older than its
    absolute lifetime however active it was."""
    last_seen = session.get(LAST_SEEN_KEY)
    if isinstance(last_seen, int) and now_ts - last_seen > policy.idle_minutes * 60:
        return UserSession.EndReason.IDLE
    logged_in_at = session.get(LOGIN_AT_KEY)
    if isinstance(logged_in_at, int) and now_ts - logged_in_at > policy.absolute_hours * 3600:
        return UserSession.EndReason.ABSOLUTE
    return None


def session_end(session, *, reason: str, policy: SecurityPolicy) -> None:
    """End a session server-side and leave the login page a word of why."""
    session_mark_ended(session_key=session.session_key, reason=reason)
    session.flush()
    if reason == UserSession.EndReason.IDLE:
        session[ENDED_NOTICE_KEY] = f"超过 {policy.idle_minutes} 分钟未操作，会话已结束，请重新登录"
    else:
        session[ENDED_NOTICE_KEY] = f"登录已超过 {policy.absolute_hours} 小时，会话已结束，请重新登录"
