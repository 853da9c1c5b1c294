"""Render the sample BKPSDM Sukamaju Laporan Kinerja (LKjIP) 2025 and save three of its pages as PNGs in
docs/: the cover, the first page of Bab III and the page of the realisasi anggaran (with the efficiency
per program when the Anggaran tab has program rows).

    python benchmarks/render_lkjip_pages.py [--out DIR]

Needs LibreOffice (soffice), poppler-utils (pdftoppm, pdftotext).  The text is the year demo's
(:mod:`sheets_sync.service.demo_year`), the numbers the sample year's (:mod:`sheets_sync.reports.sample`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from sheets_sync.core.narasi import parse_narrative, sasaran_of
from sheets_sync.model import Period
from sheets_sync.reports import to_pdf
from sheets_sync.reports.lkjip import LkjipRequest, render_lkjip
from sheets_sync.reports.sample import sample_office, sample_request
from sheets_sync.service.demo_year import ANALISIS, NARASI

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _page_of(pdf: Path, needle: str, start: int = 1) -> int:
    """The first page (from ``start``) whose text holds ``needle``."""
    n = start
    while True:
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        if needle in text:
            return n
        if not text and n > start + 60:
            raise SystemExit(f"{needle!r} not found in {pdf}")
        n += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DOCS, help="folder for the PNGs (default docs/)")
    args = ap.parse_args()
    inds, _ = sample_office()
    refs = tuple(sasaran_of(inds))
    narasi = [["Kode Bagian", "Teks"], *([k, v] for k, v in NARASI.items())]
    req = LkjipRequest(sample_request(Period(2025, 4), "tahunan", draft=False),
                       parse_narrative(narasi, ANALISIS, refs), refs, 1)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(render_lkjip("laporan_kinerja", req, Path(tmp)).path)
        bab3 = _page_of(pdf, "AKUNTABILITAS KINERJA", 3)
        anggaran = _page_of(pdf, "B. Realisasi Anggaran", bab3)
        pages = {"lkjip-sampul": 1, "lkjip-bab-iii": bab3, "lkjip-anggaran": anggaran}
        for stem, page in pages.items():
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                            str(Path(tmp, stem))], check=True)
            target = args.out / f"{stem}.png"
            shutil.move(str(Path(tmp, f"{stem}.png")), target)
            print(target, "page", page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
