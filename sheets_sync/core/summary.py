"""The coordinator's digest ("Rekap harian"): where every bidang stands in a period.  Pure.

:func:`build_digest` takes what the poller already knows — units, their
:class:`~sheets_sync.model.UnitStatus`, the schedule, the statuses stored with the *previous* digest
and the changes detected after approval — and returns a :class:`Digest`.  From it:

* :func:`digest_rows` — the table for the digest area of the ``Rekap`` tab (strings; write it RAW);
* :func:`digest_text` — plain text for ``sheets-sync summary`` and logs;
* :func:`digest_state` — a JSON-able ``{unit: {state, filled, required}}`` to store and pass back as
  ``previous`` next time, so "what changed since the last digest" survives restarts
  (:func:`sheets_sync.notify.queue_digest` stores it in ``meta`` in the same transaction);
* the e-mail is rendered from ``templates/email/digest.*`` with ``{"digest": digest}``.

"Late": a bidang is late when it completed after the deadline (``Terlambat``) or is still incomplete
after it (``Tidak mengisi``, or any incomplete state once ``now`` is past the deadline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sheets_sync.core.fmt import persen, tanggal_jam
from sheets_sync.model import SELESAI_BELUM_BERLAKU, ApprovedChange, Finding, Period, Schedule, Unit, UnitStatus

__all__ = ["ApprovedChange", "Digest", "DigestRow", "build_digest", "digest_rows", "digest_state", "digest_text"]

STATE_ORDER = ("Tidak mengisi", "Belum mengisi", "Sebagian", "Terlambat", "Lengkap")
COMPLETE = frozenset({"Lengkap", "Terlambat"})


@dataclass(frozen=True)
class DigestRow:
    unit: str
    name: str
    state: str
    filled: int
    required: int
    percent: float
    problems: int
    late: bool
    done_flag: bool
    change: str  # "" | "baru" | "Sebagian → Lengkap" | "+3 sel" | "-1 sel"
    last_change: datetime | None
    link: str
    stale: bool = False
    stale_why: str = ""  # "form hilang" / "form tidak dapat diakses" when that is why it was not read

    @property
    def done_note(self) -> str:
        """`` (Selesai)`` after a complete bidang's state; `` — Selesai belum berlaku`` when it chose
        "Selesai" with required cells still missing (reminders go on); else empty."""
        if not self.done_flag:
            return ""
        return " (Selesai)" if self.state in COMPLETE else f" — {SELESAI_BELUM_BERLAKU}"


def _done_note(r: DigestRow) -> str:
    return r.done_note


LOST_FORM = {"form_hilang": "form hilang", "form_tidak_dapat_diakses": "form tidak dapat diakses"}
"""Finding codes of a form that is gone or closed, and the words the Rekap and the digest show for them."""


def stale_why(findings: Sequence[Finding]) -> str:
    """Why a stale bidang was not read, in the office's words ("" when it was only a failed read)."""
    return next((LOST_FORM[f.code] for f in findings if f.code in LOST_FORM), "")


@dataclass(frozen=True)
class Digest:
    period: Period
    generated_at: datetime
    deadline: datetime | None
    rows: tuple[DigestRow, ...]
    approved_changes: tuple[ApprovedChange, ...]
    first: bool  # no previous digest to compare with

    @property
    def filled(self) -> int:
        return sum(r.filled for r in self.rows)

    @property
    def required(self) -> int:
        return sum(r.required for r in self.rows)

    @property
    def percent(self) -> float:
        return 100.0 * self.filled / self.required if self.required else 100.0

    @property
    def late(self) -> tuple[DigestRow, ...]:
        return tuple(r for r in self.rows if r.late)

    @property
    def changed(self) -> tuple[DigestRow, ...]:
        return tuple(r for r in self.rows if r.change)

    @property
    def counts(self) -> dict[str, int]:
        """State → number of bidang, every state listed (zeros included), in :data:`STATE_ORDER`."""
        return {s: sum(1 for r in self.rows if r.state == s) for s in STATE_ORDER}

    @property
    def complete(self) -> bool:
        return all(r.state in COMPLETE for r in self.rows)


def _change(status: UnitStatus, prev: Mapping[str, Any] | None, first: bool) -> str:
    if first:
        return ""
    if prev is None:
        return "baru"
    if prev.get("state") != status.state:
        return f"{prev.get('state')} → {status.state}"
    delta = status.filled - int(prev.get("filled", status.filled))
    if delta:
        return f"{delta:+d} sel"
    return ""


