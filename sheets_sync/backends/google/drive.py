"""Drive operations of the Google backend that are not about spreadsheet cells: sharing, tagging,
publishing documents, resolving links — all through the shared :class:`~.transport.GoogleTransport`
(no gspread import).

* Sharing first asks Google not to send its own notification (``sendNotificationEmail=false``:
  sheets-sync mails the link itself, in Indonesian, with the deadline).  Drive refuses that for an
  address without a Google account (400 ``invalidSharingRequest``: "…you must check the 'Notify
  people' box to invite this recipient"); such an address is then invited *with* Google's e-mail
  and an Indonesian message.  One failing address never stops the others; the failures are raised
  together at the end, after every other address was handled.
* Publishing uploads ``.docx``/``.pdf`` as-is (``uploadType=multipart``, no conversion), keeps one
  file per stable name, and skips the upload when the content is unchanged (Drive ``md5Checksum``
  or our ``appProperties.sha256``).  A new file is created with an id from ``files.generateIds``:
  a retry of an upload whose answer was lost gets 409 instead of making a second copy ("If the file
  is created successfully, subsequent retries return a 409 Conflict",
  https://developers.google.com/workspace/drive/api/guides/create-file#generate-ids).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from sheets_sync.backends.google.requests import SHEET_MIME, file_link, multipart, q_literal
from sheets_sync.backends.google.transport import DRIVE, UPLOAD, GoogleTransport
from sheets_sync.config.google import file_id_from_ref, spreadsheet_id_from_ref
from sheets_sync.errors import AccessDenied, BackendError, FormNotFound, FormUnreadable
from sheets_sync.texts import Text

PERMISSION_FIELDS = "nextPageToken,permissions(id,type,role,emailAddress,permissionDetails(inherited))"
DOC_FIELDS = "id,name,md5Checksum,appProperties,trashed"
INVITE_MESSAGE = (
    "Yth. Bapak/Ibu, Anda diberi akses untuk mengisi formulir Data Kinerja melalui sheets-sync. "
    "Tautan formulir dan batas pengisian dikirim juga melalui e-mail kantor."
)


def list_permissions(t: GoogleTransport, form_id: str) -> list[dict[str, Any]]:
    """Every permission of ``form_id`` (all pages)."""
    out: list[dict[str, Any]] = []
    token = ""
    what = Text("membaca daftar akses '{title}'", title=t.title(form_id))
    while True:
        params: dict[str, Any] = {"supportsAllDrives": "true", "fields": PERMISSION_FIELDS, "pageSize": 100}
        if token:
            params["pageToken"] = token
        page = t.drive("get", f"{DRIVE}/files/{form_id}/permissions", what, params=params, form_id=form_id)
        out.extend(page.get("permissions", []))
        token = page.get("nextPageToken", "")
        if not token:
            return out


def is_inherited(p: dict[str, Any]) -> bool:
    """A permission that comes from the shared drive (cannot be removed on the file)."""
    details = p.get("permissionDetails") or []
    return bool(details) and all(d.get("inherited") for d in details)


def invite(t: GoogleTransport, form_id: str, email: str, role: str, *, non_google: str = "notify") -> None:
    """One ``permissions.create``: quietly, or — for an address without a Google account, which Drive
    only accepts with its notification — with Google's e-mail carrying an Indonesian message
    (``non_google = "notify"``, ``[google] share_non_google``), or not at all (``"skip"``): then a
    :class:`~sheets_sync.errors.BackendError` names the address and the fix.  Drive's rule: "you must
    check the 'Notify people' box to invite this recipient" (reason ``invalidSharingRequest``,
    https://developers.google.com/workspace/drive/api/guides/handle-errors#invalid-sharing); the
    notification and its message are ``sendNotificationEmail`` / ``emailMessage`` of permissions.create
    (https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/create)."""
    base = f"{DRIVE}/files/{form_id}/permissions"
    body = {"type": "user", "role": role, "emailAddress": email}
    what = Text("membagikan '{title}' ke {email}", title=t.title(form_id), email=email)
    quiet = {"supportsAllDrives": "true", "sendNotificationEmail": "false", "fields": "id"}
    try:
        t.drive("post", base, what, params=quiet, json=body, form_id=form_id)
        return
    except BackendError as exc:
        if "invalidSharingRequest" not in exc.message and "Notify people" not in exc.message:
            raise
        if non_google == "skip":
            raise BackendError(
                Text("alamat {email} tidak memiliki akun Google, dan undangan lewat e-mail Google dimatikan "
                     '([google] share_non_google = "skip")', email=email),
                fix=Text("Buat akun Google untuk {email} (akun Google dapat dibuat dengan alamat e-mail yang sudah "
                         "ada), atau ganti alamat itu di tab Bidang dengan alamat yang memiliki akun Google, atau "
                         'setel [google] share_non_google = "notify"; lalu jalankan provision lagi.', email=email)
            ) from exc
    loud = {"supportsAllDrives": "true", "sendNotificationEmail": "true", "emailMessage": INVITE_MESSAGE,
            "fields": "id"}
    t.drive("post", base, Text("{what} (dengan undangan Google)", what=what), params=loud, json=body, form_id=form_id)


def sync_permissions(
    t: GoogleTransport,
    form_id: str,
    emails: Sequence[str],
    role: Literal["writer", "reader"],
    *,
    keep: set[str],
    fresh: bool = False,
    keep_others: bool = False,
    non_google: str = "notify",
) -> None:
    """Make the direct user permissions of ``form_id`` equal ``emails`` with ``role``.

    ``fresh``: the form was just created by this identity, so it has no user permissions yet and
    none are listed.  ``keep``: addresses never removed (the identity, the coordinator);
    ``keep_others``: a sheet made by people keeps their other sharing (doctor reports it).
    Raises one :class:`~sheets_sync.errors.BackendError` naming every address that failed, after
    trying them all.
    """
    wanted = {e.strip().lower() for e in emails if e.strip()}
    people = [] if fresh else [p for p in list_permissions(t, form_id) if p.get("type") in ("user", "group")]
    by_email = {str(p.get("emailAddress", "")).lower(): p for p in people}
    base = f"{DRIVE}/files/{form_id}/permissions"
    title = t.title(form_id)
    failed: list[tuple[str, BackendError]] = []
    for email in sorted(wanted):
        p = by_email.get(email)
        try:
            if p is None:
                invite(t, form_id, email, role, non_google=non_google)
            elif not (p.get("role") in (role, "owner") or is_inherited(p)):
                what = Text("mengubah akses {email} ke '{title}'", email=email, title=title)
                params: dict[str, Any] = {"supportsAllDrives": "true", "fields": "id"}
                t.drive("patch", f"{base}/{p['id']}", what, params=params, json={"role": role}, form_id=form_id)
        except BackendError as exc:
            failed.append((email, exc))
    if not keep_others:
        for email, p in by_email.items():
            if email in wanted or email in keep or p.get("role") == "owner" or is_inherited(p):
                continue
            what = Text("mencabut akses {email} dari '{title}'", email=email, title=title)
            t.drive("delete", f"{base}/{p['id']}", what, params={"supportsAllDrives": "true"}, form_id=form_id)
    if failed:
        first = failed[0][1]
        names = ", ".join(e for e, _ in failed)
        raise type(first)(
            f"Formulir {title!r} belum dibagikan ke {names}: {first.message}",
            fix=first.fix or "Periksa alamat e-mail di tab Bidang, lalu jalankan provision lagi.",
        )


def tag(t: GoogleTransport, file_id: str, props: dict[str, str]) -> str:
    """Set app properties on a file (so the one poll listing finds it wherever it lives); returns the
    file's ``modifiedTime`` after the change."""
    params = {"supportsAllDrives": "true", "fields": "id,modifiedTime"}
    done = t.drive("patch", f"{DRIVE}/files/{file_id}", Text("menandai '{title}'", title=t.title(file_id)),
                   params=params, json={"appProperties": props}, form_id=file_id)
    return str(done.get("modifiedTime", ""))


