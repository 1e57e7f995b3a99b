from django.http import JsonResponse
from django.shortcuts import redirect

from . import twofactor

ALLOWED_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/static/")


class TwoFactorRequiredMiddleware:
    """Users of the roles that see secret records must pass a second factor before anything else."""

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
            target = "accounts:2fa_verify" if twofactor.has_confirmed_device(user) else "accounts:2fa_setup"
            return redirect(target)
        return self.get_response(request)
