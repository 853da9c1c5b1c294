"""``render --pdf`` as an office runs it: real PDFs where LibreOffice is installed (CI installs it, and the
Docker image ships it), checked with poppler's ``pdfinfo``/``pdffonts``; without LibreOffice, the Word
documents are made and recorded, nothing else is left behind, and the CLI says how to get PDFs."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from sheets_sync.cli import main
from sheets_sync.reports.pdf import find_soffice

PERIOD = "2025-TW1"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "kantor"
    assert run("init", str(folder))[0] == 0
    assert run("-c", str(folder / "sheets-sync.toml"), "provision", "--period", PERIOD)[0] == 0
    return folder


def recorded_paths(folder: Path) -> set[str]:
    dbs = list(folder.rglob("*.sqlite*")) + list(folder.rglob("*.db"))
    db = next(p for p in dbs if p.suffix in (".sqlite", ".sqlite3", ".db"))
    with sqlite3.connect(db) as con:
        return {Path(r[0]).name for r in con.execute("SELECT path FROM documents")}


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name without the subset prefix, embedded yes/no) per font of the PDF."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        name = re.sub(r"^[A-Z]{6}\+", "", cols[0])
        emb = next(c for c in cols[1:] if c in ("yes", "no"))
        fonts.append((name, emb))
    return fonts


@pytest.mark.skipif(find_soffice() is None or shutil.which("pdffonts") is None,
                    reason="needs LibreOffice (soffice) and poppler-utils (pdffonts); `.ci/run` installs both: "
                           "apt-get install libreoffice-writer-nogui fonts-liberation fonts-crosextra-carlito "
                           "poppler-utils")
def test_render_pdf_makes_pdfs_with_the_pages_and_the_metric_compatible_font(office: Path) -> None:
    code, out = run("-c", str(office / "sheets-sync.toml"), "render", "--period", PERIOD, "--draft", "--pdf")
    assert code == 0, out
    folder = office / "dokumen" / PERIOD
    pdfs = sorted(folder.glob("*.pdf"))
    assert [p.with_suffix(".docx").is_file() for p in pdfs] == [True] * 3, out
    by_kind = {p.name.split(" 2025")[0]: p for p in pdfs}
    letter, measure = by_kind["Surat Pengantar Pengukuran Kinerja"], by_kind["Pengukuran Kinerja"]
    assert pdf_info(letter)["Pages"] == "1"  # a covering letter fits one page
    width, height = (float(x) for x in re.findall(r"[\d.]+", pdf_info(measure)["Page size"])[:2])
    assert width > height and int(pdf_info(measure)["Pages"]) >= 1  # the measurement tables are landscape
    for pdf in pdfs:
        fonts = pdf_fonts(pdf)
        # The templates name Arial: LibreOffice must find Liberation Sans (same metrics, so the same line
        # and page breaks as Word), embedded — not a fallback such as DejaVu that reflows the tables.
        assert fonts and {name.split("-")[0] for name, _ in fonts} == {"LiberationSans"}, (pdf.name, fonts)
        assert all(emb == "yes" for _, emb in fonts), (pdf.name, fonts)


def test_render_pdf_without_libreoffice_leaves_only_recorded_documents(office: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    empty = office / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out = run("-c", str(office / "sheets-sync.toml"), "render", "--period", PERIOD, "--draft", "--pdf")
    assert code == 1
    assert "3 PDF tidak dibuat: LibreOffice (soffice) tidak terpasang" in out and "libreoffice-writer-nogui" in out
    folder = office / "dokumen" / PERIOD
    left = {p.name for p in folder.iterdir()}
    assert left == recorded_paths(office) and all(n.endswith(".docx") for n in left), left

    code, out = run("-c", str(office / "sheets-sync.toml"), "doctor")
    assert "[info] pdf: konversi PDF tidak tersedia" in out


ROOT = Path(__file__).resolve().parents[2]


def test_the_docker_image_and_ci_install_libreoffice_and_the_fonts() -> None:
    """The deployment the README tells offices to run can make PDFs, and CI runs the PDF test for real;
    ``.ci/run`` still ends in exactly the README's test command."""
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    install = re.search(r"apt-get install -y --no-install-recommends([^&]*)", docker)
    assert install is not None
    assert {"libreoffice-writer-nogui", "fonts-liberation", "fonts-crosextra-carlito"} <= set(install.group(1).split())
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ci[-1].startswith("python3 -m venv .venv") and f"\n{ci[-1]}\n" in readme
    assert "libreoffice-writer-nogui" in "\n".join(ci[:-1]) and "poppler-utils" in "\n".join(ci[:-1])
