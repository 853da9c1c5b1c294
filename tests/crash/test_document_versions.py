"""Documents never overwrite each other: every version has its own file whose SHA-256 is the
register's; a lost final comes back byte for byte; a new signatory makes a new version (and a new
letter number unless ``--reissue``); ``render --pdf`` makes the PDFs of documents made earlier."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from crash.office import TW1, Office, at

UNITS = ("SEK", "PKA", "PKAP", "PPIK", "MP")


def finals(office: Office) -> list[tuple[str, int, str, str, str]]:
    conn = sqlite3.connect(office.store_path)
    try:
        return list(conn.execute("SELECT kind, version, path, sha256, letter_number FROM documents WHERE draft=0"
                                 " ORDER BY id"))
    finally:
        conn.close()


def sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_versions_have_their_own_files_a_lost_final_is_restored_and_a_new_signatory_makes_v2(
        prepared: Office) -> None:
    office = prepared
    office.decide([[str(TW1), code, "Disetujui", "", "2025-04-14"] for code in UNITS])
    first = office.cli("render", "--period", str(TW1), now=at(14, 11))
    assert first.code == 0 and first.out.startswith("Dokumen FINAL"), first
    v1 = finals(office)
    assert {v for _, v, *_ in v1} == {1} and all(sha(p) == h for _, _, p, h, _ in v1)
    assert all(Path(p).name.endswith(" v1.docx") for _, _, p, _, _ in v1)
    [(_, _, letter_path, _, number1)] = [r for r in v1 if r[0].startswith("surat_pengantar")]
    again = office.cli("render", "--period", str(TW1), now=at(14, 11, 1))
    assert " baru " not in again.out and finals(office) == v1  # nothing changed: nothing new

    kept = Path(letter_path).read_bytes()
    Path(letter_path).unlink()
    doctor = office.cli("doctor", now=at(14, 11, 2))
    assert "hilang" in doctor.out and Path(letter_path).name in doctor.out, doctor.out
    restored = office.cli("render", "--period", str(TW1), now=at(14, 11, 3))
    assert restored.code == 1 and "dipulihkan" in restored.out, restored
    assert Path(letter_path).read_bytes() == kept  # byte for byte

    office.set("signatory", prefix="Plt.")
    second = office.cli("render", "--period", str(TW1), now=at(15, 9))
    assert second.code == 0, second
    rows = finals(office)
    v2 = [r for r in rows if r[1] == 2]
    assert len(v2) == len(v1) and all(Path(p).name.endswith(" v2.docx") for _, _, p, _, _ in v2)
    assert all(sha(p) == h for _, _, p, h, _ in rows)  # v1 and v2 side by side, each matching the register
    [(_, _, _, _, number2)] = [r for r in v2 if r[0].startswith("surat_pengantar")]
    assert number2 != number1 and number1.split("/")[1] == "1" and number2.split("/")[1] == "2"

    office.set("documents", recipient="Bupati Sukamaju c.q. Sekretaris Daerah")
    third = office.cli("render", "--period", str(TW1), "--reissue", now=at(15, 10))
    assert third.code == 0, third
    [(_, _, _, _, number3)] = [r for r in finals(office) if r[1] == 3 and r[0].startswith("surat_pengantar")]
    assert number3 == number2  # a corrected re-issue of the same letter

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed: the PDF half of this test needs it")
    pdf = office.cli("render", "--period", str(TW1), "--pdf", now=at(15, 11), timeout=300)
    assert pdf.code == 0 and "PDF dibuat" in pdf.out, pdf
    assert all(Path(p).with_suffix(".pdf").is_file() for _, v, p, _, _ in finals(office) if v == 3)
