"""Table columns whose words must never break: a *Satuan* column is widened at render time until its
longest word fits on one line ("dokumen", "kejadian", "rekomendasi" — never "dokum/en"), the width
taken from the widest free-text column of the same table (Indikator Kinerja, Keterangan, …), so the
table keeps its total width and page layout.

Words are measured with the advance widths of Helvetica, which Arial (the templates' font) and
Liberation Sans (what LibreOffice uses for Arial) share by design — metric-compatible fonts — so the
width fits in Word and in the PDF alike.  A fixed-layout table breaks a word that is wider than the
cell's text area (cell width minus its left and right margins).
"""

from __future__ import annotations

import functools
from typing import Any

FIT_HEADERS = ("Satuan",)
"""Header texts of the columns fitted to their longest word."""
DONOR_HEADERS = ("Indikator Kinerja", "Keterangan", "Program / Kegiatan", "Uraian")
"""Free-text columns that may give width (their text wraps between words anyway)."""
DONOR_MIN_TWIPS = 1134  # 20 mm: a donor column never gets narrower than this
SLACK_TWIPS = 57  # 1 mm for rounding and kerning differences between Word and LibreOffice
DEFAULT_MARGIN_TWIPS = 108  # Word's default left/right cell margin (0.19 cm)
TWIPS_PER_PT = 20

# Advance widths in 1/1000 em (Helvetica AFM; Arial and Liberation Sans are metric-compatible with it).
_BY_WIDTH = {222: "ijl", 278: "ftI!,.:;/ ", 333: "r-()", 500: "ckvxyzsJ", 584: "+<=>", 611: "FTZ",
             667: "ABEKPSVXY", 722: "CDHNRUw", 778: "GOQ", 833: "mM", 889: "%", 944: "W", 1015: "@"}
WIDTHS: dict[str, int] = {ch: w for w, chars in _BY_WIDTH.items() for ch in chars}
DEFAULT_WIDTH = 556  # the other lowercase letters, the digits, L, and anything not listed


FONT_FACTORS = {"arial": 1.0, "liberation sans": 1.0, "helvetica": 1.0, "arimo": 1.0, "calibri": 0.92,
                "carlito": 0.92, "times new roman": 0.9, "liberation serif": 0.9, "cambria": 1.0,
                "bookman old style": 1.2, "tahoma": 1.05, "verdana": 1.2}
"""How much wider than Arial a font sets the same word (approximate, from their average advance widths);
a font not listed counts as :data:`UNKNOWN_FACTOR`, on the safe side."""
UNKNOWN_FACTOR = 1.2


def word_twips(word: str, size_pt: float, font: str = "Arial") -> int:
    """The printed width of ``word`` at ``size_pt`` in ``font``, in twips (1/20 pt)."""
    factor = FONT_FACTORS.get(font.strip().lower(), UNKNOWN_FACTOR)
    return round(sum(WIDTHS.get(ch, DEFAULT_WIDTH) for ch in word) / 1000 * size_pt * TWIPS_PER_PT * factor)


@functools.cache
def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _text(tc: Any) -> str:
    return "".join(t.text or "" for t in tc.iter(_qn("w:t")))


def _span(tc: Any, tc_pr: str, grid_span: str, val: str) -> int:
    # child by child with the tags resolved once: a path string is parsed by lxml on every call
    pr = tc.find(tc_pr)
    span = pr.find(grid_span) if pr is not None else None
    return int(span.get(val)) if span is not None else 1


@functools.cache
def _spanned() -> Any:
    from docx.oxml.ns import nsmap
    from lxml import etree

    return etree.XPath("boolean(w:tc/w:tcPr/w:gridSpan)", namespaces={"w": nsmap["w"]})


def _cells_by_column(tbl: Any) -> list[dict[int, Any]]:
    """Per row, grid column → the cell that starts there and covers only that column."""
    rows = []
    tags = (_qn("w:tcPr"), _qn("w:gridSpan"), _qn("w:val"))
    spanned = _spanned()
    for tr in tbl.iterchildren(_qn("w:tr")):
        if not spanned(tr):  # most rows: every cell one column wide, no cell's properties to look into
            rows.append(dict(enumerate(tr.iterchildren(_qn("w:tc")))))
            continue
        col, cells = 0, {}
        for tc in tr.iterchildren(_qn("w:tc")):
            span = _span(tc, *tags)
            if span == 1:
                cells[col] = tc
            col += span
        rows.append(cells)
    return rows


