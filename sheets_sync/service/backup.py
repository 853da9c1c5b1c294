"""The store is precious: consistent copies, a daily copy with rotation, and a refusal to start over
silently when the store is gone.

* :func:`backup_store` — ``sheets-sync backup [FILE]``: SQLite's online backup API copies the whole
  database under one read transaction, so the copy is consistent even while ``run`` writes (WAL);
  it is written to a temporary file, checked with ``PRAGMA quick_check`` and renamed into place.
* :func:`backup_job` — the service's daily copy (``[store] backup_time``), keeping the newest
  ``backup_keep`` automatic copies in ``backup_dir``.
* :func:`guard_store` — at start, a store that is missing, empty or has never recorded anything,
  next to a control spreadsheet that shows the office already has forms (links in ``Bidang``) or
  documents / letter numbers (rows in ``Dokumen``), is refused (exit 3) with the newest backup's
  name: starting over would send the link e-mails and digest again, forget history and approvals and
  reuse letter numbers.  ``--new-store`` starts fresh on purpose (recorded in the new store).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sheets_sync.config import Settings
from sheets_sync.errors import BackendError, StoreError
from sheets_sync.service.app import App, Clock, make_backend
from sheets_sync.texts import Text

log = logging.getLogger("sheets_sync.service.backup")

AUTO_PREFIX = "sheets-sync-auto-"
MANUAL_PREFIX = "sheets-sync-"
NEW_STORE_META = "new_store"


def store_file(settings: Settings) -> Path | None:
    """The SQLite file of the store (None for ``:memory:`` or a non-SQLite URL)."""
    url = settings.store_url
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    if path == ":memory:" or "://" in path:
        return None
    return Path(path)


def backup_folder(settings: Settings) -> Path:
    if settings.backup.folder is not None:
        return settings.backup.folder
    db = store_file(settings)
    return (db.parent if db else settings.base) / "backup"


def backups(settings: Settings) -> list[Path]:
    """Every copy in the backup folder, newest first."""
    folder = backup_folder(settings)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{MANUAL_PREFIX}*.sqlite3") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def backup_store(app: App, target: Path | None = None, *, auto: bool = False) -> Path:
    """Write a consistent copy of the store to ``target`` (default: a dated file in the backup folder)."""
    stamp = app.now().strftime("%Y%m%d-%H%M%S")
    if target is None:
        target = backup_folder(app.settings) / f"{AUTO_PREFIX if auto else MANUAL_PREFIX}{stamp}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(tmp)
        try:
            app.store.conn.backup(dest)
            ok = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest.close()
        if ok != "ok":
            raise StoreError(Text("salinan basis data gagal diperiksa: {result}", result=str(ok)),
                             fix=Text("jalankan `sheets-sync backup` sekali lagi"))
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(Text("cadangan {file} tidak dapat ditulis: {error}", file=str(target), error=str(exc)),
                         fix=Text("periksa foldernya dan ruang kosong di disk")) from exc
    return target


def backup_job(app: App, now: datetime) -> int:
    """The daily automatic copy, then rotation (the newest ``backup_keep`` automatic copies stay)."""
    keep = app.settings.backup.keep
    if keep <= 0 or store_file(app.settings) is None:
        return 0
    today = now.astimezone(app.tz).strftime("%Y%m%d")
    if any(p.name.startswith(f"{AUTO_PREFIX}{today}") for p in backups(app.settings)):
        return 0  # one automatic copy a day (``run --once`` from cron runs this job every time)
    target = backup_store(app, auto=True)
    log.info("store backed up to %s", target)
    autos = [p for p in backups(app.settings) if p.name.startswith(AUTO_PREFIX)]
    for old in autos[keep:]:
        old.unlink(missing_ok=True)
    return 0


def _blank(db: Path) -> bool:
    """Whether the SQLite file is missing, empty or has never recorded anything (and was not started
    fresh on purpose)."""
    if not db.exists() or db.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "forms" not in tables:
            return True
        if "meta" in tables and conn.execute("SELECT 1 FROM meta WHERE key=?", (NEW_STORE_META,)).fetchone():
            return False
        return not any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
                       for t in ("forms", "snapshots", "documents", "messages") if t in tables)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _evidence(settings: Settings, clock: Clock) -> list[Text]:
    """What the control spreadsheet (and, locally, its companion workbook) shows of an office already
    running (empty: a new office)."""
    from sheets_sync.service.control_io import read_control
    from sheets_sync.service.dokumen_tab import DOKUMEN_RANGE

    backend = make_backend(settings, clock)
    shown: list[Text] = []
    try:
        control = read_control(backend, settings.control, settings.office.timezone)
    except BackendError:
        return []
    links = [u.code for u in control.units if u.form_link]
    if links:
        shown.append(Text("{count} tautan form di tab Bidang ({codes})", count=len(links),
                          codes=", ".join(links[:5])))
    rows: list[list[object]] = []
    for sheet in dict.fromkeys([backend.report_sheet(settings.control), settings.control]):
        try:
            rows += [list(r) for r in backend.read(sheet, [DOKUMEN_RANGE])[DOKUMEN_RANGE][1:]]
        except BackendError:
            continue
    docs = [r for r in rows if any(str(c if c is not None else "").strip() for c in r)]
    numbers = [str(r[4]) for r in docs if len(r) > 4 and str(r[4] or "").strip()]
    if docs and numbers:
        shown.append(Text("{count} dokumen di tab Dokumen (nomor surat {number})", count=len(docs),
                          number=numbers[-1]))
    elif docs:
        shown.append(Text("{count} dokumen di tab Dokumen", count=len(docs)))
    return shown


def guard_store(settings: Settings, *, new_store: bool, clock: Clock) -> None:
    """Refuse to start over silently (see the module docstring); with ``new_store`` let it start."""
    db = store_file(settings)
    if db is None or new_store or not _blank(db):
        return
    shown = _evidence(settings, clock)
    if not shown:
        return  # a new office: nothing to lose
    latest = backups(settings)
    if latest:
        when = datetime.fromtimestamp(latest[0].stat().st_mtime).astimezone().strftime("%d-%m-%Y %H.%M")
        where = Text("Cadangan terakhir: {file} ({time}).", file=str(latest[0]), time=when)
        fix = Text("pulihkan cadangan itu: cp '{backup}' '{db}'; atau mulai baru dengan sengaja: --new-store "
                   "(riwayat, keputusan dan nomor surat lama tidak dikenal lagi)", backup=str(latest[0]), db=str(db))
    else:
        where = Text("Tidak ada cadangan di {folder}.", folder=str(backup_folder(settings)))
        fix = Text("pulihkan basis data dari cadangan Anda sendiri; atau mulai baru dengan sengaja: --new-store "
                   "(riwayat, keputusan dan nomor surat lama tidak dikenal lagi)")
    raise StoreError(
        Text("basis data {db} hilang atau kosong, padahal kantor ini sudah berjalan: {evidence}. {where} "
             "Memulai dari awal akan mengirim ulang e-mail tautan, melupakan riwayat dan persetujuan, dan "
             "memakai ulang nomor surat", db=str(db), evidence=_joined(shown), where=where),
        fix=fix)


def _joined(parts: list[Text]) -> Text:
    """``parts`` as one Text, each translated on its own, joined by "; "."""
    head, *rest = parts
    return head if not rest else Text("{first}; {rest}", first=head, rest=_joined(rest))


def mark_new_store(app: App) -> None:
    """Record that this store was started fresh on purpose (``--new-store``)."""
    if app.store.get_meta(NEW_STORE_META) is None:
        with app.store.transaction():
            app.store.set_meta(NEW_STORE_META, app.now().isoformat())
            app.store.add_event("new_store", app.now())
