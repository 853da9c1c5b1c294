"""Type into .xlsx files the way people's Excel and LibreOffice save them — not the way sheets-sync writes.

sheets-sync writes RAW text; people do not.  Excel and LibreOffice store what a person types as *typed*
cells: ``47,5%`` becomes the number 0.475 with the number format ``0.00%``, ``04/12/2026`` becomes a
date serial with a date format, ``TRUE`` a boolean, ``=45/48*100`` a formula with (once the program has
calculated it) a cached value.  They save by writing a new file and renaming it over the old one, and
synced folders (Syncthing, OneDrive) keep the *sender's* file time, which may be older than anything the
service has seen.  The helpers here reproduce exactly that, so tests feed the product what offices feed
it:

* :func:`percent`, :func:`date_cell`, :func:`datetime_cell`, :func:`formula`, :func:`number` — typed
  cell values for :func:`save_as_person` / :func:`type_cells`;
* :func:`save_as_person` — open, set cells, save atomically (temp file + rename, as Excel does),
  optionally give the file an mtime in the past (``os.utime``), like a synced or restored copy;
* :func:`inject_cached_values` — formulas *with* a cached value (what Excel/LibreOffice write after
  calculating; openpyxl alone writes formulas without one);
* :func:`copy_as` — the duplicate names people and sync tools make (``… - Salinan.xlsx``, ``… (1).xlsx``,
  Syncthing ``.sync-conflict-…`` and OneDrive ``-PCNAME`` copies);
* :func:`set_mtime` / :func:`age` — file times in the past.

Only tests import this module.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

EXCEL = "excel"
LIBREOFFICE = "libreoffice"

# How each program stores the same typed input (number formats as found in files saved by an
# Indonesian-locale Excel 365 and LibreOffice 7.x).
FORMATS = {
    EXCEL: {"percent": "0.00%", "percent0": "0%", "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm",
            "number": "#,##0.00"},
    LIBREOFFICE: {"percent": "0.00%", "percent0": "0%", "date": "DD/MM/YY", "datetime": "DD/MM/YYYY HH:MM",
                  "number": "#,##0.00"},
}


@dataclass(frozen=True)
class Typed:
    """A cell as a spreadsheet program stores it: ``value`` (native) with ``number_format``; a formula
    keeps ``cached`` (None: the file was never calculated, as openpyxl-generated files are)."""

    value: Any
    number_format: str | None = None
    cached: Any = None


def percent(typed: float, program: str = EXCEL, decimals: bool = True) -> Typed:
    """``47,5%`` typed into a cell: stored as 0.475 with a percent format."""
    fmt = FORMATS[program]["percent" if decimals else "percent0"]
    return Typed(typed / 100 if not isinstance(typed, str) else typed, fmt)


def fraction_as_percent(stored: float, program: str = EXCEL) -> Typed:
    """The stored fraction itself (0.475) with a percent format — exact, no division."""
    return Typed(stored, FORMATS[program]["percent"])


def date_cell(d: date, program: str = EXCEL) -> Typed:
    """``04/12/2026`` typed into a cell: a date serial, shown with a date format (no time part)."""
    return Typed(datetime(d.year, d.month, d.day), FORMATS[program]["date"])


def datetime_cell(dt: datetime, program: str = EXCEL) -> Typed:
    """``04/12/2026 16:00`` typed into a cell: a date-time serial with a date-time format."""
    return Typed(dt.replace(tzinfo=None), FORMATS[program]["datetime"])


def number(value: float | int, program: str = EXCEL, fmt: str | None = None) -> Typed:
    """A number cell (optionally with a display format such as ``#,##0.00``)."""
    return Typed(value, fmt or FORMATS[program]["number"])


def formula(text: str, cached: Any = None) -> Typed:
    """A formula cell; ``cached`` is the value Excel/LibreOffice computed and saved (None: never calculated)."""
    if not text.startswith("="):
        text = "=" + text
    return Typed(text, None, cached)


def _apply(ws: Any, a1: str, value: Any) -> Any:
    c = ws[a1]
    if isinstance(value, Typed):
        c.value = value.value
        if value.number_format:
            c.number_format = value.number_format
    else:
        c.value = value  # str, int, float, bool, None: stored as typed (a str starting "=" is a formula)
        if isinstance(value, str) and not value.startswith("="):
            c.data_type = "s"
    return c


def sample_control(folder: Path) -> tuple[Any, Path]:
    """The sample BKPSDM control workbook as ``init`` leaves it in ``folder`` (``kendali.xlsx``, forms in
    ``folder/forms``), for a test that then types into it as the PPKP does: (local backend, path)."""
    from sheets_sync.backends.local import LocalBackend
    from sheets_sync.service.office import example_tabs

    backend = LocalBackend(folder / "forms")
    path = folder / "kendali.xlsx"
    backend.write(str(path), example_tabs("bkpsdm"))
    return backend, path


def save_as_person(path: Path | str, edits: Mapping[str, Mapping[str, Any]] | None = None, *,
                   mtime: datetime | float | None = None, keep_mtime: bool = False) -> None:
    """Open ``path`` like Excel, set ``edits`` (``{"TW1": {"H6": percent(47.5)}}``), save atomically.

    ``mtime``: give the saved file this modification time (a synced or restored copy); ``keep_mtime``:
    keep the file time it had before (``cp -p``, Syncthing)."""
    path = Path(path)
    before = path.stat() if keep_mtime else None
    wb = load_workbook(path)
    cached: dict[str, dict[str, Any]] = {}
    for tab, cells in (edits or {}).items():
        ws = wb[tab] if tab in wb.sheetnames else wb.create_sheet(tab)
        for a1, value in cells.items():
            _apply(ws, a1, value)
            if isinstance(value, Typed) and value.cached is not None:
                cached.setdefault(tab, {})[a1] = value.cached
    fd, tmp = tempfile.mkstemp(prefix="~excel", suffix=".tmp", dir=path.parent)
    os.close(fd)
    wb.save(tmp)
    if cached:
        inject_cached_values(Path(tmp), cached, sheetnames=wb.sheetnames)
    os.replace(tmp, path)
    if before is not None:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif mtime is not None:
        set_mtime(path, mtime)


def type_cells(path: Path | str, tab: str, cells: Mapping[str, Any], **kw: Any) -> None:
    """Shorthand for one tab: ``type_cells(form, "TW1", {"H6": percent(47.5)})``."""
    save_as_person(path, {tab: cells}, **kw)


def inject_cached_values(path: Path, cached: Mapping[str, Mapping[str, Any]], *, sheetnames: list[str]) -> None:
    """Write cached results into formula cells (``<c r="H6"><f>…</f><v>93.75</v></c>``), as Excel does."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    sheet_files = _sheet_files(dict((i.filename, data) for i, data in items), sheetnames)
    out = []
    for info, data in items:
        tab = sheet_files.get(info.filename)
        if tab in cached:
            xml = data.decode("utf-8")
            for a1, value in cached[tab].items():
                xml = _cache_one(xml, a1, value)
            data = xml.encode("utf-8")
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)


def _sheet_files(files: Mapping[str, bytes], sheetnames: list[str]) -> dict[str, str]:
    wb = files["xl/workbook.xml"].decode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    out = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb):
        target = targets[rid].lstrip("/")
        out[target if target.startswith("xl/") else "xl/" + target] = name
    return out


def _cache_one(xml: str, a1: str, value: Any) -> str:
    pattern = re.compile(rf'<c r="{a1}"([^>]*)>(<f>.*?</f>)(?:<v\s*/>|<v>.*?</v>)?</c>')
    if isinstance(value, bool):
        t, v = "b", "1" if value else "0"
    elif isinstance(value, int | float):
        t, v = "n", repr(float(value)) if isinstance(value, float) else str(value)
    else:
        t, v = "str", str(value)

    def repl(m: re.Match[str]) -> str:
        attrs = re.sub(r'\s+t="[^"]*"', "", m.group(1))
        return f'<c r="{a1}"{attrs} t="{t}">{m.group(2)}<v>{v}</v></c>'

    new, n = pattern.subn(repl, xml)
    if not n:
        raise AssertionError(f"formula cell {a1} not found in the sheet XML")
    return new


def set_mtime(path: Path | str, when: datetime | float) -> None:
    """Give ``path`` this modification time (``os.utime``), as a synced or restored copy has."""
    ts = when.timestamp() if isinstance(when, datetime) else float(when)
    os.utime(path, (ts, ts))


def age(path: Path | str, seconds: float) -> None:
    """Move ``path``'s modification time ``seconds`` into the past."""
    st = os.stat(path)
    os.utime(path, (st.st_atime - seconds, st.st_mtime - seconds))


COPY_NAMES = {
    "salinan": "{stem} - Salinan{suffix}",                   # Windows Explorer, Indonesian
    "copy": "{stem} - Copy{suffix}",                         # Windows Explorer, English
    "numbered": "{stem} (1){suffix}",                        # browsers, Google Drive for desktop
    "syncthing": "{stem}.sync-conflict-20250409-101500-ABCDEFG{suffix}",
    "onedrive": "{stem}-LAPTOP-PKA01{suffix}",               # OneDrive keeps both: name-COMPUTERNAME
}


def copy_as(path: Path | str, kind: str = "salinan", *, suffix: str | None = None) -> Path:
    """A duplicate of ``path`` named as ``kind`` names it (see :data:`COPY_NAMES`), mtime kept."""
    path = Path(path)
    target = path.with_name(COPY_NAMES[kind].format(stem=path.stem, suffix=suffix or path.suffix))
    shutil.copy2(path, target)
    return target


def save_as_format(path: Path | str, suffix: str) -> Path:
    """"Save as" another format next to the form (``.xlsm``; ``.ods`` gets a placeholder ODF zip) and
    remove the .xlsx, as a person choosing the wrong type in the save dialog does."""
    path = Path(path)
    target = path.with_suffix(suffix)
    if suffix == ".xlsm":
        shutil.copy2(path, target)
    else:
        with zipfile.ZipFile(target, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<office:document-content/>")
    path.unlink()
    return target


def keep_saving(path: str, tab: str, a1: str, stop: Any, results: Any, every: float = 0.25,
                count: Any = None) -> None:
    """A person in another process saving ``path`` atomically every ``every`` seconds, each save one more
    in the counter cell ``a1``; before each save it checks the file still holds its previous save and
    reports ``(saves, lost)`` on ``results`` when ``stop`` is set; ``count`` (a shared
    ``multiprocessing.Value``) follows the saves as they happen.  Run with ``multiprocessing``."""
    import time

    saves, lost = 0, []
    while not stop.is_set():
        have = load_workbook(path)[tab][a1].value
        if saves and have != f"simpan {saves}":
            lost.append((saves, have))
        saves += 1
        save_as_person(path, {tab: {a1: f"simpan {saves}"}})
        if count is not None:
            count.value = saves
        time.sleep(every)
    results.put((saves, lost))
