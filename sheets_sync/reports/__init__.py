"""Documents of the SOP: *Pengukuran Kinerja* (triwulan / semester / tahunan), *Rekap Kelengkapan*
for the review meeting and the *Surat Pengantar*, rendered from editable Word templates.

This is the only package that imports docxtpl, python-docx and matplotlib, always inside functions,
so ``import sheets_sync.reports`` is cheap.  Public API::

    build_context(kind, req) -> dict        # pure: every printed value, testable without Word
    render(kind, req, out_dir, templates=None) -> Rendered   # deterministic .docx (stable SHA-256)
    check_templates(templates=None) -> list[str]             # "error: …" / "warning: …" / "info: …"
    to_pdf(docx, timeout=120) -> Path       # LibreOffice headless, isolated profile
    file_name(kind, req) -> str             # "Pengukuran Kinerja 2025-TW1 (DRAFT).docx"

See :mod:`.context` for the variables each template may use, :mod:`.measure` for how the table's
numbers are computed, and ``report_templates/build_templates.py`` for the shipped templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .request import EDITIONS, KINDS, Edition, Rendered, RenderRequest, file_name

__all__ = ["EDITIONS", "KINDS", "Edition", "RenderRequest", "Rendered", "build_context", "check_templates",
           "file_name", "render", "to_pdf"]


def build_context(kind: str, req: RenderRequest) -> dict[str, Any]:
    """Pure template context of ``kind`` (see :func:`sheets_sync.reports.context.build_context`)."""
    from .context import build_context as _build

    return _build(kind, req)


def render(kind: str, req: RenderRequest, out_dir: Path, *, templates: Path | None = None) -> Rendered:
    """Render one document (see :func:`sheets_sync.reports.render.render`)."""
    from .render import render as _render

    return _render(kind, req, out_dir, templates=templates)


def check_templates(templates: Path | None = None) -> list[str]:
    """Template problems (see :func:`sheets_sync.reports.check.check_templates`)."""
    from .check import check_templates as _check

    return _check(templates)


def to_pdf(docx: Path, *, timeout: float = 120) -> Path:
    """Convert a rendered .docx to PDF (see :func:`sheets_sync.reports.pdf.to_pdf`)."""
    from .pdf import to_pdf as _to_pdf

    return _to_pdf(docx, timeout=timeout)
