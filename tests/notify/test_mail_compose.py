"""E-mail templates and MIME building: formal Indonesian, autoescaped HTML, no header injection."""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.plan import Reminder
from sheets_sync.model import Office, Period, Schedule, Unit
from sheets_sync.notify import OutboxNotifier, queue_reminders
from sheets_sync.notify.compose import MessageError, build_message, clean_header, compose, parse_address
from sheets_sync.store import MessageRow, Store

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 4, 9, 8, 0, tzinfo=WIB)
SENDER = "Subbag Perencanaan BKPSDM <ppkp.bkpsdm@sukamaju.example>"
UNIT = Unit("MP", "Bidang Mutasi dan Promosi", "Yohanes Paulus Bere, S.H.", "mp@sukamaju.example",
            "operator.mp@sukamaju.example")
P = Period(2025, 1)


def row(store: Store, *, key: str = "k1", to: tuple[str, ...] = ("operator.mp@sukamaju.example",),
        subject: str = "Pengingat", cc: tuple[str, ...] = (), html: str = "<p>Halo</p>") -> MessageRow:
    assert store.enqueue_message(key, "reminder", to, subject, "Dengan hormat,\nIsi.\n", NOW, html=html, cc=cc)
    return next(m for m in store.messages() if m.dedupe_key == key)


def test_a_reminder_is_formal_indonesian_with_salutation_cells_link_and_closing(
    office: Office, reminder: Reminder
) -> None:
    subject, text, html = compose("reminder", {"office": office, "r": reminder, "missing": list(reminder.missing),
                                               "more": 0})
    assert subject == "Pengingat H-1: Pengisian Data Kinerja Triwulan I Tahun 2025 — Bidang Mutasi dan Promosi"
    assert text.startswith("Yth. Bapak/Ibu Yohanes Paulus Bere, S.H.\nBidang Mutasi dan Promosi\ndi tempat\n")
    assert "batas waktu pengisian Data Kinerja Triwulan I Tahun 2025 adalah hari Kamis, " \
           "10 April 2025 pukul 23.59 WIB" in text
    assert "5 dari 8 isian wajib telah lengkap (62,50%)" in text
    assert "  - TW1!H7: Realisasi belum diisi (isi angka realisasi)\n" in text
    assert "https://docs.example/mp" in text
    assert "Hormat kami,\nSubbagian Perencanaan" in text
    assert "{{" not in text and "{%" not in text and "\n\n\n" not in text
    assert '<a href="https://docs.example/mp">' in html and "<td>TW1!H7</td>" in html


def test_an_overdue_reminder_says_how_many_working_days_late(office: Office, new_reminder: object) -> None:
    r = new_reminder(offset="H+3", workdays_late=3, escalation="sekretaris",  # type: ignore[operator]
                     slot=datetime(2025, 4, 15, 8, tzinfo=WIB))
    subject, text, _ = compose("reminder", {"office": office, "r": r, "missing": [], "more": 0})
    assert subject.startswith("Data Kinerja Triwulan I Tahun 2025 belum lengkap")
    assert "telah terlewati 3 hari kerja" in text
    copy, _, _ = compose("reminder", {"office": office, "r": r, "missing": [], "more": 0, "tembusan": True})
    assert copy == "[Tembusan] " + subject


def test_the_office_words_come_from_the_settings(office: Office, new_reminder: object) -> None:
    from dataclasses import replace

    from sheets_sync.core.summary import Digest

    own = replace(office, unit_pengirim="Subbagian Program dan Keuangan",
                  jabatan_koordinator="Kepala Subbagian Program dan Keuangan")
    r = new_reminder(link="")  # type: ignore[operator]
    _, text, html = compose("reminder", {"office": own, "r": r, "missing": [], "more": 0})
    assert "Hormat kami,\nSubbagian Program dan Keuangan\n" in text
    assert "mohon hubungi Subbagian Program dan Keuangan" in text and "hubungi Subbagian Program dan Keuangan" in html
    assert "Perencanaan" not in text + html
    digest = Digest(period=P, generated_at=NOW, deadline=None, rows=(), approved_changes=(), first=True)
    _, text, html = compose("digest", {"office": own, "digest": digest})
    assert text.startswith("Yth. Bapak/Ibu Kepala Subbagian Program dan Keuangan\n")
    assert "Kepala Subbagian Program dan Keuangan<br>" in html and "Perencanaan" not in text + html


def test_html_is_autoescaped_but_text_is_not(office: Office, new_reminder: object) -> None:
    r = new_reminder(unit_name="Bidang <script>alert(1)</script> & Co")  # type: ignore[operator]
    _, text, html = compose("reminder", {"office": office, "r": r, "missing": [], "more": 0})
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; Co" in html
    assert "Bidang <script>alert(1)</script> & Co" in text


