"""Local backend: each spreadsheet is an ``.xlsx`` workbook in one folder (the embedded default).

The folder can be a shared drive, a Syncthing or OneDrive folder: people open their bidang's file in
Excel or LibreOffice, type, save.  The "link" of a form is its absolute path and its id is the file
name.  How the Backend conventions map onto .xlsx:

* **Protection**: the tab is sheet-protected (no password — it is a guard against accidents, not a
  security boundary) and every cell of the data area outside the protected ranges is unlocked.
* **Validation**: Excel data validation (``decimal ≥ 0`` with a warning so ``-`` still passes, lists,
  URLs as an input message only).
* **Marker**: workbook custom document properties ``sheets-sync:<tab>`` holding JSON.
* **RAW writes**: strings are always stored as text cells, so ``=IMPORTXML(...)`` stays text.
* **Writes are atomic**: saved to a temporary file and renamed over the original, so a reader never
  sees a half-written workbook from us.  A half-written, truncated, locked or foreign file written by
  someone else raises :class:`~sheets_sync.errors.FormUnreadable`; the poll retries next cycle.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import time as clock
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, NoReturn

from sheets_sync.core.a1 import A1Range, col_letter, parse_range
from sheets_sync.core.a1 import cell as cell_a1
from sheets_sync.core.cells import excel_format, typed_value
from sheets_sync.core.values import (
    CellUse,
    Change,
    FormRef,
    NumberFormat,
    RangeWrite,
    TabGuide,
    TabSetup,
    Validation,
    Values,
)
from sheets_sync.errors import BackendError, FormNotFound, FormUnreadable, FormWrongFormat
from sheets_sync.model import Raw
from sheets_sync.texts import Text

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_MARKER_PREFIX = "sheets-sync:"
_GUIDE_TITLE = "sheets-sync"  # errorTitle of the validations a guide made (a person's own ones stay)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _filename(title: str) -> str:
    name = _UNSAFE.sub("_", title).strip(" .") or "form"
    return f"{name[:180]}.xlsx"


TMP_PREFIX = ".tmp-"
_OTHER_FORMATS = (".xlsm", ".ods", ".xls")
_COPY_SUFFIX = re.compile(
    r"(\s*-\s*(salinan|copy|kopi)(\s*\(\d+\))?|\s*\(\d+\)|\.sync-conflict-[\w-]+|-[A-Z0-9][A-Z0-9-]{1,30}"
    r"|\s*\(conflicted copy[^)]*\))", re.IGNORECASE)
_CAS_TRIES = 3


@dataclass(frozen=True)
class FileStamp:
    """What identifies one version of a file cheaply: size, modification time (ns) and inode (an
    atomic save by Excel or by us is a new inode)."""

    size: int
    mtime_ns: int
    inode: int


def file_stamp(path: Path) -> FileStamp | None:
    """The file's :class:`FileStamp`, None when it does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return FileStamp(st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass(frozen=True)
class FolderListing:
    """One read of the forms folder, cheap to compare with the last one: ``files`` are the ``.xlsx``
    forms as ``(name, size, mtime_ns)`` by name, ``others`` the names of everything else in it (other
    formats, copies being synced, folders).  Kept as plain tuples on purpose: an idle poll compares two
    listings of thousands of files, and tuple equality is done in C."""

    files: tuple[tuple[str, int, int], ...]
    others: tuple[str, ...]


class _ChangedMeanwhile(Exception):
    """The file changed on disk between our load and our save (someone saved it)."""


StatIdentity = tuple[int, ...]
"""A file's full ``stat`` identity: size, mtime and ctime in ns, inode, device (see :func:`_identity`)."""


class _Digest(NamedTuple):
    """The SHA-256 of a file as it was when hashed."""

    identity: StatIdentity
    sha256: str


class _Markers(NamedTuple):
    """What a read saw of a form's document properties: its tabs and each tab's marker."""

    identity: StatIdentity
    tabs: set[str]
    markers: dict[str, dict[str, str]]


class _KeptBook(NamedTuple):
    """A small workbook (the Rekap companion) kept in memory as it was saved."""

    identity: StatIdentity
    workbook: Workbook


class _Listed(NamedTuple):
    """A form of the last listing: its size and time, and the :class:`Change` built for them."""

    size: int
    mtime_ns: int
    change: Change


