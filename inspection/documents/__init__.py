"""Official documents rendered to PDF. Foundation code: no imports of domain apps."""

from .dates import official_date
from .pdf import render_html_to_pdf, render_pdf

__all__ = ["official_date", "render_html_to_pdf", "render_pdf"]
