"""Deterministic .docx bytes: same request → same file → same SHA-256.

A .docx is a zip; python-docx writes entries in part order with the current time as each entry's
timestamp, and core properties (``docProps/core.xml``) carry created/modified times.  Rendering fixes
the core properties from the request's ``generated_on`` (:func:`fix_core_properties`) and then
:func:`stable_zip` rewrites the archive: ``[Content_Types].xml`` first (as Word writes it), then
``_rels/.rels``, then every other entry sorted by name, each with the same timestamp, permissions and
compression level.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, time
from typing import Any

FIRST = ("[Content_Types].xml", "_rels/.rels")
EPOCH = (1980, 1, 1, 0, 0, 0)


def _order(name: str) -> tuple[int, str]:
    return (FIRST.index(name), "") if name in FIRST else (len(FIRST), name)


def stable_zip(data: bytes, when: date | None = None) -> bytes:
    """Rewrite zip ``data`` with a stable entry order and fixed metadata (timestamp = ``when`` at
    midnight, or 1980-01-01)."""
    stamp = (when.year, when.month, when.day, 0, 0, 0) if when and when.year >= 1980 else EPOCH
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in sorted(zin.namelist(), key=_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, zin.read(name), compresslevel=6)
    return out.getvalue()


def fix_core_properties(document: Any, when: date, title: str, author: str) -> None:
    """Set created/modified to ``when`` (midnight UTC), a fixed revision, title and author, so no
    clock reading ends up in the file."""
    cp = document.core_properties
    stamp = datetime.combine(when, time(0, 0), tzinfo=UTC)
    cp.created = cp.modified = stamp
    cp.last_printed = stamp
    cp.revision = 1
    cp.title = title
    cp.author = cp.last_modified_by = author
    cp.comments = "Dibuat oleh sheets-sync"
