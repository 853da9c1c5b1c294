"""One language per surface: the message catalogues, the language switch and the CLI in both languages.

The catalogue test is the one other engineers meet: when it fails it prints every problem and what to run.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import sheets_sync.i18n as i18n
from sheets_sync.cli import main
from sheets_sync.i18n import _, catalog_path, current_language, languages, ngettext, set_language
from sheets_sync.i18n.catalog import (
    FIX,
    check,
    fields,
    indonesian_words,
    looks_english,
    looks_indonesian,
)


@pytest.fixture(autouse=True)
def _back_to_indonesian() -> Iterator[None]:
    yield
    set_language("id")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_every_catalogue_entry_is_translated_and_in_its_language() -> None:
    problems = check()
    assert not problems, "\n".join(f"- {p}" for p in problems) + f"\n\n{len(problems)} problem(s). Fix: {FIX}"


@pytest.mark.parametrize("english", [
    "Read 6 form(s); 0 failed", "History of MP 2.2 (2025-TW1): 3 version(s)", "Approved: MP; returned for correction",
    "fix: run `sheets-sync provision` first", "control spreadsheet not readable: {error}",
])
def test_the_heuristic_catches_the_english_sentences_the_cli_used_to_print(english: str) -> None:
    assert looks_english(english)


@pytest.mark.parametrize("indonesian", [
    "Formulir {period}: {created} dibuat, {adopted} diambil alih, {updated} diperbarui\n",
    "jalankan `sheets-sync provision` (perintah itu membuat foldernya)", "Kode", "Perubahan terakhir",
    "berkas konfigurasi (bawaan: $SHEETS_SYNC_CONFIG atau ./sheets-sync.toml)",
])
def test_the_heuristic_accepts_the_indonesian_messages(indonesian: str) -> None:
    assert not looks_english(indonesian) and looks_indonesian(indonesian)


def test_the_heuristic_catches_indonesian_left_in_an_english_translation() -> None:
    assert indonesian_words("the store is in use by {who} setelah menunggu") == ["setelah"]
    assert indonesian_words('set [notify] coordinator = ["kasubbag@…"], status "Belum dibahas" stays') == []
    assert fields("{n} pesan {{literal}} {when:%H}") == {"n", "when"}


def test_a_message_left_untranslated_fails_the_check_with_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "en" / "LC_MESSAGES" / "sheets_sync.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Code"', 'msgstr ""'), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    problems = [str(p) for p in check()]
    assert any("'Kode'" in p and "no translation" in p for p in problems)
    assert "python -m sheets_sync.i18n.catalog update" in FIX and "locale/en/LC_MESSAGES/sheets_sync.po" in FIX


def test_english_comes_from_the_catalogue_and_indonesian_is_the_source() -> None:
    assert set_language("id") == "id" and _("Kode") == "Kode"
    assert set_language("en") == "en" and _("Kode") == "Code"
    assert ngettext("{n} pesan gagal\n", "{n} pesan gagal\n", 1) == "{n} message failed\n"
    assert ngettext("{n} pesan gagal\n", "{n} pesan gagal\n", 3) == "{n} messages failed\n"
    assert set_language("en_GB.UTF-8") == "en"
    assert set_language("xx") == "id"  # unknown: the source language


def test_a_third_language_is_a_file_not_a_code_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    jv = locale / "jv" / "LC_MESSAGES" / "sheets_sync.po"
    jv.parent.mkdir(parents=True)
    jv.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Kode"\nmsgstr "Kodhe"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    assert languages() == ("id", "en", "jv")
    assert set_language("jv") == "jv" and _("Kode") == "Kodhe" and _("Bidang") == "Bidang"


def test_main_gives_the_language_back_after_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run("--lang", "en", "--help")
    assert current_language() == "id"
    assert "show this help message and exit" in capsys.readouterr().out


def test_argparse_itself_speaks_indonesian_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run("status")
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "penggunaan: sheets-sync status" in err and "argumen berikut wajib diberikan: --period" in err
    assert not looks_english(err)


def help_texts(capsys: pytest.CaptureFixture[str], *lang: str) -> list[str]:
    """``--help`` of the program and of every command, without the command names (words of no language)."""
    import re

    from sheets_sync.cli.common import COMMANDS

    names = re.compile(r"\b(?:" + "|".join(COMMANDS) + r")\b")
    texts = []
    for argv in ([], *([name] for name in COMMANDS)):
        with pytest.raises(SystemExit):
            run(*lang, *argv, "--help")
        texts.append(names.sub("", capsys.readouterr().out))
    return texts


def test_every_help_text_is_indonesian_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    for text in help_texts(capsys):
        assert "penggunaan:" in text and "opsi:" in text
        for line in text.splitlines():
            assert not looks_english(line), line


def test_every_help_text_is_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    for text in help_texts(capsys, "--lang", "en"):
        assert "usage:" in text and "options:" in text
        for line in text.splitlines():
            assert not indonesian_words(line), line


def test_the_environment_variable_chooses_the_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHEETS_SYNC_LANG", "en")
    with pytest.raises(SystemExit):
        run("--help")
    assert "show this help message and exit" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run("--lang", "id", "--help")  # the flag wins over the variable
    assert "tampilkan bantuan ini lalu keluar" in capsys.readouterr().out


@pytest.fixture
def office(tmp_path: Path) -> str:
    assert run("init", str(tmp_path / "o"))[0] == 0
    return str(tmp_path / "o" / "sheets-sync.toml")


def test_a_fresh_office_status_and_doctor_are_indonesian(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("status", "--period", "2025-TW1"), ("doctor",)):
        _code, out = run("-c", office, *argv)
        for line in out.splitlines():
            assert not looks_english(line), line
    assert "Tidak ada temuan." in run("-c", office, "status", "--period", "2025-TW1")[1]


def test_a_fresh_office_status_and_doctor_in_english(office: str) -> None:
    _code, status = run("--lang", "en", "-c", office, "status", "--period", "2025-TW1")
    _code, doctor = run("--lang", "en", "-c", office, "doctor")
    assert "No findings." in status and "Code" in status and "Not started" in status
    assert "control spreadsheet readable" in doctor
    # data, not sentences: table rows hold the office's own bidang names; doctor lists the holidays by name
    data = ("SEK ", "PPIK ", "MP ", "PKA ", "PKAP ", "        ")
    for line in (status + doctor).splitlines():
        assert line.startswith(data) or not indonesian_words(line), line


def test_errors_speak_the_chosen_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("-c", str(tmp_path / "nope.toml"), "status", "--period", "2025-TW1")
    err = capsys.readouterr().err
    assert err.startswith("sheets-sync: galat: ") and "perbaikan: " in err
    run("--lang", "en", "-c", str(tmp_path / "nope.toml"), "status", "--period", "2025-TW1")
    err = capsys.readouterr().err
    assert err.startswith("sheets-sync: error: ") and "  fix: " in err


def test_the_catalogues_ship_with_the_package() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["sheets_sync.i18n"]
    shipped = {p for pattern in patterns for p in i18n.LOCALE_DIR.parent.glob(pattern)}
    assert catalog_path("en") in shipped and catalog_path("id", "argparse") in shipped
    assert "babel>=2.12" in pyproject["project"]["dependencies"]


def test_a_closed_pipe_ends_quietly(office: str) -> None:
    """``status | head -1`` in a real shell, and a reader that is gone before the first write."""
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "sheets_sync", "-c", office, "status", "--period", "2025-TW1"]
    shell = subprocess.run(["sh", "-c", " ".join(f"'{c}'" for c in cmd) + " | head -1"],
                           capture_output=True, text=True, check=True)
    assert shell.stdout.startswith("Status Triwulan I Tahun 2025") and shell.stdout.count("\n") == 1
    assert shell.stderr == ""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away before the command printed anything
    err = proc.stderr.read()
    assert proc.wait() == 141
    assert "Traceback" not in err and "BrokenPipe" not in err and err == ""


def test_a_second_catalogue_update_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sheets_sync.i18n.catalog import update

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    update()
    files = sorted(locale.rglob("*.po"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    assert update() == []
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_a_catalogue_update_writes_the_file_whose_messages_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sheets_sync.i18n.catalog import update

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    update()
    english = locale / "en" / "LC_MESSAGES" / "sheets_sync.po"
    english.write_text(english.read_text(encoding="utf-8") + '\nmsgid "Pesan yang sudah dihapus"\nmsgstr "Gone"\n',
                       encoding="utf-8")
    assert update() == [english]
    assert "Pesan yang sudah dihapus" not in english.read_text(encoding="utf-8")
