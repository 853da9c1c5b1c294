"""The review flow of documents as the office records it in the ``Dokumen`` tab (pure).

Each listed document has a *Status* the office types as the paper moves — for the Laporan Kinerja the
SOP's loop Draft → Dikoreksi (returned with notes per section in *Catatan*) → Finalisasi (the
finalisation meeting) → Disetujui Kepala → Ditandatangani → Dikirim → Diarsipkan — and the service
keeps it, time-stamps every change and keeps the history.  This module reads the tab by header
(:func:`parse_dokumen`), normalises what was typed (``dikoreksi``, ``DISETUJUI KEPALA`` …) and turns a
typed status that differs from the last recorded one into a :class:`Transition`.  An unknown status
is a finding naming the cell; the last valid status stays in force.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sheets_sync.core.a1 import cell
from sheets_sync.core.cells import cell_text as _text
from sheets_sync.model import Finding, Raw
from sheets_sync.texts import Text

DOKUMEN_TAB = "Dokumen"

class Ident(NamedTuple):
    """How a ``Dokumen`` row names its document: period, kind, version and ``Draft``/``Final``
    (``jenis``).  A tuple underneath, so it is a dictionary key equal to the same four texts."""

    period: str
    kind: str
    version: str
    jenis: str


@dataclass(frozen=True)
class TypedStatus:
    """What the office typed on one ``Dokumen`` row: ``status`` (normalised, or "" when empty or
    unknown), ``catatan``, the sheet ``row`` number and the status text exactly as typed (``raw``)."""

    ident: Ident
    status: str
    catatan: str
    row: int
    raw: str = ""


@dataclass(frozen=True)
class Transition:
    """A status change to record: from ``before`` ("" = first seen) to ``after``, with the notes."""

    ident: Ident
    before: str
    after: str
    catatan: str


def normal_status(text: str, allowed: Sequence[str]) -> str | None:
    """``text`` as one of ``allowed`` (case and spacing ignored), else None."""
    key = " ".join(text.split()).lower()
    return next((s for s in allowed if s.lower() == key), None)


def parse_dokumen(values: Sequence[Sequence[Raw]], allowed: Sequence[str]) -> tuple[dict[Ident, TypedStatus],
                                                                                     list[Finding]]:
    """The ``Dokumen`` tab as read → the status typed per document, and findings for unknown statuses.
    Columns are found by header (Periode, Jenis, Versi, Draft/Final, Status, Catatan)."""
    if not values:
        return {}, []
    head = {_text(h).lower(): i for i, h in enumerate(values[0]) if _text(h)}
    need = ("periode", "jenis", "versi", "draft/final")
    if any(h not in head for h in need):
        return {}, []
    c_status, c_note = head.get("status"), head.get("catatan")

    def get(row: Sequence[Raw], col: int | None) -> str:
        return _text(row[col]) if col is not None and col < len(row) else ""

    out: dict[Ident, TypedStatus] = {}
    findings: list[Finding] = []
    for n, row in enumerate(values[1:], start=2):
        ident = Ident(get(row, head["periode"]), get(row, head["jenis"]), get(row, head["versi"]),
                      get(row, head["draft/final"]))
        if not ident.period:
            continue
        typed = get(row, c_status)
        status = normal_status(typed, allowed) if typed else ""
        if status is None:
            findings.append(Finding.worded(
                "KENDALI", DOKUMEN_TAB, cell(n, (c_status or 0) + 1), "status_tidak_dikenal",
                Text("Status dokumen {typed} ({kind} versi {version}) tidak dikenal.", typed=repr(typed),
                     kind=ident.kind, version=ident.version),
                Text("Isi salah satu: {allowed}.", allowed=", ".join(allowed))))
            status = ""
        out[ident] = TypedStatus(ident, status, get(row, c_note), n, typed)
    return out, findings


def transitions(typed: Mapping[Ident, TypedStatus], recorded: Mapping[Ident, str],
                defaults: Mapping[Ident, str]) -> list[Transition]:
    """The changes to record: for each document in ``defaults`` (every registered document → its
    default status), the typed status (else the last recorded, else the default) compared with the
    last recorded one (``recorded``; a document never recorded starts from "")."""
    out: list[Transition] = []
    for ident, default in defaults.items():
        t = typed.get(ident)
        before = recorded.get(ident, "")
        after = (t.status if t and t.status else "") or before or default
        if after != before:
            out.append(Transition(ident, before, after, t.catatan if t else ""))
    return out