def _identity(path: Path) -> StatIdentity | None:
    """The file's full ``stat`` identity (size, mtime and ctime in ns, inode, device); None when it does
    not exist.  Equal identities: the same bytes (what a kept copy of the file is checked against)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


REPORT_SUFFIX = " (Rekap dan Dokumen)"


def keep_permissions(original: Path, new: Path, file_mode: int | None) -> None:
    """Give ``new`` (about to replace ``original``) the mode and group ``original`` has; when there is
    no original, ``file_mode`` or what the process umask allows (``mkstemp`` alone would make 0600)."""
    try:
        st = original.stat()
    except FileNotFoundError:
        if file_mode is None:
            mask = os.umask(0)
            os.umask(mask)
            mode = 0o666 & ~mask
        else:
            mode = file_mode
        os.chmod(new, mode)
        return
    os.chmod(new, stat.S_IMODE(st.st_mode))
    if new.stat().st_gid != st.st_gid:
        with suppress(OSError):  # not a member of that group: the mode is still kept
            os.chown(new, -1, st.st_gid)


class CellLocks(NamedTuple):
    """The shared cell protections of a protected form (one object each: creating one per cell is what
    made provisioning slow).  ``locked_row`` is the style of a row whose empty cells must be locked: it
    must differ from the default style (which is locked too), because openpyxl writes a row style only
    when it is not the default one, and Excel/LibreOffice apply a row's style only when it is written
    (``customFormat``).  It differs by *hidden*, which only hides formulas, and an empty locked cell has
    none."""

    unlocked: Any
    locked: Any
    locked_row: Any


_LOCKS: CellLocks | None = None


def _locks() -> CellLocks:
    """The :class:`CellLocks`, made once."""
    global _LOCKS
    if _LOCKS is None:
        from openpyxl.styles import Protection as CellProtection

        _LOCKS = CellLocks(CellProtection(locked=False), CellProtection(locked=True),
                           CellProtection(locked=True, hidden=True))
    return _LOCKS


def _only_protection(cell: Any) -> bool:
    """True for a cell whose only style is its protection (font, fill, border, format… all default)."""
    if not cell.has_style:
        return True
    from openpyxl.styles import Alignment
    from openpyxl.styles.borders import DEFAULT_BORDER
    from openpyxl.styles.fills import DEFAULT_EMPTY_FILL
    from openpyxl.styles.fonts import DEFAULT_FONT

    return (cell.font == DEFAULT_FONT and cell.fill == DEFAULT_EMPTY_FILL and cell.border == DEFAULT_BORDER
            and cell.number_format == "General" and cell.alignment == Alignment() and not cell.quotePrefix
            and not cell.pivotButton and cell.style == "Normal")


class StoredCells(NamedTuple):
    """What :func:`_stored_cells` found: ``kept`` the cells the file must hold (a value, or a style
    beyond protection), in row order; ``spare`` the empty cells above the last kept row whose only
    style is their protection (the caller decides which to keep: giving a cell the style it already
    has costs openpyxl a style lookup per cell)."""

    kept: list[Any]
    spare: list[Any]


def _stored_cells(ws: Worksheet) -> StoredCells:
    """The cells of the sheet that the file holds, after dropping the empty rows below the last kept
    cell whose cells carry only their protection (forms provisioned by earlier versions had a
    style-only row below the data for every row people might add).

    openpyxl has no public way to visit only the stored cells (``iter_rows`` creates every empty cell
    of the used range; they are not saved, and their row or column style applies), so this walks the
    used range once.  Style-only rows below the last kept cell are deleted (``delete_rows`` at the end
    of the sheet shifts nothing).  Whether a style is protection-only is decided once per
    ``style_id``: a legacy form has thousands of such cells sharing two styles."""
    only_protection: dict[int, bool] = {}
    kept: list[Any] = []
    spare: list[Any] = []
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=1, max_col=ws.max_column):
        for cell in row:
            if cell.value is not None:
                kept.append(cell)
            elif cell.has_style:
                style = cell.style_id
                if style not in only_protection:
                    only_protection[style] = _only_protection(cell)
                (spare if only_protection[style] else kept).append(cell)
    last_row = max((c.row for c in kept), default=0)
    if ws.max_row > last_row:
        ws.delete_rows(last_row + 1, ws.max_row - last_row)
    return StoredCells(kept, [c for c in spare if c.row <= last_row])


def _typed(c: Any) -> Raw:
    """One openpyxl cell as :func:`~sheets_sync.core.cells.typed_value` reads it."""
    value = c.value
    if value is None or isinstance(value, bool | str):
        return value
    fmt = excel_format(c.number_format or "General", is_date=bool(c.is_date))
    if not isinstance(value, int | float | datetime | date | time):
        return str(value)
    return typed_value(value, fmt)


def _marker_unit(text: str) -> str:
    """The bidang code a document-property marker (JSON) names, "" when it names none."""
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    return str(data.get("unit", "")) if isinstance(data, dict) else ""


def _number_format(ws: Worksheet, nf: NumberFormat, *, open_rows: int) -> None:
    """Set ``nf`` on the cells of its range; an open-ended range (``F5:F``) down to row ``open_rows``
    (the rows in use: a format on empty rows would only make the file bigger)."""
    rng = parse_range(nf.range)
    last = rng.row2 if rng.row2 is not None else open_rows
    for r in range(rng.row1, last + 1):
        for c in range(rng.col1, (rng.col2 or rng.col1) + 1):
            ws.cell(row=r, column=c).number_format = nf.pattern


class FolderEntries(NamedTuple):
    """What one directory read of the forms folder found (see :meth:`LocalBackend._entries`)."""

    forms: list[tuple[str, os.stat_result]]  # regular .xlsx files with their stat
    others: list[str]  # every other name: copies in other formats, folders


class LocalBackend:
    """:class:`~sheets_sync.backends.base.Backend` over a folder of ``.xlsx`` files."""

    name = "local"

    fingerprints = True
    """:meth:`changed_since` is a ``stat`` per file and each :class:`Change` carries a fingerprint (size
    and modification time in ns): the poll compares fingerprints instead of trusting a watermark, since
    synced folders, ``cp -p`` and restored backups give files older modification times."""

    def __init__(self, folder: Path | str, *, documents: Path | str | None = None,
                 file_mode: int | None = None, link_base: str = "") -> None:
        self.folder = Path(folder)
        self.link_base = link_base
        self.documents = Path(documents) if documents else self.folder / "dokumen"
        self.file_mode = file_mode
        self._pending: dict[str, Workbook] = {}  # created at provision, not saved yet (see create_form)
        self.last_formulas: dict[str, dict[str, str]] = {}
        self._digests: dict[str, _Digest] = {}  # by path
        self._paths: dict[str, Path] = {}  # form id → path (see _path)
        self._markers: dict[str, _Markers] = {}  # by path, see read
        self._kept: dict[str, _KeptBook] = {}  # by path of the report sheet
        self._changes: dict[str, _Listed] = {}  # by file name, see changes_in

    # -- helpers -------------------------------------------------------------------------------------
    def _path(self, form_id: str) -> Path:
        known = self._paths.get(form_id)
        if known is not None:  # a poll asks for every form's path several times: built once
            return known
        if self.link_base and form_id.startswith(self.link_base):
            path = self.folder / form_id[len(self.link_base):]
        else:
            p = Path(form_id)
            path = p if p.is_absolute() else self.folder / p.name
        self._paths[form_id] = path
        return path

    def _plain(self, form_id: str) -> bool:
        """Whether ``form_id`` is a bare file name in the folder (what :meth:`_ref` gives every form)."""
        linked = bool(self.link_base) and form_id.startswith(self.link_base)
        return "/" not in form_id and "\\" not in form_id and not linked

    def _names(self) -> set[str]:
        """The names in the folder (one directory read, no ``stat``); empty when it does not exist."""
        try:
            return set(os.listdir(self.folder))
        except OSError:
            return set()

    def _ref(self, path: Path, title: str | None = None) -> FormRef:
        """The link is what staff PCs can open: ``link_base`` + the file name when the office set one
        (a UNC share or a synced folder's name), else the file's absolute path on this machine."""
        if self.link_base and path.resolve().parent == self.folder.resolve():
            return FormRef(path.name, title or path.stem, self.link_base + path.name)
        return FormRef(path.name, title or path.stem, str(path.resolve()))

    def _missing_fix(self, path: Path) -> Text:
        """What to do about a file that is not there.  A form lives in the forms folder (provision makes it
        again); a file elsewhere is the control workbook, whose ``[backend] control`` is resolved from the
        config file's folder, not the forms folder — provision does not make it."""
        if path.parent.resolve() == self.folder.resolve():
            return Text("jalankan `sheets-sync provision` atau kembalikan berkasnya ke folder formulir")
        return Text("kembalikan berkas itu ke {folder}, atau perbaiki `control` di [backend] berkas konfigurasi "
                    "(jalan relatif dihitung dari folder berkas konfigurasi)", folder=str(path.parent))

    def _load(self, form_id: str, *, read_only: bool, data_only: bool = True) -> Workbook:
        from openpyxl import load_workbook

        path = self._path(form_id)
        pending = self._pending.get(path.name)
        if pending is not None:
            return pending
        if not path.exists():
            raise FormNotFound(Text("berkas {path} tidak ditemukan", path=str(path)), fix=self._missing_fix(path))
        try:
            return load_workbook(path, read_only=read_only, data_only=data_only)
        except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError, TypeError) as exc:
            raise FormUnreadable(
                Text("berkas {name} tidak dapat dibaca sebagai .xlsx ({error})", name=path.name,
                     error=type(exc).__name__ + ": " + str(exc)),
                fix=Text("berkas mungkin terpotong, sedang disimpan, atau bukan .xlsx; simpan ulang dari "
                         "Excel/LibreOffice sebagai .xlsx — sheets-sync mencoba lagi pada siklus berikutnya"),
            ) from exc

    def _edit(self, form_id: str, change: Callable[[Workbook], None]) -> None:
        """Load, ``change``, save — compare-and-swap: when the file changed on disk while we worked (a
        person saved), load the new content and apply ``change`` again, so a person's save is never
        reverted; after three tries give up for this cycle (the caller retries next cycle).  The
        workbook is edited with its formulas, not their cached values, so a formula the office typed
        (in a form or the control workbook) stays a formula; openpyxl saves it without a cached value
        and with "calculate on load", so Excel/LibreOffice calculate it again when the file is opened."""
        path = self._path(form_id)
        pending = self._pending.get(path.name)
        if pending is not None:  # built in memory at provision: saved once, now
            change(pending)
            self._save(pending, path, expect=None)
            del self._pending[path.name]
            return
        keep = path.stem.endswith(REPORT_SUFFIX)
        for _ in range(_CAS_TRIES):
            before = file_stamp(path)
            ident = _identity(path)
            kept = self._kept.pop(str(path), None)
            wb = kept.workbook if kept is not None and ident is not None and kept.identity == ident else None
            if wb is None:  # with formulas: loading values only would save a formula as its last value
                wb = self._load(form_id, read_only=False, data_only=False)
                wb.calculation.fullCalcOnLoad = True  # the saved formulas have no cached value
            change(wb)
            try:
                self._save(wb, path, expect=before)
            except _ChangedMeanwhile:
                continue
            after = _identity(path)
            if keep and after is not None:  # the next write of this small file starts from memory
                self._kept[str(path)] = _KeptBook(after, wb)
            return
        raise BackendError(
            Text("berkas {name} sedang disimpan orang lain berulang kali; perubahan sheets-sync ditunda",
                 name=path.name),
            fix=Text("tidak perlu tindakan: sheets-sync mencoba lagi pada siklus berikutnya"),
        )

    def _save(self, wb: Workbook, path: Path, *, expect: FileStamp | bool | None = False) -> None:
        """Save atomically (temporary file + rename).  The file keeps the mode and group it had; a new
        file gets ``file_mode`` or what the umask allows.  ``expect``: the stamp the file had when it
        was loaded (None: it did not exist); if it differs just before the rename, raise
        :class:`_ChangedMeanwhile` and leave the file alone.  ``False``: no check."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            wb.save(tmp)
            keep_permissions(path, Path(tmp), self.file_mode)
            if expect is not False and file_stamp(path) != expect:
                raise _ChangedMeanwhile(path.name)
            os.replace(tmp, path)
        except OSError as exc:
            raise BackendError(Text("tidak dapat menyimpan {path}: {error}", path=str(path), error=str(exc)),
                               fix=Text("periksa izin tulis folder")) from exc
        finally:
            Path(tmp).unlink(missing_ok=True)

    @staticmethod
    def _sheet(wb: Workbook, tab: str, title: str) -> Worksheet:
        if tab not in wb.sheetnames:
            LocalBackend._sheet_missing(tab, title)
        ws: Worksheet = wb[tab]
        return ws

    @staticmethod
    def _sheet_missing(tab: str, title: str) -> NoReturn:
        raise FormNotFound(
            Text("tab {tab} tidak ada di {title}", tab=repr(tab), title=repr(title)),
            fix=Text("kembalikan nama tab menjadi {tab} atau jalankan provision lagi", tab=repr(tab)),
        )

    @staticmethod
    def _put(ws: Worksheet, rng: A1Range, values: Values, *, skip_none: bool = False) -> None:
        # A Rekap write must not create empty cells: an empty value beyond the sheet's used range (the only
        # place openpyxl's public API can tell a cell is absent without creating it) is skipped.  The used
        # range (before this write) is a pass over every cell (max_row, max_column): taken only when an
        # empty value needs it (a setup writes a form's rows one _put each, most without one).
        empty = any(v == "" or (v is None and not skip_none) for row in values for v in row)
        used_rows, used_cols = (ws.max_row, ws.max_column) if empty else (0, 0)
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if v is None and skip_none:
                    continue
                if (v is None or v == "") and (rng.row1 + i > used_rows or rng.col1 + j > used_cols):
                    continue  # nothing there to clear: an empty cell would only be saved (and read) again
                c = ws.cell(row=rng.row1 + i, column=rng.col1 + j)
                if v is None or v == "":
                    c.value = None
                else:
                    c.value = v
                    if isinstance(v, str):
                        c.data_type = "s"  # RAW: never let openpyxl turn "=..." into a formula

    # -- Backend -------------------------------------------------------------------------------------
    def _entries(self) -> FolderEntries:
        """One directory read of the forms folder: the regular ``.xlsx`` files with their ``stat`` (one
        each), and the names of everything else in it (copies in other formats, folders), both
        unsorted; lock files of Excel/LibreOffice and our temporary files are left out of both.
        Raises :class:`OSError` when the folder cannot be read."""
        forms: list[tuple[str, os.stat_result]] = []
        others: list[str] = []
        with os.scandir(self.folder) as entries:
            for e in entries:
                name = e.name
                if name.startswith(("~$", ".~lock", TMP_PREFIX)):
                    continue
                if not name.endswith(".xlsx"):
                    others.append(name)
                    continue
                try:
                    st = e.stat()
                except OSError:  # removed between the listing and the stat
                    continue
                if stat.S_ISREG(st.st_mode):
                    forms.append((name, st))
                else:
                    others.append(name)
        return FolderEntries(forms, others)

    def _scan(self) -> list[tuple[str, os.stat_result]]:
        """The forms in the folder (name, ``stat``), by name (see :meth:`_entries`)."""
        try:
            forms, _ = self._entries()
        except OSError:
            return []
        forms.sort(key=lambda item: item[0])
        return forms

    def find_form(self, title: str) -> FormRef | None:
        path = self.folder / _filename(title)
        return self._ref(path, title) if path.exists() or path.name in self._pending else None

    def create_form(self, title: str) -> FormRef:
        from openpyxl import Workbook

        path = self.folder / _filename(title)
        if path.exists() or path.name in self._pending:
            raise BackendError(Text("berkas {path} sudah ada", path=str(path)),
                               fix=Text("gunakan berkas yang ada (provision mengadopsinya)"))
        wb = Workbook()
        wb.properties.title = title
        self._pending[path.name] = wb  # built in memory; the first setup/write saves it once
        return self._ref(path, title)

    def open_form(self, ref: str) -> FormRef:
        path = self._path(ref)
        if not (path.exists() or path.name in self._pending) or path.suffix.lower() != ".xlsx":
            raise FormNotFound(Text("formulir {ref} tidak ditemukan", ref=repr(ref)),
                               fix=Text("periksa jalur berkas di tab Bidang"))
        return self._ref(path)

    def share(self, form_id: str, emails: Sequence[str], role: Literal["writer", "reader"] = "writer") -> None:
        """Local files are shared by the folder itself; nothing to do beyond checking it exists."""
        path = self._path(form_id)
        if not path.exists() and path.name not in self._pending:
            raise FormNotFound(Text("berkas {path} tidak ditemukan", path=form_id))

    def list_tabs(self, form_id: str) -> list[str]:
        wb = self._load(form_id, read_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()

    def setup(self, form_id: str, tab: TabSetup) -> None:
        from openpyxl.worksheet.protection import SheetProtection

        def change(wb: Workbook) -> None:
            if tab.tab not in wb.sheetnames:
                default = wb["Sheet"] if "Sheet" in wb.sheetnames else None
                unused = default is not None and default.max_row == 1 and default["A1"].value is None
                if default is not None and unused and len(wb.sheetnames) == 1:
                    default.title = tab.tab  # a new workbook's empty sheet becomes the tab: no second sheet made
                else:
                    index = len(wb.sheetnames) if tab.index is None else tab.index
                    wb.create_sheet(tab.tab, index)
                    if unused:
                        del wb["Sheet"]
            ws = wb[tab.tab]
            for w in tab.writes:
                rng = parse_range(w.range)
                if rng.tab != tab.tab:
                    raise BackendError(f"setup of {tab.tab!r} may only write that tab, got {w.range!r}")
                self._put(ws, rng, w.values, skip_none=True)
            self._apply_validations(ws, tab.validations)
            self._apply_protection(ws, tab, SheetProtection)
            for col in range(1, ws.max_column + 1):
                ws.column_dimensions[col_letter(col)].hidden = col in tab.hidden_columns
            for col, width in tab.column_widths.items():
                ws.column_dimensions[col_letter(col)].width = width
            ws.freeze_panes = f"A{tab.frozen_rows + 1}" if tab.frozen_rows else None
            self._set_marker(wb, tab.tab, dict(tab.marker))

        self._edit(form_id, change)

    @staticmethod
    def _apply_validations(ws: Worksheet, validations: Sequence[Validation]) -> None:
        ws.data_validations.dataValidation = []
        for v in validations:
            ws.add_data_validation(_data_validation(v))

    def guide(self, form_id: str, guides: Sequence[TabGuide]) -> None:
        """One load and save: tabs moved, this guide's validations replaced (those with the guide's
        error title; a person's own stay), number formats set on the cells of their ranges, and the
        active tab (the only one selected, so Excel does not open with grouped tabs)."""

        def change(wb: Workbook) -> None:
            for g in sorted((g for g in guides if g.tab in wb.sheetnames), key=lambda g: g.index):
                ws = wb[g.tab]
                wb.move_sheet(ws, offset=min(g.index, len(wb.sheetnames) - 1) - wb.sheetnames.index(g.tab))
                keep = [dv for dv in ws.data_validations.dataValidation if dv.errorTitle != _GUIDE_TITLE]
                ws.data_validations.dataValidation = keep
                for v in g.validations:
                    dv = _data_validation(v)
                    dv.errorTitle = _GUIDE_TITLE
                    ws.add_data_validation(dv)
                for nf in g.number_formats:
                    _number_format(ws, nf, open_rows=max(ws.max_row, 1000))
            active = next((g.tab for g in guides if g.active and g.tab in wb.sheetnames), None)
            if active is not None:
                for ws in wb.worksheets:
                    ws.sheet_view.tabSelected = ws.title == active
                wb.active = wb.sheetnames.index(active)

        self._edit(form_id, change)

    @staticmethod
    def _apply_protection(ws: Worksheet, tab: TabSetup, protection_cls: Any) -> None:
        """Sheet protection without materialising the empty cells people may add rows into, in the
        order Excel and LibreOffice resolve a cell's style (its own, else its row's when the row has
        one, else its column's):

        * every column of the data area is unlocked by its column style, so the rows below the
          protected ranges (rows people add, however far down) stay open; a range without rows
          (``"TW1"``, ``"TW1!A:C"``) locks whole columns instead;
        * every row a protected range covers carries a locked row style, so its empty cells (a
          header row's blanks, a target row's empty columns) are locked without being stored;
        * in those rows only the cells outside every protected range are stored with an unlocked
          style (the input cells, a few per row), and a stored cell in a protected range is locked.

        Styles are three shared objects, so the form stays about as small and as fast to read as its
        values.  Row styles and style-only cells an earlier setup stored where they are no longer
        wanted get the default style back, so a setup with other protections (a whole tab locked, then
        unlocked) leaves none behind; the ones still wanted are left as they are (setting a style is a
        lookup in openpyxl's style table, most of what protecting a form costs)."""
        locks = _locks()
        stored, spare = _stored_cells(ws)
        locked_cols: set[int] = set()
        rows: dict[int, set[int]] = {}  # row covered by a protected range → its locked columns
        last_col = max((c.column for c in stored), default=1)
        for p in tab.protections:
            rng = parse_range(p.range)
            cols = range(rng.col1, (rng.col2 or last_col) + 1)
            if rng.row2 is None:
                locked_cols.update(cols)
                continue
            for r in range(rng.row1, rng.row2 + 1):
                rows.setdefault(r, set()).update(cols)
        open_cells = {(r, col) for r, covered in rows.items() for col in range(1, last_col + 1)
                      if col not in covered and col not in locked_cols}
        locked_style: dict[int, bool] = {}  # style_id → locked: asked once per style, not once per cell

        def is_locked(cell: Any) -> bool:
            style = cell.style_id
            if style not in locked_style:
                locked_style[style] = bool(cell.protection.locked)
            return locked_style[style]

        default = locks.locked  # the default protection: a cell or row with only this style is not stored
        for dim in ws.row_dimensions.values():
            if dim.has_style and (dim.index not in rows or not tab.protections):
                dim.protection = default
        for cell in spare:  # an input cell stored unlocked by the last setup stays as it is
            if (cell.row, cell.column) not in open_cells or is_locked(cell):
                cell.protection = default
        if not tab.protections:
            ws.protection = protection_cls(sheet=False)
            return
        for col in range(1, last_col + 1):
            ws.column_dimensions[col_letter(col)].protection = locks.locked if col in locked_cols else locks.unlocked
        for cell in stored:
            covered = rows.get(cell.row)
            want = cell.column in locked_cols or (covered is not None and cell.column in covered)
            if is_locked(cell) != want:
                cell.protection = locks.locked if want else locks.unlocked
        for r in rows:
            ws.row_dimensions[r].protection = locks.locked_row
        for r, col in open_cells:
            cell = ws.cell(row=r, column=col)
            if is_locked(cell):
                cell.protection = locks.unlocked
        ws.protection = protection_cls(sheet=True, formatColumns=False, formatRows=False, insertRows=True)

    @staticmethod
    def _set_marker(wb: Workbook, tab: str, marker: dict[str, str]) -> None:
        from openpyxl.packaging.custom import StringProperty

        key = _MARKER_PREFIX + tab
        props = wb.custom_doc_props
        for prop in list(props):
            if prop.name == key:
                props.props.remove(prop)
        if marker:
            props.append(StringProperty(name=key, value=json.dumps(marker, sort_keys=True)))

    def read_marker(self, form_id: str, tab: str) -> dict[str, str]:
        """The custom document property marker of ``tab`` (read-only open: no cell is parsed).  Right
        after a :meth:`read` of the same, unchanged file (same ``stat`` identity) the markers that read
        saw are the answer: the file is not opened a second time."""
        path = self._path(form_id)
        seen = self._markers.get(str(path))
        if seen is not None and seen.identity == _identity(path):
            if tab not in seen.tabs:
                self._sheet_missing(tab, form_id)
            return dict(seen.markers.get(tab, {}))
        wb = self._load(form_id, read_only=True)
        try:
            self._sheet(wb, tab, form_id)
            return self._markers_of(wb).get(tab, {})
        finally:
            wb.close()

    @staticmethod
    def _markers_of(wb: Workbook) -> dict[str, dict[str, str]]:
        """tab → its marker, for every ``sheets-sync:<tab>`` property ({} for one that is not JSON)."""
        out: dict[str, dict[str, str]] = {}
        for prop in wb.custom_doc_props:
            name = str(prop.name)
            if not name.startswith(_MARKER_PREFIX) or name[len(_MARKER_PREFIX):] in out:
                continue
            try:
                data = json.loads(str(prop.value))
            except ValueError:
                data = None
            out[name[len(_MARKER_PREFIX):]] = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) \
                else {}
        return out

    def listing(self) -> FolderListing:
        """The forms folder now: one directory read and one ``stat`` per ``.xlsx`` (lock files of
        Excel/LibreOffice and our temporary files left out).  Equal listings: no form was saved,
        added, removed or renamed in between, and no copy or other format appeared beside one."""
        try:
            forms, others = self._entries()
        except OSError:
            return FolderListing((), ())
        files = [(name, st.st_size, st.st_mtime_ns) for name, st in forms]
        files.sort()
        others.sort()
        return FolderListing(tuple(files), tuple(others))

    def changes_in(self, listing: FolderListing, since: datetime | None = None) -> list[Change]:
        """:meth:`changed_since` from a :meth:`listing` already taken.  The :class:`Change` of a file
        whose size and time did not move since the last call is the one built then: at thousands of
        forms, a ``datetime`` and a fingerprint string per file cost twice the ``stat`` itself."""
        kept = self._changes
        fresh: dict[str, _Listed] = {}
        out = []
        for name, size, mtime_ns in listing.files:
            last = kept.get(name)
            if last is not None and last.size == size and last.mtime_ns == mtime_ns:
                change = last.change
            else:
                sec, nsec = divmod(mtime_ns, 10**9)  # as os.stat computes st_mtime: the same datetime
                change = Change(name, datetime.fromtimestamp(sec + nsec * 1e-9, UTC), f"{size}-{mtime_ns}")
            fresh[name] = _Listed(size, mtime_ns, change)
            if since is None or change.modified >= since:
                out.append(change)
        self._changes = fresh
        return out

    def changed_since(self, since: datetime | None) -> list[Change]:
        """Forms modified at or after ``since`` (all when None), each with its fingerprint: one
        ``stat`` per file, no file opened."""
        return self.changes_in(self.listing(), since)

    def fingerprint(self, form_id: str) -> str | None:
        """``size:mtime_ns:sha256`` of the file.  The hash catches a copy that kept size and time, but
        hashing the control workbook on every poll was most of an idle poll: the digest is kept per
        file with the file's full ``stat`` identity (size, mtime and ctime in ns, inode, device) and
        the file is hashed again only when one of those moved.  ``cp -p``, Syncthing and a restored
        backup keep the time but not the ctime or inode; an edit the ``stat`` cannot see (same size
        within one tick of a coarse file system) is caught by :meth:`verify_fingerprints`, which the
        poll calls on every full sweep."""
        import hashlib

        path = self._path(form_id)
        try:
            st = path.stat()
            ident = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            kept = self._digests.get(str(path))
            if kept is not None and kept.identity == ident:
                digest = kept.sha256
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
                self._digests[str(path)] = _Digest(ident, digest)
        except FileNotFoundError as exc:
            raise FormNotFound(Text("berkas {path} tidak ditemukan", path=str(path)),
                               fix=Text("periksa jalur berkas")) from exc
        except OSError as exc:
            raise FormUnreadable(Text("berkas {name} tidak dapat dibaca: {error}", name=path.name, error=str(exc)),
                                 fix=Text("sheets-sync mencoba lagi pada siklus berikutnya")) from exc
        return f"{st.st_size}:{st.st_mtime_ns}:{digest}"

    def verify_fingerprints(self) -> None:
        """Forget the kept digests: the next :meth:`fingerprint` of each file hashes it again."""
        self._digests.clear()

    def cell_use(self, form_id: str) -> CellUse | None:
        """No limit that an office reaches: an .xlsx sheet holds 1,048,576 rows × 16,384 columns
        (https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3)
        and a workbook has no cell limit of its own."""
        return None

    def report_sheet(self, control_id: str) -> str:
        """A companion workbook beside the control workbook, ``<name> (Rekap dan Dokumen).xlsx``.

        openpyxl can only save a workbook whole, so writing ``Rekap`` into the control workbook would
        load and save every Indikator row on every poll that changed something (seconds at thousands
        of indicators) and would change the control file's fingerprint, forcing a re-read of the
        master next cycle.  The companion holds only the service's tabs (Rekap, Dokumen — the office
        types the document *Status* there), so a poll rewrites a file of N rows."""
        path = self._path(control_id)
        return str(path.with_name(f"{path.stem}{REPORT_SUFFIX}{path.suffix or '.xlsx'}"))

    def missing(self, form_ids: Collection[str]) -> dict[str, BackendError]:
        """Forms whose .xlsx is gone; one saved as another format next to it is :class:`FormWrongFormat`
        naming that file."""
        out: dict[str, BackendError] = {}
        names = self._names()  # one directory read instead of a stat per form
        for fid in form_ids:
            if fid in names and self._plain(fid):  # the id is the file's name in the folder: it is there
                continue
            path = self._path(fid)
            if path.name in self._pending or path.exists():
                continue
            other = next((path.with_suffix(s) for s in _OTHER_FORMATS if path.with_suffix(s).exists()), None)
            if other is not None:
                out[fid] = FormWrongFormat(
                    Text("formulir {name} disimpan ulang sebagai {other} (format {suffix}); sheets-sync hanya membaca "
                         ".xlsx", name=path.name, other=other.name, suffix=other.suffix),
                    fix=Text("buka {other}, pilih Simpan Sebagai → Excel Workbook (.xlsx) dengan nama {name}, lalu "
                             "hapus {other}", other=other.name, name=path.name))
            else:
                out[fid] = FormNotFound(Text("berkas formulir {path} tidak ada lagi", path=str(path)),
                                        fix=Text("kembalikan berkasnya ke folder formulir atau jalankan "
                                                 "`sheets-sync provision`"))
        return out

    def duplicates(self, form_ids: Collection[str]) -> dict[str, list[str]]:
        """Copies of each form in the folder, by the names people and sync tools give them (``… - Salinan``,
        ``… - Copy``, ``… (1)``, Syncthing ``.sync-conflict-…``, OneDrive ``-PCNAME``): form id → file
        names.  A listing, no file opened."""
        stems = {os.path.splitext(f)[0] if self._plain(f) else self._path(f).stem: f for f in form_ids}
        out: dict[str, list[str]] = {}
        if not stems:
            return out
        ids = set(form_ids)
        for name in sorted(self._names()):
            if name in ids:  # a form itself (its id is its file name): the common case, decided at once
                continue
            stem, suffix = os.path.splitext(name)
            if suffix.lower() not in (".xlsx", *_OTHER_FORMATS) or name.startswith(("~$", ".~lock", TMP_PREFIX)):
                continue
            if stem in stems and suffix.lower() == ".xlsx":
                continue
            for form_stem, fid in stems.items():
                rest = stem[len(form_stem):] if stem.startswith(form_stem) else None
                if rest and _COPY_SUFFIX.fullmatch(rest):
                    out.setdefault(fid, []).append(name)
        return out

    def find_by_marker(self, unit: str, exclude: Collection[str]) -> list[FormRef]:
        """The ``.xlsx`` files of the forms folder, other than ``exclude`` (the registered forms), whose
        document-property marker (``sheets-sync:<tab>``, written at provision) names ``unit``: a form a
        person renamed.  Opens only unregistered files, and is only asked when a form went missing."""
        from openpyxl import load_workbook

        skip = {self._path(f).name for f in exclude}
        found: list[FormRef] = []
        for name, _ in self._scan():
            if name in skip:
                continue
            p = self.folder / name
            try:
                wb = load_workbook(p, read_only=True)
            except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError, TypeError):
                continue  # not a workbook we can read: certainly not a form we wrote
            try:
                values = [str(prop.value) for prop in wb.custom_doc_props if prop.name.startswith(_MARKER_PREFIX)]
            finally:
                wb.close()
            if any(_marker_unit(v) == unit for v in values):
                found.append(self._ref(p))
        return found

    def clean_orphans(self, older_than: float = 600.0) -> list[str]:
        """Remove temporary files a killed write left in the forms folder (``.tmp-*``, older than
        ``older_than`` seconds so a write in progress in another process is left alone)."""
        removed: list[str] = []
        if not self.folder.exists():
            return removed
        limit = clock.time() - older_than
        for p in self.folder.glob(TMP_PREFIX + "*"):
            try:
                if p.is_file() and p.stat().st_mtime < limit:
                    p.unlink()
                    removed.append(p.name)
            except OSError:
                continue
        return removed

    def read(self, form_id: str, ranges: Sequence[str]) -> dict[str, Values]:
        """Cells as typed (:mod:`sheets_sync.core.cells`): a percent cell 0.475 is 47.5, a date cell the
        date as text (``2025-04-10``, a date-time ``2025-04-10 16:00``), a boolean stays a bool, text
        stays text for the Indonesian parser.  A formula gives the value Excel/LibreOffice computed and
        saved; one never calculated gives its text (``=SUM(H6:H9)``, a finding downstream).  The
        formula cells of the last read are in :attr:`last_formulas` (range → A1 → formula)."""
        path = self._path(form_id)
        ident = _identity(path)  # before the load: a save during it gives a newer identity
        wb = self._load(form_id, read_only=True, data_only=False)
        cached: Workbook | None = None
        self.last_formulas = {}
        self._markers.pop(str(path), None)
        if ident is not None and path.name not in self._pending:
            self._markers[str(path)] = _Markers(ident, set(wb.sheetnames), self._markers_of(wb))
        try:
            out: dict[str, Values] = {}
            for r in ranges:
                rng = parse_range(r)
                ws = self._sheet(wb, rng.tab, form_id)
                if (rng.row2 is None or rng.col2 is None) and hasattr(ws, "reset_dimensions"):
                    # Open-ended: read to the real end of the data.  The stored <dimension> may be
                    # missing or wrong (other writers), so it is not trusted for the bound.
                    ws.reset_dimensions()
                formulas: dict[tuple[int, int], str] = {}
                rows: Values = []
                for i, row in enumerate(ws.iter_rows(min_row=rng.row1, max_row=rng.row2, min_col=rng.col1,
                                                     max_col=rng.col2)):
                    values: list[Raw] = []
                    for j, c in enumerate(row):
                        if c.data_type == "f" and isinstance(c.value, str):
                            formulas[(rng.row1 + i, rng.col1 + j)] = c.value
                        values.append(_typed(c))
                    rows.append(values)
                if rng.col2 is None:
                    width = max((len(r) for r in rows), default=0)
                    rows = [r + [None] * (width - len(r)) for r in rows]
                if formulas:  # rare: the values Excel/LibreOffice computed are in a second pass
                    if cached is None:
                        cached = self._load(form_id, read_only=True, data_only=True)
                    self._fill_cached(self._sheet(cached, rng.tab, form_id), rng, rows, formulas)
                    self.last_formulas[r] = {cell_a1(rc[0], rc[1]): f for rc, f in formulas.items()}
                while rows and all(v is None or v == "" for v in rows[-1]):
                    rows.pop()
                out[r] = [[None if v == "" else v for v in row] for row in rows]
            return out
        except (zipfile.BadZipFile, KeyError, EOFError, ValueError) as exc:
            raise FormUnreadable(
                Text("berkas {path} rusak saat dibaca ({error})", path=form_id, error=type(exc).__name__),
                fix=Text("simpan ulang berkas dari Excel/LibreOffice sebagai .xlsx"),
            ) from exc
        finally:
            wb.close()
            if cached is not None:
                cached.close()

    @staticmethod
    def _fill_cached(ws: Worksheet, rng: A1Range, rows: Values, formulas: dict[tuple[int, int], str]) -> None:
        top, bottom = min(r for r, _ in formulas), max(r for r, _ in formulas)
        left, right = min(c for _, c in formulas), max(c for _, c in formulas)
        for i, row in enumerate(ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right)):
            for j, c in enumerate(row):
                key = (top + i, left + j)
                if key in formulas:
                    value = _typed(c)
                    rows[key[0] - rng.row1][key[1] - rng.col1] = formulas[key] if value is None else value

    def write(self, form_id: str, writes: Sequence[RangeWrite], formats: Sequence[NumberFormat] = ()) -> None:
        """RAW values (and ``formats`` on the cells in use of their ranges) in one load and save; a save
        that would change nothing is skipped (with ``formats`` the save always happens: they cannot be
        compared by reading values)."""
        from openpyxl import Workbook

        path = self._path(form_id)
        if not path.exists() and path.name not in self._pending:
            wb = Workbook()
            self._write_into(wb, writes, formats)
            if len(wb.sheetnames) > 1 and wb["Sheet"].max_row == 1 and wb["Sheet"]["A1"].value is None:
                del wb["Sheet"]
            self._save(wb, path, expect=None)
            created = _identity(path)
            if path.stem.endswith(REPORT_SUFFIX) and created is not None:  # the next Rekap write edits this
                # one instead of loading the file it just saved (as _edit keeps it after a change)
                self._kept[str(path)] = _KeptBook(created, wb)
            return
        kept = self._kept.get(str(path))
        current = kept is not None and kept.identity == _identity(path)
        if path.name not in self._pending and not current and not formats and self._unchanged(form_id, writes):
            return
        self._edit(form_id, lambda wb: self._write_into(wb, writes, formats))

    def _write_into(self, wb: Workbook, writes: Sequence[RangeWrite], formats: Sequence[NumberFormat] = ()) -> None:
        for w in writes:
            rng = parse_range(w.range)
            ws = wb[rng.tab] if rng.tab in wb.sheetnames else wb.create_sheet(rng.tab)
            self._put(ws, rng, w.values)
        for nf in formats:
            tab = parse_range(nf.range).tab
            if tab in wb.sheetnames:
                _number_format(wb[tab], nf, open_rows=wb[tab].max_row)

    def _unchanged(self, form_id: str, writes: Sequence[RangeWrite]) -> bool:
        """Skip the save (and the mtime bump) when the cells already hold exactly these values."""
        try:
            tabs = set(self.list_tabs(form_id))
            for w in writes:
                rng = parse_range(w.range)
                if rng.tab not in tabs:
                    return False
                width = max((len(r) for r in w.values), default=0)
                if not width:
                    continue
                end = A1Range(rng.tab, rng.row1, rng.col1, rng.row1 + len(w.values) - 1, rng.col1 + width - 1)
                key = str(end)
                have = self.read(form_id, [key])[key]
                want = [[None if v == "" else v for v in row] + [None] * (width - len(row)) for row in w.values]
                while want and all(v is None for v in want[-1]):
                    want.pop()
                if have != want:
                    return False
            return True
        except BackendError:
            return False

    def clear(self, form_id: str, range_: str) -> None:
        rng = parse_range(range_)

        def change(wb: Workbook) -> None:
            ws = self._sheet(wb, rng.tab, form_id)
            for row in ws.iter_rows(
                min_row=rng.row1, max_row=rng.row2 or ws.max_row, min_col=rng.col1, max_col=rng.col2 or ws.max_column
            ):
                for c in row:
                    c.value = None

        self._edit(form_id, change)

    def publish(self, path: Path, name: str, *, replaces: str | None = None) -> str:
        self.documents.mkdir(parents=True, exist_ok=True)
        if path.resolve().is_relative_to(self.documents.resolve()):
            target = path  # already rendered into the documents folder: publish in place
        else:
            target = self.documents / _UNSAFE.sub("_", name)
        if replaces and Path(replaces).exists() and Path(replaces).resolve() != target.resolve():
            Path(replaces).unlink()
        if path.resolve() != target.resolve():
            if target.exists() and target.read_bytes() == path.read_bytes():
                return str(target.resolve())
            shutil.copyfile(path, target)
        return str(target.resolve())


