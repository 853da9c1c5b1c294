"""Benchmark: the real ``provision()`` and ``poll()`` of the embedded default at any office size, each
beside its bare floor measured in the same process.

A synthetic office with N bidang × I indicators (default 10) in the control workbook (written through
``LocalBackend.write`` like ``sheets-sync init``; valid targets, so the master has no findings), forms as
.xlsx files in a folder, the SQLite store, on an injected clock.  Per N, in a fresh process:

* **provision** — the real :func:`provision` for all N forms; CPU per form.  Floor: openpyxl building and
  saving a workbook with the same values (no protection, no validation), per form;
* **full poll** — the first poll (every form read).  Floor: openpyxl (read-only) reading the N files;
* **k-changed poll** — k = 10 % of the forms edited (openpyxl, as Excel saves them).  Floor: reading the
  k files + one openpyxl write of a Rekap-sized workbook (N rows × 12 columns).  Best of three rounds
  (other forms each round), each beside its own floor;
* **idle poll** — nothing changed (25 polls, a floor after each; a periodic full sweep is not timed).
  Floor: listing the folder and ``stat``-ing the N forms;
* **form read** — one provisioned form read by openpyxl vs the same values saved without protection
  styling (what the protection costs every later read).

Times are CPU seconds of this process (``time.process_time``); the ratio is poll / floor.  Peak RSS is
the whole process (``resource.getrusage``) at the end of the run.

    python benchmarks/office_scale.py                          # N = 5, 50, 200, 1000, 2000
    python benchmarks/office_scale.py --sizes 5 50 --indicators 4
    python benchmarks/office_scale.py --write-docs             # the office-scale section of docs/benchmarks.md

Each N runs in its own child process with a time limit (``--timeout``, default 900 s); a size that runs
over is reported as such instead of blocking the run.  Never run by the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bench_docs
from poll_local import SHAPES, make_office

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- office-scale:start -->", "<!-- office-scale:end -->"
WIB = ZoneInfo("Asia/Jakarta")
IDLE_ROUNDS = 25  # idle polls, each with a floor beside it: a millisecond is at the mercy of the machine
K_ROUNDS = 3  # k-changed polls, each with its own floor: a single one moved its ratio by ±40 % between runs


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(CPU seconds of this process, result) of ``fn()``."""
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def code_of(b: int) -> str:
    return f"B{b:04d}"


def edits_for(b: int, per_unit: int, round_: int) -> dict[str, Any]:
    """What bidang ``b`` types in edit round ``round_`` (Indonesian text, as people type)."""
    out: dict[str, Any] = {}
    for j in range(1, per_unit + 1):
        kons = SHAPES[(j - 1) % len(SHAPES)][2]
        if kons == "rasio":
            out[f"{b}.{j}:pembilang"] = 40 + round_
            out[f"{b}.{j}:penyebut"] = 48
        else:
            out[f"{b}.{j}:realisasi"] = f"{80 + round_ % 7},25" if kons != "jumlah" else 90 + round_
    out[f"{b}.1:keterangan"] = f"Survei putaran {round_}"
    return out


# -- floors ----------------------------------------------------------------------------------------------------
def floor_list_stat(folder: Path) -> int:
    """List the folder and stat every .xlsx (what an idle poll cannot avoid)."""
    n = 0
    with os.scandir(folder) as it:
        for e in it:
            if e.name.endswith(".xlsx") and e.is_file():
                e.stat()
                n += 1
    return n


def floor_read(paths: list[str]) -> int:
    """openpyxl read-only, every value of every tab (the bare read of these files)."""
    from openpyxl import load_workbook

    cells = 0
    for p in paths:
        wb = load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
        wb.close()
    return cells


def floor_rekap_write(folder: Path, n: int) -> None:
    """One openpyxl write of a Rekap-sized workbook (N rows × 12 columns)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Periode", "Kode", "Bidang", "Terisi", "Wajib", "Kelengkapan (%)", "Status", "Jumlah Masalah",
               "Perubahan Terakhir", "Tepat Waktu", "Status Rapat", "Tautan Form"])
    for b in range(1, n + 1):
        ws.append(["2025-TW1", code_of(b), f"Bidang Sintetis {b}", 4, 10, "40,00", "Sebagian", 6,
                   "8 April 2025 pukul 09.00 WIB", "–", "Belum dibahas", f"/forms/{b}.xlsx"])
    wb.save(folder / "floor-rekap.xlsx")


def form_values(path: str, tab: str) -> list[list[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in wb[tab].iter_rows(values_only=True)]
    finally:
        wb.close()


def floor_build_form(folder: Path, values: list[list[Any]], i: int) -> None:
    """openpyxl: a workbook holding exactly ``values``, saved once (no protection, no validation)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "TW1"
    for row in values:
        ws.append(row)
    wb.save(folder / f"floor-form-{i}.xlsx")