def _margins(tbl: Any) -> int:
    """Left + right cell margin of the table (its tblCellMar, else Word's default)."""
    total = 0
    for side in ("left", "right"):
        el = tbl.find(f"{_qn('w:tblPr')}/{_qn('w:tblCellMar')}/{_qn('w:' + side)}")
        total += int(el.get(_qn("w:w"))) if el is not None else DEFAULT_MARGIN_TWIPS
    return total


def style_sizes(document: Any) -> dict[str, float]:
    """Style id → font size (pt) of every style of ``document`` that sets one, the first of an id
    winning.  Built once per document: looking a cell's style up among all styles for every cell made
    fitting a 2,000-row table take longer than filling it."""
    sizes: dict[str, float] = {}
    for s in document.styles:
        if getattr(s, "font", None) is not None and s.font.size:
            sizes.setdefault(s.style_id, float(s.font.size.pt))
    return sizes


def _size_pt(sizes: dict[str, float], tc: Any, default: float) -> float:
    """The font size of the cell's first paragraph: its run's, else its style's (``sizes``, from
    :func:`style_sizes`), else ``default``."""
    sz = tc.find(f".//{_qn('w:r')}/{_qn('w:rPr')}/{_qn('w:sz')}")
    if sz is not None:
        return int(sz.get(_qn("w:val"))) / 2
    style = tc.find(f".//{_qn('w:pPr')}/{_qn('w:pStyle')}")
    if style is not None:
        return sizes.get(style.get(_qn("w:val")), default)
    return default


def _set_width(tbl: Any, rows: list[dict[int, Any]], col: int, twips: int) -> None:
    grid = tbl.find(_qn("w:tblGrid")).findall(_qn("w:gridCol"))
    grid[col].set(_qn("w:w"), str(twips))
    for cells in rows:
        tc = cells.get(col)
        w = tc.find(f"{_qn('w:tcPr')}/{_qn('w:tcW')}") if tc is not None else None
        if w is not None:
            w.set(_qn("w:w"), str(twips))
            w.set(_qn("w:type"), "dxa")


def fit_word_columns(document: Any, font: str = "Arial", default_size_pt: float = 8.5) -> None:
    """Widen every :data:`FIT_HEADERS` column of every table to its longest word (see module docstring);
    a table without such a column, or without a donor column with room to give, is left as it is."""
    sizes: dict[str, float] | None = None  # only a table with a column to fit needs the styles
    for tbl in document.element.body.iter(_qn("w:tbl")):  # the public XML of the document
        grid_el = tbl.find(_qn("w:tblGrid"))
        if grid_el is None:
            continue
        grid = [int(g.get(_qn("w:w")) or 0) for g in grid_el.findall(_qn("w:gridCol"))]
        rows = _cells_by_column(tbl)
        headers: dict[str, int] = {}
        for cells in rows[:2]:  # a header may sit on the first or second row (numbered header rows)
            for col, tc in cells.items():
                headers.setdefault(_text(tc).strip(), col)
        margins = _margins(tbl)
        for name in FIT_HEADERS:
            found = headers.get(name)
            if found is None or found >= len(grid):
                continue
            col = found
            sizes = style_sizes(document) if sizes is None else sizes
            need = max((word_twips(word, _size_pt(sizes, tc, default_size_pt), font)
                        for cells in rows[1:] if (tc := cells.get(col)) is not None
                        for word in _text(tc).split()), default=0) + margins + SLACK_TWIPS
            missing = need - grid[col]
            donors = [c for h, c in headers.items() if h in DONOR_HEADERS and c < len(grid)]
            if missing <= 0 or not donors:
                continue
            donor = max(donors, key=lambda c: grid[c])
            if grid[donor] - missing < DONOR_MIN_TWIPS:
                continue
            grid[col] += missing
            grid[donor] -= missing
            _set_width(tbl, rows, col, grid[col])
            _set_width(tbl, rows, donor, grid[donor])
