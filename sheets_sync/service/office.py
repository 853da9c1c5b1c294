"""``sheets-sync init``: a ready office folder (config + control workbook) from a shipped sample."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from sheets_sync.backends.base import Backend
from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.a1 import quote_tab
from sheets_sync.core.control import (
    ANGGARAN_HEADERS,
    BIDANG_HEADERS,
    INDIKATOR_HEADERS,
    JADWAL_HEADERS,
    LIBUR_HEADERS,
    PERSETUJUAN_HEADERS,
)
from sheets_sync.core.control_guide import control_guides
from sheets_sync.core.values import RangeWrite, TabGuide
from sheets_sync.errors import UsageError
from sheets_sync.model import Raw
from sheets_sync.service.documents import DOKUMEN_HEADERS
from sheets_sync.service.rekap import REKAP_HEADERS

EXAMPLES = ("bkpsdm", "kecamatan")

KECAMATAN = {
    'instansi = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"': 'instansi = "Kecamatan Sukamaju"',
    'singkatan = "BKPSDM"': 'singkatan = "KEC-SKM"',
    "bkpsdm@": "kecamatan@", "ppkp.bkpsdm@": "ppkp.kecamatan@", "sekretariat.bkpsdm@": "sekcam@",
    "Subbag PPKP BKPSDM": "Subbag Program Kecamatan Sukamaju",
    "Subbagian Perencanaan, Keuangan, dan Kinerja": "Subbagian Perencanaan dan Keuangan",
    'jabatan = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"': 'jabatan = "Camat Sukamaju"',
}


def example_config(example: str) -> str:
    text = resources.files("sheets_sync.data").joinpath("sheets-sync.example.toml").read_text(encoding="utf-8")
    if example == "kecamatan":
        for old, new in KECAMATAN.items():
            text = text.replace(old, new)
    return text


def init_office(folder: Path, example: str, *, force: bool = False) -> Path:
    """Write ``folder/sheets-sync.toml`` and ``folder/Kendali Data Kinerja.xlsx``; refuse to overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "sheets-sync.toml"
    control = folder / "Kendali Data Kinerja.xlsx"
    if not force and (cfg.exists() or control.exists()):
        raise UsageError(f"{cfg if cfg.exists() else control} already exists",
                         fix="choose another folder or pass --force to overwrite")
    cfg.write_text(example_config(example), encoding="utf-8")
    control.unlink(missing_ok=True)
    backend = LocalBackend(folder)
    control_id = str(control.resolve())
    report = Path(backend.report_sheet(control_id))
    report.unlink(missing_ok=True)
    # The service's own tabs live in a companion workbook (see LocalBackend.report_sheet); the control
    # workbook's Rekap tab says where, so the PPKP finds it.
    pointer: list[list[Raw]] = [["Rekap dan daftar dokumen ditulis sheets-sync di berkas pendamping:"], [report.name],
               ["(di folder yang sama dengan berkas kendali ini; tab Rekap dan Dokumen)"]]
    backend.write(control_id, [*example_tabs(example), RangeWrite("Rekap!A1", pointer), *narrative_tabs(example)])
    backend.write(str(report), [RangeWrite("Dokumen!A1", [list(DOKUMEN_HEADERS)]),
                                RangeWrite("Rekap!A1", [list(REKAP_HEADERS)])])
    guide_workbooks(backend, control_id, [r["kode"] for r in _sample(f"{example}-sukamaju-bidang.csv")])
    return cfg


def guide_workbooks(backend: Backend, control_id: str, unit_codes: Sequence[str]) -> list[TabGuide]:
    """Make the control spreadsheet (and the report sheet beside it, where ``Rekap`` and ``Dokumen``
    live) guide the people typing into it — dropdowns, date checks, tab order, opening on ``Bidang``
    (:func:`~sheets_sync.core.control_guide.control_guides`) — without touching a value.  One header
    read and one guide call per spreadsheet; returns the guides applied."""
    from sheets_sync.config.laporan import DOCUMENT_STATUSES

    applied: list[TabGuide] = []
    for sheet in dict.fromkeys((control_id, backend.report_sheet(control_id))):
        tabs = backend.list_tabs(sheet)
        ranges = {t: f"{quote_tab(t)}!A1:Z1" for t in tabs}
        got = backend.read(sheet, list(ranges.values())) if ranges else {}
        headers = {t: (got.get(r) or [[]])[0] for t, r in ranges.items()}
        guides = control_guides(tabs, headers, unit_codes=unit_codes, document_statuses=DOCUMENT_STATUSES,
                                percent_column=REKAP_HEADERS.index("Kelengkapan (%)") + 1)
        backend.guide(sheet, guides)
        applied += guides
    return applied


