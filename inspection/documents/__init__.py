"""Official documents rendered to PDF. Foundation code: no imports of domain apps."""

from .pdf import render_pdf

__all__ = ["render_pdf"]
