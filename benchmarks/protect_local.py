"""Micro-benchmark: sheet protection of a local form (``LocalBackend._apply_protection``) and the whole
``setup`` (load, protect, save) it is part of (issue 8: public openpyxl API instead of ``ws._cells``).

Three forms of one bidang with N indicators, in a fresh process:

* **fresh** — a form just provisioned (values and locked label cells only);
* **legacy** — the same form as an earlier version provisioned it: a style-only row (every cell
  carrying only its protection) for each of 2,000 rows below the data;
* **setup** — :meth:`LocalBackend.setup` again on the fresh form (what provisioning a new period or
  a refresh costs per form: load, protect, save).

The figure is the best of ``--repeat`` runs, CPU time of this process (``time.process_time``: the
machine may be shared), on a worksheet loaded anew for every run.

    python benchmarks/protect_local.py                  # N = 40 and 400
    python benchmarks/protect_local.py --sizes 40 --repeat 9
    python benchmarks/protect_local.py --repeat 15 --write-docs   # its section of docs/benchmarks.md

Never run by the test suite.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import bench_docs

WIB = ZoneInfo("Asia/Jakarta")
LEGACY_ROWS = 2000
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- protect-local:start -->", "<!-- protect-local:end -->"


@dataclass(frozen=True)
class Timing:
    """Best wall time (ms) of each measured step for one form size."""

    n: int
    fresh_ms: float
    legacy_ms: float
    setup_ms: float


def best(run: Callable[[], float], repeat: int) -> float:
    """The smallest of ``repeat`` measurements ``run`` returns (seconds), in ms."""
    return min(run() for _ in range(repeat)) * 1000


def measure(n: int, repeat: int) -> Timing:
    """Provision one form of ``n`` indicators and time protecting it fresh, legacy and in a setup."""
    from openpyxl import load_workbook
    from openpyxl.styles import Protection
    from openpyxl.worksheet.protection import SheetProtection

    from sheets_sync.backends.local import LocalBackend
    from sheets_sync.core.form import FIRST_ROW, build_setup
    from sheets_sync.model import Indicator, Office, Period, Schedule, Unit

    period = Period(2025, 1)
    office = Office("PEMERINTAH KABUPATEN SUKAMAJU", "Badan Kepegawaian", "BKPSDM", "Sukamaju", "Jl. Merdeka 1")
    unit = Unit("MP", "Bidang Mutasi dan Promosi")
    schedule = Schedule(period, datetime(2025, 4, 8, 8, tzinfo=WIB), datetime(2025, 4, 10, 16, tzinfo=WIB))
    indicators = tuple(
        Indicator(f"1.{i}", "MP", "Meningkatnya sistem merit", f"Indikator {i}", "%", "positif", "nilai_akhir",
                  "kumulatif", "90", ("90", "90", "90", "90"))
        for i in range(1, n + 1))
    setup = build_setup(unit, indicators, period, office, schedule, None)
    with tempfile.TemporaryDirectory(prefix="protect-local-") as tmp:
        backend = LocalBackend(Path(tmp))
        ref = backend.create_form(f"Data Kinerja 2025 — MP {n}")
        backend.setup(ref.id, setup)
        fresh = Path(ref.link)
        legacy = Path(tmp) / "legacy.xlsx"
        wb = load_workbook(fresh)
        for r in range(FIRST_ROW + n, FIRST_ROW + n + LEGACY_ROWS):
            for c in range(1, 17):
                wb[period.tab].cell(r, c).protection = Protection(locked=c not in (8, 9, 10, 11, 12))
        wb.save(legacy)

        def protect(path: Path) -> Callable[[], float]:
            def run() -> float:
                ws = load_workbook(path)[period.tab]
                t0 = time.process_time()
                LocalBackend._apply_protection(ws, setup, SheetProtection)
                return time.process_time() - t0
            return run

        def again() -> float:
            t0 = time.process_time()
            backend.setup(ref.id, setup)
            return time.process_time() - t0

        return Timing(n, best(protect(fresh), repeat), best(protect(legacy), repeat), best(again, repeat))


def section(timings: list[Timing], repeat: int) -> str:
    """The benchmark's section of docs/benchmarks.md (between its markers)."""
    import openpyxl

    rows = "".join(f"| {t.n} | {t.fresh_ms:.2f} ms | {t.legacy_ms:.1f} ms | {t.setup_ms:.1f} ms |\n" for t in timings)
    return f"""{START}
## Local forms: sheet protection through openpyxl's public API

`python benchmarks/protect_local.py {" ".join(sys.argv[1:])}` — one form of N indicators; *protect* is
`LocalBackend._apply_protection` alone on a freshly loaded tab, *legacy* the same on a form with
{LEGACY_ROWS:,} style-only rows below the data (as earlier versions provisioned), *setup* the whole
`LocalBackend.setup` again (load, protect, save). Best of {repeat}, CPU time (`time.process_time`; the
machine is shared), measured {datetime.now(WIB):%Y-%m-%d}, Python {platform.python_version()}, openpyxl
{openpyxl.__version__}. Protection walks the used range with `iter_rows` (openpyxl's public API), decides
"protection only" and "locked" once per `style_id`, drops trailing style-only rows with `delete_rows`,
gives every row a protected range covers a locked row style and stores only the unlocked cells of those
rows (see the note below the table).

| N | protect | legacy | setup |
|---:|---:|---:|---:|
{rows}{END}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    timings = [measure(n, args.repeat) for n in args.sizes]
    return bench_docs.publish(section(timings, args.repeat),
                              (lambda text: bench_docs.write_section(DOC, START, END, text))
                              if args.write_docs else None)


if __name__ == "__main__":
    raise SystemExit(main())
