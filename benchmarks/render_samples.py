"""Render every document type of the BKPSDM Sukamaju sample and save page 1 of each as a PNG in docs/.

    python benchmarks/render_samples.py [--out DIR] [--all-pages]

Needs LibreOffice (soffice) and poppler-utils (pdftoppm).  The PNGs are what README/docs show as
"what the office receives"; look at them after changing a template.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from sheets_sync.model import Period
from sheets_sync.reports import render, to_pdf
from sheets_sync.reports.sample import cascading_request, sample_request

DOCS = Path(__file__).resolve().parents[1] / "docs"

JOBS = (
    ("pengukuran-kinerja-tw1", "pengukuran_kinerja", Period(2025, 1), "triwulan", True),
    ("pengukuran-kinerja-semester-1", "pengukuran_kinerja", Period(2025, 2), "semester", False),
    ("pengukuran-kinerja-tahunan", "pengukuran_kinerja", Period(2025, 4), "tahunan", False),
    ("rekap-kelengkapan", "rekap_kelengkapan", Period(2025, 1), "triwulan", True),
    ("surat-pengantar", "surat_pengantar", Period(2025, 1), "triwulan", False),
    ("pengukuran-kinerja-tingkat", "pengukuran_kinerja", Period(2025, 1), "cascading", False),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DOCS, help="folder for the PNGs (default docs/)")
    ap.add_argument("--all-pages", action="store_true", help="write every page, not only page 1")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for stem, kind, period, edition, draft in JOBS:
            req = (cascading_request(period, draft=draft) if edition == "cascading"
                   else sample_request(period, edition, draft=draft))  # type: ignore[arg-type]
            done = render(kind, req, Path(tmp))
            pdf = to_pdf(done.path)
            last = [] if args.all_pages else ["-f", "1", "-l", "1"]
            subprocess.run(["pdftoppm", "-png", "-r", "70", *last, str(pdf), str(Path(tmp, stem))], check=True)
            for png in sorted(Path(tmp).glob(f"{stem}-*.png")):
                page = int(png.stem.rsplit("-", 1)[1])
                target = args.out / (f"{stem}.png" if page == 1 else f"{stem}-p{page}.png")
                shutil.move(str(png), target)
                print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
