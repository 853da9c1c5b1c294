"""Cell text → value: every rule of domain.md "Parsing cell input"."""

from __future__ import annotations

import pytest

from sheets_sync.core.parse import ACCEPTED_FORMS, ACCEPTED_LINKS, parse_link, parse_number
from sheets_sync.model import Raw


@pytest.mark.parametrize(
    ("raw", "expected", "percent"),
    [
        ("1.234,5", 1234.5, False),
        ("2.400", 2400.0, False),
        ("1.234", 1234.0, False),
        ("1.234.567", 1234567.0, False),
        ("1.234.567,89", 1234567.89, False),
        ("72.50", 72.5, False),
        ("0.5", 0.5, False),
        ("12.3456", 12.3456, False),
        ("85,5%", 85.5, True),
        ("85,5 %", 85.5, True),
        ("100%", 100.0, True),
        ("1234,5", 1234.5, False),
        ("72,50", 72.5, False),
        ("0,125", 0.125, False),
        ("1234,567", 1234.567, False),
        ("1,2340", 1.234, False),
        ("Rp 1.000.000", 1000000.0, False),
        ("Rp1.000.000,00", 1000000.0, False),
        ("rp. 2.500", 2500.0, False),
        ("-5", -5.0, False),
        ("−5,5", -5.5, False),
        ("+3", 3.0, False),
        ("0", 0.0, False),
        ("007", 7.0, False),
        ("  80  ", 80.0, False),
        ("\u00a080\u00a0", 80.0, False),
        ("\u202f1.234,5\u2009", 1234.5, False),
    ],
)
def test_indonesian_number_text_is_read_as_its_value(raw: str, expected: float, percent: bool) -> None:
    p = parse_number(raw)
    assert p.kind == "number"
    assert p.value == pytest.approx(expected)
    assert p.percent is percent
    assert p.text == raw
    assert p.ok


@pytest.mark.parametrize(
    ("raw", "expected", "text"),
    [(80, 80.0, "80"), (72.5, 72.5, "72.5"), (2400.0, 2400.0, "2400"), (0, 0.0, "0"), (-3, -3.0, "-3"),
     (0.1 + 0.2, 0.30000000000000004, "0.30000000000000004")],
)
def test_numbers_from_the_backend_are_taken_as_is_and_stringified_without_loss(
    raw: float, expected: float, text: str
) -> None:
    p = parse_number(raw)
    assert (p.kind, p.value, p.text) == ("number", expected, text)
    assert float(p.text) == raw


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0", "\t\n"])
def test_empty_cells_are_empty_never_zero(raw: Raw) -> None:
    p = parse_number(raw)
    assert p.kind == "empty"
    assert p.value is None


@pytest.mark.parametrize("raw", ["-", "–", "—", "N/A", "n/a", "NA", "n.a.", " - ", "\u00a0–\u00a0"])
def test_dashes_and_n_a_mean_not_measured(raw: str) -> None:
    p = parse_number(raw)
    assert p.kind == "not_measured"
    assert p.value is None
    assert p.ok


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("1,234", "dua cara"),
        ("12,500", "dua cara"),
        ("0.500", "dua cara"),
        ("delapan puluh", "bukan angka"),
        ("#REF!", "galat"),
        ("#N/A", "galat"),
        ("#DIV/0!", "galat"),
        ("85..5", "bukan angka"),
        ("1,2,3", "bukan angka"),
        ("=SUM(A1)", "rumus"),
        ("1,234.56", "format Inggris"),
        ("1234.567", "ribuan"),
        ("1.23.4", "ribuan"),
        ("12.34.567", "ribuan"),
        ("1 234", "spasi"),
        ("1e5", "bukan angka"),
        ("85,", "bukan angka"),
        (",5", "bukan angka"),
        ("80 orang", "bukan angka"),
        ("–5", "bukan angka"),
        ("%", "bukan angka"),
        ("Rp", "bukan angka"),
    ],
)
def test_text_that_reads_two_ways_or_not_at_all_is_invalid_with_a_plain_message(
    raw: str, fragment: str
) -> None:
    p = parse_number(raw)
    assert p.kind == "invalid"
    assert p.value is None
    assert not p.ok
    assert fragment in p.problem
    assert ACCEPTED_FORMS in p.problem
    assert p.text == raw


def test_ambiguous_comma_message_offers_both_unambiguous_spellings() -> None:
    p = parse_number("1,234")
    assert '"1,234"' in p.problem
    assert "Tulis 1234" in p.problem
    assert "1,2340" in p.problem
    assert parse_number("1234").value == 1234.0
    assert parse_number("1,2340").value == pytest.approx(1.234)


def test_word_message_names_the_text_and_the_accepted_forms() -> None:
    p = parse_number("delapan puluh")
    assert p.problem.startswith('Teks "delapan puluh" bukan angka.')
    assert '"-" bila tidak diukur' in p.problem


@pytest.mark.parametrize("raw", [True, False, float("nan"), float("inf")])
def test_checkbox_and_non_finite_backend_values_are_invalid(raw: Raw) -> None:
    p = parse_number(raw)
    assert p.kind == "invalid"
    assert p.problem


@pytest.mark.parametrize(
    ("raw", "urls"),
    [
        ("https://drive.google.com/file/d/abc/view", ("https://drive.google.com/file/d/abc/view",)),
        ("  http://sukamajukab.go.id/bukti.pdf \u00a0", ("http://sukamajukab.go.id/bukti.pdf",)),
        ("https://a.go.id/1\nhttps://b.go.id/2", ("https://a.go.id/1", "https://b.go.id/2")),
        ("https://a.go.id/1; https://b.go.id/2", ("https://a.go.id/1", "https://b.go.id/2")),
        ("HTTPS://EXAMPLE.ORG", ("HTTPS://EXAMPLE.ORG",)),
    ],
)
def test_bukti_dukung_accepts_http_and_https_links(raw: str, urls: tuple[str, ...]) -> None:
    link = parse_link(raw)
    assert link.kind == "url"
    assert link.urls == urls
    assert link.ok


@pytest.mark.parametrize("raw", [None, "", "  ", "-"])
def test_empty_bukti_dukung_is_empty(raw: Raw) -> None:
    link = parse_link(raw)
    assert link.kind == "empty"
    assert link.urls == ()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("www.drive.google.com/x", "tidak diawali https://"),
        ("https://", "tidak lengkap"),
        ("https://localhost/x", "tidak lengkap"),
        ("file:///C:/bukti.pdf", "bukan tautan"),
        ("ada di map biru", "bukan tautan"),
        ("https://a.go.id/1 lihat lampiran", "bukan tautan"),
        (5, "bukan tautan"),
        (True, "bukan tautan"),
    ],
)
def test_bukti_dukung_that_is_not_a_link_is_invalid_with_a_plain_message(raw: Raw, fragment: str) -> None:
    link = parse_link(raw)
    assert link.kind == "invalid"
    assert not link.ok
    assert fragment in link.problem
    assert ACCEPTED_LINKS in link.problem