# -- the run ---------------------------------------------------------------------------------------------------
def scenario(n: int, per_unit: int) -> dict[str, Any]:
    from sheets_sync.config import load
    from sheets_sync.core.clock import ManualClock
    from sheets_sync.model import Period
    from sheets_sync.service.app import App
    from sheets_sync.service.demo import type_into
    from sheets_sync.service.poll import poll
    from sheets_sync.service.provision import provision

    period = Period(2025, 1)
    k = max(1, n // 10)
    out: dict[str, Any] = {"n": n, "indicators": n * per_unit, "k": k}
    with tempfile.TemporaryDirectory(prefix="office-scale-") as tmp:
        root = Path(tmp)
        clock = ManualClock(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
        config = make_office(root / "office", n, per_unit, code_of=code_of, report_tabs=False)
        app = App.from_settings(load(config), clock=clock)
        forms_dir = Path(app.settings.forms_folder)
        scratch = root / "floor"
        scratch.mkdir()

        clock.sleep(1800)
        out["provision_cpu"], rep = cpu(lambda: provision(app, period))
        if rep.findings or len(rep.created) != n:
            raise SystemExit(f"provision: {len(rep.created)} created, findings {rep.findings[:3]}")
        links = [app.store.forms(2025)[code_of(b)].link for b in range(1, n + 1)]
        out["form_kb"] = os.path.getsize(links[0]) / 1024
        sample = links[: min(n, 20)]
        vals = [form_values(p, period.tab) for p in sample]
        floor_t, _ = cpu(lambda: [floor_build_form(scratch, v, i) for i, v in enumerate(vals)])
        out["provision_floor_cpu"] = floor_t / len(sample) * n

        # what protection styling costs a later read of the same values
        plain = sorted(scratch.glob("floor-form-*.xlsx"))
        styled_t, _ = cpu(lambda: floor_read(sample))
        plain_t, _ = cpu(lambda: floor_read([str(p) for p in plain]))
        out["form_read_ratio"] = styled_t / plain_t if plain_t else None

        clock.sleep(1800)
        out["full_poll_cpu"], r = cpu(lambda: poll(app, period))
        out["full_read"] = len(r.read)
        out["full_floor_cpu"], _ = cpu(lambda: floor_read(links))
        if any(f.unit == "KENDALI" for f in r.findings):
            raise SystemExit("the synthetic master has findings")

        clock.sleep(1800)  # settle: a poll with nothing changed after the full one
        poll(app, period)

        rounds: list[tuple[float, float]] = []  # (poll, floor) of each k-changed round
        for round_ in range(1, K_ROUNDS + 1):  # other forms each round, so every poll reads k new edits
            changed = [(round_ - 1) * k % n + b for b in range(1, k + 1)]
            for b in changed:
                type_into(app, code_of(b), edits_for(b, per_unit, round_), period)
            clock.sleep(1800)
            gc.collect()  # the full poll's garbage is collected before either side, not during one of them
            poll_t, r = cpu(lambda: poll(app, period))
            out["changed_read"] = len(r.read)
            if len(r.read) != k:
                raise SystemExit(f"k-changed poll read {len(r.read)} forms, expected {k}")
            gc.collect()
            paths = [links[b - 1] for b in changed]
            read_t, _ = cpu(lambda: floor_read(paths))  # noqa: B023 (called at once, in this round)
            write_t, _ = cpu(lambda: floor_rekap_write(scratch, n))
            rounds.append((poll_t, read_t + write_t))
        out["changed_poll_cpu"] = min(p for p, _ in rounds)
        out["changed_floor_cpu"] = min(f for _, f in rounds)
        out["changed_ratios"] = [p / f for p, f in rounds]

        clock.sleep(1800)
        idle: list[float] = []
        floors: list[float] = []
        out["idle_read"] = 0
        while len(idle) < IDLE_ROUNDS:  # each idle poll beside a floor taken right after it
            clock.sleep(60)
            cycle = int(app.store.get_meta(f"cycle:{period}") or 0) + 1
            if cycle % app.settings.local.full_sweep_every == 0:
                poll(app, period)  # the periodic full sweep reads every form: not an idle poll
                continue
            t, r = cpu(lambda: poll(app, period))
            idle.append(t)
            out["idle_read"] = max(out["idle_read"], len(r.read))
            floors.append(cpu(lambda: floor_list_stat(forms_dir))[0])
        out["idle_poll_cpu"], out["idle_floor_cpu"] = min(idle), min(floors)
        out["idle_median_ratio"] = sorted(idle)[IDLE_ROUNDS // 2] / sorted(floors)[IDLE_ROUNDS // 2]
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        app.store.close()
    return out


def child(n: int, per_unit: int) -> dict[str, Any]:
    import openpyxl  # noqa: F401  (imports are not the office's cost)
    import pandas  # noqa: F401

    import sheets_sync.service.poll
    import sheets_sync.service.rekap  # noqa: F401

    return scenario(n, per_unit)


def run_child(n: int, per_unit: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(n), "--indicators", str(per_unit)]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"n": n, "timeout": timeout}
    if done.returncode:
        raise SystemExit(f"N={n} failed:\n{done.stderr}{done.stdout}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t0
    return result


# -- output ----------------------------------------------------------------------------------------------------
def _t(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms" if seconds < 1 \
        else f"{seconds:.2f} s"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b > 0 else "–"


def _median(ratio: float | None) -> str:
    """`` (median 1.60×)``, "" when not measured."""
    return f" (median {ratio:.2f}×)" if ratio is not None else ""


def _spread(ratios: list[float]) -> str:
    """`` (1.05–1.30×)``: the range of the rounds' own ratios, "" for fewer than two rounds."""
    return f" ({min(ratios):.2f}–{max(ratios):.2f}×)" if len(ratios) > 1 else ""


HEADER = ("| N bidang | indicators | provision CPU / form (floor) | ratio | form read vs unstyled | full poll (floor) "
          "| ratio | k | k-changed poll (floor) | ratio | idle poll (floor) | ratio | peak RSS |\n"
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def render(results: list[dict[str, Any]], per_unit: int) -> str:
    rows = []
    for r in results:
        if "timeout" in r:
            rows.append(f"| {r['n']} | – | over the {r['timeout']:.0f} s limit of one run | | | | | | | | | | |")
            continue
        n = r["n"]
        prov, prov_f = r["provision_cpu"] / n, r["provision_floor_cpu"] / n
        rows.append(
            f"| {n} | {r['indicators']} | {_t(prov)} ({_t(prov_f)}) | {_ratio(prov, prov_f)} | "
            f"{r['form_read_ratio']:.2f}× | {_t(r['full_poll_cpu'])} ({_t(r['full_floor_cpu'])}) | "
            f"{_ratio(r['full_poll_cpu'], r['full_floor_cpu'])} | {r['k']} | "
            f"{_t(r['changed_poll_cpu'])} ({_t(r['changed_floor_cpu'])}) | "
            f"{_ratio(r['changed_poll_cpu'], r['changed_floor_cpu'])}{_spread(r.get('changed_ratios', []))} | "
            f"{_t(r['idle_poll_cpu'])} ({_t(r['idle_floor_cpu'])}) | {_ratio(r['idle_poll_cpu'], r['idle_floor_cpu'])}"
            f"{_median(r.get('idle_median_ratio'))} "
            f"| {r['peak_rss_mb']:.0f} MB |")
    return f"""{START}
## Office scale: the real provision and poll beside their floor

`python benchmarks/office_scale.py --write-docs` — one synthetic office per N in a fresh process: N bidang ×
{per_unit} indicators in the control workbook, forms as .xlsx files, the SQLite store, the real `provision()`
and `poll()` on an injected clock. Every figure is CPU time of that process (`time.process_time`), and each
floor is measured in the same run on the same files:

* *provision*: per form; floor = openpyxl building and saving a workbook with the same values (no
  protection, no validation). *form read vs unstyled*: openpyxl reading a provisioned form ÷ reading the
  same values saved without protection styling;
* *full poll*: the first poll, every form read; floor = openpyxl (read-only) reading the N files;
* *k-changed poll*: k = 10 % of the forms edited with openpyxl as Excel saves them; floor = reading those
  k files + one openpyxl write of a Rekap-sized workbook (N rows × 12 columns); {K_ROUNDS} rounds, other forms
  each, garbage collected before each side: the best poll beside the best floor, the range of the rounds'
  own ratios in brackets;
* *idle poll*: nothing changed, {IDLE_ROUNDS} polls each followed by its floor = listing the folder and
  `stat`-ing the N forms; best beside best, the ratio of the medians in brackets.

*Peak RSS* is the whole process at the end of its run. Measured {datetime.now(WIB):%Y-%m-%d} with
`python benchmarks/office_scale.py {" ".join(sys.argv[1:])}`; {platform.machine()}, Python
{platform.python_version()}, {os.cpu_count()} cores shared with other work (ratios are within one run).

{HEADER}
{chr(10).join(rows)}
{END}"""


def _after_title(current: str, text: str) -> str:
    head, _sep, rest = current.partition("\n")
    return head + "\n\n" + text + "\n" + rest


def write_section(text: str) -> None:
    bench_docs.write_section(DOC, START, END, text, _after_title)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 200, 1000, 2000])
    ap.add_argument("--indicators", type=int, default=10, help="indicators per bidang")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds allowed for one N")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.indicators)))
        return 0
    results = []
    for n in args.sizes:
        r = run_child(n, args.indicators, args.timeout)
        results.append(r)
        print(json.dumps(r), file=sys.stderr)
    text = render(results, args.indicators)
    return bench_docs.publish(text, write_section if args.write_docs else None)


if __name__ == "__main__":
    raise SystemExit(main())
