"""Progress of the long commands (provision, the full sweep of ``poll``, ``import``, ``render``): a tqdm
bar on stderr when stderr is a terminal, one plain line per step when it is a pipe or a file — and
stdout, the result, the same either way.  Each command runs in its own process, its stderr on a real
pseudo-terminal (``pty``) or on a pipe."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from sheets_sync.cli import main
from sheets_sync.reports.sample import sample_office

INDICATORS, UNITS = sample_office()


@dataclass(frozen=True)
class Ran:
    """One command run in its own process: exit code, what it printed on stdout and on stderr."""

    code: int
    out: str
    err: str


def sheets_sync(*argv: str, terminal: bool) -> Ran:
    """``sheets-sync ARGV`` with stderr on a pseudo-terminal 100 columns wide (``terminal``) or a pipe."""
    cmd = [sys.executable, "-m", "sheets_sync", *argv]
    env = {**os.environ, "SHEETS_SYNC_LANG": "id"}
    env.pop("COLUMNS", None)
    if not terminal:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300)
        return Ran(done.returncode, done.stdout, done.stderr)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the process closed its end
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    code = proc.wait(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return Ran(code, out, b"".join(chunks).decode(errors="replace"))


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def filled_table(path: Path, quarter: int) -> Path:
    """An office's own table of one quarter: Kode, Realisasi (the target, so nothing falls short of it) and
    Keterangan; "-" for an indicator not measured that quarter."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"TW{quarter}"
    ws.append(["Kode", "Realisasi", "Keterangan"])
    for ind in INDICATORS:
        measured = ind.measured_in(quarter)
        ws.append([ind.code, ind.target_for(quarter) if measured else "-",
                   "Sesuai target" if measured else "Tidak diukur triwulan ini"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("progress") / "kantor"
    assert run("init", str(folder))[0] == 0
    return folder


LONG = (("provision", "--period", "2025-TW1"), ("poll", "--period", "2025-TW1"),
        ("render", "--period", "2025-TW1", "--draft"))
"""The long commands, in the order an office runs them; ``import`` is tested with its own file below."""


def test_without_a_terminal_each_step_is_one_plain_line_on_stderr(office: Path) -> None:
    cfg = str(office / "sheets-sync.toml")
    lines = {}
    for argv in LONG:
        ran = sheets_sync("-c", cfg, *argv, terminal=False)
        assert ran.code in (0, 1), ran.err
        assert "\r" not in ran.err and "%|" not in ran.err  # no bar drawn into a pipe
        lines[argv[0]] = [line for line in ran.err.splitlines() if line.startswith("[")]
    codes = [u.code for u in UNITS]
    assert lines["provision"] == [f"[{n}/{len(codes)}] menyiapkan formulir: {c}" for n, c in enumerate(codes, 1)]
    assert lines["poll"] == [f"[{n}/{len(codes)}] membaca formulir: {c}" for n, c in enumerate(codes, 1)]
    made = lines["render"]
    assert made and all(" membuat dokumen: " in line for line in made)
    assert made[-1].startswith(f"[{len(made)}/{len(made)}]")


def test_on_a_terminal_each_long_command_draws_a_bar_and_prints_its_result_on_stdout(office: Path) -> None:
    cfg = str(office / "sheets-sync.toml")
    for argv, words in zip(LONG, ("menyiapkan formulir", "membaca formulir", "membuat dokumen"), strict=True):
        ran = sheets_sync("-c", cfg, *argv, terminal=True)
        assert ran.code in (0, 1), ran.err
        assert words in ran.err and "100%" in ran.err and "\r" in ran.err, ran.err
        assert "[1/" not in ran.err  # a bar, not the lines meant for a pipe
        assert words not in ran.out  # stdout is the result only


@pytest.mark.parametrize(("terminal", "quarter"), [(True, 2), (False, 3)])
def test_import_shows_its_progress_per_bidang(office: Path, tmp_path: Path, terminal: bool, quarter: int) -> None:
    cfg = str(office / "sheets-sync.toml")
    table = filled_table(tmp_path / "capaian.xlsx", quarter)
    ran = sheets_sync("-c", cfg, "import", "--period", f"2025-TW{quarter}", str(table), "--paksa",
                      terminal=terminal)
    assert ran.code in (0, 1), ran.out + ran.err
    assert "diimpor dari" in ran.out
    units = sorted({i.unit for i in INDICATORS})
    if terminal:
        assert "mengimpor" in ran.err and "100%" in ran.err and "[1/" not in ran.err
    else:
        assert [line for line in ran.err.splitlines() if line.startswith("[")] == [
            f"[{n}/{len(units)}] mengimpor: {c}" for n, c in enumerate(units, 1)]
