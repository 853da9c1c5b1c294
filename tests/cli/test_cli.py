"""Every command through the CLI entry point, as an operator would run it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def demo_dir(demo_run: tuple[Path, str]) -> Path:
    return demo_run[0]


def test_demo_prints_a_status_table_with_every_kind_of_outcome(demo_run: tuple[Path, str]) -> None:
    _, out = demo_run
    first_table = out.split("Riwayat MP 2.2")[0]
    for expected in ("Lengkap", "Terlambat", "Tidak mengisi", "nilai_tidak_valid", "keterangan_wajib", "MP TW1!H8"):
        assert expected in first_table
    assert " DRAFT [" in out and " FINAL [" in out and "Nomor 000.8.3.3/1/BKPSDM/2025" in out
    assert "  pengingat " in out and "  ringkasan " in out and "  perlu perbaikan " in out


def test_the_demo_prints_cleared_cells_as_kosong_never_a_python_word(demo_run: tuple[Path, str]) -> None:
    _, out = demo_run
    history = out.split("Riwayat MP 2.2")[1].split("\n\n")[0]
    assert "pembilang 45\n" in history and "pembilang (kosong)" in history
    for word in ("None", "True", "False", "'"):
        assert word not in out


def test_status_after_the_demo_lists_the_change_made_after_approval(demo_dir: Path) -> None:
    code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "status", "--period", "2025-TW1")
    assert code == 1
    assert "PKA TW1!H8 (berubah_setelah_disetujui)" in out and "52 → 60" in out


def test_status_json_is_stable_and_names_cells(demo_dir: Path) -> None:
    _code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "status", "--period", "2025-TW1", "--json")
    data = json.loads(out)
    assert data["period"] == "2025-TW1"
    assert {u["code"] for u in data["units"]} == {"SEK", "PPIK", "MP", "PKA", "PKAP"}
    for unit in data["units"]:
        assert {"code", "name", "state", "filled", "required", "findings"} <= set(unit)
        for f in unit["findings"]:
            assert {"cell", "code", "message"} <= set(f)
    pka = next(u for u in data["units"] if u["code"] == "PKA")
    assert any(f["cell"] == "TW1!H8" and f["code"] == "berubah_setelah_disetujui" for f in pka["findings"])
    assert {u["approval"] for u in data["units"]} == {"Disetujui"}


def test_status_csv_is_the_rekap_table(demo_dir: Path) -> None:
    _code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "status", "--period", "2025-TW1", "--csv")
    lines = out.strip().splitlines()
    assert lines[0].startswith("Periode,Kode,Bidang,Terisi,Wajib")
    assert len(lines) == 6


def test_history_shows_the_value_that_was_cleared(demo_dir: Path) -> None:
    code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "history", "--period", "2025-TW1", "MP", "2.2")
    assert code == 0
    assert "pembilang (I7) = 45" in out and "pembilang (I7) = (kosong)" in out
    assert "None" not in out and "'" not in out  # no Python words or repr quotes reach a person


def test_history_of_an_unknown_indicator_is_a_usage_error(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("-c", str(demo_dir / "sheets-sync.toml"), "history", "--period", "2025-TW1", "MP", "9.9")
    assert code == 2
    assert "9.9" in capsys.readouterr().err


def test_a_bad_config_key_gives_one_line_naming_it_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "sheets-sync.toml"
    cfg.write_text('[office]\npemerintah = "X"\ninstansi = "Y"\nsingkatan = "Z"\nkota = "K"\ntimezone = "Mars/Base"\n')
    code, _ = run("-c", str(cfg), "poll", "--period", "2025-TW1")
    err = capsys.readouterr().err
    assert code == 2
    assert "[office] timezone" in err and "Traceback" not in err
    assert err.splitlines()[0].startswith("sheets-sync: galat:")


def test_a_missing_config_says_how_to_create_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("-c", str(tmp_path / "nope.toml"), "status", "--period", "2025-TW1")
    assert code == 2
    assert "sheets-sync init" in capsys.readouterr().err


def test_a_bad_period_is_rejected_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run("poll", "--period", "2025-Q1")
    assert exc.value.code == 2
    assert "2025-TW1" in capsys.readouterr().err


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "o"))[0] == 0
    assert run("init", str(tmp_path / "o"))[0] == 2
    assert run("init", str(tmp_path / "o"), "--force", "--example", "kecamatan")[0] == 0
    assert 'singkatan = "KEC-SKM"' in (tmp_path / "o" / "sheets-sync.toml").read_text()


def test_provision_and_poll_commands_run_on_a_fresh_office(tmp_path: Path) -> None:
    run("init", str(tmp_path / "o"))
    cfg = str(tmp_path / "o" / "sheets-sync.toml")
    code, out = run("-c", cfg, "provision", "--period", "2025-TW1")
    assert code == 0 and "5 dibuat" in out
    code, out = run("-c", cfg, "poll", "--period", "2025-TW1")
    assert code == 1 and "5 formulir dibaca" in out


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys; from sheets_sync.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'gspread', 'docx', 'docxtpl') if m in sys.modules]\n"
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "sheets_sync", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "sheets-sync" in result.stdout


def test_the_demo_command_refuses_a_folder_it_did_not_create(tmp_path: Path) -> None:
    (tmp_path / "important.txt").write_text("keep me")
    code, _ = run("demo", str(tmp_path))
    assert code == 2 and (tmp_path / "important.txt").exists()


def test_summary_prints_the_coordinator_digest(demo_dir: Path) -> None:
    code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "summary", "--period", "2025-TW1")
    assert code == 0
    assert "Rekap Triwulan I Tahun 2025" in out and "52 → 60" in out


def test_render_again_reports_every_document_unchanged(demo_dir: Path) -> None:
    code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "render", "--period", "2025-TW1")
    assert code == 0 and out.startswith("Dokumen FINAL")
    assert " baru " not in out.split("\n", 1)[1] and out.count(" tetap ") == 3


def test_doctor_checks_the_local_setup(demo_dir: Path) -> None:
    code, out = run("-c", str(demo_dir / "sheets-sync.toml"), "doctor")
    assert "[ok] kendali" in out and "[ok] formulir" in out
    assert code == 0


@pytest.mark.parametrize(("hour", "daily"), [(9, {"reminders", "digest", "backup"}), (5, set())])
def test_run_once_does_the_due_jobs_and_returns_an_exit_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hour: int, daily: set[str]) -> None:
    from sheets_sync.cli import common
    from sheets_sync.core.clock import ManualClock
    from sheets_sync.store import Store

    # Wednesday of the demo office's TW I filling window: after the 06:00 backup, 07:30 digest and 08:00
    # reminders at 09:00; before all of them at 05:00 (run --once runs a daily job only when its slot is due).
    monkeypatch.setattr(common, "CLOCK", ManualClock(datetime(2025, 4, 9, hour, 0, tzinfo=ZoneInfo("Asia/Jakarta"))))
    run("init", str(tmp_path / "o"))
    code, _ = run("-c", str(tmp_path / "o" / "sheets-sync.toml"), "run", "--once")
    store = Store.open(tmp_path / "o" / "data" / "sheets-sync.sqlite3")
    assert {r["job"] for r in store.job_runs()} == {"poll", "dokumen", "deliver"} | daily
    assert all(r["ok"] for r in store.job_runs())
    assert code == 1  # every job ran; the freshly opened forms are still empty, which is a finding


def test_run_leaves_no_logging_set_up_behind(tmp_path: Path) -> None:
    import logging

    from sheets_sync.runtime.logs import ServiceHandler

    root, ours = logging.getLogger(), logging.getLogger("sheets_sync")
    before = (root.level, list(root.handlers), ours.level, ours.propagate)
    run("init", str(tmp_path / "o"))
    run("--debug", "-c", str(tmp_path / "o" / "sheets-sync.toml"), "run", "--once")
    assert not any(isinstance(h, ServiceHandler) for h in root.handlers)
    assert (root.level, list(root.handlers), ours.level, ours.propagate) == before


def test_templates_check_passes_for_the_shipped_templates() -> None:
    code, out = run("templates", "check")
    assert code == 0 and "templat baik" in out


def test_templates_check_names_an_unknown_variable_in_an_edited_template(tmp_path: Path) -> None:
    import shutil

    from docx import Document

    shipped = Path(__file__).resolve().parents[2] / "report_templates"
    for f in shipped.glob("*.docx"):
        shutil.copy(f, tmp_path / f.name)
    doc = Document(str(tmp_path / "surat_pengantar.docx"))
    doc.add_paragraph("{{ nomor_rahasia }}")
    doc.save(str(tmp_path / "surat_pengantar.docx"))
    code, out = run("templates", "check", "--dir", str(tmp_path))
    assert code == 1 and "nomor_rahasia" in out


def test_auth_login_stores_the_token_and_prints_the_consent_screen_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sheets_sync.backends.google import auth as google_auth

    base = (Path(__file__).resolve().parents[2] / "config" / "sheets-sync.example.toml").read_text()
    cfg = tmp_path / "sheets-sync.toml"
    cfg.write_text(base + '\n[google]\nmode = "oauth"\ncredentials_file = "client.json"\nfolder_id = "1Folder"\n'
                   f'token_file = "{tmp_path / "token.json"}"\n')
    seen: dict[str, object] = {}

    def fake_login(settings: object, **kw: object) -> object:
        seen["settings"] = settings
        return google_auth.LoginResult(tmp_path / "token.json", ("consent screen must be In production",))

    monkeypatch.setattr(google_auth, "auth_login", fake_login)
    code, out = run("-c", str(cfg), "auth", "login", "--no-browser")
    assert code == 0
    assert "0600" in out and "In production" in out
    assert seen["settings"].mode == "oauth"


def test_auth_login_without_a_google_section_is_a_usage_error(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("-c", str(demo_dir / "sheets-sync.toml"), "auth", "login")
    assert code == 2 and "[google]" in capsys.readouterr().err


def test_doctor_lists_the_years_non_working_days_with_the_libur_tab(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    run("init", str(tmp_path / "o"))
    kendali = tmp_path / "o" / "Kendali Data Kinerja.xlsx"
    wb = load_workbook(kendali)
    assert [c.value for c in wb["Libur"][1]][:3] == ["Tanggal", "Keterangan", "Jenis"]
    wb["Libur"]["B2"] = "Hari Jadi Kabupaten Sukamaju"  # the PPKP keeps the example row, renamed
    wb.save(kendali)
    _, out = run("-c", str(tmp_path / "o" / "sheets-sync.toml"), "doctor")
    assert "Senin, 31 Maret 2025 — Hari Raya Idul Fitri" in out
    assert "Jumat, 18 April 2025 — Wafat Yesus Kristus" in out
    assert "Senin, 20 Oktober 2025 — Hari Jadi Kabupaten Sukamaju" in out
    assert "Sabtu, 5 April" not in out  # weekends are not listed one by one
    assert "Sabtu, 29 Maret 2025" not in out and "Minggu, 17 Agustus 2025" not in out  # nor holidays on them
    assert "[ok] kalender: 25 hari libur kerja 2025 selain Sabtu dan Minggu" in out


def test_the_demo_prints_each_document_once(demo_run: tuple[Path, str]) -> None:
    """The status table lists the documents with their status; the demo's end does not list them again."""
    folder, out = demo_run
    docs = sorted((folder / "dokumen").rglob("*.docx"))
    assert docs
    for doc in docs:
        where = f"{doc.parent.name}/{doc.name}"  # the folder too: "Surat Pengantar Pengukuran Kinerja …"
        assert out.count(where) == 1, (where, out.count(where))
