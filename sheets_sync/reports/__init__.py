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

from sheets_sync.reports.check import check_templates
from sheets_sync.reports.context import build_context
from sheets_sync.reports.pdf import to_pdf
from sheets_sync.reports.render import render
from sheets_sync.reports.request import EDITIONS, KINDS, Edition, Rendered, RenderRequest, file_name

# The submodules above import docxtpl / python-docx / jinja2 / matplotlib only inside functions, so this
# stays cheap.  Importing the functions eagerly also keeps ``sheets_sync.reports.render`` bound to the
# function: a lazy ``from .render import render`` inside a wrapper would let the submodule ``render``
# replace the package attribute of the same name.

__all__ = ["EDITIONS", "KINDS", "Edition", "RenderRequest", "Rendered", "build_context", "check_templates",
           "file_name", "render", "to_pdf"]
