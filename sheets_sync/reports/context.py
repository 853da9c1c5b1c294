"""Template contexts: plain dicts of display strings built from a :class:`RenderRequest`.  Pure —
no docx, no clock, no I/O — so every number a document prints is testable without rendering.

Every kind gets the common part (:func:`common`): ``kop`` (kop surat), ``draft``/``draft_label``,
``judul``/``subjudul``, ``periode``, ``instansi``/``instansi_daerah``, ``tempat_tanggal``, ``ttd``
(signature block) and ``sumber_data`` (the footer line that traces numbers to a snapshot).  Then:

* ``pengukuran_kinerja``: ``kolom`` (column labels), ``tingkat`` (one table per printed level of the
  cascading, see :func:`sheets_sync.reports.tables.level_tables`), ``sasaran`` (the rows of every level,
  see :func:`sheets_sync.reports.tables.table`), ``organisasi``, ``catatan`` (rules used),
  ``rumus_negatif``, ``anggaran`` (office total, or None), ``efisiensi`` (per program/kegiatan with a
  budget: pagu, realisasi, %, capaian, tingkat efisiensi), ``efisiensi_total``, ``perbandingan`` (last year
  and Renstra, only indicators with data), ``tahun_lalu``, ``grafik`` (filled with the chart by the
  renderer), ``grafik_judul``, ``grafik_data`` (the bars), ``grafik_persen`` (bars are capaian %, else
  counts per predikat), ``jumlah_indikator``.
* ``rekap_kelengkapan``: ``bidang`` (state per bidang), ``ringkasan``, ``temuan``, ``perubahan``.
* ``surat_pengantar``: ``nomor``, ``sifat``, ``lampiran``, ``hal``, ``yth``, ``di``, ``capaian``
  (organisation capaian and predikat sentence).

Strings are cleaned of characters XML cannot hold (control characters), so any text a bidang typed —
``&``, ``<``, quotes, emoji, very long names — renders into a valid .docx (autoescape does the rest).
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.config import Signatory
from sheets_sync.core.capaian import predikat
from sheets_sync.core.fmt import angka, nip, persen, rupiah, tanggal, tanggal_jam, tempat_tanggal
from sheets_sync.errors import RenderError
from sheets_sync.model import Finding, Office, UnitStatus
from sheets_sync.reports import measure, tables
from sheets_sync.reports.request import KINDS, TITLES, RenderRequest, check_request, period_words

__all__ = ["PROVIDED", "build_context", "common", "signature"]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

PROVIDED: dict[str, tuple[str, ...]] = {
    "_common": ("jenis", "edisi", "draft", "draft_label", "kop", "judul", "subjudul", "periode",
                "instansi", "instansi_daerah", "singkatan", "tahun", "tempat_tanggal", "tanggal", "ttd",
                "sumber_data"),
    "pengukuran_kinerja": ("kolom", "tingkat", "sasaran", "organisasi", "catatan", "rumus_negatif", "anggaran",
                           "efisiensi", "efisiensi_total", "perbandingan", "tahun_lalu",
                           "grafik", "grafik_judul", "grafik_data", "grafik_persen", "jumlah_indikator"),
    "rekap_kelengkapan": ("bidang", "ringkasan", "temuan", "perubahan"),
    "surat_pengantar": ("nomor", "sifat", "lampiran", "hal", "yth", "di", "capaian"),
    # the Laporan Kinerja (sheets_sync.reports.lkjip)
    "laporan_kinerja": ("tahun_terbit", "versi", "narasi", "ikhtisar", "bab3", "sasaran",
                        "organisasi", "anggaran", "efisiensi", "efisiensi_total", "perjanjian", "rencana_aksi",
                        "catatan", "rumus_negatif", "perubahan", "kurang", "kolom", "tahun_lalu", "tingkat"),
    "laporan_kinerja_semester": ("versi", "ikhtisar", "bab3", "sasaran", "organisasi",
                                 "anggaran", "efisiensi", "efisiensi_total", "catatan", "rumus_negatif",
                                 "perubahan", "kurang", "kolom", "tahun_lalu", "tingkat"),
}
"""Top-level variables each kind provides (``_common`` to all); templates are checked against it."""


def provided(kind: str) -> frozenset[str]:
    """Every top-level variable a template of ``kind`` may use."""
    return frozenset(PROVIDED["_common"] + PROVIDED[kind])


def clean(value: Any) -> Any:
    """Strip XML-invalid characters from every string in a nested structure (other values unchanged;
    tuples become lists, each its own).  A dict or list reached twice (the rows the level tables and the
    ``sasaran`` table share, see :class:`~sheets_sync.reports.tables.RowCells`) is cleaned once and stays
    shared."""
    return _clean(value, {})


def _clean(value: Any, done: dict[int, Any]) -> Any:
    # keyed by id: every container is reachable from the root for the whole call, so no id is reused.
    # Tuples are not remembered: the same tuple object (the empty one, a constant) can sit in unrelated
    # places, and each must stay a list of its own
    if isinstance(value, str):
        return _XML_BAD.sub("", value)
    if isinstance(value, tuple):
        return [_clean(v, done) for v in value]
    if isinstance(value, dict | list):
        found = done.get(id(value))
        if found is None:
            found = done[id(value)] = ({k: _clean(v, done) for k, v in value.items()} if isinstance(value, dict)
                                       else [_clean(v, done) for v in value])
        return found
    return value


def daerah(office: Office) -> str:
    """``KABUPATEN SUKAMAJU`` from ``PEMERINTAH KABUPATEN SUKAMAJU``."""
    text = office.pemerintah.strip()
    return re.sub(r"^PEMERINTAH\s+", "", text, flags=re.IGNORECASE).upper() or office.kota.upper()


def signature(s: Signatory) -> dict[str, str]:
    """The signature block: ``atas_nama`` (``a.n. Kepala Badan,`` or empty), ``jabatan`` (with the
    Plt./Plh. prefix and the closing comma), ``nama`` (bold in templates), ``pangkat``, ``nip``
    (``NIP. 19690103 200312 1 005``).  A missing name prints a dotted line to be filled by hand."""
    prefix = s.prefix.strip()
    jabatan = s.jabatan.strip().rstrip(",")
    atas = ""
    if prefix == "a.n.":
        atas = f"a.n. {(s.atas_nama or 'Kepala').strip().rstrip(',')},"
    elif prefix in ("Plt.", "Plh."):
        jabatan = f"{prefix} {jabatan}"
    return {
        "atas_nama": atas,
        "jabatan": f"{jabatan},",
        "nama": s.nama.strip() or "." * 40,
        "pangkat": s.pangkat.strip(),
        "nip": f"NIP. {nip(s.nip)}" if s.nip.strip() else "NIP. " + "." * 30,
    }


def common(req: RenderRequest, kind: str) -> dict[str, Any]:
    o = req.office
    words = period_words(req) if kind != "rekap_kelengkapan" else req.period.label
    kontak = [o.alamat.strip()]
    kontak += [f"Telepon {o.telepon}" if o.telepon else "", f"Pos-el {o.email}" if o.email else "",
               f"Laman {o.laman}" if o.laman else ""]
    instansi_daerah = f"{o.instansi.strip()} {daerah(o).title()}"
    ref = req.snapshot_ref.strip()
    return {
        "jenis": kind,
        "edisi": req.edition,
        "draft": req.draft,
        "draft_label": "DRAFT — BELUM DISETUJUI, BUKAN DOKUMEN RESMI" if req.draft else "",
        "kop": {"pemerintah": o.pemerintah.strip().upper(), "instansi": o.instansi.strip().upper(),
                "alamat": ", ".join(k for k in kontak if k)},
        "judul": TITLES[kind].upper() if kind != "rekap_kelengkapan" else "REKAP KELENGKAPAN DATA KINERJA",
        "subjudul": words.upper(),
        "periode": {"kode": str(req.period), "label": words, "triwulan": req.period.label,
                    "tahun": str(req.period.year)},
        "instansi": o.instansi.strip(),
        "instansi_daerah": instansi_daerah,
        "singkatan": o.singkatan.strip(),
        "tahun": str(req.period.year),
        "tempat_tanggal": tempat_tanggal(req.documents.signatory.tempat.strip() or o.kota, req.generated_on),
        "tanggal": tanggal(req.generated_on),
        "ttd": signature(req.documents.signatory),
        "sumber_data": f"Sumber data: {ref}" if ref else "",
    }


def _anggaran(values: Any) -> dict[str, Any] | None:
    if not values:
        return None
    pagu, real = values.get("pagu"), values.get("realisasi")
    pct = persen(real / pagu * 100) if pagu and real is not None else measure.NA
    return {"pagu": rupiah(pagu), "realisasi": rupiah(real), "persen": pct,
            "pagu_nilai": pagu, "realisasi_nilai": real}


def _efisiensi_total(m: measure.Measurement, req: RenderRequest) -> dict[str, Any] | None:
    e = m.efisiensi
    if e is None:
        return None
    total = req.anggaran or {}
    pagu, real = total.get("pagu", e.pagu), total.get("realisasi", e.realisasi)
    return {"pagu": rupiah(pagu), "realisasi": rupiah(real),
            "persen": persen(real / pagu * 100) if pagu else measure.NA,
            "pagu_program": rupiah(e.pagu), "realisasi_program": rupiah(e.realisasi),
            "persen_program": tables.capaian_text(e.persen_anggaran),
            "efisiensi": tables.capaian_text(e.efisiensi)}


def _sources(req: RenderRequest) -> list[str]:
    """Where each quarter's data came from, when it is not only this quarter's meeting: a document of a
    later quarter or a semester/annual edition always says which earlier quarters were approved,
    imported or not available."""
    if not req.sources or (req.period.quarter == 1 and not any("diimpor" in s for s in req.sources)):
        return []
    return ["Sumber data per triwulan: " + " ".join(req.sources)]


def pengukuran(req: RenderRequest) -> dict[str, Any]:
    m = measure.measure(req)
    title, bars, percent = tables.chart_data(m)
    org_pred = predikat(m.organisasi, m.rules)
    cells = tables.RowCells(m)  # one row per indicator, shared by the level tables and the sasaran table
    return {
        # column headers are 16–18 mm wide: "Semester I" would break inside the word
        "kolom": {"periode": m.cols.label.replace("Semester ", "Sem. "),
                  "sd": m.cols.label_sd.replace("Semester ", "Sem. ")},
        "tingkat": tables.level_tables(m, cells),
        "sasaran": tables.table(m, cells),
        "organisasi": {"capaian": tables.capaian_text(m.organisasi),
                       "capaian_tahunan": tables.capaian_text(m.organisasi_tahunan),
                       "predikat": org_pred, "capaian_nilai": m.organisasi},
        "catatan": _sources(req) + tables.notes(m),
        "rumus_negatif": tables.negative_formulas(m),
        "anggaran": _anggaran(req.anggaran),
        "efisiensi": tables.efficiency_rows(m),
        "efisiensi_total": _efisiensi_total(m, req),
        "perbandingan": tables.comparisons(m),
        "tahun_lalu": str(req.period.year - 1),
        "grafik": "",
        "grafik_judul": title,
        "grafik_data": [[label, value] for label, value in bars],
        "grafik_persen": percent,
        "jumlah_indikator": str(len(m.lines)),
    }


_ON_TIME = {"Lengkap": "Tepat waktu", "Terlambat": "Terlambat",
            "Tidak mengisi": "Tidak lengkap s.d. batas waktu",
            "Belum mengisi": "Belum lengkap", "Sebagian": "Belum lengkap"}


def _finding_text(f: Finding) -> str:
    return f"{f.message} Perbaikan: {f.fix}" if f.fix else f.message


def _when(st: UnitStatus, tz: ZoneInfo) -> str:
    """When the bidang completed the form, in the office's time zone ("14 April 2025 pukul 16.00 WIB")."""
    at = st.completed_at
    return tanggal_jam(at.astimezone(tz)) if at is not None and at.tzinfo is not None else "–"


