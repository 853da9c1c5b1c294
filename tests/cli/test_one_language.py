"""One language per surface (issue 15 item 7): what a fresh office sees of the CLI is all Indonesian by
default and all English with ``--lang en`` — help, ``status``, ``doctor`` and the errors of a typo.

The judge is the word-list heuristic of :mod:`sheets_sync.i18n.catalog` (Indonesian function words such as
*yang, dan, tidak, belum, untuk* against English ones such as *the, and, not, is, must*), applied line by
line after what is data and not a sentence is taken out: the office's bidang names in the status table,
the names of holidays, file paths, codes and options.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sheets_sync.cli import main
from sheets_sync.cli.common import COMMANDS
from sheets_sync.i18n import catalog_path, set_language
from sheets_sync.i18n.catalog import indonesian_words, looks_english

TABLE_ROW = re.compile(r"^[A-Z]{2,8} {2,}")
"""A row of the status table: a bidang code, then the office's own bidang name (data, not a sentence)."""

HOLIDAY = re.compile(r"^ {8}\w+, \d{1,2} \w+ \d{4} — .*$")
"""A line of doctor's calendar: weekday and date (in the language in use), then the holiday's name (data)."""

COMMAND_NAME = re.compile(r"\b(?:" + "|".join(COMMANDS) + r")\b")
"""The command names are words of no language (``import``, ``render``, ``run`` …)."""


@dataclass(frozen=True)
class Shown:
    """What one CLI call printed: exit code, standard output and standard error."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture(autouse=True)
def _back_to_indonesian() -> Iterator[None]:
    yield
    set_language("id")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Shown:
    """Run ``sheets-sync argv`` as the operator would (``--help`` and usage errors end in SystemExit)."""
    out = io.StringIO()
    try:
        code = main(list(argv), out=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Shown(code, out.getvalue() + captured.out, captured.err)


def sentences(text: str) -> list[str]:
    """The lines of ``text`` that are prose: table rows and holiday names removed, command names blanked."""
    lines = []
    for line in text.splitlines():
        if TABLE_ROW.match(line):
            continue
        if HOLIDAY.match(line):
            line = line.split(" — ", 1)[0]
        lines.append(COMMAND_NAME.sub(" ", line))
    return lines


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh office: ``sheets-sync init DIR`` and nothing else."""
    assert cli(capsys, "init", str(tmp_path / "kantor")).code == 0
    return tmp_path / "kantor" / "sheets-sync.toml"


def broken_config(config: Path, name: str, old: str, new: str) -> str:
    """A copy of ``config`` next to it with one line typed wrong."""
    text = config.read_text(encoding="utf-8")
    assert old in text
    broken = config.with_name(name)
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(broken)


def everything_a_fresh_office_sees(capsys: pytest.CaptureFixture[str], config: Path, *lang: str) -> list[Shown]:
    """``--help`` of the program and of every command, ``status``, ``doctor``, and the error paths an operator
    meets first: no config file, a value of the wrong kind, an unknown time zone, a misspelt key, a control
    workbook that is not there, an unknown period, a missing argument and an unknown command."""
    c = str(config)
    calls = [[*lang, "--help"], *([*lang, name, "--help"] for name in COMMANDS),
             [*lang, "-c", c, "status", "--period", "2025-TW1"], [*lang, "-c", c, "doctor"],
             [*lang, "-c", str(config.with_name("hilang.toml")), "status", "--period", "2025-TW1"],
             [*lang, "-c", broken_config(config, "jenis.toml", "tahun = 2025", 'tahun = "2025"'), "doctor"],
             [*lang, "-c", broken_config(config, "zona.toml", 'timezone = "Asia/Jakarta"', 'timezone = "Asia/Bogor"'),
              "status", "--period", "2025-TW1"],
             [*lang, "-c", broken_config(config, "kunci.toml", "backup_keep = 14", "backup_kept = 14"), "doctor"],
             [*lang, "-c", broken_config(config, "kendali.toml", 'control = "Kendali Data Kinerja.xlsx"',
                                         'control = "Kendali Lain.xlsx"'), "status", "--period", "2025-TW1"],
             [*lang, "-c", c, "status", "--period", "2025-TW9"],
             [*lang, "-c", c, "status"],
             [*lang, "-c", c, "bogus"]]
    return [cli(capsys, *argv) for argv in calls]


