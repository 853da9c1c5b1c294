"""Mail when people expect it (issue 15, item 6): provision and approve by hand deliver at once (or say
what waits for `run`), a notice a later decision made obsolete is dropped, the link e-mail names the
form's input columns."""

from __future__ import annotations

import email
import io
from datetime import datetime
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import sheets_sync.cli.common as cli_common
from sheets_sync.cli import main
from sheets_sync.config import load
from sheets_sync.i18n import english
from sheets_sync.service.app import App
from sheets_sync.service.demo import decide
from sheets_sync.texts import from_stored

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 4, 8, 9, 0, tzinfo=WIB)  # TW I opened at 08:00, deadline 10 April 16:00


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def outbox(cfg: Path) -> list[email.message.EmailMessage]:
    folder = cfg.parent / "outbox"
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def body(msg: email.message.EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cli_common, "CLOCK", lambda: NOW)
    assert run("init", str(tmp_path / "kantor"))[0] == 0
    return tmp_path / "kantor" / "sheets-sync.toml"


def test_provision_by_hand_delivers_the_link_e_mails_naming_each_forms_input_columns(cfg: Path) -> None:
    code, out = run("-c", str(cfg), "provision", "--period", "2025-TW1")
    assert code == 0 and "5 e-mail terkirim." in out and "menunggu" not in out, out
    sent = outbox(cfg)
    assert len(sent) == 5
    by_to = {str(m["To"]): body(m) for m in sent}
    mp = next(t for to, t in by_to.items() if "operator.mp@" in to)
    pka = next(t for to, t in by_to.items() if "operator.pka@" in to)
    assert "diisi pada kolom Realisasi, Pembilang, Penyebut, Keterangan, dan Bukti Dukung paling lambat" in mp
    assert "diisi pada kolom Realisasi, Keterangan, dan Bukti Dukung paling lambat" in pka
    # again: nothing new is queued, nothing is sent twice
    code, out = run("-c", str(cfg), "provision", "--period", "2025-TW1")
    assert code == 0 and "terkirim" not in out and len(outbox(cfg)) == 5


def test_a_returned_notice_made_obsolete_by_the_next_decision_is_dropped_not_sent(cfg: Path) -> None:
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("send_from_commands = true", "send_from_commands = false"),
                   encoding="utf-8")
    code, out = run("-c", str(cfg), "provision", "--period", "2025-TW1")
    assert code == 0 and "5 e-mail menunggu dikirim oleh `sheets-sync run`." in out, out
    assert outbox(cfg) == []
    run("-c", str(cfg), "poll", "--period", "2025-TW1")
    app = App.from_settings(load(cfg), clock=lambda: NOW)
    decide(app, [["2025-TW1", "MP", "Perlu perbaikan", "Lengkapi bukti dukung 2.2", datetime(2025, 4, 21)]])
    code, out = run("-c", str(cfg), "approve", "--period", "2025-TW1")
    assert code == 0 and "6 e-mail menunggu dikirim oleh `sheets-sync run`." in out, out
    # the meeting looks again the next day and approves MP before the returned e-mail went out
    decide(app, [["2025-TW1", "MP", "Disetujui", "", datetime(2025, 4, 22)]])
    code, out = run("-c", str(cfg), "approve", "--period", "2025-TW1")
    assert code == 0 and "5 e-mail menunggu dikirim oleh `sheets-sync run`." in out, out
    [returned] = app.store.messages(kind="returned")
    assert returned.status == "dropped"
    assert str(from_stored(returned.last_error)) == (
        "usang: keputusan Disetujui 2025-04-22 dicatat sebelum e-mail terkirim")
    assert from_stored(returned.last_error).render(english) == (
        "obsolete: the decision Disetujui of 2025-04-22 was recorded before the e-mail was sent")
    # delivery back on: the links go, the obsolete "Perlu perbaikan" never does
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("send_from_commands = false", "send_from_commands = true"),
                   encoding="utf-8")
    _, out = run("-c", str(cfg), "approve", "--period", "2025-TW1")
    assert "5 e-mail terkirim." in out, out
    subjects = [str(m["Subject"]) for m in outbox(cfg)]
    assert len(subjects) == 5 and not any(s.startswith("Perlu perbaikan") for s in subjects)
    assert run("-c", str(cfg), "outbox", "list")[1].startswith("0 pesan belum terkirim")
