"""The Dokumen tab's review flow (pure) and the [laporan] settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.config import parse
from sheets_sync.config.laporan import DOCUMENT_STATUSES, REVIEW_FLOW
from sheets_sync.core.review import parse_dokumen, transitions
from sheets_sync.errors import ConfigError

HEAD = ["Periode", "Jenis", "Versi", "Draft/Final", "Nomor Surat", "Tautan", "SHA-256", "Snapshot", "Dibuat",
        "Status", "Catatan", "Status Sejak"]
V1 = ("2025-TW4", "laporan_kinerja:tahunan", "1", "Draft")
V2 = ("2025-TW4", "laporan_kinerja:tahunan", "2", "Draft")


def test_statuses_are_read_by_header_and_normalised() -> None:
    values = [HEAD, ["2025-TW4", "laporan_kinerja:tahunan", 1.0, "Draft", None, "x", "", "", "", "  dikoreksi ",
                     "isu_strategis: lengkapi"],
              ["2025-TW4", "laporan_kinerja:tahunan", 2, "Draft", None, "x", "", "", "", "Selesai dibaca"]]
    typed, findings = parse_dokumen(values, DOCUMENT_STATUSES)
    assert typed[V1].status == "Dikoreksi" and typed[V1].catatan == "isu_strategis: lengkapi"
    assert typed[V2].status == "" and typed[V2].raw == "Selesai dibaca"
    assert [(f.sheet, f.cell, f.code) for f in findings] == [("Dokumen", "J3", "status_tidak_dikenal")]
    assert "Finalisasi" in findings[0].fix


def test_an_old_ten_column_tab_is_still_read() -> None:
    typed, _ = parse_dokumen([HEAD[:10], [*V1, "", "", "", "", "", "Finalisasi"]], DOCUMENT_STATUSES)
    assert typed[V1].status == "Finalisasi" and typed[V1].catatan == ""


def test_transitions_record_first_sight_and_every_change_once() -> None:
    typed, _ = parse_dokumen([HEAD, [*V1, "", "", "", "", "", "Dikoreksi", "catatan"]], DOCUMENT_STATUSES)
    defaults = {V1: "Draft", V2: "Draft"}
    first = transitions({}, {}, defaults)
    assert [(t.ident, t.before, t.after) for t in first] == [(V1, "", "Draft"), (V2, "", "Draft")]
    change = transitions(typed, {V1: "Draft", V2: "Draft"}, defaults)
    assert [(t.ident, t.before, t.after, t.catatan) for t in change] == [(V1, "Draft", "Dikoreksi", "catatan")]
    assert transitions(typed, {V1: "Dikoreksi", V2: "Draft"}, defaults) == []
    # an emptied cell keeps the last recorded status (nothing to record)
    assert transitions({}, {V1: "Dikoreksi", V2: "Draft"}, defaults) == []


def test_the_flow_is_the_sops_order() -> None:
    assert REVIEW_FLOW == ("Draft", "Dikoreksi", "Finalisasi", "Disetujui Kepala", "Ditandatangani", "Dikirim",
                           "Diarsipkan")


def _cfg(laporan: dict[str, object]) -> dict[str, object]:
    return {"office": {"pemerintah": "PEMERINTAH KABUPATEN SUKAMAJU", "instansi": "BKPSDM", "singkatan": "BKPSDM",
                       "kota": "Sukamaju"}, "laporan": laporan}


def test_laporan_settings_are_validated(tmp_path: Path) -> None:
    s = parse(_cfg({"tim_sakip": "ppkp@sukamaju.example", "distribusi": ["inspektorat@sukamaju.example"],
                    "distribusi_setelah": "Ditandatangani"}), tmp_path / "s.toml")
    assert s.laporan.tim_sakip == ("ppkp@sukamaju.example",) and s.laporan.distribusi_cara == "lampiran"
    for bad, key in (({"distribusi": ["bukan alamat"]}, "distribusi"), ({"distribusi_cara": "faks"}, "distribusi_cara"),
                     ({"distribusi_jenis": ["lkjip"]}, "distribusi_jenis"),
                     ({"distribusi_setelah": "Selesai"}, "distribusi_setelah"), ({"penerima": []}, "penerima")):
        with pytest.raises(ConfigError, match=rf"\[laporan\] (kunci ')?{key}"):
            parse(_cfg(bad), tmp_path / "s.toml")


def test_an_unknown_document_status_reads_in_english_with_lang_en_and_stays_indonesian() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    values = [HEAD, ["2025-TW4", "laporan_kinerja:tahunan", 2, "Draft", None, "x", "", "", "", "Selesai dibaca"]]
    (f,) = parse_dokumen(values, DOCUMENT_STATUSES)[1]
    assert f.message == "Status dokumen 'Selesai dibaca' (laporan_kinerja:tahunan versi 2) tidak dikenal."
    assert f.message_in(english) == ("The document status 'Selesai dibaca' (laporan_kinerja:tahunan version 2) "
                                     "is unknown.")
    fix = f.fix_in(english)
    assert fix == f"Enter one of: {', '.join(DOCUMENT_STATUSES)}."  # the statuses are what the office types
    assert not indonesian_words(fix.replace(", ".join(DOCUMENT_STATUSES), ""))