def test_a_fresh_office_sees_no_english_sentence_by_default(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = everything_a_fresh_office_sees(capsys, office)
    errors = [s.err for s in shown if s.code == 2]
    assert len(errors) == 7 and all(e for e in errors)  # every error path above did fail, and said why
    assert any("berkas konfigurasi" in e and "tidak ditemukan" in e for e in errors)
    assert any("bukan zona waktu yang dikenal" in e for e in errors)
    assert any("Kendali Lain.xlsx tidak ditemukan" in s.err for s in shown)
    for s in shown:
        for line in sentences(s.text):
            assert not looks_english(line), f"English in {line!r}"


def test_with_lang_en_a_fresh_office_sees_no_indonesian_sentence(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = everything_a_fresh_office_sees(capsys, office, "--lang", "en")
    errors = [s.err for s in shown if s.code == 2]
    assert len(errors) == 7 and all(e for e in errors)
    assert any("config file" in e and "not found" in e for e in errors)
    assert any("is not a known time zone" in e for e in errors)
    assert any("Kendali Lain.xlsx not found" in s.err for s in shown)
    assert any("December" in s.out or "January" in s.out for s in shown)  # dates are English too
    for s in shown:
        for line in sentences(s.text):
            assert not indonesian_words(line), f"Indonesian in {line!r}"


def test_the_list_of_commands_has_no_dangling_heading_line(capsys: pytest.CaptureFixture[str]) -> None:
    help_text = cli(capsys, "--help").out
    commands = help_text.split("perintah:\n", 1)[1]
    assert commands.startswith("  init ") and "PERINTAH\n" not in help_text


def test_every_english_catalogue_entry_is_translated_and_has_no_indonesian_word() -> None:
    from babel.messages.pofile import read_po

    with catalog_path("en").open("rb") as fh:
        entries = [m for m in read_po(fh, locale="en") if m.id]
    assert len(entries) > 200
    for m in entries:
        translations = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(translations), f"no English for {m.id!r}"
        for t in translations:
            assert not indonesian_words(t), f"Indonesian left in the English of {m.id!r}: {t!r}"


def test_a_bidangs_findings_are_english_with_lang_en_and_stay_indonesian_where_the_office_reads_them(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = str(office)
    assert cli(capsys, "-c", c, "provision", "--period", "2025-TW1").code in (0, 1)
    cli(capsys, "-c", c, "poll", "--period", "2025-TW1")  # every form is still empty: belum_diisi everywhere
    indonesian = cli(capsys, "-c", c, "status", "--period", "2025-TW1").out
    english = cli(capsys, "--lang", "en", "-c", c, "status", "--period", "2025-TW1").out
    assert "(belum_diisi): Realisasi indikator " in indonesian and ") belum diisi." in indonesian
    assert "(belum_diisi): Realisasi of indicator " in english and ") is empty." in english
    findings = [line for line in english.splitlines() if "(belum_diisi)" in line or line.startswith("    Fix:")]
    assert findings
    for line in findings:
        # the indicator's name is the office's data, the finding code a machine name
        prose = re.sub(r"indicator \S+ \(.*\) is empty", "indicator is empty", line).replace("(belum_diisi)", "")
        assert not indonesian_words(prose), line


def test_a_finding_stored_before_it_had_a_text_still_loads_and_shows_its_indonesian() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.model import Finding
    from sheets_sync.texts import Text

    stored = {"unit": "MP", "sheet": "TW1", "cell": "TW1!H7", "code": "belum_diisi",
              "message": "Realisasi indikator 1.1 (Jumlah) belum diisi.", "fix": "Isi realisasinya.",
              "severity": "error", "indicator": "1.1"}
    old = Finding.from_dict(stored)
    assert old.message_in(english) == stored["message"] and old.as_dict() == stored
    worded = Finding.worded("MP", "TW1", "H7", "belum_diisi",
                            Text("Realisasi {label} belum diisi.", label=Text("indikator {code} ({name})", code="1.1",
                                                                              name="Jumlah")),
                            Text("Tempel tautan dokumen bukti dukung."), "error", "1.1")
    again = Finding.from_dict(worded.as_dict())
    assert again == worded and again.message == stored["message"]
    assert again.message_in(english) == "Realisasi of indicator 1.1 (Jumlah) is empty."
    assert again.fix_in(english) == "Paste the link of the bukti dukung document."


def test_why_a_document_stays_a_draft_is_said_in_the_language_of_the_cli(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = str(office)
    assert cli(capsys, "-c", c, "provision", "--period", "2025-TW1").code in (0, 1)
    indonesian = cli(capsys, "-c", c, "render", "--period", "2025-TW1").out
    english = cli(capsys, "--lang", "en", "-c", c, "render", "--period", "2025-TW1").out
    asked = cli(capsys, "--lang", "en", "-c", c, "render", "--period", "2025-TW1", "--draft").out
    assert "Masih draft karena: " in indonesian and "SEK 2025-TW1 belum disetujui" in indonesian
    reasons = next(line for line in english.splitlines() if line.startswith("Draft because: "))
    assert "SEK 2025-TW1 not approved yet" in reasons and not indonesian_words(reasons)
    assert "Draft because: --draft asked for" in asked


def typed_into_form(office: Path, unit: str, values: dict[str, object]) -> None:
    """The bidang ``unit`` types ``values`` (cell → what it typed) into its TW1 form and saves it."""
    from openpyxl import load_workbook

    (form,) = (office.parent / "forms").glob(f"Data Kinerja 2025 — {unit} *.xlsx")
    wb = load_workbook(form)
    for address, value in values.items():
        wb["TW1"][address] = value
    wb.save(form)


def test_a_number_the_bidang_typed_in_words_is_explained_in_english_with_lang_en(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sheets_sync.core.form import FIRST_ROW

    c = str(office)
    assert cli(capsys, "-c", c, "provision", "--period", "2025-TW1").code in (0, 1)
    typed_into_form(office, "MP", {f"H{FIRST_ROW}": "delapan puluh"})
    cli(capsys, "-c", c, "poll", "--period", "2025-TW1")
    indonesian = cli(capsys, "-c", c, "status", "--period", "2025-TW1").out
    english = cli(capsys, "--lang", "en", "-c", c, "status", "--period", "2025-TW1").out
    assert 'berisi "delapan puluh": Teks "delapan puluh" bukan angka. Tulis angka saja' in indonesian
    assert 'holds "delapan puluh": The text "delapan puluh" is not a number. Write a number only' in english
    for line in english.splitlines():
        if "(nilai_tidak_valid)" in line:
            prose = re.sub(r"\(.*?\)", "", line.split(" of indicator ", 1)[0] + line.split('": ', 1)[-1])
            assert not indonesian_words(prose), line


def test_a_badly_typed_control_spreadsheet_is_explained_in_english_with_lang_en(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    kendali = office.parent / "Kendali Data Kinerja.xlsx"
    wb = load_workbook(kendali)
    sheet = wb["Indikator"]
    header = [c.value for c in sheet[1]]
    sheet.cell(3, header.index("Kode Bidang") + 1).value = "XX"
    sheet.cell(4, header.index("Polaritas") + 1).value = "naik"
    sheet.cell(5, header.index("Target Tahunan") + 1).value = "80..5"
    wb.save(kendali)
    c = str(office)
    indonesian = cli(capsys, "-c", c, "doctor").out
    english = cli(capsys, "--lang", "en", "-c", c, "doctor").out
    assert "memakai kode bidang 'XX' yang tidak ada di tab Bidang." in indonesian
    assert "uses the bidang code 'XX', which is not in the Bidang tab." in english
    assert "The Polaritas 'naik' of indicator row 4 (1.3) is unknown." in english
    assert ('Annual target: Target "80..5": The text "80..5" is not a valid number (a doubled or repeated '
            "separator). Write a number only") in english
    problems = [line for line in english.splitlines() if "Indikator!" in line or line.lstrip().startswith("fix:")]
    assert len(problems) >= 6
    for line in problems:
        assert not indonesian_words(line), line


def test_the_status_heading_names_the_period_in_the_language_of_the_cli(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = str(office)
    assert cli(capsys, "-c", c, "status", "--period", "2025-TW1").out.startswith("Status Triwulan I Tahun 2025 — ")
    assert cli(capsys, "--lang", "en", "-c", c, "status", "--period", "2025-TW1").out.startswith(
        "Status Quarter I 2025 — ")
