"""Demo logins of the two-factor roles get an authenticator with a known key, so the demo stays usable
offline: `./dev otp <username>` prints the current code; the discipline commission's login holds a named API token.
Never used outside the demo."""

import hashlib

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import tokens, twofactor

DEMO_TOKEN_NAME = "纪委监委案件管理系统对接（演示）"


def demo_device(user) -> TOTPDevice:
    key = hashlib.sha1(f"xuncha-demo-{user.username}".encode()).hexdigest()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="演示身份验证器", defaults={"key": key, "confirmed": True})
    twofactor.recovery_codes_regenerate(user=user)
    return device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def demo_users_needing_codes(users):
    return [u for u in users if u.is_superuser or u.role in settings.OTP_REQUIRED_ROLES]


def demo_api_token(user):
    """The demo's integration token, issued the only way a token is issued: after the user's second factor
    (the demo authenticator). Its secret is thrown away, never printed: the demo shows the row on the
    'API 令牌' page; whoever wants to call the API issues their own there."""
    user.otp_device = demo_device(user)
    return tokens.api_token_issue(user=user, name=DEMO_TOKEN_NAME).token
