"""API tokens: issuing, listing, revoking, and the check every token request passes (issue 15 items 4 and 7).

A token is a second way in beside the session, so it is held to the same second factor: it is issued only in a
session that passed the second factor, it remembers the device that passed it, and a request with it is refused
once that device is gone or unconfirmed (the second factor was reset), the token expired or was revoked, or the
account is disabled. Only the SHA-256 of the secret is kept: the secret has 256 random bits, so a slow hash
would add nothing, and a lookup by digest stays one indexed query.
"""

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.middleware import is_verified
from django_otp.models import Device

from inspection.core import access
from inspection.core.exceptions import DomainError

from .models import ApiToken, User

PREFIX = "xc_"
# Writing last_used_at on every call would turn every API read into a write; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenRefused(Exception):
    """A token request refused; the message is the Chinese `detail` of the 401."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def verified_device(user) -> Device | None:
    """The confirmed device this user passed the second factor with in the current session (django-otp sets
    `otp_device` on request.user), or None."""
    device = getattr(user, "otp_device", None)
    if device is None or not device.confirmed or device.user_id != user.pk:
        return None
    return device


@transaction.atomic
def api_token_issue(*, user: User, name: str, days: int | None = None) -> IssuedToken:
    """Issue a token to `user`, who must have passed the second factor in this session (every role: a token
    outlives the session, so it is never weaker than the strongest login)."""
    device = verified_device(user)
    if device is None:
        raise DomainError("签发 API 令牌前需先在本次登录中完成二次验证（动态口令）")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写令牌名称（用途）", field="name")
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(f"有效期须在 1 至 {settings.API_TOKEN_MAX_DAYS} 天之间", field="days")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=digest(secret),
        prefix=secret[: len(PREFIX) + 5],
        device_id=device.persistent_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    _audit(actor=user, token=token, detail=f"签发 API 令牌“{token}”，有效期至{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}")
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token_id: int, user: User) -> ApiToken:
    """Revoke one of the user's own tokens. Another user's token is 'not found' (ids do not leak)."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise DomainError("没有找到该令牌")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(actor=user, token=token, detail=f"持有人撤销 API 令牌“{token}”")
    return token


@transaction.atomic
def api_token_revoke_by_security_admin(*, token_id: int, actor: User, reason: str) -> ApiToken:
    """The security administrator revokes anyone's token (a person left, a device was lost), with the reason the
    audit and the owner's notice carry."""
    from .services import notification_create

    token = access.get_visible_or_404(actor, ApiToken.objects.select_for_update().select_related("user"), pk=token_id)
    access.require(actor, "revoke", token)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写撤销理由", field="reason")
    if token.revoked_at is not None:
        raise DomainError(f"令牌“{token}”已于{timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}撤销")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit(actor=actor, token=token, detail=f"安全管理员撤销 {token.user.username} 的 API 令牌“{token}”：{reason}")
    notification_create(user=token.user, title=f"您的 API 令牌“{token.name}”已被安全管理员撤销",
                        body=f"撤销理由：{reason}。使用该令牌的调用将被拒绝；如仍需调用接口，请重新签发。",
                        url=reverse("accounts:api_tokens"))
    return token


def _audit(*, actor: User, token: ApiToken, detail: str) -> None:
    """Every issuance and revocation is a security event (等保三级 安全审计: credentials), written in the service's
    transaction."""
    from inspection.audit.models import AuditEvent
    from inspection.audit.services import record

    record(kind=AuditEvent.Kind.ACCOUNT, user=actor, obj=token.user, detail=detail)


def api_tokens_of(user: User):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_state(token: ApiToken, now=None) -> str:
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "已撤销"
    if token.expires_at <= now:
        return "已过期"
    return "有效"


def authenticate(secret: str) -> tuple[User, ApiToken]:
    """The owner of a token that may be used now, or TokenRefused with the Chinese reason."""
    token = ApiToken.objects.select_related("user").filter(key_hash=digest(secret)).first()
    if token is None:
        raise TokenRefused("认证令牌无效。")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("API 令牌已被撤销，请在“API 令牌”页面重新签发。")
    if token.expires_at <= now:
        local = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        raise TokenRefused(f"API 令牌已于 {local} 过期，请在“API 令牌”页面重新签发。")
    user = token.user
    if not user.is_active:
        raise TokenRefused("账号已停用。")
    device = Device.from_persistent_id(token.device_id)
    if device is None or not device.confirmed or device.user_id != user.pk:
        # The second factor the token was issued under was reset: the token no longer has one behind it.
        raise TokenRefused("该令牌签发时使用的二次验证设备已失效，请重新绑定身份验证器并重新签发令牌。")
    # The request is as verified as a session that passed this device (django-otp's is_verified()).
    user.otp_device = device
    user.is_verified = functools.partial(is_verified, user)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user, token
