"""The control spreadsheet through a backend: read and validate it, read its optional ``Anggaran``
tab, write the form links into ``Bidang``.  The parsing and validation are pure
(:mod:`sheets_sync.core.control`); this module only decides which ranges to ask for."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sheets_sync import __version__
from sheets_sync.backends.base import Backend
from sheets_sync.core import control_codec
from sheets_sync.core.control import (
    ANGGARAN_RANGE,
    BIDANG_RANGE,
    CONTROL_RANGES,
    OPTIONAL_RANGES,
    Budget,
    parse_budget,
    parse_control,
    unit_link_writes,
)
from sheets_sync.core.fmt import angka, persen
from sheets_sync.core.plan import ReminderSettings
from sheets_sync.core.values import CellUse, Values
from sheets_sync.core.workdays import Calendar
from sheets_sync.errors import BackendError, FormNotFound, TransientError
from sheets_sync.model import Control, Finding, Period
from sheets_sync.service.app import App
from sheets_sync.texts import Text

log = logging.getLogger("sheets_sync.service.control_io")


def read_control(backend: Backend, control_id: str, timezone: str, calendar: Calendar | None = None) -> Control:
    """Read and validate the PPKP tabs (and the optional ``Libur``) in one read after the tab listing.
    ``calendar``: see :func:`~sheets_sync.core.control.parse_control`."""
    # The tab list first (one metadata read, kept by the Google backend): an optional tab (Libur) is
    # asked for only when it exists, because Google answers a range of a missing tab with a 400 and a
    # workbook made before the tab existed is normal.
    return read_control_tabs(backend, control_id, timezone, calendar).control


@dataclass(frozen=True)
class ControlRead:
    """One read of the control spreadsheet: the validated control and the raw ``Anggaran`` tab (None
    when the spreadsheet has no such tab), so a render needs no second read for the budget."""

    control: Control
    anggaran: Values | None


def read_control_tabs(backend: Backend, control_id: str, timezone: str,
                      calendar: Calendar | None = None) -> ControlRead:
    """:func:`read_control` with the ``Anggaran`` tab asked for in the same read when it exists."""
    tabs = set(backend.list_tabs(control_id))
    wanted = [r for r in (*CONTROL_RANGES, *OPTIONAL_RANGES, ANGGARAN_RANGE) if r.split("!")[0] in tabs]
    got = backend.read(control_id, wanted)
    control = parse_control(got, tabs, timezone, calendar)
    full = nearly_full(backend.cell_use(control_id))
    if full is not None:
        control = dataclasses.replace(control, findings=(*control.findings, full))
    return ControlRead(control, got.get(ANGGARAN_RANGE))


NEARLY_FULL = 0.9
"""The share of the backend's cell limit from which the control spreadsheet gets a warning: at 90 % of
Google's 10 million cells a Rekap of 2,000 bidang still has room for many polls, and the office has time to
move last year's tabs out before a write is refused."""


def nearly_full(use: CellUse | None) -> Finding | None:
    """The ``kendali_hampir_penuh`` warning when ``use`` (the control spreadsheet's grid against its
    backend's cell limit) has passed :data:`NEARLY_FULL`; None below it or without a limit."""
    if use is None or use.share < NEARLY_FULL:
        return None
    return Finding.worded(
        "KENDALI", use.largest, "", "kendali_hampir_penuh",
        Text("Spreadsheet kendali memakai {cells} sel, {share} dari batas {limit} sel per spreadsheet; "
             "tab terbesar {tab} memakai {tab_cells} sel. Setelah batas itu tercapai, Rekap dan Dokumen tidak "
             "dapat ditulis lagi.", cells=angka(use.cells, 0), share=persen(use.share * 100, 1),
             limit=angka(use.limit, 0), tab=use.largest, tab_cells=angka(use.largest_cells, 0)),
        Text("Hapus baris dan kolom kosong yang tidak dipakai di tab {tab}, atau pindahkan tab tahun-tahun "
             "lalu ke spreadsheet lain.", tab=use.largest),
        "warning")


CACHE_META = "control_cache"


@dataclass(frozen=True)
class _Cached:
    """The parsed control and what it was parsed from (in ``App.memo`` for this process)."""

    key: str
    control: Control


