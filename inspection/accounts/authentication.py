"""The API's token authentication: `Authorization: Token <secret>` checked by `accounts.tokens.authenticate`.
Models are imported when a request arrives: DRF loads this class while `rest_framework.views` is still loading."""

from rest_framework import authentication, exceptions


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("认证令牌格式不正确：应为“Token 令牌”。")
        try:
            secret = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("认证令牌无效。") from exc
        from . import security, tokens

        try:
            user, token = tokens.authenticate(secret)
        except tokens.TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        # The rule of PasswordChangeRequiredMiddleware, which runs before DRF knows the token's user: a reset or
        # expired password stops the owner's programs too, with the same reason, until the owner changes it.
        reason = security.password_change_reason(user, security.policy_get())
        if reason:
            raise exceptions.PermissionDenied(reason)
        return user, token

    def authenticate_header(self, request):
        # Present, so DRF answers a refused token with 401 (and WWW-Authenticate), not 403.
        return self.keyword
