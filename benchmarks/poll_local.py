"""Benchmark: provision and poll cycles of the embedded default (local .xlsx forms + SQLite store).

A synthetic office with N bidang and 4 indicators each (control workbook written through
``LocalBackend.write`` like ``sheets-sync init`` does, valid targets so the master has no findings),
run by the real :func:`~sheets_sync.service.provision.provision` / :func:`~sheets_sync.service.poll.poll` on an
injected clock.  Bidang "type" into their forms with openpyxl, as Excel saves them.  Measured per N,
each N in a fresh process (so peak RSS is that office's alone):

* provision time for all N forms; a first full poll (every form read); a poll after k = 10% of the
  forms were edited; a poll with nothing changed;
* peak RSS of the timed run (``resource.getrusage``) and, afterwards, peak Python allocations
  (``tracemalloc``, which slows Python down severalfold) over three more polls: every form touched and
  read again, k edited, nothing changed;
* the SQLite store after 10 polls with k edits each, then a poll after k forms were re-saved
  without edits (read again, same hash: no new snapshot row) and a poll with nothing changed.

    python benchmarks/poll_local.py                     # N = 5, 50, 200 (about 2.5 min on 2 cores)
    python benchmarks/poll_local.py --sizes 5 50 --no-trace
    python benchmarks/poll_local.py --write-docs        # also the poll-local section of docs/benchmarks.md
    python benchmarks/poll_local.py --profile 200       # cProfile of an unchanged poll, top functions

Never run by the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bench_docs

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- poll-local:start -->", "<!-- poll-local:end -->"
BEFORE = "<!-- google:start -->"
WIB = ZoneInfo("Asia/Jakarta")
INDICATORS_PER_UNIT = 4
CHANGE_POLLS = 10

# (satuan, polaritas, konsolidasi, konvensi target, tahunan, TW I–IV): every shape is valid for
# validate_targets and measured in TW I, so each form has 4 rows to fill.
SHAPES = (
    ("orang", "positif", "jumlah", "per_triwulan", "400", ("100", "100", "100", "100")),
    ("%", "positif", "nilai_akhir", "kumulatif", "80,00", ("20,00", "40,00", "60,00", "80,00")),
    ("%", "positif", "rasio", "kumulatif", "90,00", ("90,00", "90,00", "90,00", "90,00")),
    ("nilai", "positif", "rata_rata", "kumulatif", "85,00", ("85,00", "85,00", "85,00", "85,00")),
)


# -- the synthetic office ---------------------------------------------------------------------------------
def three_digits(b: int) -> str:
    """The code of synthetic bidang ``b``: ``B001``."""
    return f"B{b:03d}"


def make_office(folder: Path, n: int, per_unit: int = len(SHAPES), *,
                code_of: Callable[[int], str] = three_digits, report_tabs: bool = True) -> Path:
    """Like :func:`sheets_sync.service.office.init_office`, with N generated bidang × ``per_unit``
    indicators (cycling through :data:`SHAPES`) named by ``code_of``; ``report_tabs``: the control
    workbook also gets the Rekap and Dokumen headers, as ``init`` writes them."""
    from sheets_sync.backends.local import LocalBackend
    from sheets_sync.core.control import BIDANG_HEADERS, INDIKATOR_HEADERS
    from sheets_sync.core.values import RangeWrite
    from sheets_sync.service.office import DOKUMEN_HEADERS, example_config, example_tabs
    from sheets_sync.service.rekap import REKAP_HEADERS

    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "sheets-sync.toml"
    cfg.write_text(example_config("bkpsdm"), encoding="utf-8")
    control = folder / "Kendali Data Kinerja.xlsx"
    bidang: list[list[Any]] = [list(BIDANG_HEADERS)]
    indikator: list[list[Any]] = [list(INDIKATOR_HEADERS)]
    for b in range(1, n + 1):
        code = code_of(b)
        bidang.append([code, f"Bidang Sintetis {b}", f"Kepala Bidang {b}", f"kabid{b}@sukamaju.example",
                       f"operator{b}@sukamaju.example", ""])
        for j in range(1, per_unit + 1):
            satuan, pol, kons, konv, annual, tws = SHAPES[(j - 1) % len(SHAPES)]
            indikator.append([f"{b}.{j}", code, f"Sasaran strategis {b}", f"Indikator {b}.{j} ({kons})", satuan,
                              pol, kons, konv, annual, *tws, f"Cara pengukuran {b}.{j}"])
    jadwal_persetujuan = [w for w in example_tabs("bkpsdm") if w.range.split("!")[0] in ("Jadwal", "Persetujuan")]
    writes = [RangeWrite("Bidang!A1", bidang), RangeWrite("Indikator!A1", indikator), *jadwal_persetujuan]
    if report_tabs:
        writes += [RangeWrite("Rekap!A1", [list(REKAP_HEADERS)]), RangeWrite("Dokumen!A1", [list(DOKUMEN_HEADERS)])]
    LocalBackend(folder).write(str(control.resolve()), writes)
    return cfg


def edits_for(b: int, round_: int) -> dict[str, Any]:
    """What bidang ``b`` types in edit round ``round_`` (values differ per round, as Indonesian text)."""
    return {f"{b}.1:realisasi": 90 + round_, f"{b}.2:realisasi": f"{18 + round_ % 5},5",
            f"{b}.3:pembilang": 40 + round_, f"{b}.3:penyebut": 48, f"{b}.4:realisasi": f"{80 + round_ % 7},25",
            f"{b}.4:keterangan": f"Survei putaran {round_}"}


def resave(link: str) -> None:
    """Open and save without editing (Excel's Ctrl+S, a sync client rewriting the file)."""
    from openpyxl import load_workbook

    wb = load_workbook(link)
    wb.save(link)


class Office:
    """A synthetic office on an injected clock (the service's time; wall time is measured apart)."""

    def __init__(self, folder: Path, n: int) -> None:
        from sheets_sync.config import load
        from sheets_sync.core.clock import ManualClock
        from sheets_sync.model import Period
        from sheets_sync.service.app import App

        self.n = n
        self.k = max(1, n // 10)
        self.period = Period(2025, 1)
        self.clock = ManualClock(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
        self.app = App.from_settings(load(make_office(folder, n)), clock=self.clock)
        self.store_path = Path(self.app.settings.store_url.removeprefix("sqlite:///"))
        self.round = 0

    def codes(self) -> list[str]:
        return [f"B{b:03d}" for b in range(1, self.n + 1)]

    def provision(self) -> float:
        from sheets_sync.service.provision import provision

        self.clock.sleep(1800)
        t0 = time.perf_counter()
        report = provision(self.app, self.period)
        took = time.perf_counter() - t0
        if report.findings or len(report.created) != self.n:
            raise SystemExit(f"provision: {len(report.created)} created, findings {report.findings[:3]}")
        return took

    def sweep_due(self) -> bool:
        """Whether the next poll is the periodic full sweep (every ``[backend] full_sweep_every`` polls,
        counted per period in the store): it reads every form whatever changed."""
        cycle = int(self.app.store.get_meta(f"cycle:{self.period}") or 0) + 1
        return cycle % self.app.settings.local.full_sweep_every == 0

    def poll(self, expect_read: int | None) -> tuple[float, int]:
        """One poll; (wall seconds, forms read).  The local backend lists files modified at or after the
        watermark, so the newest form is read again each cycle (same hash: no new row) — allowed here.
        A periodic full sweep reads all N forms instead of ``expect_read``."""
        from sheets_sync.service.poll import poll

        if expect_read is not None and self.sweep_due():
            expect_read = self.n
        self.clock.sleep(1800)
        t0 = time.perf_counter()
        report = poll(self.app, self.period)
        took = time.perf_counter() - t0
        if (expect_read is not None and len(report.read) not in (expect_read, expect_read + 1)) or report.failed:
            raise SystemExit(f"poll read {len(report.read)} forms, expected {expect_read}; failed {report.failed}")
        if any(f.unit == "KENDALI" for f in report.findings):
            raise SystemExit("the synthetic master has findings")
        return took, len(report.read)

    def edit(self) -> None:
        """k forms edited (a different k each round), saved by openpyxl as Excel would."""
        from sheets_sync.service.demo import type_into

        self.round += 1
        for i in range(self.k):
            b = (self.round - 1) * self.k + i
            type_into(self.app, f"B{b % self.n + 1:03d}", edits_for(b % self.n + 1, self.round), self.period)

    def snapshot_rows(self) -> int:
        return int(self.app.store.conn.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0])

    def store_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.store_path.parent.glob(self.store_path.name + "*"))


def scenario(n: int, trace: bool = True) -> dict[str, Any]:
    """The whole run for one N (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="poll-local-") as tmp:
        office = Office(Path(tmp) / "office", n)
        out: dict[str, Any] = {"n": n, "k": office.k, "indicators": n * INDICATORS_PER_UNIT,
                               "full_sweep_every": office.app.settings.local.full_sweep_every}
        out["provision_s"] = office.provision()
        out["full_poll_s"], out["full_read"] = office.poll(expect_read=n)
        office.edit()
        out["changed_poll_s"], out["changed_read"] = office.poll(expect_read=office.k)
        out["idle_poll_s"], out["idle_read"] = office.poll(expect_read=0)
        for _ in range(CHANGE_POLLS - 1):
            office.edit()
            office.poll(expect_read=office.k)
        out["rows_after_changes"] = office.snapshot_rows()
        links = [office.app.store.forms(2025)[c].link for c in office.codes()]
        for link in links[: office.k]:
            resave(link)
        office.poll(expect_read=office.k)
        out["rows_added_resaved"] = office.snapshot_rows() - out["rows_after_changes"]
        office.poll(expect_read=0)
        out["rows_added_idle"] = office.snapshot_rows() - out["rows_after_changes"] - out["rows_added_resaved"]
        out["form_kb"] = os.path.getsize(links[0]) / 1024
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if trace:  # after the timed part: tracing slows Python down severalfold and costs RSS itself
            tracemalloc.start()
            for link in links:  # every form touched (a sync client re-writing the folder): all read again
                os.utime(link)
            office.poll(expect_read=n)
            office.edit()
            office.poll(expect_read=None)  # files touched within one clock tick all sit at the watermark
            office.poll(expect_read=None)
            out["peak_py_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        office.app.store.close()  # checkpoints the WAL into the database file
        out["store_bytes"] = office.store_bytes()
    return out


def child(n: int, trace: bool) -> dict[str, Any]:
    import openpyxl  # noqa: F401  (imports are not the office's cost)
    import pandas  # noqa: F401

    import sheets_sync.service.poll  # noqa: F401

    return scenario(n, trace)


def run_child(n: int, trace: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(n)] + ([] if trace else ["--no-trace"])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"N={n} failed:\n{done.stderr}{done.stdout}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- profile ---------------------------------------------------------------------------------------------
def profile(n: int, top: int = 15) -> str:
    """cProfile of one poll of an office where nothing changed (after a full poll)."""
    with tempfile.TemporaryDirectory(prefix="poll-local-") as tmp:
        office = Office(Path(tmp) / "office", n)
        office.provision()
        office.poll(expect_read=n)
        office.poll(expect_read=0)  # warm
        prof = cProfile.Profile()
        prof.enable()
        office.poll(expect_read=0)
        prof.disable()
        office.app.store.close()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# -- output ----------------------------------------------------------------------------------------------
def _s(seconds: float) -> str:
    if seconds < 0.01:  # an idle poll is about a millisecond: "0 ms" would say nothing
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


HEADER = (f"| N bidang | indicators | provision | full poll | k | poll, k edited | poll, nothing edited | peak Python "
          f"| peak RSS | SQLite after {CHANGE_POLLS} change polls | rows added: re-saved / idle |\n"
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def render(results: list[dict[str, Any]], wall: float) -> str:
    rows = []
    for r in results:
        peak_py = f"{r['peak_py_mb']:.0f} MB" if "peak_py_mb" in r else "–"
        rows.append(
            f"| {r['n']} | {r['indicators']} | {_s(r['provision_s'])} ({_s(r['provision_s'] / r['n'])}/form) | "
            f"{_s(r['full_poll_s'])} ({r['full_read']} read) | {r['k']} | "
            f"{_s(r['changed_poll_s'])} ({r['changed_read']} read) | "
            f"{_s(r['idle_poll_s'])} ({r['idle_read']} read) | "
            f"{peak_py} | {r['peak_rss_mb']:.0f} MB | {r['store_bytes'] / 1024:.0f} KB, {r['rows_after_changes']} "
            f"rows | +{r['rows_added_resaved']} / +{r['rows_added_idle']} |"
        )
    form_kb = results[-1]["form_kb"] if results else 0
    sweep_every = results[-1]["full_sweep_every"] if results else 0
    sizes = ", ".join(str(r["n"]) for r in results)
    paragraph = textwrap.fill(" ".join(f"""
`python benchmarks/poll_local.py --write-docs` — one synthetic office per N, each in a fresh process: N bidang
× 4 indicators in the control workbook (written through `LocalBackend.write` like `sheets-sync init`; valid
targets, so the master has no findings), forms as .xlsx files in a folder (about {form_kb:.0f} KB each), the
SQLite store, and the real `provision` and `poll` on an injected clock. *Provision* creates, sets up
(validation, protection) and links all N forms. The *full poll* is the first one (no watermark: every form
is read). Then k = 10% of the forms are edited with openpyxl, as Excel saves them, and the next poll reads
those; the last poll has nothing new to read. *read* counts the forms read: a form is read when its size or
modification time differs from those of its last read. A poll with something read evaluates the bidang whose
inputs moved and writes the `Rekap` rows that changed; a poll with nothing changed answers from the last
poll's report kept in memory (a `stat` per form, no form or control workbook opened). Every
{sweep_every}th poll of a period is a full sweep that reads every form again (in the change polls below
for the SQLite column; same content hash, no new row).
*Peak RSS* is the whole process over the timed run; *peak Python* is tracemalloc's peak over three more
polls traced after it (every form touched and read again, k edited, nothing changed), since tracing slows
Python down severalfold. *SQLite* is the
store after {CHANGE_POLLS} polls with k edits each, WAL checkpointed: snapshots are append-only, one row per
distinct content (N + {CHANGE_POLLS}·k rows); the file also holds the N link e-mails queued by provision,
its largest table. The last column is the rows added by a poll after k forms were re-saved without edits (re-read,
same hash) and by a poll with nothing changed. Wall-clock times on a 2-core {platform.machine()} VM, Python
{platform.python_version()}; N stops at {results[-1]["n"] if results else 0} so the whole benchmark
(N = {sizes}) runs in about {wall / 60:.1f} min.
""".split()), width=110, break_long_words=False, break_on_hyphens=False)
    return f"""{START}
## Local backend (embedded default): provision and poll

{paragraph}

{HEADER}
{chr(10).join(rows)}
{END}"""


def _before_google(current: str, text: str) -> str:
    if BEFORE not in current:
        return bench_docs.append(current, text)
    head, rest = current.split(BEFORE, 1)
    return head + text + "\n\n" + BEFORE + rest


def write_section(text: str) -> None:
    bench_docs.write_section(DOC, START, END, text, _before_google)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 200])
    ap.add_argument("--write-docs", action="store_true", help="write the poll-local section of docs/benchmarks.md")
    ap.add_argument("--no-trace", action="store_true", help="skip the tracemalloc polls (no peak Python column)")
    ap.add_argument("--profile", type=int, metavar="N", help="cProfile one unchanged poll of an N-bidang office")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, not args.no_trace)))
        return 0
    if args.profile:
        print(profile(args.profile))
        return 0
    t0 = time.perf_counter()
    results = []
    for n in args.sizes:
        r = run_child(n, trace=not args.no_trace)
        results.append(r)
        print(f"N={n}: provision {_s(r['provision_s'])}, full poll {_s(r['full_poll_s'])}, "
              f"k={r['k']} poll {_s(r['changed_poll_s'])}, idle poll {_s(r['idle_poll_s'])}", file=sys.stderr)
    text = render(results, time.perf_counter() - t0)
    return bench_docs.publish(text, write_section if args.write_docs else None)


if __name__ == "__main__":
    raise SystemExit(main())
