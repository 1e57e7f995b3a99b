"""The Prometheus metrics of an app node (GET /metrics, django-prometheus), for the operations team only: the
endpoint answers the addresses in METRICS_ALLOWED_IPS (the monitoring host, scraping each node directly) and
is a 404 to everyone else. nginx does not pass /metrics through (deploy/nginx)."""

import ipaddress

from django.conf import settings
from django.http import Http404
from django_prometheus.exports import ExportToDjangoView


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_IPS)


def metrics(request):
    if not _allowed(request.META.get("REMOTE_ADDR", "")):
        raise Http404
    return ExportToDjangoView(request)
