"""Jinja filters for the .docx templates, wrapping :mod:`sheets_sync.core.fmt`.

The context built by :mod:`sheets_sync.reports.context` already holds display strings, so the shipped
templates need no filters; these exist for staff who edit a template and want to format a raw value
themselves (``{{ anggaran.pagu_nilai|rupiah }}``, ``{{ r.capaian_nilai|persen }}``).  Every filter
passes strings through unchanged (a value that is already formatted stays as it is) and shows ``None``
as ``–``, so a filter applied to the wrong thing never breaks rendering.

The environment always autoescapes: a bidang called ``Pengadaan & Mutasi <ASN>`` must become text in
the document, not broken XML.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sheets_sync.core import fmt

__all__ = ["FILTERS", "make_env"]


def _numeric(fn: Callable[..., str]) -> Callable[..., str]:
    def wrapped(value: Any, *args: Any) -> str:
        if value is None:
            return fmt.NONE_MARK
        if isinstance(value, str | bool):
            return str(value)
        return fn(value, *args)

    wrapped.__doc__ = fn.__doc__
    return wrapped


def _tanggal(value: Any) -> str:
    return fmt.tanggal(value) if isinstance(value, date) else ("" if value is None else str(value))


def _nip(value: Any) -> str:
    return fmt.nip(str(value)) if value is not None else ""


def _roman(value: Any) -> str:
    return fmt.roman(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


FILTERS: dict[str, Callable[..., str]] = {
    "angka": _numeric(fmt.angka),
    "bulat": _numeric(fmt.bulat),
    "persen": _numeric(fmt.persen),
    "rupiah": _numeric(fmt.rupiah),
    "tanggal": _tanggal,
    "nip": _nip,
    "roman": _roman,
}
"""Filter name → function; :func:`sheets_sync.reports.check.check_templates` flags any other filter."""


def make_env() -> Any:
    """A Jinja environment with autoescape on and the Indonesian filters registered (jinja2 is
    imported lazily so importing :mod:`sheets_sync.reports` stays cheap)."""
    from jinja2 import Environment

    env = Environment(autoescape=True)
    env.filters.update(FILTERS)
    return env