@pytest.mark.parametrize("kind", ["returned", "link", "period_opened"])
def test_every_notice_kind_renders_in_indonesian(office: Office, kind: str) -> None:
    sched = Schedule(P, opens=NOW, deadline=datetime(2025, 4, 10, 23, 59, tzinfo=WIB),
                     lock=datetime(2025, 4, 17, tzinfo=WIB), meeting=date(2025, 4, 21))
    context = {"office": office, "unit": UNIT, "period": P, "catatan": "Bukti dukung IKU 2.1 belum diunggah",
               "link": "https://docs.example/mp", "deadline": sched.deadline, "schedule": sched,
               "kolom": "Realisasi, Pembilang, Penyebut, Keterangan, dan Bukti Dukung"}
    subject, text, html = compose(kind, context)
    assert "Triwulan I Tahun 2025" in subject
    assert text.startswith("Yth. Bapak/Ibu Yohanes Paulus Bere, S.H.")
    assert "Hormat kami," in text and "Hormat kami," in html
    assert html.lstrip().startswith("<!DOCTYPE html>")
    if kind == "returned":
        assert subject.startswith("Perlu perbaikan") and "Bukti dukung IKU 2.1 belum diunggah" in text
    if kind == "period_opened":
        assert "Rapat pembahasan      : Senin, 21 April 2025" in text
    if kind == "link":
        assert "diisi pada kolom Realisasi, Pembilang, Penyebut, Keterangan, dan Bukti Dukung paling lambat" in text
        assert "diisi pada kolom Realisasi, Pembilang, Penyebut, Keterangan, dan Bukti Dukung paling lambat" in html


def test_the_link_e_mail_names_the_input_columns_the_bidang_fills() -> None:
    from sheets_sync.core.form import input_columns, join_words
    from sheets_sync.reports.sample import sample_office

    indicators, _ = sample_office()
    of = {u: [i for i in indicators if i.unit == u] for u in {i.unit for i in indicators}}
    assert join_words(input_columns(of["PKA"])) == "Realisasi, Keterangan, dan Bukti Dukung"  # no rasio indicator
    assert join_words(input_columns(of["MP"])) == "Realisasi, Pembilang, Penyebut, Keterangan, dan Bukti Dukung"
    only_ratio = [i for i in of["MP"] if i.is_ratio]
    assert join_words(input_columns(only_ratio)) == "Pembilang, Penyebut, Keterangan, dan Bukti Dukung"


def test_an_office_template_folder_overrides_single_files(tmp_path: Path, office: Office, reminder: Reminder) -> None:
    (tmp_path / "reminder.subject.txt").write_text("Mohon segera: {{ r.unit_name }}", encoding="utf-8")
    (tmp_path / "_penutup.txt").write_text("Salam,\nTim PPKP {{ office.singkatan }}\n", encoding="utf-8")
    subject, text, _ = compose("reminder", {"office": office, "r": reminder, "missing": [], "more": 0}, tmp_path)
    assert subject == "Mohon segera: Bidang Mutasi dan Promosi"
    assert text.rstrip().endswith("Salam,\nTim PPKP BKPSDM")


def test_a_template_using_an_unknown_variable_is_a_clear_error(tmp_path: Path, office: Office) -> None:
    (tmp_path / "link.subject.txt").write_text("{{ nama_kepala }}", encoding="utf-8")
    with pytest.raises(MessageError, match=r"link.subject.txt: 'nama_kepala' is undefined"):
        compose("link", {"office": office, "unit": UNIT, "period": P, "link": "x", "deadline": None}, tmp_path)


def test_the_message_has_text_and_html_parts_and_stable_headers(store: Store) -> None:
    msg = build_message(row(store, cc=("mp@sukamaju.example",)), SENDER)
    assert msg["From"] == "Subbag Perencanaan BKPSDM <ppkp.bkpsdm@sukamaju.example>"
    assert msg["To"] == "operator.mp@sukamaju.example" and msg["Cc"] == "mp@sukamaju.example"
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Message-ID"].endswith(".sheets-sync@sukamaju.example>")
    assert msg["Date"] == "Wed, 09 Apr 2025 08:00:00 +0700"
    assert msg["X-Sheets-Sync-Key"] == "k1"
    assert b"\r\n" in msg.as_bytes()  # SMTP policy: CRLF line ends


def test_message_ids_are_derived_from_the_key(store: Store) -> None:
    a = build_message(row(store, key="reminder:2025-TW1:MP:H-1"), SENDER)
    b = build_message(row(store, key="reminder:2025-TW1:MP:H"), SENDER)
    assert a["Message-ID"] != b["Message-ID"]
    assert a["Message-ID"] == build_message(store.messages()[0], SENDER)["Message-ID"]


