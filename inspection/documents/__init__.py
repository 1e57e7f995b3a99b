"""Official documents rendered to PDF. Foundation code: no imports of domain apps."""

from .pdf import render_html_to_pdf, render_pdf

__all__ = ["render_html_to_pdf", "render_pdf"]