CALENDAR_META = "base_calendar"


@dataclass(frozen=True)
class _BaseCalendar:
    """The base calendar (in ``App.memo``) with what it was built from and the digest of its days."""

    reminders: ReminderSettings
    tahun: int
    calendar: Calendar
    key: str


def _base(app: App) -> _BaseCalendar:
    """The base calendar of the office's current settings, built once per process while the
    ``[reminders]`` settings and the year stay equal (the ``holidays`` package is slow to ask; its
    answer for a year does not change while the process runs)."""
    reminders, tahun = app.settings.reminders, app.settings.office.tahun
    memo = app.memo.get(CALENDAR_META)
    if isinstance(memo, _BaseCalendar) and memo.tahun == tahun and memo.reminders == reminders:
        return memo
    from sheets_sync.config.holidays import calendar_of

    cal = calendar_of(reminders, tahun)
    days = ",".join(sorted(d.isoformat() for d in cal.holidays)) + "|" + ",".join(sorted(map(str, cal.workdays)))
    built = _BaseCalendar(reminders, tahun, cal, hashlib.sha256(days.encode()).hexdigest()[:16])
    app.memo[CALENDAR_META] = built
    return built


def base_calendar(app: App) -> Calendar:
    """National holidays and the config's days of the office's years (no ``Libur`` rows yet); built
    again only when the ``[reminders]`` settings or the year changed."""
    return _base(app).calendar


def office_calendar(app: App, control: Control) -> Calendar:
    """The office's working-day calendar: :func:`base_calendar` with the control's ``Libur`` rows."""
    return base_calendar(app).with_overrides(control.libur)


def _calendar_key(app: App) -> str:
    """What the ``N hari kerja`` of a cached control was counted with (a changed config re-reads)."""
    return _base(app).key


def _cache_key(app: App, fingerprint: str) -> str:
    return "\n".join((control_codec.FORMAT, __version__, app.settings.control, app.settings.office.timezone,
                      _calendar_key(app), fingerprint))


def control_fingerprint(app: App) -> str | None:
    """The backend's fingerprint of the control spreadsheet; None when it cannot tell (then read)."""
    try:
        return app.backend.fingerprint(app.settings.control)
    except BackendError as exc:
        log.debug("no fingerprint of the control spreadsheet: %s", exc)
        return None


def loaded_control_key(app: App, control: Control) -> str | None:
    """The fingerprint key ``control`` was loaded under by :func:`load_control` in this process, or None
    (read without a fingerprint, or not the control it kept)."""
    memo = app.memo.get(CACHE_META)
    return memo.key if isinstance(memo, _Cached) and memo.control is control else None


def load_control(app: App) -> Control:
    """The office's control spreadsheet, read and validated — only when it changed.

    The backend's :meth:`~sheets_sync.backends.base.Backend.fingerprint` (local: size, mtime and hash of
    the file; Google: ``modifiedTime``) is taken *before* reading; the parsed, validated control is kept
    with it in this process (``App.memo``) and in the store (so a ``sheets-sync poll`` from cron does
    not re-read it either).  Same fingerprint → the kept control, no read.  A change made while we read
    gives a newer fingerprint next time, so it is read then.  No fingerprint → read every time."""
    fingerprint = control_fingerprint(app)
    if fingerprint is None:
        return _read_or_last_good(app)
    key = _cache_key(app, fingerprint)
    memo = app.memo.get(CACHE_META)
    if isinstance(memo, _Cached) and memo.key == key:
        return memo.control
    control: Control | None = None
    stored = app.store.get_meta(CACHE_META)
    if stored is not None:
        stored_key, _, text = stored.partition("\n\n")
        if stored_key == key:
            control = control_codec.loads(text, app.settings.office.timezone)
    if control is None:
        try:
            got = read_control_tabs(app.backend, app.settings.control, app.settings.office.timezone,
                                    base_calendar(app))
        except TransientError as exc:
            return _last_good(app, exc)
        control = got.control
        with app.store.transaction():
            app.store.set_meta(CACHE_META, key + "\n\n" + control_codec.dumps(control))
            _keep_anggaran(app, key, got.anggaran)
    app.memo[CACHE_META] = _Cached(key, control)
    return control