def test_a_header_injection_in_the_subject_cannot_add_a_header(store: Store) -> None:
    msg = build_message(row(store, subject="Pengingat\r\nBcc: x@evil.example\r\n\r\nbody"), SENDER)
    parsed = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None
    assert "\n" not in str(parsed["Subject"]) and "Bcc: x@evil.example" in str(parsed["Subject"])
    assert "x@evil.example" not in "".join(str(parsed.get_all(h) or "") for h in ("To", "Cc", "Bcc"))


def test_a_display_name_with_crlf_and_commas_is_sanitised_and_quoted(store: Store) -> None:
    sender = 'Subbag PPKP\r\nBcc: x@evil.example, "Tim" <ppkp@sukamaju.example>'
    with pytest.raises(MessageError):
        build_message(row(store), sender)
    a = parse_address("ppkp@sukamaju.example", "Dra. Siti Rahmawati, M.Si.\r\nBcc: x@evil.example")
    msg = EmailMessage(policy=policy.SMTP)
    msg["To"] = a
    raw = msg.as_bytes()
    assert b"\r\nBcc:" not in raw
    parsed = email.message_from_bytes(raw, policy=policy.default)
    [addr] = parsed["To"].addresses
    assert addr.addr_spec == "ppkp@sukamaju.example"
    assert addr.display_name == "Dra. Siti Rahmawati, M.Si. Bcc: x@evil.example"


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@b", "a@b.example, c@d.example", "a@b.example\r\nBcc: x@e.x",
                                 "<a@b.example>, c@d.example", "a b@c.example"])
def test_anything_but_one_plain_address_is_refused(store: Store, bad: str) -> None:
    with pytest.raises(MessageError):
        build_message(row(store, to=(bad,)), SENDER)


def test_clean_header_removes_control_characters() -> None:
    assert clean_header("a\r\nb\tc\x00d\u2028e") == "a b c d e"


def test_an_outbox_eml_parses_back_with_both_parts(tmp_path: Path, store: Store, office: Office,
                                                   reminder: Reminder) -> None:
    queue_reminders(store, [reminder], NOW, office=office)
    [m] = store.due_messages(NOW)
    out = OutboxNotifier(tmp_path / "outbox")
    out.send(build_message(m, SENDER))
    out.send(build_message(m, SENDER))  # sending again replaces the same file
    [eml] = sorted((tmp_path / "outbox").iterdir())
    assert eml.name == "20250409-080000_reminder_2025-TW1_MP_H-1.eml"
    parsed = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert parsed["Subject"].startswith("Pengingat H-1: Pengisian Data Kinerja Triwulan I Tahun 2025")
    text = parsed.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = parsed.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Yth. Bapak/Ibu Yohanes Paulus Bere, S.H." in text and "Hormat kami," in text
    assert "Yth. Bapak/Ibu Yohanes Paulus Bere, S.H." in html


def test_a_reminder_after_an_invalid_selesai_tells_the_bidang_why_it_still_comes(office: Office,
                                                                                 new_reminder: object) -> None:
    r = new_reminder(state="Sebagian — Selesai belum berlaku", done_not_valid=True)  # type: ignore[operator]
    _, text, html = compose("reminder", {"office": office, "r": r, "missing": list(r.missing), "more": 0})
    assert 'berstatus "Sebagian — Selesai belum berlaku"' in text
    assert 'sudah ditandai "Selesai", tetapi tanda itu belum berlaku' in text
    assert "tanda itu belum berlaku" in html
    _, plain, _ = compose("reminder", {"office": office, "r": new_reminder(), "missing": [],  # type: ignore[operator]
                                       "more": 0})
    assert "belum berlaku" not in plain


@pytest.mark.parametrize("deadline", [None, datetime(2025, 4, 10, 16, 0, tzinfo=WIB)])
def test_the_digest_html_keeps_a_space_between_its_sentences(office: Office, deadline: datetime | None) -> None:
    """A mail client shows the HTML as text: each sentence must end before the next begins (it read
    "…16.00 WIB.Kelengkapan keseluruhan" when the deadline sentence's block tag ate the line break)."""
    import re

    from sheets_sync.core.summary import Digest

    digest = Digest(period=P, generated_at=NOW, deadline=deadline, rows=(), approved_changes=(), first=True)
    _, _, html = compose("digest", {"office": office, "digest": digest})
    shown = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert re.search(r"\.[A-Z]", shown) is None, shown
    expected = "Batas waktu pengisian: 10 April 2025 pukul 16.00 WIB. Kelengkapan" if deadline else \
        "pukul 08.00 WIB. Kelengkapan keseluruhan"
    assert expected in shown, shown
