"""Every printed capaian of the sample documents can be recomputed from the printed target and realisasi
(docs/sakip-rules.md §8): the .docx is read back, each number parsed as a reader would, and the capaian
recomputed with the indicator's own formula.  A rasio whose realisasi needs more than 4 decimals states
``R = pembilang / penyebut × 100`` with the numbers in Keterangan, and those are used instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.table import _Cell

from sheets_sync.config import RuleSettings
from sheets_sync.core.capaian import compute, parse_target
from sheets_sync.model import Period
from sheets_sync.reports import render
from sheets_sync.reports.sample import cascading_request, sample_office, sample_request

INDICATORS = {i.name: i for i in (*sample_office()[0], *cascading_request().indicators)}
RULES = RuleSettings().to_rules()
_RATIO = re.compile(r"Realisasi (?P<label>[^:]+): R = pembilang / penyebut × 100 = (?P<p>[\d.,]+) / (?P<q>[\d.,]+)")


def _rows(path: Path) -> list[list[str]]:
    table = Document(str(path)).tables[0]
    return [[_Cell(tc, table).text for tc in row._tr.tc_lst] for row in table.rows[2:]]


def _value(text: str) -> float:
    """A number as printed in the document: dots group thousands, the comma is the decimal mark."""
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?", text), text
    return float(text.replace(".", "").replace(",", "."))


def _check(name: str, target: str, realisasi: str, printed: str, label: str, keterangan: str,
           same_as: str = "") -> bool:
    """True when a capaian was recomputed (False: nothing to recompute in this column)."""
    if printed in ("–", "N/A") or target == "–" or realisasi == "–":
        return False
    ind = INDICATORS[name]
    r: float | str = realisasi if parse_target(target).kind == "qualitative" else _value(realisasi)
    ratio = next((m for m in _RATIO.finditer(keterangan) if m.group("label") in (label, same_as)), None)
    if ratio:
        r = _value(ratio.group("p")) / _value(ratio.group("q")) * 100
    again = compute(parse_target(target), r, ind.polaritas, RULES, rumus=ind.rumus_negatif)
    assert again.display == printed, (name, label, target, realisasi, printed, again)
    return True


@pytest.mark.parametrize(("quarter", "edition"), [(1, "triwulan"), (2, "triwulan"), (3, "triwulan"),
                                                  (4, "triwulan"), (2, "semester"), (4, "semester")])
def test_every_capaian_of_a_quarterly_document_recomputes_from_its_printed_numbers(
        quarter: int, edition: str, tmp_path: Path) -> None:
    req = sample_request(Period(2025, quarter), edition)  # type: ignore[arg-type]
    done = render("pengukuran_kinerja", req, tmp_path)
    label = f"TW {('I', 'II', 'III', 'IV')[quarter - 1]}" if edition == "triwulan" else (
        "Semester I" if quarter == 2 else "Semester II")
    checked = 0
    for row in _rows(done.path):
        if not row[0].isdigit():
            continue
        name, ket = row[2], row[13]
        checked += _check(name, row[5], row[6], row[7], label, ket)  # the period against its target
        same = label if (edition, quarter) in (("triwulan", 1), ("semester", 2)) else ""  # the period is s.d.
        checked += _check(name, row[8], row[9], row[10], f"s.d. {label}", ket, same)  # against target s.d.
        checked += _check(name, row[4], row[9], row[11], f"s.d. {label}", ket, same)  # against the annual target
    assert checked >= 12


def test_every_capaian_of_the_annual_document_recomputes_from_its_printed_numbers(tmp_path: Path) -> None:
    done = render("pengukuran_kinerja", sample_request(Period(2025, 4), "tahunan"), tmp_path)
    rows = [r for r in _rows(done.path) if r[0].isdigit()]
    assert sum(_check(r[2], r[4], r[5], r[6], "Tahun 2025", r[8]) for r in rows) == len(rows) == 11


def test_every_capaian_of_every_level_table_recomputes_from_its_printed_numbers(tmp_path: Path) -> None:
    done = render("pengukuran_kinerja", cascading_request(), tmp_path)
    doc = Document(str(done.path))
    checked = 0
    for table in doc.tables[:4]:  # tujuan, sasaran, program, kegiatan
        for row in ([_Cell(tc, table).text for tc in r._tr.tc_lst] for r in table.rows[2:]):
            if row[0].isdigit():
                checked += _check(row[2], row[5], row[6], row[7], "TW I", row[13])
                checked += _check(row[2], row[4], row[9], row[11], "s.d. TW I", row[13], "TW I")
    assert checked == 14
