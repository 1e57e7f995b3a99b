"""Render a Django template to PDF bytes with WeasyPrint.

Fonts come from the machine (fontconfig), never from the network: government networks are air-gapped, and
without a CJK font WeasyPrint silently draws boxes. Templates extend `pdf/base.html` (GB/T 9704-2012 layout).
"""

from django.conf import settings
from django.template.loader import render_to_string

# Documents must not depend on anything outside the machine: only local files and inline data are fetched,
# and a stray external URL stops the rendering instead of silently leaving a hole in an official document.
ALLOWED_PROTOCOLS = ("file", "data")


def render_html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which pages that never render a PDF need not pay for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, fail_on_errors=True)
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher).write_pdf()


def render_pdf(template: str, context: dict | None = None) -> bytes:
    """Every official document the system prints passes here, so each rendering is audited (打印/生成文书), by
    its template; the request, if any, names who asked."""
    from inspection.audit.models import AuditEvent
    from inspection.audit.services import record

    content = render_html_to_pdf(render_to_string(template, context or {}))
    record(kind=AuditEvent.Kind.DOCUMENT, object_label="PDF 文书", detail=template)
    return content
