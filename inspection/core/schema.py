"""OpenAPI extensions for our own API classes (imported in CoreConfig.ready so drf-spectacular finds them)."""

from drf_spectacular.authentication import SessionScheme


class ChineseCsrfSessionScheme(SessionScheme):
    """Our session authentication is DRF's with Chinese CSRF messages: documented as the same cookie scheme."""

    target_class = "inspection.core.authentication.SessionAuthentication"
