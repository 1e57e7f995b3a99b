"""Two-factor login rules: who needs it, setting up a TOTP device, recovery codes, verifying a code."""

import secrets
from base64 import b64encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.audit.models import AuditEvent
from inspection.audit.services import record

TWO_FACTOR = AuditEvent.Kind.TWO_FACTOR
FAILURE = AuditEvent.Outcome.FAILURE

RECOVERY_CODE_COUNT = 10


def requires_two_factor(user) -> bool:
    return bool(
        settings.OTP_ENFORCED and user.is_authenticated and (user.role in settings.OTP_REQUIRED_ROLES or user.is_superuser)
    )


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def totp_device_pending(user) -> TOTPDevice:
    """The unconfirmed device a user is setting up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


def qr_code_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode()


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if the code is right; return fresh recovery codes (shown once)."""
    if not device.verify_token(token.strip()):
        record(kind=TWO_FACTOR, user=user, obj=user, outcome=FAILURE, detail="绑定身份验证器：动态口令不正确")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(kind=TWO_FACTOR, user=user, obj=user, detail="绑定身份验证器")
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "恢复码", "confirmed": True})
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    record(kind=TWO_FACTOR, user=user, obj=user, detail="生成恢复码")
    return codes


def verify(user, token: str):
    """The device that accepts this code (a TOTP code or an unused recovery code), or None. Audited either way."""
    device = match_token(user, token.strip().replace(" ", ""))
    if device is None:
        record(kind=TWO_FACTOR, user=user, obj=user, outcome=FAILURE, detail="验证：动态口令或恢复码不正确")
    else:
        how = "恢复码" if isinstance(device, StaticDevice) else "动态口令"
        record(kind=TWO_FACTOR, user=user, obj=user, detail=f"验证通过（{how}）")
    return device


@transaction.atomic
def devices_remove(*, user) -> None:
    """Reset the second factor: the authenticator and the recovery codes go (a lost phone's key must never work
    again), so the user sets up a new authenticator at next login."""
    StaticToken.objects.filter(device__user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
