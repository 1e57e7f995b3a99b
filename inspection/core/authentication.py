"""API authentication classes. Kept apart from `api.py`: DRF imports these while `rest_framework.views` is
still loading, so this module must not import it."""

from rest_framework import authentication, exceptions

from .errors import csrf_reason_label


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, with a refused CSRF check explained in Chinese (DRF says "CSRF Failed:
    CSRF token missing." in English whatever the language)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            reason = str(exc.detail).removeprefix("CSRF Failed: ")
            raise exceptions.PermissionDenied(
                f"安全校验（CSRF）未通过：{csrf_reason_label(reason)}请刷新页面后重试；程序调用接口请使用令牌（Token）认证。"
            ) from exc
