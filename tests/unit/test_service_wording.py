"""The service's findings are Texts: the Indonesian the sheets get is what the plain strings said before, and
``--lang en`` gets English (:mod:`sheets_sync.core.wording`, :mod:`sheets_sync.service.poll`,
:mod:`sheets_sync.service.approvals`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.fmt import tanggal, tanggal_jam
from sheets_sync.core.wording import EMPTY, date_text, joined, moment_text, typed_text
from sheets_sync.errors import AccessDenied, FormNotFound
from sheets_sync.i18n import english
from sheets_sync.model import Period
from sheets_sync.service.approvals import RETRY_NEXT_CYCLE, tab_action_finding
from sheets_sync.service.poll import lost_finding
from sheets_sync.texts import Text


@pytest.mark.parametrize("when", [
    datetime(2025, 4, 8, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta")),
    datetime(2025, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Makassar")),
    datetime(2026, 2, 1, 0, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
])
def test_a_date_in_a_finding_reads_as_the_documents_date_in_indonesian_and_as_english_on_the_cli(
    when: datetime,
) -> None:
    assert moment_text(when).render() == tanggal_jam(when)
    assert moment_text(when).render(english) == tanggal_jam(when, "en")
    assert date_text(when.date()).render() == tanggal(when.date())
    assert date_text(date(2025, 8, 17)).render(english) == "17 August 2025"


def test_typed_values_are_never_python_words() -> None:
    assert typed_text(None) == EMPTY and EMPTY.render(english) == "(empty)"
    assert [typed_text(v) for v in (True, 2400, 72.5, 3.0)] == ["TRUE", "2.400", "72,50", "3"]
    assert joined(["a", Text("(kosong)"), "c"]).__str__() == "a; (kosong); c"
    assert joined([]) == "" and joined(["x"]) == "x"


def test_a_lost_form_keeps_its_indonesian_for_the_sheets_and_is_english_on_the_cli() -> None:
    gone = FormNotFound(Text("berkas {path} tidak ditemukan", path="/kantor/forms/MP.xlsx"))
    f = lost_finding("MP", "TW1", "/kantor/forms/MP.xlsx", gone)
    assert f.message == ("Form MP (/kantor/forms/MP.xlsx) hilang: berkas /kantor/forms/MP.xlsx tidak ditemukan. "
                         "Data terakhir yang terbaca tetap dipakai dan ditandai usang.")
    assert f.fix == ("Pulihkan form dari Sampah, atau kosongkan tautannya di tab Bidang lalu jalankan "
                     "`sheets-sync provision`.")
    assert f.message_in(english) == ("The MP form (/kantor/forms/MP.xlsx) is gone: file /kantor/forms/MP.xlsx not "
                                     "found. The last data read is still used and marked stale.")
    closed = lost_finding("MP", "TW1", "link", AccessDenied("ditolak", fix="bagikan lagi"))
    assert closed.fix == "bagikan lagi" and closed.code == "form_tidak_dapat_diakses"


def test_a_pending_tab_lock_says_what_is_pending_in_both_languages() -> None:
    waiting = tab_action_finding(Period(2025, 1), "MP", "lock", "", RETRY_NEXT_CYCLE)
    assert waiting.message == "Tab TW1 milik MP belum dikunci (belum dikonfirmasi)"
    assert waiting.fix == "sheets-sync mencoba lagi pada siklus berikutnya."
    assert waiting.message_in(english) == "The TW1 tab of MP is not locked yet (not confirmed)"
    failed = tab_action_finding(Period(2025, 1), "MP", "unlock", "berkas sedang dibuka", "tutup berkasnya")
    assert failed.message == "Tab TW1 milik MP belum dibuka: berkas sedang dibuka" and failed.fix == "tutup berkasnya"
