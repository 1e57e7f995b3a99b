"""OpenAPI extensions for our own API classes (imported in CoreConfig.ready so drf-spectacular finds them)."""

from drf_spectacular.authentication import SessionScheme, TokenScheme


class ChineseCsrfSessionScheme(SessionScheme):
    """Our session authentication is DRF's with Chinese CSRF messages: documented as the same cookie scheme."""

    target_class = "inspection.core.authentication.SessionAuthentication"


class ApiTokenScheme(TokenScheme):
    """Our token authentication (accounts.tokens): the same `Authorization: Token <令牌>` header as DRF's."""

    target_class = "inspection.accounts.authentication.ApiTokenAuthentication"