ANGGARAN_META = "anggaran_cache"


def _keep_anggaran(app: App, key: str, values: Values | None) -> None:
    app.store.set_meta(ANGGARAN_META, key + "\n\n" + json.dumps(values))
    app.memo[ANGGARAN_META] = (key, values)


def load_budget(app: App, period: Period) -> Budget:
    """:func:`read_budget` of the office's control spreadsheet, from the ``Anggaran`` rows read with
    the control (kept under the same fingerprint, in the process and in the store): no read of its
    own while the spreadsheet is unchanged.  Without a fingerprint, or with nothing kept under the
    current one, it reads the tab (and keeps it)."""
    fingerprint = control_fingerprint(app)
    if fingerprint is None:
        return read_budget(app.backend, app.settings.control, period)
    key = _cache_key(app, fingerprint)
    memo = app.memo.get(ANGGARAN_META)
    if isinstance(memo, tuple) and memo[0] == key:
        values: Values | None = memo[1]
    else:
        stored_key, _, text = (app.store.get_meta(ANGGARAN_META) or "").partition("\n\n")
        if stored_key == key:
            values = json.loads(text)
            app.memo[ANGGARAN_META] = (key, values)
        else:
            try:
                values = app.backend.read(app.settings.control, [ANGGARAN_RANGE])[ANGGARAN_RANGE]
            except FormNotFound:
                values = None
            _keep_anggaran(app, key, values)
    return parse_budget(values, period) if values is not None else Budget()


def _read_or_last_good(app: App) -> Control:
    """Read without a fingerprint; the copy is still kept as the last good one (its key matches no
    fingerprint, so it is never mistaken for a current read)."""
    try:
        control = read_control(app.backend, app.settings.control, app.settings.office.timezone,
                                   base_calendar(app))
    except TransientError as exc:
        return _last_good(app, exc)
    app.store.set_meta(CACHE_META, _cache_key(app, "") + "\n\n" + control_codec.dumps(control))
    return control


def _last_good(app: App, exc: TransientError) -> Control:
    """The last control read well (from the store), with a finding, when Google is busy (a quota storm,
    5xx, timeouts): the cycle goes on for every bidang instead of stopping.  Not kept: the next cycle
    reads again.  With no earlier read the error stands."""
    stored = app.store.get_meta(CACHE_META)
    if stored is None:
        raise exc
    log.warning("the control spreadsheet could not be read; using the last good copy: %s", exc)
    last = control_codec.loads(stored.partition("\n\n")[2], app.settings.office.timezone)
    if last is None:
        raise exc
    finding = Finding.worded("KENDALI", "", "", "kendali_gagal_dibaca",
                             Text("Spreadsheet kendali gagal dibaca siklus ini ({error}); dipakai salinan terakhir "
                                  "yang terbaca dengan baik.", error=exc.text),
                             exc.fix_text if exc.fix else Text("Tidak perlu tindakan: siklus berikutnya membaca lagi."))
    return dataclasses.replace(last, findings=(*last.findings, finding))


def read_budget(backend: Backend, control_id: str, period: Period) -> Budget:
    """Budget rows of ``period``: office total and per program/kegiatan code (see
    :func:`~sheets_sync.core.control.parse_budget`); no tab → none."""
    try:
        values = backend.read(control_id, [ANGGARAN_RANGE])[ANGGARAN_RANGE]
    except FormNotFound:
        return Budget()
    return parse_budget(values, period)


def read_anggaran(backend: Backend, control_id: str, period: Period) -> tuple[dict[str, float], list[Finding]]:
    """The office total of :func:`read_budget` and the problems found."""
    b = read_budget(backend, control_id, period)
    return b.total, list(b.findings)


def write_unit_links(backend: Backend, control_id: str, links: Mapping[str, str]) -> None:
    """Write each bidang's form link into ``Bidang``'s "Tautan Form" column (only changed cells)."""
    values = backend.read(control_id, [BIDANG_RANGE])[BIDANG_RANGE]
    writes = unit_link_writes(values, links)
    if writes:
        backend.write(control_id, writes)
