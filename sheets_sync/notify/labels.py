"""What people read for a queued e-mail's kind and state (``outbox list``, the demo's list of e-mails).

The store keeps machine codes (``reminder``, ``queued``…); a person reads the words below, in the CLI's
language.  A code with no word here (a kind added later) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from sheets_sync.texts import Text

KIND_NAMES: Mapping[str, Text] = {
    "reminder": Text("pengingat"),
    "digest": Text("ringkasan"),
    "returned": Text("perlu perbaikan"),
    "link": Text("tautan form"),
    "period_opened": Text("periode dibuka"),
    "dikoreksi": Text("dokumen dikoreksi"),
    "distribusi": Text("distribusi dokumen"),
}
"""Every kind of :data:`sheets_sync.notify.compose.KINDS`, as the office calls it."""

STATE_NAMES: Mapping[str, Text] = {
    "queued": Text("menunggu"),
    "sending": Text("sedang dikirim"),
    "failed": Text("gagal"),
    "sent": Text("terkirim"),
    "dropped": Text("dibatalkan"),
}
"""Every state a message in the store can be in."""


def kind_name(kind: str) -> Text:
    """The kind of a queued e-mail as the office calls it."""
    return KIND_NAMES.get(kind, Text(kind))


def state_name(state: str) -> Text:
    """The state of a queued e-mail in words."""
    return STATE_NAMES.get(state, Text(state))
