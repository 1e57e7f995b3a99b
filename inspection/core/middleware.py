from django.conf import settings

# No inline scripts anywhere: every script is a static file of the project. Inline style attributes
# are allowed because ECharts and Bootstrap set them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY))
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class NoStoreMiddleware:
    """剩余信息保护 (issue 15 item 6): nothing a signed-in user is shown stays in a browser's or a proxy's cache
    for the next person at the machine. Every response to an authenticated request (pages, API, downloads) is
    `Cache-Control: no-store, private`, set here once rather than page by page, so a new page cannot forget it.
    Static files (served by WhiteNoise before this runs, or under STATIC_URL) keep their long cache. The user is
    read after the view: DRF sets a token-authenticated user on the request it wraps."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store, private"
        return response
