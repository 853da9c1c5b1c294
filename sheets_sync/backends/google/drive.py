"""Drive operations of :class:`~sheets_sync.backends.google.backend.GoogleBackend` that are not about
spreadsheet cells: sharing and publishing documents (no gspread import; calls go through the
backend's rate-limited, retrying ``_drive``).

* Sharing never sends Google's notification e-mail (``sendNotificationEmail=false``): sheets-sync
  mails the link itself, in Indonesian, with the deadline.
* Publishing uploads ``.docx``/``.pdf`` as-is (``uploadType=multipart``, no conversion to Google
  Docs), keeps one file per stable name, and skips the upload when the content is unchanged
  (Drive ``md5Checksum`` or our ``appProperties.sha256``).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sheets_sync.backends.google.requests import SHEET_MIME, file_link, multipart, q_literal
from sheets_sync.config.google import file_id_from_ref, spreadsheet_id_from_ref
from sheets_sync.errors import FormNotFound, FormUnreadable

if TYPE_CHECKING:
    from sheets_sync.backends.google.backend import GoogleBackend

DRIVE = "https://www.googleapis.com/drive/v3"
UPLOAD = "https://www.googleapis.com/upload/drive/v3/files"
PERMISSION_FIELDS = "nextPageToken,permissions(id,type,role,emailAddress,permissionDetails(inherited))"
DOC_FIELDS = "id,name,md5Checksum,appProperties,trashed"


def list_permissions(backend: GoogleBackend, form_id: str) -> list[dict[str, Any]]:
    """Every permission of ``form_id`` (all pages)."""
    out: list[dict[str, Any]] = []
    token = ""
    what = f"membaca daftar akses {backend._titles.get(form_id, form_id)!r}"
    while True:
        params: dict[str, Any] = {"supportsAllDrives": "true", "fields": PERMISSION_FIELDS, "pageSize": 100}
        if token:
            params["pageToken"] = token
        page = backend._drive("get", f"{DRIVE}/files/{form_id}/permissions", what, params=params, form_id=form_id)
        out.extend(page.get("permissions", []))
        token = page.get("nextPageToken", "")
        if not token:
            return out


def is_inherited(p: dict[str, Any]) -> bool:
    """A permission that comes from the shared drive (cannot be removed on the file)."""
    details = p.get("permissionDetails") or []
    return bool(details) and all(d.get("inherited") for d in details)


def sync_permissions(
    backend: GoogleBackend, form_id: str, emails: Sequence[str], role: Literal["writer", "reader"]
) -> None:
    """Make the direct user permissions of ``form_id`` equal ``emails`` with ``role`` (see ``share``)."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    keep = {backend.identity(), backend.settings.coordinator_email.lower()} - {""}
    title = backend._titles.get(form_id, form_id)
    people = [p for p in list_permissions(backend, form_id) if p.get("type") in ("user", "group")]
    by_email = {str(p.get("emailAddress", "")).lower(): p for p in people}
    base = f"{DRIVE}/files/{form_id}/permissions"
    for email in sorted(wanted):
        p = by_email.get(email)
        if p is not None and (p.get("role") in (role, "owner") or is_inherited(p)):
            continue
        if p is not None:
            what = f"mengubah akses {email} ke {title!r}"
            params: dict[str, Any] = {"supportsAllDrives": "true", "fields": "id"}
            backend._drive("patch", f"{base}/{p['id']}", what, params=params, json={"role": role}, form_id=form_id)
            continue
        quiet = {"supportsAllDrives": "true", "sendNotificationEmail": "false", "fields": "id"}
        body = {"type": "user", "role": role, "emailAddress": email}
        backend._drive("post", base, f"membagikan {title!r} ke {email}", params=quiet, json=body, form_id=form_id)
    if form_id in backend.tracker.adopted:
        return  # a sheet made by people keeps their other sharing; doctor reports it
    for email, p in by_email.items():
        if email in wanted or email in keep or p.get("role") == "owner" or is_inherited(p):
            continue
        what = f"mencabut akses {email} dari {title!r}"
        backend._drive("delete", f"{base}/{p['id']}", what, params={"supportsAllDrives": "true"}, form_id=form_id)