def rows_as_person(path: Path, tab: str) -> list[tuple[Raw, ...]]:
    """Every row of ``tab`` as a person sees it in Excel (cached values, native types).  Used by the
    demo to find where to type; never by the service."""
    from openpyxl import load_workbook

    return [tuple(r) for r in load_workbook(path)[tab].iter_rows(values_only=True)]


def _data_validation(v: Validation) -> Any:
    """The openpyxl DataValidation of one :class:`Validation` (open-ended ranges end at Excel's last row)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rng = parse_range(v.range)
    last_row = rng.row2 if rng.row2 is not None else 1_048_576 if rng.col2 is not None else rng.row1
    sqref = f"{col_letter(rng.col1)}{rng.row1}:{col_letter(rng.col2 or rng.col1)}{last_row}"
    if v.kind == "number":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    elif v.kind in ("list", "checkbox"):
        items = v.values or ("TRUE", "FALSE")
        dv = DataValidation(type="list", formula1='"' + ",".join(items) + '"')
    elif v.kind == "date":  # a date serial (a time of day is its fraction) between 2000 and 2100
        dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73415")
    else:
        dv = DataValidation(type=None)
    dv.errorStyle = "stop" if v.strict else "warning"
    dv.showErrorMessage = v.kind != "url"
    dv.error = v.message
    dv.prompt = v.message
    dv.showInputMessage = bool(v.message)
    dv.allow_blank = True
    dv.add(sqref)
    return dv


def type_as_person(path: Path, tab: str, cells: Mapping[str, Raw]) -> None:
    """Set ``cells`` (A1 → value) on ``tab`` and save, as Excel or LibreOffice would: openpyxl's own
    save in place, native types, no sheets-sync marker or protection touched.  Used by the demo to play
    the bidang; never by the service."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[tab]
    for address, value in cells.items():
        ws[address] = value
    wb.save(path)


def append_as_person(path: Path, tab: str, rows: Sequence[Sequence[Raw]]) -> None:
    """Append ``rows`` below the last row of ``tab`` and save, as a person typing in Excel would."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for row in rows:
        wb[tab].append(list(row))
    wb.save(path)
