"""Benchmark: the real ``sheets-sync render --draft`` of a synthetic office on the local backend, in a fresh
process, beside the floors of its largest step measured in the same run.

Per size (default 2,000 and 1,000 indicators: N/10 bidang × 10 indicators, every jenis konsolidasi):

1. a child process builds the office like ``office_scale.py`` — control workbook written through
   ``LocalBackend.write``, the real ``provision()``, every bidang's realisasi typed into its .xlsx the way
   Excel saves it, the real ``poll()`` — so the store holds a snapshot and a status per bidang — and the
   meeting's first decision typed into ``Persetujuan`` (so the control changed since the poll read it);
2. a fresh child process per repetition (the office restored byte for byte before each) imports the
   libraries, then runs the CLI's ``render --period 2025-TW1 --draft`` (``sheets_sync.cli.main``: the
   control read, the approvals, gathering, statuses, every document, the ``Dokumen`` tab).  Measured:
   *total* CPU of that command (``time.process_time``), the *render step* alone (CPU inside
   :func:`sheets_sync.reports.render.render`, summed over the documents), reads of the control workbook
   and writes of the ``Dokumen`` tab, and the process's peak RSS (``resource.getrusage``);
3. in the child of the smaller size, after the command, on the request the service built for the
   Pengukuran Kinerja: that document's render (best of ``--repeat``) beside two floors over the same rows
   and columns (the context's strings): a minimal docxtpl template — one table, a ``{%tr for %}`` row of
   ``{{ r.x }}`` cells, nothing else — rendered and saved, and a bare python-docx table (``add_row`` and
   ``cell.text``) saved.

    python benchmarks/render_office.py                       # 2,000 and 1,000 indicators, 3 repetitions
    python benchmarks/render_office.py --sizes 200 --repeat 1
    python benchmarks/render_office.py --write-docs          # the render section of docs/benchmarks.md

Never run by the test suite.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import platform
import resource
import shutil
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

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- render:start -->", "<!-- render:end -->"
WIB = ZoneInfo("Asia/Jakarta")
PER_UNIT = 10
PERIOD = "2025-TW1"
# the columns of a Pengukuran Kinerja row (report_templates/build_templates.py PK_CELLS), in order
COLUMNS = ("no", "sasaran", "indikator", "satuan", "target_tahunan", "target", "realisasi", "capaian",
           "target_sd", "realisasi_sd", "capaian_sd_target", "capaian_sd", "predikat", "keterangan")


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(CPU seconds of this process, result) of ``fn()``."""
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def best(fn: Callable[[], Any], repeat: int) -> float:
    return min(cpu(fn)[0] for _ in range(repeat))


