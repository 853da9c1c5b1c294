"""In-memory backend with failure injection — the fake used by tests and the demo's unit tests.

State lives in plain dicts; ``clock`` stamps modification times so ``changed_since`` behaves like
Drive's ``modifiedTime``.  Inject failures with :meth:`MemoryBackend.fail`::

    backend.fail("read", FormUnreadable("rusak"), form_id="mem-2", times=1)

Simulate a person typing with :meth:`MemoryBackend.type_into` (does not go through the service's
RAW-writing path, exactly like a human edit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sheets_sync.backends.grid import block_clear, block_read, block_write
from sheets_sync.core.a1 import parse_range
from sheets_sync.core.values import (
    CellUse,
    Change,
    FormRef,
    NumberFormat,
    Protection,
    RangeWrite,
    TabGuide,
    TabSetup,
    Validation,
    Values,
)
from sheets_sync.errors import BackendError, FormNotFound
from sheets_sync.model import Raw


@dataclass
class MemTab:
    cells: dict[tuple[int, int], Raw] = field(default_factory=dict)
    protections: tuple[Protection, ...] = ()
    validations: tuple[Validation, ...] = ()
    marker: dict[str, str] = field(default_factory=dict)
    hidden_columns: tuple[int, ...] = ()
    frozen_rows: int = 0
    number_formats: tuple[NumberFormat, ...] = ()


@dataclass
class MemForm:
    ref: FormRef
    tabs: dict[str, MemTab]
    modified: datetime
    shared: dict[str, str] = field(default_factory=dict)
    trashed: bool = False
    active: str = ""  # the tab the spreadsheet opens on (set by guide); "" = the first
    revision: int = 0  # bumped by every change, so fingerprints differ even when the clock stands still


@dataclass
class _Failure:
    op: str
    exc: BaseException
    form_id: str | None
    times: int


class MemoryBackend:
    """A complete :class:`~sheets_sync.backends.base.Backend` in memory."""

    name = "memory"

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))
        self.forms: dict[str, MemForm] = {}
        self.published: dict[str, bytes] = {}
        self.calls: list[tuple[str, str]] = []
        self._failures: list[_Failure] = []

    # -- failure injection -------------------------------------------------------------------------
    def fail(self, op: str, exc: BaseException, *, form_id: str | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``op`` (method name) on ``form_id`` (or any) raise ``exc``."""
        self._failures.append(_Failure(op, exc, form_id, times))

    def _enter(self, op: str, form_id: str = "") -> None:
        self.calls.append((op, form_id))
        for f in self._failures:
            if f.op == op and f.times > 0 and (f.form_id is None or f.form_id == form_id):
                f.times -= 1
                raise f.exc

    def _form(self, form_id: str) -> MemForm:
        form = self.forms.get(form_id)
        if form is None or form.trashed:
            raise FormNotFound(f"spreadsheet {form_id} tidak ditemukan", fix="periksa tautan form di tab Bidang")
        return form

    def _tab(self, form: MemForm, tab: str) -> MemTab:
        if tab not in form.tabs:
            raise FormNotFound(
                f"tab {tab!r} tidak ada di {form.ref.title!r}",
                fix=f"kembalikan nama tab menjadi {tab!r} atau jalankan provision lagi",
            )
        return form.tabs[tab]

    def _touch(self, form: MemForm) -> None:
        form.modified = self.clock()
        form.revision += 1

    # -- Backend -----------------------------------------------------------------------------------
    def find_form(self, title: str) -> FormRef | None:
        self._enter("find_form")
        for form in self.forms.values():
            if form.ref.title == title and not form.trashed:
                return form.ref
        return None

    def create_form(self, title: str) -> FormRef:
        self._enter("create_form")
        form_id = f"mem-{len(self.forms) + 1}"
        ref = FormRef(form_id, title, f"memory://{form_id}")
        self.forms[form_id] = MemForm(ref, {"Sheet1": MemTab()}, self.clock())
        return ref

    def open_form(self, ref: str) -> FormRef:
        self._enter("open_form", ref)
        key = ref.removeprefix("memory://")
        return self._form(key).ref

    def share(self, form_id: str, emails: Sequence[str], role: Literal["writer", "reader"] = "writer") -> None:
        self._enter("share", form_id)
        form = self._form(form_id)
        for e in emails:
            form.shared[e.lower()] = role

    def list_tabs(self, form_id: str) -> list[str]:
        self._enter("list_tabs", form_id)
        return list(self._form(form_id).tabs)

    def setup(self, form_id: str, tab: TabSetup) -> None:
        self._enter("setup", form_id)
        form = self._form(form_id)
        if tab.tab not in form.tabs:
            tabs = list(form.tabs.items())
            index = len(tabs) if tab.index is None else tab.index
            tabs.insert(index, (tab.tab, MemTab()))
            form.tabs = dict(tabs)
        t = form.tabs[tab.tab]
        for w in tab.writes:
            rng = parse_range(w.range)
            if rng.tab != tab.tab:
                raise BackendError(f"setup of {tab.tab!r} may only write that tab, got {w.range!r}")
            block_write(t.cells, rng, w.values, skip_none=True)
        t.protections = tab.protections
        t.validations = tab.validations
        t.marker = dict(tab.marker)
        t.hidden_columns = tab.hidden_columns
        t.frozen_rows = tab.frozen_rows
        self._touch(form)

    def guide(self, form_id: str, guides: Sequence[TabGuide]) -> None:
        self._enter("guide", form_id)
        form = self._form(form_id)
        names = list(form.tabs)
        for g in sorted((g for g in guides if g.tab in form.tabs), key=lambda g: g.index):
            names.remove(g.tab)
            names.insert(min(g.index, len(names)), g.tab)
            t = form.tabs[g.tab]
            t.validations = g.validations
            t.number_formats = g.number_formats
            if g.active:
                form.active = g.tab
        form.tabs = {n: form.tabs[n] for n in names}
        self._touch(form)

    def read_marker(self, form_id: str, tab: str) -> dict[str, str]:
        self._enter("read_marker", form_id)
        return dict(self._tab(self._form(form_id), tab).marker)

    def changed_since(self, since: datetime | None) -> list[Change]:
        self._enter("changed_since")
        return [
            Change(f.ref.id, f.modified)
            for f in self.forms.values()
            if not f.trashed and (since is None or f.modified >= since)
        ]

    def fingerprint(self, form_id: str) -> str | None:
        """The form's revision: every write, setup, clear or person's edit bumps it."""
        self._enter("fingerprint", form_id)
        form = self._form(form_id)
        return f"{form.ref.id}@{form.revision}"

    def report_sheet(self, control_id: str) -> str:
        """Writes touch only their cells here, so Rekap and Dokumen live in the control spreadsheet."""
        return control_id

    def cell_use(self, form_id: str) -> CellUse | None:
        """No cell limit: dictionaries grow as needed."""
        return None

    def missing(self, form_ids: Collection[str]) -> dict[str, BackendError]:
        out: dict[str, BackendError] = {}
        for fid in form_ids:
            form = self.forms.get(fid)
            if form is None or form.trashed:
                out[fid] = FormNotFound(f"formulir {fid} tidak ada lagi",
                                        fix="pulihkan formulir atau jalankan `sheets-sync provision`")
        return out

    def read(self, form_id: str, ranges: Sequence[str]) -> dict[str, Values]:
        self._enter("read", form_id)
        form = self._form(form_id)
        out: dict[str, Values] = {}
        for r in ranges:
            rng = parse_range(r)
            out[r] = block_read(self._tab(form, rng.tab).cells, rng)
        return out

    def write(self, form_id: str, writes: Sequence[RangeWrite], formats: Sequence[NumberFormat] = ()) -> None:
        self._enter("write", form_id)
        form = self._form(form_id)
        changed = False
        for w in writes:
            rng = parse_range(w.range)
            t = form.tabs.setdefault(rng.tab, MemTab())
            changed |= block_write(t.cells, rng, w.values)
        for nf in formats:
            t = form.tabs.setdefault(parse_range(nf.range).tab, MemTab())
            if nf not in t.number_formats:
                t.number_formats = (*t.number_formats, nf)
                changed = True
        if changed:
            self._touch(form)

    def clear(self, form_id: str, range_: str) -> None:
        self._enter("clear", form_id)
        form = self._form(form_id)
        rng = parse_range(range_)
        if block_clear(self._tab(form, rng.tab).cells, rng):
            self._touch(form)

    def publish(self, path: Path, name: str, *, replaces: str | None = None) -> str:
        self._enter("publish")
        data = path.read_bytes()
        link = replaces if replaces in self.published else f"memory://documents/{name}"
        self.published[link] = data
        return link

    # -- test helpers ------------------------------------------------------------------------------
    def type_into(self, form_id: str, cell_range: str, value: Raw) -> None:
        """A person edits one cell (no RAW guarantee applies: this is what people do)."""
        form = self._form(form_id)
        rng = parse_range(cell_range)
        block_write(self._tab(form, rng.tab).cells, rng, [[value]])
        self._touch(form)

    def rename_tab(self, form_id: str, old: str, new: str) -> None:
        form = self._form(form_id)
        form.tabs = {(new if k == old else k): v for k, v in form.tabs.items()}
        self._touch(form)

    def digest(self, form_id: str) -> str:
        """Content hash of a form's cells (for tests asserting "nothing changed")."""
        form = self._form(form_id)
        h = hashlib.sha256()
        for name, t in form.tabs.items():
            h.update(repr((name, sorted(t.cells.items()))).encode())
        return h.hexdigest()
