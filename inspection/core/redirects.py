"""The one check of a user-given redirect target (`?next=`), issue 15 item 7 (open redirect)."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def checked_next_url(request) -> str | None:
    """The `next` target (POST first, then the query string) when it stays on this site, else None."""
    target = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def safe_next_url(request, default="home") -> str:
    """The `next` target (POST first, then the query string) when it stays on this site; anything else (another
    host, a scheme, `//evil`, `/\\evil`, `javascript:`) gives `default` (a URL name or path, resolved). HTTPS is
    required of the target when the request came over HTTPS, so a login over TLS never falls back to plain HTTP.
    Every view that redirects to a user-given target calls this or `checked_next_url` (Django's login and
    logout views, routed through it in `accounts.views`)."""
    return checked_next_url(request) or resolve_url(default)
