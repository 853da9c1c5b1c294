"""An office on the embedded default (``sheets-sync init``) for crash and concurrency tests: a real
SQLite file, real .xlsx forms, and each command run as its own process through ``driver.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.config import load
from sheets_sync.core.clock import ManualClock
from sheets_sync.model import Period
from sheets_sync.service.app import App
from sheets_sync.service.demo import decide, type_into
from sheets_sync.service.office import init_office

WIB = ZoneInfo("Asia/Jakarta")
TW1 = Period(2025, 1)
ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("driver.py")
UNITS = ("SEK", "PKA", "PKAP", "PPIK", "MP")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 4, day, hour, minute, tzinfo=WIB)


class Office:
    """One office folder.  ``cli()`` runs a command in a new process and waits; ``spawn()`` starts one."""

    def __init__(self, root: Path, *, init: bool = True) -> None:
        self.root = root
        self.config = init_office(root / "kantor", "bkpsdm") if init else root / "kantor" / "sheets-sync.toml"
        self.folder = self.config.parent
        self.clock = ManualClock(at(8, 9))
        self.processes: list[subprocess.Popen[str]] = []

    def copy_to(self, root: Path) -> Office:
        """A copy of this office folder at ``root`` (store, forms, control workbook), with every absolute
        path inside them pointing at the copy: preparing an office once per test session is what keeps
        the crash tests quick."""
        import shutil
        import sqlite3

        from openpyxl import load_workbook

        old, new = str(self.folder), str(root / "kantor")
        shutil.copytree(self.folder, new)
        conn = sqlite3.connect(Path(new) / "data" / "sheets-sync.sqlite3")
        try:
            for (table,) in list(conn.execute("SELECT name FROM sqlite_master WHERE type='table'")):
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[2].upper() == "TEXT"]
                for col in cols:
                    conn.execute(f"UPDATE {table} SET {col}=replace({col}, ?, ?) WHERE instr({col}, ?) > 0",
                                 (old, new, old))
            conn.commit()
        finally:
            conn.close()
        control = Path(new) / "Kendali Data Kinerja.xlsx"
        mtime = control.stat().st_mtime
        wb = load_workbook(control)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and old in cell.value:
                        cell.value = cell.value.replace(old, new)
        wb.save(control)
        os.utime(control, (mtime, mtime))
        return Office(root, init=False)

    # -- configuration ---------------------------------------------------------------------------
    def set(self, section: str, **values: Any) -> None:
        """Set keys of one TOML section (added when missing), e.g. ``set("smtp", port=2525)``."""
        text = self.config.read_text(encoding="utf-8")
        for key, value in values.items():
            literal = _toml(value)
            pattern = re.compile(rf"(?ms)^(\[{re.escape(section)}\][^\[]*?)^{re.escape(key)}\s*=.*?$")
            if pattern.search(text):
                text = pattern.sub(lambda m, k=key, v=literal: f"{m.group(1)}{k} = {v}", text, count=1)
            elif re.search(rf"(?m)^\[{re.escape(section)}\]", text):
                text = re.sub(rf"(?m)^(\[{re.escape(section)}\].*)$",
                              lambda m, k=key, v=literal: f"{m.group(1)}\n{k} = {v}", text, count=1)
            else:
                text += f"\n[{section}]\n{key} = {literal}\n"
        self.config.write_text(text, encoding="utf-8")

    def use_smtp(self, port: int, *, username: str = "", timeout: float = 5) -> None:
        self.set("notify", kind="smtp")
        self.set("smtp", host="127.0.0.1", port=port, security="none", username=username, timeout=timeout)

    @property
    def store_path(self) -> Path:
        return Path(load(self.config).store_url.removeprefix("sqlite:///"))

    # -- in-process steps (setup only; what is under test runs in its own process) ---------------
    def app(self, now: datetime | None = None) -> App:
        if now is not None:
            self.clock.set(now)
        return App.from_settings(load(self.config), clock=self.clock)

    def fill_everything(self, app: App, units: Sequence[str] = UNITS) -> None:
        """Every bidang types a complete TW1 (numbers, keterangan) — as a person saves in Excel."""
        from sheets_sync.service.poll import load_control

        control = load_control(app)
        for code in units:
            edits: dict[str, Any] = {}
            for ind in control.indicators_of(code):
                if ind.is_ratio:
                    edits[f"{ind.code}:pembilang"] = 1
                    edits[f"{ind.code}:penyebut"] = 1
                else:
                    edits[f"{ind.code}:realisasi"] = 100 if ind.measured_in(1) else "-"
                edits[f"{ind.code}:keterangan"] = "Sesuai laporan bulanan"
            type_into(app, code, edits)

    def provisioned_and_filled(self) -> None:
        """Open TW1 (provision + link e-mails), everybody fills in, one poll: the state before a meeting."""
        from sheets_sync.runtime.jobs import poll_job

        app = self.app(at(8, 9))
        try:
            poll_job(app, app.now())
            self.fill_everything(app)
            self.clock.set(at(9, 10))
            poll_job(app, app.now())
        finally:
            app.store.close()

    def decide(self, rows: Sequence[Sequence[Any]]) -> None:
        app = self.app()
        try:
            decide(app, [list(r) for r in rows])
        finally:
            app.store.close()

    # -- processes -------------------------------------------------------------------------------
    def env(self, now: datetime, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SHEETS_SYNC_", "PYTEST"))}
        env.update({"PYTHONPATH": str(ROOT), "SHEETS_SYNC_TEST_NOW": now.isoformat(),
                    "SHEETS_SYNC_TEST_STATE": str(self.root / "fail-count")})
        env.update(extra or {})
        return env

    def spawn(self, *args: str, now: datetime, kill: str = "", fail: str = "",
              env: Mapping[str, str] | None = None) -> subprocess.Popen[str]:
        extra = dict(env or {})
        if kill:
            extra["SHEETS_SYNC_TEST_KILL"] = kill
        if fail:
            extra["SHEETS_SYNC_TEST_FAIL"] = fail
        proc = subprocess.Popen([sys.executable, str(DRIVER), "-c", str(self.config), *args], cwd=self.root,
                                env=self.env(now, extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        self.processes.append(proc)
        return proc

    def kill_leftovers(self) -> None:
        """Kill the processes this office started that are still running (after a failed test)."""
        for proc in self.processes:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    def cli(self, *args: str, now: datetime, timeout: float = 60, **kw: Any) -> Result:
        proc = self.spawn(*args, now=now, **kw)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"{args} did not finish in {timeout} s\n{out}\n{err}") from None
        return Result(proc.returncode, out, err)


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def killed(self) -> bool:
        return self.code == -9

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def wait_for(predicate: Any, timeout: float = 10, what: Any = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
