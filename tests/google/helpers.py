"""Shared helpers for the google tests: seeding forms straight into the fake, counting calls."""

from __future__ import annotations

from collections import Counter

from fakegoogle import FakeGoogle

HEADER = ["No", "Kode", "Indikator", "Target", "Realisasi", "Keterangan"]


def seed_forms(fake: FakeGoogle, n: int, folder: str | None = None) -> list[str]:
    """``n`` filled-in bidang forms in the forms folder (made directly in the fake's state)."""
    ids = []
    for i in range(n):
        sid = fake.add_spreadsheet(
            f"Data Kinerja 2025 — B{i:04d} — BKPSDM", parents=[folder or fake.forms_folder], tabs=("TW1",)
        )
        book = fake.books[sid]
        book.write(book.resolve("TW1!A1"), [HEADER, [1, f"{i}.1", "Indeks", 72.5, None, ""]], user_entered=False)
        ids.append(sid)
    return ids


def calls_between(fake: FakeGoogle, start: int) -> Counter[str]:
    """API calls (by discovery method id) logged since index ``start``."""
    return Counter(c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token")
