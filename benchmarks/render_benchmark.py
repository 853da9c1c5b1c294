"""Render benchmark: a synthetic office with 1,000 indicators (100 sasaran, 20 bidang, all four jenis
konsolidasi), every document type; CPU time, peak Python allocations (tracemalloc) and peak RSS.

    python benchmarks/render_benchmark.py [--indicators 1000] [--write-docs]

``--write-docs`` replaces the "Documents" section of docs/benchmarks.md with the measured table.
Each document is rendered in a fresh subprocess so peak RSS belongs to that document alone.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
CASES = (
    ("pengukuran_kinerja", 1, "triwulan"),
    ("pengukuran_kinerja", 2, "semester"),
    ("pengukuran_kinerja", 4, "tahunan"),
    ("rekap_kelengkapan", 1, "triwulan"),
    ("surat_pengantar", 4, "tahunan"),
)


def one(kind: str, quarter: int, edition: str, n: int) -> dict[str, float | int | str]:
    """Render one document in this process and measure it."""
    import sheets_sync.reports.render  # noqa: F401  (imports counted outside the timing)
    from sheets_sync.model import Period
    from sheets_sync.reports import build_context, render
    from sheets_sync.reports.sample import synthetic_request

    req = synthetic_request(n, period=Period(2025, quarter), edition=edition)  # type: ignore[arg-type]
    render(kind, req, Path(tempfile.mkdtemp()))  # warm-up: lazy imports, font cache
    t0 = time.process_time()
    build_context(kind, req)
    t_ctx = time.process_time() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.process_time()
        done = render(kind, req, Path(tmp))
        t_render = time.process_time() - t0
        size = done.path.stat().st_size
    tracemalloc.start()  # a separate, traced render: tracemalloc slows Python down severalfold
    with tempfile.TemporaryDirectory() as tmp:
        render(kind, req, Path(tmp))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "edition": edition, "context_s": t_ctx, "render_s": t_render,
            "peak_py_mb": peak / 2**20, "peak_rss_mb": rss_kb / 1024, "size_kb": size / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--indicators", type=int, default=1000)
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "QUARTER", "EDITION"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, q, edition = args.child
        print(json.dumps(one(kind, int(q), edition, args.indicators)))
        return 0
    results = []
    for kind, q, edition in CASES:
        out = subprocess.run([sys.executable, __file__, "--indicators", str(args.indicators), "--child", kind,
                              str(q), edition], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{kind:20} {edition:9} context {r['context_s']:.2f} s  render {r['render_s']:.2f} s  "
              f"peak Python {r['peak_py_mb']:.0f} MB  peak RSS {r['peak_rss_mb']:.0f} MB  {r['size_kb']:.0f} KB")
    if args.write_docs:
        write_docs(results, args.indicators)
    return 0


def write_docs(results: list[dict[str, float | int | str]], n: int) -> None:
    rows = "\n".join(
        f"| {r['kind']} | {r['edition']} | {float(r['context_s']):.2f} s | {float(r['render_s']):.2f} s | "
        f"{float(r['peak_py_mb']):.0f} MB | {float(r['peak_rss_mb']):.0f} MB | {float(r['size_kb']):.0f} KB |"
        for r in results)
    section = f"""<!-- documents:start -->
## Documents

`python benchmarks/render_benchmark.py --write-docs` — a synthetic office with {n:,} indicators
(100 sasaran strategis, 20 bidang, jumlah / nilai akhir / rata-rata / rasio, realisasi for every quarter),
each document rendered in a fresh process after one warm-up render; CPU time of the process
(`time.process_time`, so other work on the machine does not count). *Context* is the pure computation
(capaian, roll-up, means); *render* is context + docxtpl + chart + page set-up + deterministic zip + write.
*Peak Python* is tracemalloc's peak during the render; *peak RSS* is the whole process (interpreter,
python-docx, matplotlib). Measured on {platform.machine()} / Python {platform.python_version()}.

| document | edition | context | render | peak Python | peak RSS | .docx size |
|---|---|---:|---:|---:|---:|---:|
{rows}

The chart shows capaian per indicator up to 40 indicators, per sasaran strategis up to 40 sasaran, and
above that the number of indicators in each predikat band (one bar per item would be unreadable).
PDF conversion (LibreOffice, `--pdf`) is not included: it takes about 3–5 s for a short document
and 16 s for the 1,000-indicator Pengukuran Kinerja (63 landscape A4 pages) on the same machine.
<!-- documents:end -->"""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if "<!-- documents:start -->" in text:
        text = re.sub(r"<!-- documents:start -->.*?<!-- documents:end -->", lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
