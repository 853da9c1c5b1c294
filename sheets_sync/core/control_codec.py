"""A validated :class:`~sheets_sync.model.Control` as JSON text and back, exactly.  Pure.

The service keeps the parsed control spreadsheet in the store beside the backend's fingerprint of it
(:func:`sheets_sync.service.control_io.load_control`), so a poll whose control spreadsheet did not
change neither opens nor re-validates it.  Each record is a JSON array of its fields in declaration
order (compact for 20,000 indicators); periods are ``2025-TW1``, datetimes and dates ISO 8601 with
their offset.  An indicator is every field of :class:`~sheets_sync.model.Indicator` in declaration order
(the cascading, formula and Renstra columns included) and the cache names those fields, so a model
with other fields never decodes an old cache.  :data:`FORMAT` changes whenever the shape (or the
parsing that produced it) changes, so an old cache is never decoded into a new model.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.model import Control, DayOverride, Decision, Finding, Indicator, Period, Schedule, Unit
from sheets_sync.texts import Text

FORMAT = "control-cache/4"
INDICATOR_FIELDS = tuple(f.name for f in dataclasses.fields(Indicator))


def _when(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def _day(v: date | None) -> str | None:
    return v.isoformat() if v is not None else None


def dumps(control: Control) -> str:
    """``control`` as one JSON text (see the module docstring)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "units": [[u.code, u.name, u.head, u.head_email, u.operator_email, u.form_link] for u in control.units],
        "indicator_fields": list(INDICATOR_FIELDS),
        "indicators": [[list(v) if isinstance(v, tuple) else v for v in (getattr(i, f) for f in INDICATOR_FIELDS)]
                       for i in control.indicators],
        "schedules": [[str(s.period), _when(s.opens), _when(s.deadline), _when(s.lock), _day(s.meeting)]
                      for s in control.schedules],
        "decisions": [[str(d.period), d.unit, d.status, d.catatan, _day(d.tanggal)] for d in control.decisions],
        "findings": [_finding(f) for f in control.findings],
        "libur": [[d.day.isoformat(), d.off, d.note] for d in control.libur],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _finding(f: Finding) -> list[Any]:
    """A finding as its eight text fields, then its message and fix as Text (``null`` when it has none), so a
    control read from the cache is worded in the operator's language like one just parsed."""
    texts = [t.as_dict() if t is not None else None for t in (f.text, f.fix_text)]
    return [f.unit, f.sheet, f.cell, f.code, f.message, f.fix, f.severity, f.indicator, *texts]


def _finding_of(values: list[Any]) -> Finding:
    unit, sheet, cell, code, message, fix, severity, indicator = values[:8]
    text, fix_text = (Text.from_dict(t) if isinstance(t, dict) else None for t in (*values[8:10], None, None)[:2])
    return Finding(unit, sheet, cell, code, message, fix, severity, indicator, text, fix_text)


def _indicator(values: list[Any]) -> Indicator:
    fields: dict[str, Any] = {f: tuple(v) if isinstance(v, list) else v
                              for f, v in zip(INDICATOR_FIELDS, values, strict=True)}
    return Indicator(**fields)


def loads(text: str, timezone: str) -> Control | None:
    """The control encoded by :func:`dumps`, or None when ``text`` is of another format or damaged
    (the caller then reads the spreadsheet again).  Datetimes come back in the office's ``timezone``
    (a :class:`~zoneinfo.ZoneInfo`, as the parser made them), not as bare UTC offsets."""
    tz = ZoneInfo(timezone)

    def when(v: str) -> datetime:
        return datetime.fromisoformat(v).astimezone(tz)

    try:
        data = json.loads(text)
        if (not isinstance(data, dict) or data.get("format") != FORMAT
                or tuple(data.get("indicator_fields") or ()) != INDICATOR_FIELDS):
            return None
        return Control(
            tuple(Unit(*u) for u in data["units"]),
            tuple(_indicator(i) for i in data["indicators"]),
            tuple(Schedule(Period.parse(s[0]), when(s[1]), when(s[2]), when(s[3]) if s[3] else None,
                           date.fromisoformat(s[4]) if s[4] else None) for s in data["schedules"]),
            tuple(Decision(Period.parse(d[0]), d[1], d[2], d[3], date.fromisoformat(d[4]) if d[4] else None)
                  for d in data["decisions"]),
            tuple(_finding_of(f) for f in data["findings"]),
            tuple(DayOverride(date.fromisoformat(d[0]), bool(d[1]), d[2]) for d in data["libur"]),
        )
    except (ValueError, TypeError, KeyError, IndexError):
        return None
