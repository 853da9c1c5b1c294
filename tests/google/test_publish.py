"""Publishing documents to Drive: uploaded as-is, one file per name, unchanged content uploads nothing."""

from __future__ import annotations

from pathlib import Path

from fakegoogle import FakeGoogle

from sheets_sync.backends.google.backend import GoogleBackend

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Google = tuple[GoogleBackend, FakeGoogle]


def rendered(folder: Path, name: str, content: bytes) -> Path:
    """A document file as ``render`` leaves it in ``folder``."""
    path = folder / name
    path.write_bytes(content)
    return path


def test_a_docx_is_uploaded_unconverted_into_the_documents_folder(gb: Google, tmp_path: Path) -> None:
    backend, fake = gb
    doc = rendered(tmp_path, "pk.docx", b"PK\x03\x04 docx bytes")
    link = backend.publish(doc, "Pengukuran Kinerja TW1 2025.docx")
    upload = fake.calls("drive.files.create")[-1]
    assert upload.params["uploadType"] == ["multipart"] and "/upload/drive/v3/files" in upload.url
    (f,) = [f for f in fake.files.values() if f.name == "Pengukuran Kinerja TW1 2025.docx"]
    assert f.mime_type == DOCX and f.content == doc.read_bytes()
    assert f.parents == [fake.documents_folder]
    assert link == f"https://drive.google.com/file/d/{f.id}/view"


def test_publishing_identical_content_again_uploads_nothing(gb: Google, tmp_path: Path) -> None:
    backend, fake = gb
    doc = rendered(tmp_path, "rekap.pdf", b"%PDF-1.7 rekap")
    first = backend.publish(doc, "Rekap TW1.pdf")
    uploads = fake.count("drive.files.create") + fake.count("drive.files.update")
    assert backend.publish(doc, "Rekap TW1.pdf") == first
    assert backend.publish(doc, "Rekap TW1.pdf", replaces=first) == first
    assert fake.count("drive.files.create") + fake.count("drive.files.update") == uploads


def test_replacing_a_draft_updates_that_file_instead_of_piling_up_copies(gb: Google, tmp_path: Path) -> None:
    backend, fake = gb
    doc = rendered(tmp_path, "draft.docx", b"draft 1")
    first = backend.publish(doc, "PK TW1 (DRAFT).docx")
    doc.write_bytes(b"draft 2")
    second = backend.publish(doc, "PK TW1 (DRAFT).docx", replaces=first)
    assert second == first
    files = [f for f in fake.files.values() if f.name == "PK TW1 (DRAFT).docx"]
    assert len(files) == 1 and files[0].content == b"draft 2"
    assert fake.calls("drive.files.update")[-1].params["uploadType"] == ["multipart"]
