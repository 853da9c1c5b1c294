"""One language per surface for ``sheets-sync demo`` (issue 15 item 7): the narrative of the simulated week, the
findings, the cleared cell's history, the outbox and the file list are English with ``--lang en`` and Indonesian
by default — judged line by line with the word lists of :mod:`sheets_sync.i18n.catalog`, as
``test_one_language.py`` judges the rest of the CLI.

What is the office's data and not a sentence of the program is taken out first: the bidang names in the status
table rows, an indicator's name in parentheses after its code, the e-mails' subjects (Indonesian documents of
the office) and the outbox rows (whose kinds are judged on their own, addresses taken out).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheets_sync.cli import main
from sheets_sync.i18n import set_language
from sheets_sync.i18n.catalog import indonesian_words, looks_english

TABLE_ROW = re.compile(r"^[A-Z]{2,8} {2,}")
"""A row of the status table: a bidang code, then the office's own bidang name."""

OUTBOX_ROW = re.compile(r"^ {2}\d{2}-\d{2} \d{2}[.:]\d{2} {2}")
"""A row of the outbox list: when, the message's kind and its addresses."""


def outbox_kinds(text: str) -> set[str]:
    """The kinds of the outbox rows: what stands between the time and the first address."""
    return {re.sub(r"\S+@\S+.*$", "", OUTBOX_ROW.sub("", line)).strip() for line in text.splitlines()
            if OUTBOX_ROW.match(line)}

SUBJECT = re.compile(r"^ {6}\S")
"""The subject under an outbox row: the office's Indonesian e-mail."""

INDICATOR_NAME = re.compile(r"(indi[ck]ator \S+) \([^()]*\)")
"""An indicator's code and its name from the office's master, in parentheses."""

FINDING_CODE = re.compile(r"\(\w+_\w+\)")
"""A finding's code (``rasio_tidak_lengkap``): a machine name of no language."""

@pytest.fixture(autouse=True)
def _back_to_indonesian() -> Iterator[None]:
    yield
    set_language("id")


def demo(folder: Path, *lang: str) -> str:
    """What ``sheets-sync [--lang …] demo FOLDER`` prints on stdout."""
    out = io.StringIO()
    assert main([*lang, "demo", str(folder)], out=out) == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> str:
    try:
        return demo(tmp_path_factory.mktemp("demo-en") / "office", "--lang", "en")
    finally:
        set_language("id")


@pytest.fixture(scope="module")
def indonesian(tmp_path_factory: pytest.TempPathFactory) -> str:
    return demo(tmp_path_factory.mktemp("demo-id") / "office")


def sentences(text: str) -> list[str]:
    """The lines of ``text`` that are the program's prose, the office's data taken out."""
    lines = []
    for line in text.splitlines():
        if TABLE_ROW.match(line) or OUTBOX_ROW.match(line) or SUBJECT.match(line):
            continue
        lines.append(FINDING_CODE.sub(" ", INDICATOR_NAME.sub(r"\1", line)))
    return lines


def test_the_demo_with_lang_en_prints_no_indonesian_sentence(english: str) -> None:
    assert "The sheets-sync service runs on a simulated clock" in english
    assert "== 8 April 2025 at 14:00 WIB: PKA, SEK, PPIK and MP fill in their forms" in english
    assert "   (service: 3 polls until 8 April 2025 at 13:30 WIB)" in english
    assert "History of MP 2.2 (a cleared cell stays stored): 3 versions" in english
    assert "8 April 2025 at 16:00 WIB: pembilang 45" in english and "pembilang (empty)" in english
    assert "changed after approval: 52 → 60 (read 14 April 2025 at 16:00 WIB)." in english
    assert "E-mails sent to the outbox (23):" in english and "Everything is in " in english
    for line in sentences(english):
        assert not indonesian_words(line), f"Indonesian in {line!r}"


def test_the_demo_prints_no_english_sentence_by_default(indonesian: str) -> None:
    assert "Layanan sheets-sync berjalan dengan jam simulasi" in indonesian
    assert "== 8 April 2025 pukul 14.00 WIB: PKA, SEK, PPIK dan MP mengisi formulir" in indonesian
    assert "Riwayat MP 2.2 (sel yang dikosongkan tetap tersimpan): 3 versi" in indonesian
    assert "pembilang (kosong)" in indonesian and "E-mail terkirim ke outbox (23):" in indonesian
    for line in sentences(indonesian):
        assert not looks_english(line), f"English in {line!r}"


def test_the_outbox_rows_name_each_kind_of_e_mail_in_the_language_of_the_cli(indonesian: str, english: str) -> None:
    assert {"tautan form", "pengingat", "ringkasan"} <= outbox_kinds(indonesian)
    assert {"form link", "reminder", "digest"} <= outbox_kinds(english)
    assert not any(indonesian_words(kind) for kind in outbox_kinds(english)), outbox_kinds(english)
    assert not any(looks_english(kind) for kind in outbox_kinds(indonesian)), outbox_kinds(indonesian)


def test_a_finding_the_service_made_keeps_its_indonesian_wording_for_the_sheets(indonesian: str, english: str) -> None:
    # the same finding: Indonesian as the sheets and the default CLI show it, English under --lang en
    said = ("Realisasi indikator 1.3 berubah setelah disetujui: 52 → 60 (terbaca 14 April 2025 pukul 16.00 WIB).\n"
            "    Perbaikan: Nilai baru tidak dipakai di dokumen final sampai rapat menyetujui lagi (isi baris baru di "
            "tab Persetujuan dengan tanggal baru).")
    assert said in indonesian
    assert "(berubah_setelah_disetujui): Realisasi of indicator 1.3 changed after approval" in english


def test_why_a_number_does_not_parse_is_english_too(english: str) -> None:
    line = next(line for line in english.splitlines() if "(nilai_tidak_valid)" in line)
    assert not indonesian_words(FINDING_CODE.sub(" ", INDICATOR_NAME.sub(r"\1", line))), line


def test_a_missing_control_workbook_is_looked_for_beside_the_config_and_the_fix_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "kantor")], out=io.StringIO()) == 0
    config = tmp_path / "kantor" / "sheets-sync.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('control = "Kendali Data Kinerja.xlsx"',
                                                                  'control = "Kendali Lain.xlsx"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["-c", str(config), "status", "--period", "2025-TW1"], out=io.StringIO()) != 0
    err = capsys.readouterr().err
    assert f"{tmp_path / 'kantor' / 'Kendali Lain.xlsx'} tidak ditemukan" in err
    assert f"kembalikan berkas itu ke {tmp_path / 'kantor'}, atau perbaiki `control` di [backend]" in err
    assert "folder formulir" not in err and "provision" not in err