def rekap(req: RenderRequest) -> dict[str, Any]:
    """Per bidang (in the order of ``req.units``; bidang without a status count as Belum mengisi):
    state, filled/required, %, on time or late; then every finding and every change after approval."""
    by_code = {s.unit: s for s in req.statuses if s.period == req.period}
    names = {u.code: u.name for u in req.units}
    rows: list[dict[str, str]] = []
    findings: list[dict[str, str]] = []
    filled = required = complete = 0
    tz = ZoneInfo(req.office.timezone)
    codes = [u.code for u in req.units] + [c for c in by_code if c not in names]
    for no, code in enumerate(codes, 1):
        st = by_code.get(code) or UnitStatus(
            code, req.period, "Belum mengisi", 0,
            sum(1 for i in req.indicators if i.unit == code and i.measured_in(req.period.quarter)))
        filled, required = filled + st.filled, required + st.required
        complete += st.state in ("Lengkap", "Terlambat")
        rows.append({"no": str(no), "kode": code, "nama": names.get(code, code), "status": st.state,
                     "terisi": f"{st.filled}/{st.required}", "persen": persen(st.percent),
                     "ketepatan": _ON_TIME.get(st.state, "–"),
                     "selesai": _when(st, tz),
                     "jumlah_temuan": str(len(st.findings))})
        for f in st.findings:
            findings.append({"bidang": names.get(code, code), "sel": f.location, "uraian": _finding_text(f),
                             "tingkat": {"error": "Galat", "warning": "Peringatan"}.get(f.severity, "Info")})
    for i, row in enumerate(findings, 1):
        row["no"] = str(i)
    changes = [{"no": str(i), "bidang": names.get(c.unit, c.unit), "sel": c.cell, "lama": c.old or "(kosong)",
                "baru": c.new or "(kosong)", "waktu": tanggal_jam(c.when.astimezone(tz)) if c.when else ""}
               for i, c in enumerate(req.changes, 1)]
    total = len(rows)
    return {
        "bidang": rows,
        "ringkasan": {"lengkap": str(complete), "jumlah_bidang": str(total),
                      "terisi": f"{angka(filled, 0)}/{angka(required, 0)}",
                      "persen": persen(100.0 * filled / required if required else 100.0),
                      "kalimat": f"{complete} dari {total} bidang telah lengkap; {angka(filled, 0)} dari "
                                 f"{angka(required, 0)} isian wajib telah terisi."},
        "temuan": findings,
        "perubahan": changes,
    }


