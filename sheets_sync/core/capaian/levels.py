"""The Renstra cascading: levels (tujuan → sasaran → program → kegiatan → sub kegiatan), parents, and the
checks of the master's cascading columns.  Pure (no I/O); import from :mod:`sheets_sync.core.capaian`.

Each indicator row names its level (``Tingkat``) and, below the top, the code of the indicator one level
up that it supports (``Kode Induk``).  :func:`cascade_problems` reports a parent code that names no
indicator (orphan), a chain of parents that returns to itself (cycle) and a row whose level is not
below its parent's.  Capaian per level is measured from that level's own indicators — never summed up
the tree (see :mod:`sheets_sync.reports.measure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sheets_sync.findings import FindingCode
from sheets_sync.model import TINGKAT, Indicator
from sheets_sync.texts import Text

LEVEL_NAMES = {"tujuan": "Tujuan", "sasaran": "Sasaran Strategis", "program": "Program", "kegiatan": "Kegiatan",
               "sub_kegiatan": "Sub Kegiatan", "iku": "Indikator Kinerja Utama"}
"""Headings of each level in documents (``iku`` = the IKU view across levels)."""

_WORDS = {"tujuan": "tujuan", "sasaran": "sasaran", "sasaran strategis": "sasaran", "program": "program",
          "kegiatan": "kegiatan", "sub kegiatan": "sub_kegiatan", "subkegiatan": "sub_kegiatan"}


def tingkat_of(text: str) -> str | None:
    """The level key from what a person typed (``Sub Kegiatan``, ``sub-kegiatan``, ``Sasaran Strategis``);
    empty → ``sasaran`` (a master without the column is one flat level); unknown → None."""
    t = " ".join(str(text or "").replace("_", " ").replace("-", " ").split()).lower()
    return "sasaran" if not t else _WORDS.get(t)


def yes_no(text: str) -> bool | None:
    """``ya``/``y``/``iku``/``true``/``1`` → True; ``tidak``/``t``/``bukan``/empty → False; else None."""
    t = str(text or "").strip().lower()
    if t in ("ya", "y", "iku", "true", "1", "benar", "v", "✓"):
        return True
    if t in ("", "tidak", "t", "bukan", "false", "0", "-", "–"):
        return False
    return None


def depth(tingkat: str) -> int:
    return TINGKAT.index(tingkat) if tingkat in TINGKAT else TINGKAT.index("sasaran")


@dataclass(frozen=True)
class CascadeProblem:
    code: str  # the indicator whose row is wrong
    finding: FindingCode  # induk_tidak_ada | induk_melingkar | tingkat_induk_salah
    message: Text


def cascade_problems(indicators: Sequence[Indicator]) -> list[CascadeProblem]:
    """Orphans, cycles and levels not below their parent's (one problem per row, in master order)."""
    by_code = {i.code: i for i in indicators}
    out: list[CascadeProblem] = []
    for ind in indicators:
        if not ind.kode_induk:
            continue
        parent = by_code.get(ind.kode_induk)
        if parent is None:
            out.append(CascadeProblem(ind.code, "induk_tidak_ada",
                                      Text("Kode Induk {parent} indikator {code} tidak ada di tab Indikator.",
                                           parent=repr(ind.kode_induk), code=ind.code)))
            continue
        seen: set[str] = {ind.code}
        cur: Indicator | None = parent
        cycle = False
        while cur is not None:
            if cur.code in seen:
                cycle = True
                break
            seen.add(cur.code)
            cur = by_code.get(cur.kode_induk) if cur.kode_induk else None
        if cycle:
            out.append(CascadeProblem(ind.code, "induk_melingkar",
                                      Text("Rantai Kode Induk indikator {code} kembali ke dirinya sendiri ({chain}).",
                                           code=ind.code, chain=" → ".join(sorted(seen)))))
        elif depth(ind.tingkat) <= depth(parent.tingkat):
            out.append(CascadeProblem(ind.code, "tingkat_induk_salah",
                                      Text("Indikator {code} bertingkat {tingkat} tetapi induknya {parent} "
                                           "bertingkat {parent_tingkat}; induk harus satu tingkat di atasnya.",
                                           code=ind.code, tingkat=ind.tingkat, parent=parent.code,
                                           parent_tingkat=parent.tingkat)))
    return out


def ancestors(ind: Indicator, by_code: dict[str, Indicator]) -> list[Indicator]:
    """Parents of ``ind`` nearest first (stops at a missing parent or a cycle)."""
    out: list[Indicator] = []
    seen = {ind.code}
    cur = by_code.get(ind.kode_induk) if ind.kode_induk else None
    while cur is not None and cur.code not in seen:
        out.append(cur)
        seen.add(cur.code)
        cur = by_code.get(cur.kode_induk) if cur.kode_induk else None
    return out