def build_digest(
    now: datetime,
    period: Period,
    units: Sequence[Unit],
    statuses: Mapping[str, UnitStatus],
    *,
    schedule: Schedule | None = None,
    previous: Mapping[str, Mapping[str, Any]] | None = None,
    approved_changes: Sequence[ApprovedChange] = (),
    links: Mapping[str, str] | None = None,
) -> Digest:
    """Build the digest of ``period`` at ``now`` (aware).  ``previous`` is :func:`digest_state` of the
    last digest (None: first digest, nothing reported as changed); ``approved_changes`` are the
    :class:`~sheets_sync.model.ApprovedChange` of every bidang.  A unit without a status counts as
    ``Belum mengisi`` with 0 of 0 cells."""
    if now.tzinfo is None:
        raise ValueError("build_digest needs an aware datetime (never naive)")
    first = previous is None
    prev = previous or {}
    links = links or {}
    past_deadline = schedule is not None and now >= schedule.deadline
    rows = []
    for unit in units:
        st = statuses.get(unit.code) or UnitStatus(unit.code, period, "Belum mengisi", 0, 0)
        late = st.state in ("Terlambat", "Tidak mengisi") or (past_deadline and st.state not in COMPLETE)
        rows.append(
            DigestRow(
                unit=unit.code,
                name=unit.name,
                state=st.state,
                filled=st.filled,
                required=st.required,
                percent=st.percent,
                problems=sum(1 for f in st.findings if f.severity == "error"),
                late=late,
                done_flag=st.done_flag,
                change=_change(st, prev.get(unit.code), first),
                last_change=st.last_change,
                link=links.get(unit.code) or unit.form_link,
                stale=st.stale,
                stale_why=stale_why(st.findings),
            )
        )
    changes = sorted(approved_changes, key=lambda c: (c.unit, c.cell))
    return Digest(period, now, schedule.deadline if schedule else None, tuple(rows), tuple(changes), first)


def digest_state(digest: Digest) -> dict[str, dict[str, Any]]:
    """What to store for the next digest's comparison (JSON-able)."""
    return {r.unit: {"state": r.state, "filled": r.filled, "required": r.required} for r in digest.rows}


def _when(dt: datetime | None, tz: Any) -> str:
    return tanggal_jam(dt.astimezone(tz)) if dt else "–"


DIGEST_HEADER = ["Kode", "Bidang", "Status", "Terisi", "Wajib", "Kelengkapan", "Masalah", "Terlambat",
                 "Perubahan sejak rekap lalu", "Perubahan terakhir", "Tautan"]


def digest_rows(digest: Digest) -> list[list[str]]:
    """The digest as a table of strings for the ``Rekap`` tab: a title line, a header row, one row per
    bidang, a total row, then (when any) the changes after approval.  Every cell is a string so the
    backend writes it RAW (no formula or locale reinterpretation)."""
    tz = digest.generated_at.tzinfo
    out: list[list[str]] = [
        [f"Rekap {digest.period.label}", f"per {tanggal_jam(digest.generated_at)}"],
        list(DIGEST_HEADER),
    ]
    for r in digest.rows:
        state = r.state + _done_note(r) + (f" ({r.stale_why or 'tidak terbaca'})"
                                                                  if r.stale else "")
        out.append([
            r.unit, r.name, state, str(r.filled), str(r.required), persen(r.percent), str(r.problems),
            "Ya" if r.late else "Tidak", r.change or "–", _when(r.last_change, tz), r.link,
        ])
    out.append(["", "Jumlah", "", str(digest.filled), str(digest.required), persen(digest.percent),
                str(sum(r.problems for r in digest.rows)), str(len(digest.late)), "", "", ""])
    if digest.approved_changes:
        out.append([])
        out.append(["Perubahan setelah disetujui"])
        out.append(["Kode", "Sel", "Nilai disetujui", "Nilai baru", "Waktu"])
        for c in digest.approved_changes:
            out.append([c.unit, c.cell, c.old, c.new, _when(c.when, tz)])
    return out


def digest_text(digest: Digest) -> str:
    """Plain-text digest (Indonesian, for ``sheets-sync summary`` and the operator's terminal)."""
    tz = digest.generated_at.tzinfo
    lines = [f"Rekap {digest.period.label} — {tanggal_jam(digest.generated_at)}"]
    if digest.deadline:
        lines.append(f"Batas waktu pengisian: {_when(digest.deadline, tz)}")
    lines.append(f"Kelengkapan keseluruhan: {digest.filled}/{digest.required} sel ({persen(digest.percent)})")
    lines.append("Status: " + ", ".join(f"{s} {n}" for s, n in digest.counts.items() if n))
    lines.append("")
    width = max((len(r.unit) for r in digest.rows), default=4)
    for r in digest.rows:
        extra = [x for x in ("terlambat" if r.late else "", _done_note(r).strip(" ()—"),
                             f"{r.problems} masalah" if r.problems else "", r.change) if x]
        lines.append(f"  {r.unit:<{width}}  {r.state:<13}  {r.filled:>3}/{r.required:<3} {persen(r.percent):>8}"
                     + (f"  ({'; '.join(extra)})" if extra else ""))
    if digest.late:
        lines += ["", "Terlambat: " + ", ".join(r.unit for r in digest.late)]
    if digest.approved_changes:
        lines += ["", "Perubahan setelah disetujui:"]
        lines += [f"  {c.unit} {c.cell}: {c.old or '(kosong)'} → {c.new or '(kosong)'} ({_when(c.when, tz)})"
                  for c in digest.approved_changes]
    return "\n".join(lines) + "\n"