def _find_document(t: GoogleTransport, folder: str, name: str) -> list[dict[str, Any]]:
    q = f"name = {q_literal(name)} and {q_literal(folder)} in parents and trashed = false"
    return t.list_files(q, f"files({DOC_FIELDS})", Text("mencari dokumen '{name}'", name=name))


def _get(t: GoogleTransport, fid: str, fields: str, what: Text) -> dict[str, Any] | None:
    try:
        return t.drive("get", f"{DRIVE}/files/{fid}", what, params={"supportsAllDrives": "true", "fields": fields})
    except FormNotFound:
        return None


def publish_document(t: GoogleTransport, folder: str, path: Path, name: str, *, replaces: str | None = None) -> str:
    """See :meth:`GoogleBackend.publish`."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    target: dict[str, Any] | None = None
    fid = file_id_from_ref(replaces) if replaces else None
    if fid is not None:
        target = _get(t, fid, DOC_FIELDS, Text("membaca dokumen '{name}'", name=name))
        if target is not None and target.get("trashed"):
            target = None
    if target is None:
        found = _find_document(t, folder, name)
        target = found[0] if found else None
    props = {"sha256": sha, "source": "sheets-sync"}
    params = {"uploadType": "multipart", "supportsAllDrives": "true", "fields": "id"}
    what = Text("mengunggah dokumen '{name}'", name=name)
    if target is not None:
        if target.get("md5Checksum") == md5 or target.get("appProperties", {}).get("sha256") == sha:
            return file_link(target["id"])
        payload, content_type = multipart({"name": name, "appProperties": props}, data, mime)
        done = t.drive("patch", f"{UPLOAD}/{target['id']}", what, params=params, data=payload,
                       headers={"Content-Type": content_type})
        return file_link(done["id"])
    ids = t.drive("get", f"{DRIVE}/files/generateIds", Text("menyiapkan ID dokumen"), params={"count": 1})["ids"]
    new_id = str(ids[0])
    meta = {"id": new_id, "name": name, "mimeType": mime, "parents": [folder], "appProperties": props}
    payload, content_type = multipart(meta, data, mime)

    def landed(_cause: BaseException) -> dict[str, Any] | None:
        """After a lost answer: ``files.get`` is consistent at once (``files.list`` may lag)."""
        got = _get(t, new_id, "id,appProperties", what)
        return got if got is not None and got.get("appProperties", {}).get("sha256") == sha else None

    try:
        t.drive("post", UPLOAD, what, params=params, data=payload, headers={"Content-Type": content_type},
                before_retry=landed)
    except BackendError as exc:
        if "409" not in exc.message:
            raise
    return file_link(new_id)


def file_metadata(t: GoogleTransport, ref: str) -> dict[str, Any]:
    """Drive metadata of the spreadsheet behind an id or link; FormNotFound/FormUnreadable with a
    fix when it is not a usable Google Sheets file (garbled link, trashed, an uploaded .xlsx)."""
    fid = spreadsheet_id_from_ref(ref)
    if fid is None:
        raise FormNotFound(
            f"{ref!r} bukan tautan atau ID Google Sheets",
            fix="salin tautan dari address bar (https://docs.google.com/spreadsheets/d/…/edit) ke tab Bidang",
        )
    params = {"supportsAllDrives": "true", "fields": "id,name,mimeType,trashed,parents,appProperties"}
    meta = t.drive("get", f"{DRIVE}/files/{fid}", Text("membuka formulir '{ref}'", ref=ref), params=params,
                   form_id=fid)
    t.titles[fid] = str(meta.get("name", ""))
    if meta.get("trashed"):
        raise trashed_error(str(meta.get("name", "")), fid)
    if meta.get("mimeType") != SHEET_MIME:
        raise FormUnreadable(
            Text("berkas '{name}' (id {id}) bukan Google Sheets ({mime})", name=str(meta.get("name")), id=fid,
                 mime=str(meta.get("mimeType"))),
            fix=Text("buka di Google Sheets → {menu} → Simpan sebagai Google Spreadsheet, lalu pakai tautan barunya",
                     menu="File"),  # the menu's name, as Google Sheets shows it
        )
    return meta


def trashed_error(name: str, fid: str) -> FormNotFound:
    link = f"https://docs.google.com/spreadsheets/d/{fid}/edit"
    return FormNotFound(
        Text("formulir '{name}' ({link}) ada di Sampah (Trash) Google Drive", name=name, link=link),
        fix=Text("pulihkan dari Sampah Google Drive (klik kanan → Pulihkan), atau kosongkan tautannya di tab Bidang "
                 "agar `sheets-sync provision` membuat formulir baru"),
    )


def classify_lost(t: GoogleTransport, fid: str, identity: str) -> BackendError | None:
    """Why a known form no longer shows in the listing: trashed (Drive ``files.get``), deleted for good
    (Sheets 404) or not accessible any more (Sheets 403: unshared, or the shared drive lost).  None
    when it is there after all (an untagged form outside the forms folder)."""
    link = f"https://docs.google.com/spreadsheets/d/{fid}/edit"
    meta = _get(t, fid, "id,name,trashed", Text("memeriksa formulir '{title}'", title=t.title(fid)))
    if meta is not None and meta.get("trashed"):
        return trashed_error(str(meta.get("name", "")), fid)
    if meta is not None:
        return None
    try:
        t.call("read", Text("memeriksa formulir '{title}'", title=t.title(fid)),
               lambda h: h.spreadsheets_get(fid, params={"fields": "spreadsheetId"}), form_id=fid)
    except AccessDenied:
        return AccessDenied(
            Text("formulir '{title}' ({link}) tidak dapat diakses lagi oleh {who}", title=t.title(fid), link=link,
                 who=identity or Text("identitas layanan")),
            fix=Text("bagikan lagi formulir itu ke {who} sebagai Editor, atau tambahkan lagi service account ke "
                     "Shared drive (Content manager); atau kosongkan tautannya di tab Bidang agar `sheets-sync "
                     "provision` membuat formulir baru", who=identity or "service account"),
        )
    except FormNotFound:
        return FormNotFound(
            Text("formulir '{title}' ({link}) sudah dihapus permanen dari Google Drive", title=t.title(fid),
                 link=link),
            fix=Text("kosongkan tautannya di tab Bidang lalu jalankan `sheets-sync provision` untuk membuat formulir "
                     "baru (data yang sudah terbaca tetap tersimpan di sheets-sync)"),
        )
    return FormNotFound(Text("formulir '{title}' ({link}) tidak terlihat di daftar Google Drive", title=t.title(fid),
                             link=link),
                        fix=Text("periksa folder formulir dan akses service account"))

