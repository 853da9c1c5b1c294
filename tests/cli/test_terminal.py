"""A terminal-shaped CLI (issue 15, item 8): lines fit the terminal, progress fits where it goes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sheets_sync.cli import main
from sheets_sync.cli.common import progress_to


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_at_80_columns_no_status_line_is_wider_than_80(
    demo_run: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    folder = demo_run[0]
    _code, out = run("--lang", lang, "-c", str(folder / "sheets-sync.toml"), "status", "--period", "2025-TW1")
    too_wide = [line for line in out.splitlines() if len(line) > 80]
    assert too_wide == []
    assert str(folder) not in out  # paths relative to the office folder
    assert "forms/" in out and "dokumen/2025-TW1/" in out
    assert "berubah_setelah_disetujui" in out  # the findings are still there, wrapped


def test_a_wide_terminal_keeps_the_links_in_the_table(demo_run: tuple[Path, str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    _code, out = run("-c", str(demo_run[0] / "sheets-sync.toml"), "status", "--period", "2025-TW1")
    header = next(line for line in out.splitlines() if line.startswith("Kode"))
    assert header.rstrip().endswith("Tautan") and "Tautan formulir:" not in out


def test_progress_is_one_line_per_step_when_not_a_terminal() -> None:
    out = io.StringIO()
    show = progress_to(out, "membaca formulir", "bidang")
    for n, code in enumerate(("SEK", "MP", "PKA"), start=1):
        show(n, 3, code)
    assert out.getvalue() == ("[1/3] membaca formulir: SEK\n[2/3] membaca formulir: MP\n"
                              "[3/3] membaca formulir: PKA\n")  # no "\r" rewrites in a log or a pipe


def test_progress_is_a_bar_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    show = progress_to(out, "membaca formulir", "bidang")
    for n in range(1, 4):
        show(n, 3, f"B{n}")
    text = out.getvalue()
    assert "3/3" in text and "100%" in text and "\r" in text and "membaca formulir" in text