def _letter_number(req: RenderRequest) -> str:
    if req.letter_number.strip():
        return req.letter_number.strip()
    try:
        return req.documents.letter_pattern.format(nomor="……", singkatan=req.office.singkatan,
                                                   tahun=req.period.year)
    except (KeyError, IndexError, ValueError):
        return req.documents.letter_pattern


def surat(req: RenderRequest) -> dict[str, Any]:
    m = measure.measure(req)
    words = period_words(req)
    org = m.organisasi
    sentence = (f"Capaian kinerja organisasi {words} sebesar {persen(org)} dengan predikat "
                f"{predikat(org, m.rules)}." if org is not None else
                f"Capaian kinerja organisasi {words} belum dapat dihitung.")
    return {
        "nomor": _letter_number(req),
        "sifat": "Biasa",
        "lampiran": "1 (satu) berkas",
        "hal": f"Penyampaian Pengukuran Kinerja {words}",
        "yth": req.documents.recipient.strip(),
        "di": req.documents.recipient_town.strip() or req.office.kota.strip(),
        "capaian": sentence,
    }


def build_context(kind: str, req: RenderRequest) -> dict[str, Any]:
    """The complete context of a ``kind`` document (see the module docstring).  Pure and
    deterministic; raises :class:`RenderError` for an unknown kind or an edition that does not fit."""
    check_request(kind, req)
    ctx = common(req, kind)
    if kind == "pengukuran_kinerja":
        ctx.update(pengukuran(req))
    elif kind == "rekap_kelengkapan":
        ctx.update(rekap(req))
    elif kind == "surat_pengantar":
        ctx.update(surat(req))
    else:  # pragma: no cover - check_request rejects it
        raise RenderError(f"unknown document kind {kind!r}", fix=f"use one of: {', '.join(KINDS)}")
    missing = provided(kind) - set(ctx)
    assert not missing, missing
    result: dict[str, Any] = clean(ctx)
    return result
