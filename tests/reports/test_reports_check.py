"""`templates check`: the shipped templates are clean; an edited template that uses an unknown variable
or filter, breaks a tag, or drops the signature is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document

from sheets_sync.reports import check_templates
from sheets_sync.reports.templates import shipped_dir


def edited_copy(tmp_path: Path, name: str, extra: str = "", drop: str = "") -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    doc = Document(str(shipped_dir() / name))
    if drop:  # remove every paragraph and table that mentions ``drop``
        body = doc.element.body
        for el in list(body):
            if drop in "".join(el.itertext()):
                body.remove(el)
    if extra:
        doc.add_paragraph(extra)
    doc.save(str(folder / name))
    return folder


def test_shipped_templates_have_no_problems() -> None:
    assert check_templates() == []


def test_an_unknown_variable_in_an_edited_template_is_an_error(tmp_path: Path) -> None:
    folder = edited_copy(tmp_path, "pengukuran_kinerja.docx", "Mengetahui: {{ nama_sekda }}")
    problems = check_templates(folder)
    errors = [p for p in problems if p.startswith("error:")]
    assert len(errors) == 1
    assert "pengukuran_kinerja.docx" in errors[0] and "{{ nama_sekda }}" in errors[0]
    assert "info: rekap_kelengkapan.docx: not in" in "\n".join(problems)


def test_an_unknown_filter_and_a_broken_tag_are_errors(tmp_path: Path) -> None:
    folder = edited_copy(tmp_path, "surat_pengantar.docx", "{{ tanggal|tanggal_hijriah }}")
    assert any("unknown filter |tanggal_hijriah" in p for p in check_templates(folder))
    folder = edited_copy(tmp_path, "rekap_kelengkapan.docx", "{% for b in bidang %} tanpa penutup")
    assert any(p.startswith("error: rekap_kelengkapan.docx: broken template tag") for p in check_templates(folder))


def test_a_deleted_signature_block_is_a_warning(tmp_path: Path) -> None:
    folder = edited_copy(tmp_path, "surat_pengantar.docx", drop="ttd.")
    problems = check_templates(folder)
    assert "warning: surat_pengantar.docx: does not use {{ ttd }} (provided for surat_pengantar)" in problems
    assert not [p for p in problems if p.startswith("error:")]


def test_a_missing_folder_and_a_non_docx_file_are_reported(tmp_path: Path) -> None:
    assert check_templates(tmp_path / "nope") == [f"error: template folder {tmp_path / 'nope'} does not exist"]
    folder = tmp_path / "tpl"
    folder.mkdir()
    shutil.copy(shipped_dir() / "rekap_kelengkapan.docx", folder)
    (folder / "surat_pengantar.docx").write_text("hello")
    problems = check_templates(folder)
    assert any(p.startswith("error: surat_pengantar.docx: cannot be read") for p in problems)


def test_packaged_template_copies_equal_the_report_templates_folder() -> None:
    repo = Path(__file__).resolve().parents[2]
    source = sorted(p.name for p in (repo / "report_templates").glob("*.docx"))
    packaged = repo / "sheets_sync" / "reports" / "templates"
    assert source == sorted(p.name for p in packaged.glob("*.docx"))
    for name in source:
        assert (repo / "report_templates" / name).read_bytes() == (packaged / name).read_bytes(), (
            f"{name} differs: run python report_templates/build_templates.py")
