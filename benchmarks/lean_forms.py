"""Benchmark: lean local forms and change detection (issues 10 and 14, local backend).

For one synthetic office of N bidang × 4 indicators (the office of ``poll_local.py``), in a fresh
process, through the real service paths:

* **provision** — CPU time (``time.process_time``) and wall time of :func:`provision` for all N forms,
  per form; and how many times each form file was saved and opened while provisioning;
* **read** — :meth:`LocalBackend.read` of the period tab of provisioned forms with values typed into
  them, against the *same values* in a plain workbook without any protection, validation or styling
  (openpyxl ``Workbook`` with only the values): the ratio is what protection styling costs every read;
* **idle poll** — the real :func:`poll` when nothing changed: wall and CPU time, form files opened
  (a spy on ``zipfile.ZipFile``), beside its floor, listing and ``stat``-ing the N files;
* **sweep poll** — the periodic full sweep (every form re-checked), nothing changed.

    python benchmarks/lean_forms.py                 # N = 200
    python benchmarks/lean_forms.py --sizes 50 200 --write-docs

Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- lean-forms:start -->", "<!-- lean-forms:end -->"
WIB = ZoneInfo("Asia/Jakarta")
READ_SAMPLE = 20
sys.path.insert(0, str(Path(__file__).resolve().parent))


class Opens:
    """Counts ``zipfile.ZipFile`` openings of files in a folder (what openpyxl does to read or write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.files: list[Path] = []
        self._real = zipfile.ZipFile.__init__

    def __enter__(self) -> Opens:
        spy = self

        def init(zf: Any, file: Any, *a: Any, **kw: Any) -> None:
            if isinstance(file, str | os.PathLike):
                p = Path(file).resolve()
                if p.parent == spy.folder:
                    spy.files.append(p)
            spy._real(zf, file, *a, **kw)

        zipfile.ZipFile.__init__ = init  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        zipfile.ZipFile.__init__ = self._real  # type: ignore[method-assign]


def plain_copy(src: Path, dst: Path, tab: str) -> None:
    """The same values as ``src``'s tab in a workbook with no protection, validation or styles."""
    from openpyxl import Workbook, load_workbook

    ws_in = load_workbook(src, read_only=True, data_only=True)[tab]
    wb = Workbook()
    ws = wb.active
    ws.title = tab
    for row in ws_in.iter_rows(values_only=True):
        ws.append(list(row))
    wb.save(dst)


def best(fn: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def scenario(n: int) -> dict[str, Any]:
    from poll_local import edits_for, make_office

    from sheets_sync.config import load
    from sheets_sync.core.clock import ManualClock
    from sheets_sync.core.form import read_range
    from sheets_sync.model import Period
    from sheets_sync.service.app import App
    from sheets_sync.service.demo import type_into
    from sheets_sync.service.poll import poll
    from sheets_sync.service.provision import provision

    out: dict[str, Any] = {"n": n}
    period = Period(2025, 1)
    with tempfile.TemporaryDirectory(prefix="lean-forms-") as tmp:
        clock = ManualClock(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
        app = App.from_settings(load(make_office(Path(tmp) / "office", n)), clock=clock)
        folder = app.settings.forms_folder
        folder.mkdir(parents=True, exist_ok=True)
        saves: list[Path] = []
        real_replace = os.replace

        def counting_replace(a: Any, b: Any) -> None:
            if Path(b).resolve().parent == folder.resolve():
                saves.append(Path(b))
            real_replace(a, b)

        os.replace = counting_replace  # type: ignore[assignment]
        try:
            with Opens(folder) as opens:
                c0, w0 = time.process_time(), time.perf_counter()
                report = provision(app, period)
                out["provision_cpu_s"], out["provision_wall_s"] = time.process_time() - c0, time.perf_counter() - w0
        finally:
            os.replace = real_replace  # type: ignore[assignment]
        if len(report.created) != n or report.findings:
            raise SystemExit(f"provision created {len(report.created)}, findings {report.findings[:3]}")
        out["provision_cpu_ms_per_form"] = out["provision_cpu_s"] / n * 1000
        out["saves_per_form"] = len(saves) / n
        out["opens_per_form"] = len(opens.files) / n

        codes = [f"B{b:03d}" for b in range(1, n + 1)]
        for b, code in enumerate(codes[:READ_SAMPLE], start=1):
            type_into(app, code, edits_for(b, 1), period)
        rng = read_range(period)
        form_t, plain_t = [], []
        for code in codes[:READ_SAMPLE]:
            link = Path(app.store.forms(2025)[code].link)
            plain = Path(tmp) / f"plain-{code}.xlsx"
            plain_copy(link, plain, period.tab)
            assert app.backend.read(str(link), [rng])[rng] == app.backend.read(str(plain), [rng])[rng]
            form_t.append(best(lambda link=link: app.backend.read(str(link), [rng])))
            plain_t.append(best(lambda plain=plain: app.backend.read(str(plain), [rng])))
        out["read_form_ms"] = sum(form_t) / len(form_t) * 1000
        out["read_plain_ms"] = sum(plain_t) / len(plain_t) * 1000
        out["read_ratio"] = out["read_form_ms"] / out["read_plain_ms"]
        out["form_kb"] = os.path.getsize(app.store.forms(2025)[codes[-1]].link) / 1024

        clock.sleep(900)
        poll(app, period)  # first poll: everything read
        idle_wall, idle_cpu, opened = [], [], []
        for _ in range(3):
            clock.sleep(900)
            with Opens(folder) as o:
                c0, w0 = time.process_time(), time.perf_counter()
                r = poll(app, period)
                idle_cpu.append(time.process_time() - c0)
                idle_wall.append(time.perf_counter() - w0)
            if r.read:
                raise SystemExit(f"idle poll read {r.read[:5]}")
            opened.append(len(o.files))
        out["idle_poll_ms"] = min(idle_wall) * 1000
        out["idle_poll_cpu_ms"] = min(idle_cpu) * 1000
        out["idle_opened"] = max(opened)

        def listing() -> None:
            for e in os.scandir(folder):
                if e.name.endswith(".xlsx"):
                    e.stat()

        out["list_stat_ms"] = best(listing) * 1000
        clock.sleep(900)
        w0 = time.perf_counter()
        r = poll(app, period, sweep=True)
        out["sweep_poll_ms"] = (time.perf_counter() - w0) * 1000
        out["sweep_read"] = len(r.read)
        app.store.close()
    return out


def table(results: list[dict[str, Any]]) -> str:
    head = ("| N | provision CPU | per form | saves / zip opens per form | read: form / plain (ratio) | form size "
            "| idle poll (CPU) | forms opened | list + stat N files | sweep poll |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    rows = "".join(
        f"| {r['n']} | {r['provision_cpu_s']:.1f} s | {r['provision_cpu_ms_per_form']:.1f} ms "
        f"| {r['saves_per_form']:.0f} / {r['opens_per_form']:.0f} "
        f"| {r['read_form_ms']:.1f} / {r['read_plain_ms']:.1f} ms ({r['read_ratio']:.2f}×) | {r['form_kb']:.0f} KB "
        f"| {r['idle_poll_ms']:.0f} ms ({r['idle_poll_cpu_ms']:.0f} ms) | {r['idle_opened']} "
        f"| {r['list_stat_ms']:.1f} ms | {r['sweep_poll_ms']:.0f} ms ({r['sweep_read']} read) |\n"
        for r in results)
    return head + rows


def section(results: list[dict[str, Any]]) -> str:
    return f"""{START}
## Local forms: protection cost, provision, idle poll

`python benchmarks/lean_forms.py --write-docs` — the synthetic office of `poll_local.py` (N bidang × 4
indicators), each N in a fresh process, through the real `provision` and `poll`. *Provision CPU* is
`time.process_time` for all N forms (create, set up, link; each form built in memory and saved once);
*saves / zip opens per form* count the form files replaced, and opened as zip files
(the save itself included), while provisioning. *Read* is
`LocalBackend.read` of the period tab of {READ_SAMPLE} provisioned forms with values typed in, against the same
values in a plain workbook with no protection, validation or styles (best of 5 each): protection is kept
as unlocked column styles (rows people add), a locked row style on every row a protected range covers, and
unlocked cells stored only for the empty input cells of those rows, so no other empty cell is
materialised. *Idle poll* is the real `poll` with nothing changed (best of 3; it still reads the control
workbook and evaluates every bidang from the store); *forms opened* counts form files opened by it (a spy on
`zipfile.ZipFile`): change detection is a `stat` per file. The floor beside it is listing and `stat`-ing
the N files. The *sweep poll* re-reads every form (nothing changed: no new snapshot row). Python
{platform.python_version()}, {platform.machine()}.

{table(results)}{END}"""


def write_docs(results: list[dict[str, Any]]) -> None:
    text = DOC.read_text(encoding="utf-8")
    new = section(results)
    if START in text:
        text = text[: text.index(START)] + new + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200])
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(scenario(args.one)))
        return
    results = []
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(done.stderr)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(table(results))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
