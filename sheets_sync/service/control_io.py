"""The control spreadsheet through a backend: read and validate it, read its optional ``Anggaran``
tab, write the form links into ``Bidang``.  The parsing and validation are pure
(:mod:`sheets_sync.core.control`); this module only decides which ranges to ask for."""

from __future__ import annotations

from collections.abc import Mapping

from sheets_sync.backends.base import Backend
from sheets_sync.core.control import (
    ANGGARAN_RANGE,
    BIDANG_RANGE,
    CONTROL_RANGES,
    parse_anggaran,
    parse_control,
    unit_link_writes,
)
from sheets_sync.errors import FormNotFound
from sheets_sync.model import Control, Finding, Period
from sheets_sync.service.app import App


def read_control(backend: Backend, control_id: str, timezone: str) -> Control:
    """Read and validate the PPKP tabs in one read; the tab listing (a metadata fetch on Google) only
    when a tab is missing."""
    ranges = list(CONTROL_RANGES)
    try:
        got = backend.read(control_id, ranges)
        tabs = {r.split("!")[0] for r in ranges}
    except FormNotFound:
        tabs = set(backend.list_tabs(control_id))
        got = backend.read(control_id, [r for r in ranges if r.split("!")[0] in tabs])
    return parse_control(got, tabs, timezone)


def load_control(app: App) -> Control:
    """The office's control spreadsheet, read and validated."""
    return read_control(app.backend, app.settings.control, app.settings.office.timezone)


def read_anggaran(backend: Backend, control_id: str, period: Period) -> tuple[dict[str, float], list[Finding]]:
    """Budget lines of ``period`` (see :func:`~sheets_sync.core.control.parse_anggaran`); no tab → none."""
    try:
        values = backend.read(control_id, [ANGGARAN_RANGE])[ANGGARAN_RANGE]
    except FormNotFound:
        return {}, []
    return parse_anggaran(values, period)


def write_unit_links(backend: Backend, control_id: str, links: Mapping[str, str]) -> None:
    """Write each bidang's form link into ``Bidang``'s "Tautan Form" column (only changed cells)."""
    values = backend.read(control_id, [BIDANG_RANGE])[BIDANG_RANGE]
    writes = unit_link_writes(values, links)
    if writes:
        backend.write(control_id, writes)
