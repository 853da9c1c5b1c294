"""E-mail text and MIME: office-editable templates in, safe ``EmailMessage`` out.

Templates
    ``sheets_sync/templates/email/`` ships, per kind (``reminder``, ``digest``, ``returned``, ``link``,
    ``period_opened``), three Jinja2 files: ``<kind>.subject.txt`` (one line), ``<kind>.txt`` (plain
    text) and ``<kind>.html`` (HTML alternative, **autoescaped**), plus the shared pieces ``_penutup.txt``
    / ``_penutup.html`` (the closing "Hormat kami, …") and ``_layout.html``.  An office copies any of
    them into the folder named by ``[notify] templates`` and edits it there; a file in that folder wins
    over the shipped one of the same name, the others keep working.  Undefined variables are errors
    (:class:`~sheets_sync.errors.NotifyError` naming the template), not silent blanks.

    Filters available in templates: ``tanggal``, ``tanggal_jam``, ``persen``, ``angka``, ``bulat``,
    ``hari`` (from :mod:`sheets_sync.core.fmt`).

Messages
    :func:`build_message` turns a queued :class:`~sheets_sync.store.MessageRow` into an
    ``EmailMessage`` (``policy=SMTP``: CRLF line ends) with a text part and, when there is HTML, an
    HTML alternative.  It is header-injection-safe: CR/LF and other control characters in the subject
    or display names are replaced by spaces before they reach a header, display names with commas or
    quotes are quoted/encoded by :class:`email.headerregistry.Address`, and every address must be a
    plain ``local@domain`` (anything else raises a non-retryable :class:`MessageError`).  The
    ``Message-ID`` is derived from the message's dedupe key, so a rare re-send after a crash carries
    the same ID and mail clients show it once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from sheets_sync.core import fmt
from sheets_sync.errors import NotifyError
from sheets_sync.model import DEFAULT_UNIT_PENGIRIM, Office
from sheets_sync.store import MessageRow
from sheets_sync.texts import Text

__all__ = [
    "DEFAULT_TEMPLATES",
    "KINDS",
    "MessageError",
    "build_message",
    "clean_header",
    "compose",
    "parse_address",
]

# Headers are not folded at 78 columns: CPython folds a space before an encoded word into a doubled
# space when read back ("2025 — Bidang" → "2025  — Bidang"); RFC 5322 allows 998.
POLICY = SMTP.clone(max_line_length=998)

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "email"
KINDS = ("reminder", "digest", "returned", "link", "period_opened", "dikoreksi", "distribusi")
DEFAULT_PENGIRIM = DEFAULT_UNIT_PENGIRIM

_ADDR = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                   r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_NAMED = re.compile(r'^\s*"?([^"<>]*?)"?\s*<([^<>,\s]+)>\s*$')
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


class MessageError(NotifyError):
    """A message cannot be built (bad address, broken template).  Retrying will not help."""

    retryable = False


def clean_header(text: str, limit: int = 250) -> str:
    """One-line header text: control characters (CR, LF, TAB, NUL…) become a space, runs of spaces
    collapse, length is capped."""
    return " ".join(_CONTROL.sub(" ", text).split())[:limit]


def parse_address(text: str, display_name: str = "") -> Address:
    """``a@b.c`` or ``Name <a@b.c>`` → :class:`Address`; raise :class:`MessageError` for anything that is
    not exactly one plain address (CR/LF, commas between addresses, missing domain…)."""
    if _CONTROL.search(text):
        raise MessageError(Text("alamat e-mail {address} memuat karakter kendali", address=repr(text)),
                           fix=Text("periksa alamat itu di tab Bidang atau pengaturan [notify]"))
    m = _NAMED.match(text)
    name, addr = (m.group(1) or "", m.group(2)) if m else ("", text.strip())
    if not addr or not _ADDR.match(addr):
        raise MessageError(Text("{address} bukan satu alamat e-mail yang sah", address=repr(text)),
                           fix=Text("tulis satu alamat seperti operator.mp@sukamaju.example"))
    local, domain = addr.rsplit("@", 1)
    try:
        return Address(display_name=clean_header(display_name or name, 120), username=local, domain=domain)
    except (ValueError, TypeError) as exc:  # pragma: no cover - the regex already rejects these
        raise MessageError(Text("{address} bukan alamat e-mail yang sah: {error}", address=repr(text),
                                error=str(exc))) from exc


@lru_cache(maxsize=8)
def _env(templates_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir:
        loaders.append(jinja2.FileSystemLoader(templates_dir, encoding="utf-8"))
    loaders.append(jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES), encoding="utf-8"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        tanggal=fmt.tanggal, tanggal_jam=fmt.tanggal_jam, persen=fmt.persen, angka=fmt.angka,
        bulat=fmt.bulat, hari=fmt.hari,
    )
    return env


def _render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise MessageError(Text("templat e-mail {name} tidak ditemukan", name=name),
                           fix=Text("salin dari {folder} ke folder [notify] templates",
                                    folder=str(DEFAULT_TEMPLATES))) from exc
    except jinja2.UndefinedError as exc:
        raise MessageError(Text("templat e-mail {name}: {error}", name=name, error=str(exc.message)),
                           fix=Text("pakai hanya variabel yang tercantum di bagian atas templat bawaan")) from exc
    except jinja2.TemplateError as exc:
        raise MessageError(Text("templat e-mail {name} rusak: {error}", name=name, error=str(exc)),
                           fix=Text("perbaiki sintaks Jinja2, atau hapus salinan yang diubah agar templat bawaan "
                                    "dipakai")) from exc


def compose(kind: str, context: Mapping[str, Any], templates_dir: Path | str | None = None) -> tuple[str, str, str]:
    """Render ``(subject, text, html)`` for ``kind`` (one of :data:`KINDS`, or any name that has the
    three template files).  The subject is cleaned to one line.

    Every template also sees ``pengirim`` (the sender unit, ``[office] unit_pengirim`` of the
    context's ``office``) and ``tembusan`` (True only on the copy of an escalated reminder); the
    context may override both."""
    if not re.fullmatch(r"[a-z_]+", kind):
        raise MessageError(Text("jenis e-mail {kind} tidak dikenal", kind=repr(kind)))
    env = _env(str(templates_dir) if templates_dir else None)
    office = context.get("office")
    pengirim = office.unit_pengirim if isinstance(office, Office) else DEFAULT_PENGIRIM
    context = {"pengirim": pengirim, "tembusan": False, **context}
    subject = clean_header(_render(env, f"{kind}.subject.txt", context))
    text = _render(env, f"{kind}.txt", context).strip() + "\n"
    html = _render(env, f"{kind}.html", context).strip() + "\n"
    return subject, text, html


def _message_id(key: str, sender: Address) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}.sheets-sync@{sender.domain}>"


def _addresses(values: Sequence[str]) -> list[Address]:
    out: list[Address] = []
    seen: set[str] = set()
    for v in values:
        a = parse_address(v)
        if a.addr_spec.lower() not in seen:
            seen.add(a.addr_spec.lower())
            out.append(a)
    return out


def build_message(row: MessageRow, sender: str, *, date: datetime | None = None) -> EmailMessage:
    """A queued message as MIME (see the module docstring).  ``sender`` is ``NotifySettings.sender``
    (``"Subbag PPKP <ppkp@kab.example>"``); ``date`` defaults to the row's ``created_at``."""
    frm = parse_address(sender)
    to = _addresses(row.to_addrs)
    if not to:
        raise MessageError(Text("pesan {key} tidak punya penerima", key=row.dedupe_key),
                           fix=Text("isi alamat e-mail bidang itu di tab Bidang"))
    cc = [a for a in _addresses(row.cc_addrs) if a.addr_spec.lower() not in {t.addr_spec.lower() for t in to}]
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = clean_header(row.subject, 200) or "(tanpa subjek)"
    msg["From"] = frm
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Date"] = format_datetime(date or row.created_at)
    msg["Message-ID"] = _message_id(row.dedupe_key, frm)
    msg["X-Sheets-Sync-Key"] = clean_header(row.dedupe_key, 200)
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = "id"
    msg.set_content(row.body_text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg
