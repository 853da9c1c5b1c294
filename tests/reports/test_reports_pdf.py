"""PDF conversion: a clear error without LibreOffice; a real PDF with it (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_data import MakeRequest

from sheets_sync.errors import RenderError
from sheets_sync.reports import render, to_pdf
from sheets_sync.reports.pdf import find_soffice


def test_missing_libreoffice_gives_a_clear_error(make_request: MakeRequest, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    done = render("surat_pengantar", make_request(), tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RenderError, match=r"LibreOffice .* not installed") as err:
        to_pdf(done.path)
    assert "apt-get install libreoffice-writer" in err.value.fix


def test_a_missing_docx_is_reported_before_looking_for_libreoffice(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="does not exist"):
        to_pdf(tmp_path / "nothing.docx")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_libreoffice_converts_a_rendered_document_to_pdf(make_request: MakeRequest, tmp_path: Path) -> None:
    done = render("surat_pengantar", make_request(), tmp_path)
    pdf = to_pdf(done.path, timeout=120)
    assert pdf == done.path.with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5000
