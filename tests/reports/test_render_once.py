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


def test_only_a_special_character_inside_a_word_text_needs_the_listing_pass() -> None:
    from sheets_sync.reports.render import needs_listing

    image = '<w:r><wp:inline xmlns:wp="x">\n  <wp:extent cx="1"/>\n</wp:inline></w:r>'  # as docxtpl writes it
    assert not needs_listing(f'<w:p><w:r><w:t>Capaian</w:t></w:r>{image}<w:tbl>\n<w:tr/></w:tbl></w:p>')
    assert not needs_listing('<w:p><w:r><w:tab/><w:t xml:space="preserve"> 105,88%</w:t></w:r></w:p>')
    assert needs_listing('<w:p><w:r><w:t xml:space="preserve">Baris satu\nBaris dua</w:t></w:r></w:p>')
    assert needs_listing("<w:p><w:r><w:t>Kolom\tdua</w:t></w:r></w:p>")
    assert needs_listing("<w:p><w:r><w:t>Halaman\fbaru</w:t></w:r></w:p>")
    assert needs_listing("<w:p><w:r><w:t>Paragraf\abaru</w:t></w:r></w:p>")
    assert needs_listing('<w:p><w:r><w:t xml:space="preserve"\n>teks</w:t></w:r></w:p>')


def test_a_document_with_a_chart_and_no_special_text_skips_the_listing_pass_with_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from docxtpl import DocxTemplate

    full_passes: list[int] = []
    shipped = DocxTemplate.resolve_listing

    def counted(self: Any, xml: str) -> str:
        full_passes.append(len(xml))
        out: str = shipped(self, xml)
        return out

    monkeypatch.setattr(DocxTemplate, "resolve_listing", counted)
    req = sample_request()
    fast = render_bytes("pengukuran_kinerja", req)
    assert full_passes == []  # the chart's image XML has newlines between its tags, none in a text
    _plain_docxtpl(monkeypatch)
    assert render_bytes("pengukuran_kinerja", req) == fast
    assert full_passes  # the comparison really ran docxtpl's own pass
