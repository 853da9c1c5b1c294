"""Render economy that changes no byte: docxtpl's listing pass is skipped only when it has nothing to
rewrite (same SHA-256 as with the pass), a typed line break still becomes a Word line break, targets
are parsed once per text, and the chart is drawn once per distinct data."""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import replace
from typing import Any

import pytest

from sheets_sync.core.capaian import parse_target
from sheets_sync.reports.chart import _draw, bar_chart
from sheets_sync.reports.render import render_bytes
from sheets_sync.reports.sample import sample_request

render_module = importlib.import_module("sheets_sync.reports.render")  # the package shadows the name


def _plain_docxtpl(monkeypatch: pytest.MonkeyPatch) -> None:
    """docxtpl exactly as shipped: its listing pass always runs."""
    from docxtpl import DocxTemplate

    monkeypatch.setattr(render_module, "_template_class", lambda base: DocxTemplate)


@pytest.mark.parametrize("kind", ["pengukuran_kinerja", "rekap_kelengkapan", "surat_pengantar"])
def test_skipping_the_listing_pass_gives_the_same_bytes(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    req = sample_request()
    fast = hashlib.sha256(render_bytes(kind, req)).hexdigest()
    _plain_docxtpl(monkeypatch)
    assert hashlib.sha256(render_bytes(kind, req)).hexdigest() == fast


def test_a_line_break_typed_in_keterangan_still_becomes_a_word_line_break(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import zipfile

    req = sample_request()
    data: dict[int, dict[str, Any]] = {q: {u: dict(p) for u, p in d.items()} for q, d in req.data.items()}
    _unit, payload = next((u, p) for u, p in data[1].items() if p.get("rows"))
    code = next(iter(payload["rows"]))
    payload["rows"] = {**payload["rows"], code: {**payload["rows"][code], "keterangan": "Baris satu\nBaris dua"}}
    req = replace(req, data=data)
    doc = render_bytes("pengukuran_kinerja", req)
    xml = zipfile.ZipFile(io.BytesIO(doc)).read("word/document.xml").decode()
    assert "Baris satu</w:t><w:br/>" in xml
    _plain_docxtpl(monkeypatch)
    assert render_bytes("pengukuran_kinerja", req) == doc


def test_targets_are_parsed_once_per_text_and_the_chart_drawn_once_per_data() -> None:
    parse_target.cache_clear()
    for _ in range(9):
        parse_target("72,50")
    assert parse_target.cache_info().misses == 1 and parse_target.cache_info().hits == 8
    assert parse_target("1") is not parse_target(1)  # type: ignore[arg-type]  # typed: 1 and "1" differ
    _draw.cache_clear()
    bars = [("1.1 Indeks", 91.5), ("1.2 Persentase", 70.0)]
    first = bar_chart("Capaian", bars)
    assert bar_chart("Capaian", list(bars)) == first and _draw.cache_info().hits == 1
    assert bar_chart("Capaian", [("1.1 Indeks", 91.6), ("1.2 Persentase", 70.0)]) != first
