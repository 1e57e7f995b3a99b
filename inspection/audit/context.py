"""The request an audit row belongs to: its id, its user, its source address.

`AuditContextMiddleware` sets the current request in a context variable, so a signal receiver deep in a service
(a history row, a login signal) records who, from where and in which request without every service passing the
request down. Outside a request (Celery, management commands) there is none and rows carry no address.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

_current_request: ContextVar = ContextVar("audit_current_request", default=None)



def current_request():
    return _current_request.get()


def set_current_request(request):
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)


def request_id_for(request) -> str:
    """The id inspection.core.request_id gave the request (its middleware runs first), so the audit row, the log
    lines and the queued tasks share one id."""
    from inspection.core.request_id import accept

    return getattr(request, "id", None) or accept(request.META.get("HTTP_X_REQUEST_ID"))


def _trusted(address: str) -> bool:
    return address in settings.AUDIT_TRUSTED_PROXIES


def client_ip(request) -> str | None:
    """The client's address. Behind the proxy the deployment trusts (the same list gunicorn trusts for
    X-Forwarded-Proto, GUNICORN_FORWARDED_ALLOW_IPS), the nearest address in X-Forwarded-For that is not a trusted
    proxy; otherwise the peer itself, so a client cannot claim an address by sending the header."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    if address and _trusted(address):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        for hop in reversed(forwarded):
            if not _trusted(hop):
                address = hop
                break
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
