"""Demo data of the security policy: the default policy, and one user whose password is about to expire (the
notice "您的密码将于 6 天后过期" on every page of 吴丽娟, `zuyuan`)."""

from datetime import timedelta

from django.utils import timezone

from . import security
from .models import User

ABOUT_TO_EXPIRE = "zuyuan"
DAYS_LEFT = 6


def seed(context: dict) -> dict:
    security.policy_update(actor=None, values=security.policy_defaults())
    policy = security.policy_get()
    # Time travel for the demo only: no business verb backdates a password, so the one field is set directly.
    User.objects.filter(username=ABOUT_TO_EXPIRE).update(
        password_changed_at=timezone.now() - timedelta(days=policy.expiry_days - DAYS_LEFT, hours=1)
    )
    return context
