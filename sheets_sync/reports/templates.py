"""Where templates come from.

Each (kind, edition) has one template file: ``pengukuran_kinerja.docx`` (triwulan and semester),
``pengukuran_kinerja_tahunan.docx``, ``rekap_kelengkapan.docx``, ``surat_pengantar.docx``.  An edited
folder (``templates=`` or ``[documents] templates``) is searched first; a file it does not hold falls
back to the shipped copy, so staff may customise one document and leave the others alone.

Shipped copies: the repository's ``report_templates/`` in a source checkout or editable install (the
files staff and developers edit), else ``sheets_sync/reports/templates/`` — byte-identical copies written
by ``report_templates/build_templates.py`` and installed as package data (setuptools cannot map a folder
outside the package into it while packages are discovered with ``packages.find``).
"""

from __future__ import annotations

from pathlib import Path

from sheets_sync.errors import RenderError
from sheets_sync.reports.request import KINDS

FILES: dict[tuple[str, str], str] = {("pengukuran_kinerja", "tahunan"): "pengukuran_kinerja_tahunan.docx"}
"""Editions with a template of their own; everything else uses ``{kind}.docx``."""


def template_name(kind: str, edition: str) -> str:
    return FILES.get((kind, edition), f"{kind}.docx")


def all_names() -> dict[str, str]:
    """Template file name → the kind it renders."""
    out = {f"{k}.docx": k for k in KINDS}
    out.update({name: kind for (kind, _), name in FILES.items()})
    out.update({"laporan_kinerja.docx": "laporan_kinerja",  # sheets_sync.reports.lkjip
                "laporan_kinerja_semester.docx": "laporan_kinerja_semester"})
    return out


def shipped_dir() -> Path:
    """The folder of shipped templates (see the module docstring)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "report_templates", here / "templates"):
        if (candidate / "pengukuran_kinerja.docx").is_file():
            return candidate
    raise RenderError("the shipped .docx templates were not found",
                      fix="reinstall sheets-sync, or run `python report_templates/build_templates.py` in a "
                          "source checkout, or set [documents] templates to a folder of templates")


def template_path(kind: str, edition: str, folder: Path | None) -> Path:
    """The template to render ``kind``/``edition`` with: ``folder``'s copy if present, else shipped."""
    name = template_name(kind, edition)
    if folder is not None:
        if not folder.is_dir():
            raise RenderError(f"template folder {folder} does not exist",
                              fix="create it (copy the shipped templates into it) or fix [documents] templates")
        if (folder / name).is_file():
            return folder / name
    return shipped_dir() / name
