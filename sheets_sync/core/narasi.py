"""The words of the Laporan Kinerja (LKjIP) the office writes itself: the ``Narasi`` and ``Analisis``
tabs of the control spreadsheet, and the notes of a return for correction.  Pure: values in, typed
results and findings out.

``Narasi`` (columns *Kode Bagian*, *Teks*) holds the narrative sections the Tim SAKIP writes once a
year — kata pengantar, latar belakang, tugas dan fungsi, … (:data:`SECTIONS`).  Several rows with the
same code are joined as consecutive paragraphs (long texts are easier to type in several cells); a
line break inside a cell also starts a new paragraph.  ``Analisis`` (columns *Kode Sasaran*,
*Keberhasilan*, *Hambatan*, *Solusi*) holds the analysis per sasaran strategis for Bab III: the causes
of success or failure and the solutions.  A sasaran is named by its number in the Pengukuran Kinerja
table (``1``, ``2`` …) or by its full name.

Validation (each problem a :class:`~sheets_sync.model.Finding` with unit ``KENDALI`` naming the tab,
cell and fix): an unknown section or sasaran code, a required section left empty, a sasaran without
analysis, a *Hambatan* without *Solusi*.  Text is kept verbatim (only surrounding spaces trimmed);
escaping is the renderer's job.  Missing pieces never stop the draft: they are printed as a visible
placeholder (:func:`placeholder`) and only block the final.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sheets_sync.core.a1 import cell
from sheets_sync.model import Finding, Raw
from sheets_sync.texts import Text

NARASI_TAB = "Narasi"
ANALISIS_TAB = "Analisis"
NARASI_RANGE = "Narasi!A:Z"
ANALISIS_RANGE = "Analisis!A:Z"
NARASI_HEADERS = ("Kode Bagian", "Teks")
ANALISIS_HEADERS = ("Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi")


@dataclass(frozen=True)
class Section:
    """One narrative section of the LKjIP: its ``code`` (typed in *Kode Bagian*), where it is printed
    (``bab``), its title and whether the final report needs it."""

    code: str
    bab: str
    title: str
    required: bool = True


SECTIONS: tuple[Section, ...] = (
    Section("kata_pengantar", "Kata Pengantar", "Kata Pengantar"),
    Section("ikhtisar", "Ikhtisar Eksekutif", "Pengantar Ikhtisar Eksekutif", required=False),
    Section("latar_belakang", "Bab I", "Latar Belakang"),
    Section("tugas_fungsi", "Bab I", "Tugas Pokok dan Fungsi"),
    Section("struktur_organisasi", "Bab I", "Struktur Organisasi"),
    Section("isu_strategis", "Bab I", "Isu Strategis"),
    Section("sistematika", "Bab I", "Sistematika Penyajian", required=False),
    Section("tujuan_sasaran", "Bab II", "Tujuan dan Sasaran Rencana Strategis"),
    Section("perjanjian_kinerja", "Bab II", "Perjanjian Kinerja", required=False),
    Section("realisasi_anggaran", "Bab III", "Realisasi Anggaran", required=False),
    Section("kesimpulan", "Bab IV", "Kesimpulan"),
    Section("langkah_perbaikan", "Bab IV", "Langkah Perbaikan ke Depan"),
)
"""The sections of :data:`NARASI_TAB`, in the order of PermenPAN-RB 53/2014's Laporan Kinerja."""

SECTION_BY_CODE: dict[str, Section] = {s.code: s for s in SECTIONS}
_SECTION_CODES = ", ".join(s.code for s in SECTIONS)


@dataclass(frozen=True)
class SasaranRef:
    """A sasaran strategis as the report numbers it: ``no`` (``"1"``) and ``nama``."""

    no: str
    nama: str


@dataclass(frozen=True)
class Analysis:
    """The Tim SAKIP's analysis of one sasaran (paragraph lists, verbatim)."""

    sasaran: SasaranRef
    keberhasilan: tuple[str, ...] = ()
    hambatan: tuple[str, ...] = ()
    solusi: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.keberhasilan or self.hambatan)


