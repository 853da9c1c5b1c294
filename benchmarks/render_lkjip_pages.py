"""Render the sample BKPSDM Sukamaju Laporan Kinerja (LKjIP) 2025 — the final of the year demo
(``sheets-sync demo --tahun``: TW I–IV approved, Narasi/Analisis filled, the review loop, a program per
sasaran with its budget, last year's and the Renstra numbers) — and save four of its pages as PNGs in
docs/: the cover, the first page of Bab III, the page of the realisasi anggaran and the page of the
efficiency table per program.

    python benchmarks/render_lkjip_pages.py [--out DIR]

Needs LibreOffice (soffice), poppler-utils (pdftoppm, pdftotext).  Plays the year in a temporary folder
(:mod:`sheets_sync.service.demo_year`, about ten seconds).
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from sheets_sync.reports import to_pdf
from sheets_sync.service.demo_year import run_year_demo

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _page_of(pdf: Path, needle: str, start: int = 1) -> int:
    """The first page (from ``start``) whose text holds ``needle``."""
    n = start
    while True:
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        if needle in " ".join(text.split()):
            return n
        if not text and n > start + 60:
            raise SystemExit(f"{needle!r} not found in {pdf}")
        n += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DOCS, help="folder for the PNGs (default docs/)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "tahun")
        if run_year_demo(folder, io.StringIO()) != 0:
            raise SystemExit("the year demo did not end in a final LKjIP")
        docx = next((folder / "dokumen" / "2025-TW4").glob("Laporan Kinerja Tahun 2025 v*[0-9].docx"))
        pdf = to_pdf(docx)
        bab3 = _page_of(pdf, "AKUNTABILITAS KINERJA", 3)
        anggaran = _page_of(pdf, "B. Realisasi Anggaran", bab3)
        efisiensi = _page_of(pdf, "Realisasi anggaran per program dan tingkat efisiensi", anggaran)
        pages = {"lkjip-sampul": 1, "lkjip-bab-iii": bab3, "lkjip-anggaran": anggaran, "lkjip-efisiensi": efisiensi}
        for stem, page in pages.items():
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                            str(Path(tmp, stem))], check=True)
            target = args.out / f"{stem}.png"
            shutil.move(str(Path(tmp, f"{stem}.png")), target)
            print(target, "page", page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
