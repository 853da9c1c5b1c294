"""The control spreadsheet as a guide for the PPKP: dropdowns for every closed list, date checks in
``Jadwal`` and ``Persetujuan``, the tabs in working order, the workbook opening on ``Bidang``.  Pure:
builds :class:`~sheets_sync.core.values.TabGuide` values from the tabs' header rows; the service applies
them through :meth:`~sheets_sync.backends.base.Backend.guide`, which never touches a value.

Columns are found by header text (as :mod:`sheets_sync.core.control` reads them), so a PPKP who moved
or added columns gets the dropdown on the column they use.  The lists are exactly what the parser
accepts, so a value picked from a dropdown is never a finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheets_sync.core.a1 import col_letter, quote_tab
from sheets_sync.core.values import NumberFormat, TabGuide, Validation, ValidationKind
from sheets_sync.model import APPROVAL_STATUSES, KONSOLIDASI, KONVENSI_TARGET, POLARITAS, TINGKAT, Raw

CORE_ORDER = ("Bidang", "Indikator", "Jadwal", "Persetujuan", "Dokumen", "Rekap")
"""The tabs people work through, in the order of the SOP; the workbook opens on the first."""
LAST = ("Anggaran",)
"""Optional tabs kept at the very end (other optional tabs — Narasi, Analisis, Libur — sit between)."""
EXCEL_LIST_LIMIT = 255  # characters of an inline list in an .xlsx data validation


@dataclass(frozen=True)
class ColumnRule:
    """What a column of a control tab accepts: a ``list`` (a dropdown of ``values``) or a ``date``;
    ``strict`` rejects anything else on the spot (else a warning mark)."""

    tab: str
    header: str
    kind: ValidationKind
    message: str
    values: tuple[str, ...] = ()
    strict: bool = False


_DATE = "Isi tanggal, misalnya 10/04/2025 atau 10/04/2025 16:00."
RULES: tuple[ColumnRule, ...] = (
    ColumnRule("Indikator", "Polaritas", "list", "Pilih positif (makin tinggi makin baik) atau negatif.", POLARITAS),
    ColumnRule("Indikator", "Konsolidasi", "list", "Pilih cara menggabungkan triwulan.", KONSOLIDASI),
    ColumnRule("Indikator", "Konvensi Target", "list", "Pilih per_triwulan atau kumulatif.", KONVENSI_TARGET),
    ColumnRule("Indikator", "Tingkat", "list", "Pilih tingkat cascading indikator.", TINGKAT),
    ColumnRule("Indikator", "IKU", "list", "Pilih ya bila indikator ini Indikator Kinerja Utama.", ("ya", "tidak")),
    ColumnRule("Indikator", "Rumus Negatif", "list", "Pilih A, B, tren, atau kosongkan (rumus kantor).",
               ("A", "B", "tren")),
    ColumnRule("Jadwal", "Dibuka", "date", _DATE),
    ColumnRule("Jadwal", "Batas Pengisian", "date", _DATE + " Boleh juga jumlah hari kerja: 3 hari kerja."),
    ColumnRule("Jadwal", "Tanggal Kunci", "date", _DATE + " Boleh juga hari kerja setelah batas: 5 hari kerja."),
    ColumnRule("Jadwal", "Tanggal Rapat", "date", _DATE),
    ColumnRule("Persetujuan", "Status", "list", "Pilih Disetujui atau Perlu perbaikan (Perlu perbaikan wajib "
               "diberi Catatan).", APPROVAL_STATUSES, strict=True),
    ColumnRule("Persetujuan", "Tanggal", "date", "Isi tanggal rapat, misalnya 14/04/2025."),
    ColumnRule("Libur", "Tanggal", "date", "Isi tanggal libur atau masuk kantor, misalnya 20/10/2025."),
    ColumnRule("Libur", "Jenis", "list", "Pilih libur (kantor tutup) atau masuk (kantor tetap bekerja).",
               ("libur", "masuk"), strict=True),
)


def tab_order(tabs: Sequence[str]) -> list[str]:
    """``tabs`` in working order: :data:`CORE_ORDER`, then the other tabs as they were, then :data:`LAST`."""
    core = [t for t in CORE_ORDER if t in tabs]
    last = [t for t in LAST if t in tabs]
    return core + [t for t in tabs if t not in CORE_ORDER and t not in LAST] + last


def _column(header_row: Sequence[Raw], header: str) -> str | None:
    for i, h in enumerate(header_row, start=1):
        if str(h or "").strip().lower() == header.lower():
            return col_letter(i)
    return None


def _rules(unit_codes: Sequence[str], document_statuses: Sequence[str]) -> tuple[ColumnRule, ...]:
    extra = [ColumnRule("Dokumen", "Status", "list", "Pilih status dokumen.", tuple(document_statuses))]
    if unit_codes and len(",".join(unit_codes)) <= EXCEL_LIST_LIMIT:
        extra.append(ColumnRule("Persetujuan", "Kode Bidang", "list", "Pilih kode bidang dari tab Bidang.",
                                tuple(unit_codes)))
    return (*RULES, *extra)


def control_guides(tabs: Sequence[str], headers: Mapping[str, Sequence[Raw]], *, unit_codes: Sequence[str] = (),
                   document_statuses: Sequence[str] = (), percent_column: int | None = None,
                   percent_first_row: int = 5) -> list[TabGuide]:
    """One guide per tab of a spreadsheet holding ``tabs`` (in their current order): its index in
    :func:`tab_order`, the validations of :data:`RULES` (plus the bidang codes of ``Persetujuan`` when
    they fit an inline list, and the document statuses of ``Dokumen``) on the columns found in
    ``headers`` (tab → header row), from row 2 down, open-ended.  ``percent_column``: the ``Rekap``
    column holding percentages, shown with two decimals from ``percent_first_row`` down.  ``Bidang`` is
    the active tab."""
    rules = _rules(unit_codes, document_statuses)
    out: list[TabGuide] = []
    for index, tab in enumerate(tab_order(tabs)):
        validations = []
        for rule in rules:
            col = _column(headers.get(tab, ()), rule.header) if rule.tab == tab else None
            if col is not None:
                validations.append(Validation(f"{quote_tab(tab)}!{col}2:{col}", rule.kind, rule.message, rule.values,
                                              rule.strict))
        formats: tuple[NumberFormat, ...] = ()
        if tab == "Rekap" and percent_column is not None:
            col = col_letter(percent_column)
            formats = (NumberFormat(f"Rekap!{col}{percent_first_row}:{col}", "0.00"),)
        out.append(TabGuide(tab, index, tuple(validations), formats, active=tab == "Bidang"))
    return out