# -- 1. the office -----------------------------------------------------------------------------------------------
def build(folder: Path, indicators: int) -> None:
    """The synthetic office with its store filled by the real provision and poll (see module docstring)."""
    from office_scale import code_of, edits_for, make_office

    from sheets_sync.config import load
    from sheets_sync.core.clock import ManualClock
    from sheets_sync.model import Period
    from sheets_sync.service.app import App
    from sheets_sync.service.demo import decide, type_into
    from sheets_sync.service.poll import poll
    from sheets_sync.service.provision import provision

    n = max(1, indicators // PER_UNIT)
    period = Period.parse(PERIOD)
    clock = ManualClock(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    # the bidang codes the edits are typed under (make_office's own default is three digits), and a control
    # workbook without Rekap/Dokumen headers as office_scale builds it: render writes its Dokumen tab
    config = make_office(folder, n, PER_UNIT, code_of=code_of, report_tabs=False)
    app = App.from_settings(load(config), clock=clock)
    clock.sleep(1800)
    rep = provision(app, period)
    if rep.findings or len(rep.created) != n:
        raise SystemExit(f"provision: {len(rep.created)} created, findings {rep.findings[:3]}")
    for b in range(1, n + 1):
        type_into(app, code_of(b), edits_for(b, PER_UNIT, 1), period)
    clock.sleep(1800)
    poll(app, period)
    # the meeting's first decision typed into Persetujuan: the control changed, so render reads it (once)
    decide(app, [[PERIOD, code_of(1), "Disetujui", "", "2025-04-08"]])
    app.store.close()


# -- 2. the command ----------------------------------------------------------------------------------------------
class Spy:
    """CPU inside ``reports.render.render`` per document, the request of each, and backend calls."""

    def __init__(self, control: str, report: str) -> None:
        self.control, self.report = control, report
        self.render_cpu: dict[str, float] = {}
        self.requests: dict[str, Any] = {}
        self.control_reads = 0
        self.dokumen_writes = 0

    def install(self) -> None:
        from sheets_sync.backends.local import LocalBackend

        module = importlib.import_module("sheets_sync.reports.render")  # the package shadows the name
        real_render, real_read, real_write = module.render, LocalBackend.read, LocalBackend.write
        spy = self

        def render(kind: str, req: Any, *args: Any, **kw: Any) -> Any:
            t0 = time.process_time()
            try:
                return real_render(kind, req, *args, **kw)
            finally:
                key = f"{kind}:{req.edition}"
                spy.render_cpu[key] = spy.render_cpu.get(key, 0.0) + time.process_time() - t0
                spy.requests[key] = req

        def read(backend: Any, form_id: str, ranges: Any) -> Any:
            spy.control_reads += Path(form_id).resolve() == Path(spy.control).resolve()
            return real_read(backend, form_id, ranges)

        def write(backend: Any, form_id: str, writes: Any) -> Any:
            spy.dokumen_writes += any(w.range.startswith("Dokumen!") for w in writes)
            return real_write(backend, form_id, writes)

        module.render = render  # type: ignore[attr-defined]
        LocalBackend.read = read  # type: ignore[method-assign]
        LocalBackend.write = write  # type: ignore[method-assign]


def command(folder: Path, floors: bool, repeat: int) -> dict[str, Any]:
    """One ``render --draft`` in this (fresh) process; with ``floors`` also the floors (see docstring)."""
    t_imports, _ = cpu(lambda: [importlib.import_module(m) for m in (
        "docxtpl", "docx", "matplotlib.figure", "matplotlib.backends.backend_agg", "openpyxl",
        "sheets_sync.cli", "sheets_sync.reports.render", "sheets_sync.service.documents")])
    rss_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from sheets_sync.cli import common, main
    from sheets_sync.config import load
    from sheets_sync.core.clock import ManualClock

    cfg = folder / "sheets-sync.toml"
    settings = load(cfg)
    from sheets_sync.backends.local import LocalBackend

    report = LocalBackend(Path(settings.forms_folder)).report_sheet(settings.control)
    spy = Spy(settings.control, report)
    spy.install()
    common.CLOCK = ManualClock(datetime(2025, 4, 9, 9, 0, tzinfo=WIB))
    out = io.StringIO()
    total, code = cpu(lambda: main(["--config", str(cfg), "render", "--period", PERIOD, "--draft"], out))
    if code != 0:
        raise SystemExit(f"render exited {code}:\n{out.getvalue()}")
    result: dict[str, Any] = {
        "total_cpu": total, "render_cpu": sum(spy.render_cpu.values()), "per_document": spy.render_cpu,
        "imports_cpu": t_imports, "control_reads": spy.control_reads, "dokumen_writes": spy.dokumen_writes,
        "rss_imports_mb": rss_imports, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "documents": len(spy.render_cpu)}
    if floors:
        result.update(floor_run(spy.requests["pengukuran_kinerja:triwulan"], repeat))
    return result


# -- 3. the floors -----------------------------------------------------------------------------------------------
def rows_of(req: Any) -> list[dict[str, str]]:
    """The printed rows of the Pengukuran Kinerja's level tables (the strings docxtpl fills in)."""
    from sheets_sync.reports import build_context

    ctx = build_context("pengukuran_kinerja", req)
    return [{c: str(r.get(c, "")) for c in COLUMNS}
            for t in ctx["tingkat"] for s in t["sasaran"] for r in s["indikator"]]


def minimal_template(path: Path) -> None:
    """One table: a ``{%tr for %}`` row, a row of ``{{ r.x }}`` cells, ``{%tr endfor %}`` — nothing else."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=len(COLUMNS))
    table.rows[0].cells[0].merge(table.rows[0].cells[-1]).text = "{%tr for r in rows %}"
    for cell, col in zip(table.rows[1].cells, COLUMNS, strict=True):
        cell.text = "{{ r." + col + " }}"
    table.rows[2].cells[0].merge(table.rows[2].cells[-1]).text = "{%tr endfor %}"
    doc.save(str(path))


def floor_docxtpl(path: Path, rows: list[dict[str, str]]) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.render({"rows": rows}, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def floor_python_docx(rows: list[dict[str, str]]) -> bytes:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=0, cols=len(COLUMNS))
    for r in rows:
        for cell, col in zip(table.add_row().cells, COLUMNS, strict=True):
            cell.text = r[col]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def floor_run(req: Any, repeat: int) -> dict[str, Any]:
    """The Pengukuran Kinerja render of ``req`` beside its two floors, best of ``repeat`` each."""
    from sheets_sync.reports import build_context, render

    rows = rows_of(req)
    with tempfile.TemporaryDirectory(prefix="render-floor-") as tmp:
        template = Path(tmp) / "minimal.docx"
        minimal_template(template)
        floor_docxtpl(template, rows)  # warm-up: jinja environment, lxml
        doc_cpu = best(lambda: render("pengukuran_kinerja", req, Path(tmp)), repeat)
        ctx_cpu = best(lambda: build_context("pengukuran_kinerja", req), repeat)
        tr_cpu = best(lambda: floor_docxtpl(template, rows), repeat)
        bare_cpu = best(lambda: floor_python_docx(rows), repeat)
    return {"floor_rows": len(rows), "floor_columns": len(COLUMNS), "pk_render_cpu": doc_cpu, "pk_context_cpu": ctx_cpu,
            "tr_loop_cpu": tr_cpu, "python_docx_cpu": bare_cpu}


# -- the run -----------------------------------------------------------------------------------------------------
def child(args: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args[0] == "build":
        build(Path(args[1]), int(args[2]))
        print(json.dumps({"built": args[1]}))
    else:
        print(json.dumps(command(Path(args[1]), args[2] == "floors", int(args[3]))))


def run(cmd: list[str], timeout: float) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", *cmd], capture_output=True, text=True,
                          check=False, timeout=timeout)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}{done.stdout}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def size(indicators: int, floors: bool, repeat: int, timeout: float) -> dict[str, Any]:
    """Build the office once, then ``repeat`` fresh-process renders of a pristine copy; the fastest run
    (lowest total CPU) is reported with its own render step, the floors come from the first run."""
    with tempfile.TemporaryDirectory(prefix="render-office-") as tmp:
        office, pristine = Path(tmp) / "office", Path(tmp) / "pristine"
        t0 = time.perf_counter()
        run(["build", str(office), str(indicators)], timeout)
        build_s = time.perf_counter() - t0
        shutil.copytree(office, pristine)
        runs = []
        for i in range(repeat):
            if i:
                shutil.rmtree(office)
                shutil.copytree(pristine, office)  # the same paths: the store's form links stay true
            runs.append(run(["render", str(office), "floors" if floors and i == 0 else "-", str(repeat)], timeout))
            print(json.dumps({"indicators": indicators, **runs[-1]}), file=sys.stderr)
    fastest = min(runs, key=lambda r: r["total_cpu"])
    out = {**fastest, **{k: v for k, v in runs[0].items() if k.startswith(("floor", "pk_", "tr_", "python_"))}}
    out.update(indicators=indicators, bidang=max(1, indicators // PER_UNIT), build_s=build_s, runs=len(runs),
               peak_rss_mb=max(r["peak_rss_mb"] for r in runs),
               ratios=[r["total_cpu"] / r["render_cpu"] for r in runs])
    return out


# -- output ------------------------------------------------------------------------------------------------------
def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


HEADER = ("| indicators | bidang | documents | total CPU | render step | total ÷ render | imports | control reads "
          "| `Dokumen` writes | peak RSS |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
FLOOR_HEADER = ("| Pengukuran Kinerja render (context, docxtpl, chart, page set-up, column fit, stable zip, write) "
                "| of it: context | minimal docxtpl `{%tr %}` loop (render + save) | ratio "
                "| bare python-docx table (`add_row`, `cell.text`, save) | ratio |\n|---:|---:|---:|---:|---:|---:|")


def section(results: list[dict[str, Any]], argv: list[str]) -> str:
    rows = [f"| {r['indicators']:,} | {r['bidang']} | {r['documents']} | {_s(r['total_cpu'])} | "
            f"{_s(r['render_cpu'])} | "
            f"{r['total_cpu'] / r['render_cpu']:.2f}× ({min(r['ratios']):.2f}–{max(r['ratios']):.2f}×) | "
            f"{_s(r['imports_cpu'])} | {r['control_reads']} | {r['dokumen_writes']} | {r['peak_rss_mb']:.0f} MB |"
            for r in results]
    big = max(results, key=lambda r: r["indicators"])
    floor = next((r for r in results if "tr_loop_cpu" in r), None)
    targets = [
        f"| `render --draft` at {big['indicators']:,} indicators: total CPU ≤ 1.5× the render step | "
        f"{big['total_cpu'] / big['render_cpu']:.2f}× ({_s(big['total_cpu'])} vs {_s(big['render_cpu'])}) | "
        f"{_met(big['total_cpu'] <= 1.5 * big['render_cpu'])} |",
        f"| `render --draft` at {big['indicators']:,} indicators: peak RSS ≤ 200 MB | {big['peak_rss_mb']:.0f} MB "
        f"({big['rss_imports_mb']:.0f} MB of it once the libraries are imported) | "
        f"{_met(big['peak_rss_mb'] <= 200)} |",
        f"| one control read per `render`; the `Dokumen` tab written once | {big['control_reads']} read, "
        f"{big['dokumen_writes']} write | {_met(big['control_reads'] == 1 and big['dokumen_writes'] == 1)} "
        "(tested: `tests/integration/test_render_reads.py`) |",
    ]
    floor_text = ""
    if floor is not None:
        pk, tr, bare = floor["pk_render_cpu"], floor["tr_loop_cpu"], floor["python_docx_cpu"]
        targets.append(
            f"| render step at {floor['indicators']:,} indicators ≤ 1.2× a minimal docxtpl `{{%tr %}}` loop | "
            f"{pk / tr:.2f}× ({_s(pk)} vs {_s(tr)}; bare python-docx table {_s(bare)}: {pk / bare:.2f}×) | "
            f"{_met(pk <= 1.2 * tr)} |")
        floor_text = f"""
The render step against its floors, {floor['indicators']:,} indicators ({floor['floor_rows']:,} rows ×
{floor['floor_columns']} columns of the Pengukuran Kinerja's level tables, the same strings), CPU best of
{floor['runs']}:

{FLOOR_HEADER}
| {_s(pk)} | {_s(floor['pk_context_cpu'])} | {_s(tr)} | {pk / tr:.2f}× | {_s(bare)} | {pk / bare:.2f}× |
"""
    return f"""{START}
## Render: the real `render --draft` beside its floors

`python benchmarks/render_office.py --write-docs` — a synthetic office on the local backend per size
(N/10 bidang × 10 indicators, every jenis konsolidasi), its store filled by the real `provision()`, every
bidang's realisasi typed into its .xlsx and the real `poll()`; then, in a fresh process per repetition
(the office restored byte for byte before each), the CLI's `render --period 2025-TW1 --draft`
(`sheets_sync.cli.main`: control read, approvals, gathering, statuses, the TW I documents, the `Dokumen`
tab). *Total* is the CPU of that command (`time.process_time`; the library imports before it are
*imports*), *render step* the CPU inside `reports.render.render` summed over the documents; the
fastest of {big['runs']} runs is shown with the range of its ratio. *Peak RSS* is the whole process.
Measured {datetime.now(WIB):%Y-%m-%d} with `python benchmarks/render_office.py {" ".join(argv)}`;
{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores shared with other work.

{HEADER}
{chr(10).join(rows)}
{floor_text}
### Against issue 14's render targets (measured {datetime.now(WIB):%Y-%m-%d}, the run above)

| target | measured | met? |
|---|---|---|
{chr(10).join(targets)}
{END}"""


def _after_documents(current: str, text: str) -> str:
    marker = "<!-- documents:end -->"
    if marker in current:
        head, rest = current.split(marker, 1)
        return head + marker + "\n\n" + text + rest
    return bench_docs.append(current, text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 1000], help="indicators per office")
    ap.add_argument("--floors-at", type=int, default=1000, help="the size whose first run also measures the floors")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds allowed for one child process")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return 0
    results = [size(n, n == args.floors_at, args.repeat, args.timeout) for n in args.sizes]
    text = section(results, sys.argv[1:])
    print(text)
    if args.write_docs:
        bench_docs.write_section(DOC, START, END, text, _after_documents)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
