"""``sheets-sync render`` touches the control workbook and the Dokumen tab once: one read of the control
(approvals, master and documents from the same read), one write of the Dokumen tab at the end holding
only the rows that changed, a Surat Pengantar that reuses its Pengukuran Kinerja's measurement, and a
chart that is not drawn again when its data did not change."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.backends.local import LocalBackend
from sheets_sync.cli import common, main
from sheets_sync.core.clock import ManualClock
from sheets_sync.core.values import RangeWrite
from sheets_sync.service.demo import PERIOD, decide, type_into
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision


class Calls:
    """The reads of the control workbook and the writes of the Dokumen tab the backend was asked for."""

    def __init__(self, control: str) -> None:
        self.control = Path(control).resolve()
        self.control_reads: list[list[str]] = []
        self.dokumen_writes: list[list[str]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_read, real_write = LocalBackend.read, LocalBackend.write

        def read(backend: LocalBackend, form_id: str, ranges: Any) -> Any:
            if Path(form_id).resolve() == self.control:
                self.control_reads.append(list(ranges))
            return real_read(backend, form_id, ranges)

        def write(backend: LocalBackend, form_id: str, writes: list[RangeWrite], formats: Any = ()) -> None:
            if any(w.range.startswith("Dokumen!") for w in writes):
                self.dokumen_writes.append([w.range for w in writes])
            real_write(backend, form_id, writes, formats)

        monkeypatch.setattr(LocalBackend, "read", read)
        monkeypatch.setattr(LocalBackend, "write", write)


def _render(office: Path) -> str:
    out = io.StringIO()
    assert main(["--config", str(office), "render", "--period", str(PERIOD), "--draft"], out) == 0, out.getvalue()
    return out.getvalue()


def _typed_and_polled(app: Any, clock: ManualClock, value: int) -> None:
    type_into(app, "PKA", {"1.3:realisasi": value})
    clock.set(clock() + timedelta(minutes=30))
    poll(app, PERIOD)


def test_render_reads_the_control_once_and_writes_only_the_new_rows_of_the_dokumen_tab_once(
        app: Any, office: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    provision(app, PERIOD)
    _typed_and_polled(app, clock, 40)
    monkeypatch.setattr(common, "CLOCK", clock)
    calls = Calls(app.settings.control)
    calls.install(monkeypatch)

    decide(app, [["2025-TW1", "MP", "Disetujui", "", "2025-04-14"]])  # the control changed: it must be read
    _render(office)  # the first render: no Dokumen tab anywhere yet
    assert len(calls.control_reads) == 1 and "Persetujuan!A:Z" in calls.control_reads[0]
    assert calls.dokumen_writes == [["Dokumen!A2"]]  # the three new documents under the header, once

    _typed_and_polled(app, clock, 45)  # new data: three new draft versions
    decide(app, [["2025-TW1", "PKA", "Perlu perbaikan", "Lampirkan bukti", "2025-04-14"]])
    calls.control_reads.clear()
    calls.dokumen_writes.clear()
    _render(office)
    assert len(calls.control_reads) == 1
    assert calls.dokumen_writes == [["Dokumen!A5"]]  # rows 1–4 are as the tab holds them: only the new rows


def test_a_surat_pengantar_reuses_the_measurement_of_its_pengukuran_kinerja(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from sheets_sync.reports import measure as measure_module
    from sheets_sync.reports.render import render_bytes
    from sheets_sync.reports.sample import sample_request

    computed: list[str] = []
    real = measure_module._measure

    def counted(req: Any) -> Any:
        computed.append(req.edition)
        return real(req)

    req = sample_request()
    alone = [render_bytes("pengukuran_kinerja", req), render_bytes("surat_pengantar", req)]
    monkeypatch.setattr(measure_module, "_measure", counted)
    with measure_module.measured_once():
        once = [render_bytes("pengukuran_kinerja", req),
                render_bytes("surat_pengantar", replace(req, letter_number="800/12/BKPSDM/2025", version=2))]
        render_bytes("pengukuran_kinerja", replace(req, data={**req.data}))  # other data objects: measured again
    assert computed == ["triwulan", "triwulan"]
    assert once[0] == alone[0]
    surat_again = render_bytes("surat_pengantar", replace(req, letter_number="800/12/BKPSDM/2025", version=2))
    assert once[1] == surat_again  # outside the block every request is measured afresh, same bytes


def test_a_chart_whose_data_did_not_change_is_taken_from_the_store_not_drawn_again(
        app: Any, office: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from sheets_sync.reports import chart
    from sheets_sync.service.documents import render_period

    provision(app, PERIOD)
    _typed_and_polled(app, clock, 40)
    drawn: list[str] = []
    real = chart._draw.__wrapped__

    def counted(title: str, *args: Any) -> bytes:
        drawn.append(title)
        return real(title, *args)

    monkeypatch.setattr(chart, "_draw", counted)
    first = render_period(app, PERIOD, draft=True)
    assert len(drawn) == 1 and app.store.metas("grafik:")
    type_into(app, "PKA", {"1.3:keterangan": "Data dari laporan diklat"})  # a new draft, the same capaian
    clock.set(clock() + timedelta(minutes=30))
    poll(app, PERIOD)
    second = render_period(app, PERIOD, draft=True)
    pk = [d for d in second.documents if d["kind"] == "pengukuran_kinerja:triwulan"]
    assert pk[0]["new"] and pk[0]["version"] == 2
    assert len(drawn) == 1  # the kept PNG was used
    kept = next(iter(app.store.metas("grafik:").values()))
    digest, png = kept.split("\n", 1)
    import base64

    assert hashlib.sha256(base64.b64decode(png)).hexdigest() != digest  # the key is the data's, not the PNG's
    assert first.documents[0]["sha256"] != pk[0]["sha256"]


def test_the_content_key_sees_the_settings_and_master_exactly_as_before_so_recorded_documents_keep_their_key() -> None:
    import dataclasses
    import json

    from sheets_sync.reports.sample import cascading_request, sample_request
    from sheets_sync.service.documents import _plain

    def as_recorded(obj: Any) -> str:  # what the content key of every recorded document was made from
        plain = dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else obj
        return json.dumps(plain, sort_keys=True, default=str, ensure_ascii=False)

    for req in (cascading_request(), sample_request()):
        for obj in (req.office, req.rules, *req.indicators, *req.units):
            assert json.dumps(_plain(obj), sort_keys=True, default=str, ensure_ascii=False) == as_recorded(obj)


def test_render_period_says_each_document_before_it_is_made_for_a_progress_bar(
        app: Any, clock: ManualClock) -> None:
    from sheets_sync.service.documents import render_period

    provision(app, PERIOD)
    _typed_and_polled(app, clock, 40)
    steps: list[str] = []
    report = render_period(app, PERIOD, draft=True, on_step=steps.append)
    assert steps == ["pengukuran_kinerja:triwulan", "rekap_kelengkapan:triwulan", "surat_pengantar:triwulan"]
    assert [d["kind"] for d in report.documents] == steps
    steps.clear()
    render_period(app, PERIOD, draft=True, on_step=steps.append)  # nothing new: still one step per document
    assert len(steps) == 3