def _find_document(backend: GoogleBackend, name: str) -> list[dict[str, Any]]:
    folder = backend.settings.documents_folder
    q = f"name = {q_literal(name)} and {q_literal(folder)} in parents and trashed = false"
    return backend._list_files(q, f"files({DOC_FIELDS})", f"mencari dokumen {name!r}")


def publish_document(backend: GoogleBackend, path: Path, name: str, *, replaces: str | None = None) -> str:
    """See :meth:`GoogleBackend.publish`."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    target: dict[str, Any] | None = None
    fid = file_id_from_ref(replaces) if replaces else None
    if fid is not None:
        params = {"supportsAllDrives": "true", "fields": DOC_FIELDS}
        try:
            target = backend._drive("get", f"{DRIVE}/files/{fid}", f"membaca dokumen {name!r}", params=params)
        except FormNotFound:
            target = None
        if target is not None and target.get("trashed"):
            target = None
    if target is None:
        found = _find_document(backend, name)
        target = found[0] if found else None
    props = {"sha256": sha, "source": "sheets-sync"}
    if target is not None:
        if target.get("md5Checksum") == md5 or target.get("appProperties", {}).get("sha256") == sha:
            return file_link(target["id"])
        meta: dict[str, Any] = {"name": name, "appProperties": props}
        method, url = "patch", f"{UPLOAD}/{target['id']}"
    else:
        meta = {
            "name": name,
            "mimeType": mime,
            "parents": [backend.settings.documents_folder],
            "appProperties": props,
        }
        method, url = "post", UPLOAD
    payload, content_type = multipart(meta, data, mime)
    params = {"uploadType": "multipart", "supportsAllDrives": "true", "fields": "id"}

    def landed() -> dict[str, Any] | None:
        """After a timed-out upload: did it land anyway?  (Avoids a second copy.)"""
        return next(
            (f for f in _find_document(backend, name) if f.get("appProperties", {}).get("sha256") == sha),
            None,
        )

    done = backend._drive(
        method,
        url,
        f"mengunggah dokumen {name!r}",
        params=params,
        data=payload,
        headers={"Content-Type": content_type},
        before_retry=landed,
    )
    return file_link(done["id"])


def file_metadata(backend: GoogleBackend, ref: str) -> dict[str, Any]:
    """Drive metadata of the spreadsheet behind an id or link; FormNotFound/FormUnreadable with a
    fix when it is not a usable Google Sheets file (garbled link, trashed, an uploaded .xlsx)."""
    fid = spreadsheet_id_from_ref(ref)
    if fid is None:
        raise FormNotFound(
            f"{ref!r} bukan tautan atau ID Google Sheets",
            fix="salin tautan dari address bar (https://docs.google.com/spreadsheets/d/…/edit) ke tab Bidang",
        )
    params = {"supportsAllDrives": "true", "fields": "id,name,mimeType,trashed,parents"}
    meta = backend._drive("get", f"{DRIVE}/files/{fid}", f"membuka formulir {ref!r}", params=params, form_id=fid)
    if meta.get("trashed"):
        raise FormNotFound(
            f"formulir {meta.get('name')!r} (id {fid}) ada di Sampah (Trash)",
            fix="pulihkan dari Sampah Google Drive, atau kosongkan tautannya di tab Bidang",
        )
    if meta.get("mimeType") != SHEET_MIME:
        raise FormUnreadable(
            f"berkas {meta.get('name')!r} (id {fid}) bukan Google Sheets ({meta.get('mimeType')})",
            fix="buka di Google Sheets → File → Simpan sebagai Google Spreadsheet, lalu pakai tautan barunya",
        )
    return meta