def narrative_tabs(example: str) -> list[RangeWrite]:
    """Empty ``Narasi`` (one row per section code, text to be written by the Tim SAKIP) and ``Analisis``
    (one row per sasaran strategis) tabs for the Laporan Kinerja; the extra columns only guide people
    (columns are found by header)."""
    from sheets_sync.core.narasi import ANALISIS_HEADERS, NARASI_HEADERS, SECTIONS

    narasi: list[list[Raw]] = [[*NARASI_HEADERS, "Bagian (petunjuk)"]]
    narasi += [[s.code, "", f"{s.bab} — {s.title}" + ("" if s.required else " (boleh kosong)")] for s in SECTIONS]
    seen: list[str] = []
    for r in _sample(f"{example}-sukamaju-indikator.csv"):
        if r["sasaran_strategis"] not in seen:
            seen.append(r["sasaran_strategis"])
    analisis: list[list[Raw]] = [[*ANALISIS_HEADERS, "Sasaran Strategis (petunjuk)"]]
    analisis += [[str(n), "", "", "", name] for n, name in enumerate(seen, 1)]
    return [RangeWrite("Narasi!A1", narasi), RangeWrite("Analisis!A1", analisis)]


def _sample(name: str) -> list[dict[str, str]]:
    text = resources.files("sheets_sync.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def example_tabs(example: str, year: int = 2025) -> list[RangeWrite]:
    """The PPKP tabs of a control spreadsheet filled from a shipped sample office."""
    if example not in EXAMPLES:
        raise ValueError(example)
    bidang = [list(BIDANG_HEADERS)] + [
        [r["kode"], r["nama_bidang"], r["kepala_bidang"], r["email_kepala"], r["email_operator"], ""]
        for r in _sample(f"{example}-sukamaju-bidang.csv")
    ]
    keys = ("kode", "kode_bidang", "sasaran_strategis", "indikator_kinerja", "satuan", "polaritas", "konsolidasi",
            "konvensi_target", "target_tahunan", "target_tw1", "target_tw2", "target_tw3", "target_tw4",
            "cara_pengukuran")
    indikator = [list(INDIKATOR_HEADERS)] + [[r[k] for k in keys] for r in _sample(f"{example}-sukamaju-indikator.csv")]
    # The SOP gives bidang three working days from the opening; TW I opens after the Idul Fitri leave.
    dates = (("04-08", "04-10", "04-21", "04-14"), ("07-01", "07-03", "07-14", "07-07"),
             ("10-01", "10-03", "10-13", "10-06"), ("01-05", "01-07", "01-19", "01-12"))
    jadwal: list[list[Raw]] = [list(JADWAL_HEADERS)]
    for q, (opens, deadline, lock, meeting) in enumerate(dates, start=1):
        y = year + (q == 4)
        jadwal.append([f"{year}-TW{q}", f"{y}-{opens} 08:00", f"{y}-{deadline} 16:00", f"{y}-{lock}", f"{y}-{meeting}"])
    persetujuan: list[list[Raw]] = [list(PERSETUJUAN_HEADERS)]
    anggaran: list[list[Raw]] = [list(ANGGARAN_HEADERS), [f"{year}-TW1", "4.250.000.000", "812.500.000"]]
    return [
        RangeWrite("Anggaran!A1", anggaran),
        RangeWrite("Bidang!A1", [list(r) for r in bidang]),
        RangeWrite("Indikator!A1", [list(r) for r in indikator]),
        RangeWrite("Jadwal!A1", jadwal),
        RangeWrite("Persetujuan!A1", persetujuan),
        RangeWrite("Libur!A1", libur_tab(year)),
    ]


def libur_tab(year: int) -> list[list[Raw]]:
    """The ``Libur`` tab ``init`` writes: the header, one example row (a regional day off, which the
    office changes or deletes) and a guide column (columns are found by header, so it is ignored)."""
    return [
        [*LIBUR_HEADERS, "Petunjuk"],
        [f"{year}-10-20", "Contoh: Hari Jadi Kabupaten (ubah atau hapus baris ini)", "libur",
         "Libur nasional dan cuti bersama sudah otomatis. Tambahkan di sini hanya hari kantor sendiri: "
         "Jenis libur = kantor tutup; masuk = kantor tetap bekerja walau tanggal itu libur nasional."],
    ]
