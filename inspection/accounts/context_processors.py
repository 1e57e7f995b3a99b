from . import security


def password_expiry(request):
    """"您的密码将于 N 天后过期" on every page within the policy's warning period (no query: the user and the
    cached policy are at hand)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"password_days_left": security.password_days_left(user, security.policy_for(request))}
