"""Render a Django template to PDF bytes with WeasyPrint.

Fonts come from the machine (fontconfig), never from the network: government networks are air-gapped, and
without a CJK font WeasyPrint silently draws boxes. Templates extend `pdf/base.html` (GB/T 9704-2012 layout).
"""

from django.conf import settings
from django.template.loader import render_to_string


def _no_network(url, *args, **kwargs):
    # Documents must not depend on anything outside the machine; a stray external URL fails loudly.
    raise ValueError(f"PDF 不允许引用外部资源：{url}")


def render_pdf(template: str, context: dict | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which pages that never render a PDF need not pay for.
    from weasyprint import HTML
    from weasyprint.urls import default_url_fetcher

    def fetch(url, *args, **kwargs):
        if url.startswith(("file:", "data:")):
            return default_url_fetcher(url, *args, **kwargs)
        return _no_network(url)

    html = render_to_string(template, context or {})
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url, url_fetcher=fetch).write_pdf()