@dataclass(frozen=True)
class Narrative:
    """What the ``Narasi`` and ``Analisis`` tabs hold, validated.

    ``sections`` maps a section code to its paragraphs (only codes that have text); ``analyses`` maps a
    sasaran number to its analysis; ``missing`` lists what the final report still needs (section codes
    and ``analisis:<no>``), in report order; ``findings`` are every problem found."""

    sections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    analyses: Mapping[str, Analysis] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def complete(self) -> bool:
        """True when nothing blocks the final report."""
        return not self.missing


def _text(v: Raw) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def paragraphs(text: str) -> tuple[str, ...]:
    """Split a cell's text into paragraphs at line breaks; blank lines are dropped."""
    return tuple(p.strip() for p in re.split(r"\r\n|\r|\n", text) if p.strip())


def _header_map(values: Sequence[Sequence[Raw]]) -> dict[str, int]:
    if not values:
        return {}
    return {_text(h).lower(): i for i, h in enumerate(values[0]) if _text(h)}


def _get(row: Sequence[Raw], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return _text(row[col])


def _normal_code(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def placeholder(what: str) -> str:
    """The visible mark a draft prints where the Tim SAKIP has not written yet."""
    return f"[Diisi oleh Tim SAKIP: {what}]"


def _missing_columns(tab: str, values: Sequence[Sequence[Raw]], headers: Sequence[str]) -> list[Finding]:
    found = _header_map(values)
    return [Finding.worded("KENDALI", tab, "1", "kolom_hilang",
                           Text("Kolom {header} tidak ditemukan di tab {tab}.", header=repr(h), tab=tab),
                           Text("Tambahkan judul kolom {header} pada baris 1 tab {tab}.", header=repr(h), tab=tab))
            for h in headers if h.lower() not in found]


def parse_narasi(values: Sequence[Sequence[Raw]] | None) -> tuple[dict[str, tuple[str, ...]], list[Finding]]:
    """The ``Narasi`` tab as read (``None`` = the tab does not exist) → section code → paragraphs, and
    findings for a missing tab or column and unknown codes.  Empty required sections are reported by
    :func:`parse_narrative`, which knows the whole picture."""
    if values is None:
        return {}, [Finding.worded("KENDALI", NARASI_TAB, "", "tab_hilang",
                                   Text("Tab Narasi (teks Laporan Kinerja) tidak ada di spreadsheet kendali."),
                                   Text("Tambahkan tab Narasi dengan kolom Kode Bagian dan Teks (kode: {codes}).",
                                        codes=_SECTION_CODES))]
    findings = _missing_columns(NARASI_TAB, values, NARASI_HEADERS)
    cols = _header_map(values)
    c_code, c_text = cols.get("kode bagian"), cols.get("teks")
    out: dict[str, list[str]] = {}
    for n, row in enumerate(values[1:], start=2):
        raw_code, text = _get(row, c_code), _get(row, c_text)
        if not raw_code and not text:
            continue
        code = _normal_code(raw_code)
        where = cell(n, (c_code or 0) + 1)
        if not code:
            findings.append(Finding.worded("KENDALI", NARASI_TAB, where, "kode_kosong",
                                           Text("Baris {n} tab Narasi berisi teks tanpa Kode Bagian.", n=n),
                                           Text("Isi Kode Bagian, salah satu: {codes}.", codes=_SECTION_CODES)))
            continue
        if code not in SECTION_BY_CODE:
            findings.append(Finding.worded("KENDALI", NARASI_TAB, where, "bagian_tidak_dikenal",
                                           Text("Kode bagian {typed} pada baris {n} tab Narasi tidak dikenal.",
                                                typed=repr(raw_code), n=n),
                                           Text("Gunakan salah satu kode: {codes}.", codes=_SECTION_CODES)))
            continue
        out.setdefault(code, []).extend(paragraphs(text))
    return {k: tuple(v) for k, v in out.items() if v}, findings


def _sasaran_lookup(sasaran: Sequence[SasaranRef]) -> dict[str, SasaranRef]:
    out: dict[str, SasaranRef] = {}
    for s in sasaran:
        out[s.no.strip().lower()] = s
        out[s.nama.strip().lower()] = s
    return out


def parse_analisis(values: Sequence[Sequence[Raw]] | None, sasaran: Sequence[SasaranRef]
                   ) -> tuple[dict[str, Analysis], list[Finding]]:
    """The ``Analisis`` tab as read (``None`` = no tab) → sasaran number → analysis, and findings for a
    missing tab/column, an unknown sasaran, a *Hambatan* without *Solusi*.  Two rows for one sasaran are
    joined (paragraphs in order)."""
    if values is None:
        return {}, [Finding.worded(
            "KENDALI", ANALISIS_TAB, "", "tab_hilang",
            Text("Tab Analisis (analisis capaian per sasaran) tidak ada di spreadsheet kendali."),
            Text("Tambahkan tab Analisis dengan kolom Kode Sasaran, Keberhasilan, Hambatan, Solusi."))]
    findings = _missing_columns(ANALISIS_TAB, values, ANALISIS_HEADERS)
    cols = _header_map(values)
    c = {h: cols.get(h.lower()) for h in ANALISIS_HEADERS}
    lookup = _sasaran_lookup(sasaran)
    known: str | Text = ", ".join(f"{s.no} ({s.nama})" for s in sasaran) or Text("belum ada sasaran di tab Indikator")
    parts: dict[str, dict[str, list[str]]] = {}
    for n, row in enumerate(values[1:], start=2):
        texts = {h: _get(row, c[h]) for h in ANALISIS_HEADERS}
        if not any(texts[h] for h in ANALISIS_HEADERS[1:]):
            continue  # a sasaran listed without analysis yet (the tab as `init` writes it)
        ref = lookup.get(texts["Kode Sasaran"].lower())
        where = cell(n, (c["Kode Sasaran"] or 0) + 1)
        if ref is None:
            findings.append(Finding.worded(
                "KENDALI", ANALISIS_TAB, where, "sasaran_tidak_dikenal",
                Text("Kode sasaran {typed} pada baris {n} tab Analisis tidak dikenal.",
                     typed=repr(texts["Kode Sasaran"]), n=n),
                Text("Tulis nomor atau nama sasaran strategis: {known}.", known=known)))
            continue
        if texts["Hambatan"] and not texts["Solusi"]:
            findings.append(Finding.worded(
                "KENDALI", ANALISIS_TAB, cell(n, (c["Solusi"] or 3) + 1), "solusi_kosong",
                Text("Sasaran {no} pada baris {n} tab Analisis punya hambatan tanpa solusi.", no=ref.no, n=n),
                Text("Tuliskan solusi atau langkah antisipasi atas hambatan tersebut pada kolom Solusi."), "warning"))
        got = parts.setdefault(ref.no, {"Keberhasilan": [], "Hambatan": [], "Solusi": []})
        for h in ("Keberhasilan", "Hambatan", "Solusi"):
            got[h].extend(paragraphs(texts[h]))
    by_no = {s.no: s for s in sasaran}
    return {no: Analysis(by_no[no], tuple(p["Keberhasilan"]), tuple(p["Hambatan"]), tuple(p["Solusi"]))
            for no, p in parts.items()}, findings


def parse_narrative(narasi: Sequence[Sequence[Raw]] | None, analisis: Sequence[Sequence[Raw]] | None,
                    sasaran: Sequence[SasaranRef]) -> Narrative:
    """Both tabs together: what there is, what the final report still misses (each a finding naming the
    tab and the section or sasaran), every other problem."""
    sections, findings = parse_narasi(narasi)
    analyses, more = parse_analisis(analisis, sasaran)
    findings += more
    missing: list[str] = []
    for s in SECTIONS:
        if s.required and s.code not in sections:
            missing.append(s.code)
            if narasi is not None:
                findings.append(Finding.worded(
                    "KENDALI", NARASI_TAB, "", "narasi_kosong",
                    Text("Bagian {title} ({bab}, kode {code}) Laporan Kinerja belum diisi.", title=s.title, bab=s.bab,
                         code=s.code),
                    Text("Tambahkan baris di tab Narasi dengan Kode Bagian {code} dan teksnya.", code=s.code)))
    for ref in sasaran:
        a = analyses.get(ref.no)
        if a is None or a.empty:
            missing.append(f"analisis:{ref.no}")
            if analisis is not None:
                findings.append(Finding.worded(
                    "KENDALI", ANALISIS_TAB, "", "analisis_kosong",
                    Text("Analisis capaian sasaran {no} ({name}) belum diisi.", no=ref.no, name=ref.nama),
                    Text("Tambahkan baris di tab Analisis dengan Kode Sasaran {no} dan isi kolom Keberhasilan atau "
                         "Hambatan beserta Solusi.", no=ref.no)))
    return Narrative(sections, analyses, tuple(missing), tuple(findings))


def sasaran_of(indicators: Sequence[object]) -> list[SasaranRef]:
    """The sasaran strategis of a Perjanjian Kinerja in order of first appearance, numbered 1, 2, …
    (the numbering of the Pengukuran Kinerja table).  Indicators of a lower level of the cascading
    (``tingkat`` program/kegiatan/sub_kegiatan, where the master has that column) are not sasaran."""
    out: list[SasaranRef] = []
    seen: set[str] = set()
    for ind in indicators:
        tingkat = str(getattr(ind, "tingkat", "sasaran") or "sasaran")
        if tingkat not in ("sasaran", "tujuan", "iku"):
            continue
        name = str(getattr(ind, "sasaran", "")).strip()
        if name and name not in seen:
            seen.add(name)
            out.append(SasaranRef(str(len(out) + 1), name))
    return out


@dataclass(frozen=True)
class ReviewNote:
    """One note of a return for correction: the ``section`` it is about (a :data:`SECTIONS` code,
    ``analisis:<no>``, ``angka`` for the numbers, or ``umum``) and the note itself."""

    section: str
    note: str

    @property
    def title(self) -> str:
        """The section as people call it: ``Latar Belakang (Bab I)``, ``Analisis sasaran 2``, ``Umum``."""
        if self.section in SECTION_BY_CODE:
            s = SECTION_BY_CODE[self.section]
            return f"{s.title} ({s.bab})"
        if self.section.startswith("analisis:"):
            return f"Analisis sasaran {self.section.split(':', 1)[1]}"
        return {"angka": "Angka capaian / data bidang", "umum": "Umum"}.get(self.section, self.section)


def parse_review_notes(text: str) -> tuple[ReviewNote, ...]:
    """The *Catatan* of a ``Dikoreksi`` row in ``Dokumen``: one note per line or per ``;``, each
    ``kode: catatan`` (``latar_belakang: tambahkan data pegawai``, ``analisis 2: jelaskan hambatan``,
    ``angka: realisasi 1.3 belum sesuai``).  A note without a known code is kept under ``umum``."""
    out: list[ReviewNote] = []
    for piece in re.split(r"[\n;]+", text):
        piece = piece.strip()
        if not piece:
            continue
        code, sep, rest = piece.partition(":")
        key = _normal_code(code)
        m = re.fullmatch(r"analisis_?(?:sasaran_?)?(\d+)", key)
        if sep and m:
            out.append(ReviewNote(f"analisis:{m.group(1)}", rest.strip()))
        elif sep and (key in SECTION_BY_CODE or key in ("angka", "umum")):
            out.append(ReviewNote(key, rest.strip()))
        else:
            out.append(ReviewNote("umum", piece))
    return tuple(out)
