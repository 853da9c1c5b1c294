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
    assert fragment in str(p.problem)
    assert ACCEPTED_FORMS in str(p.problem)
    assert p.text == raw


def test_ambiguous_comma_message_offers_both_unambiguous_spellings() -> None:
    p = parse_number("1,234")
    assert '"1,234"' in str(p.problem)
    assert "Tulis 1234" in str(p.problem)
    assert "1,2340" in str(p.problem)
    assert parse_number("1234").value == 1234.0
    assert parse_number("1,2340").value == pytest.approx(1.234)


def test_word_message_names_the_text_and_the_accepted_forms() -> None:
    p = parse_number("delapan puluh")
    assert str(p.problem).startswith('Teks "delapan puluh" bukan angka.')
    assert '"-" bila tidak diukur' in str(p.problem)


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
    assert fragment in str(link.problem)
    assert ACCEPTED_LINKS in str(link.problem)


WRONG_NUMBERS: list[Raw] = ["delapan puluh", "1,234", "0.500", "1,234.5", "85..5", "1.23.4", "=SUM(H7:H9)",
                            "#REF!", "2025-04-10", "12 500", True, float("nan"), "9" * 40]
WRONG_LINKS: list[Raw] = ["www.bkpsdm.go.id/bukti", "https://localhost/x", "ada di map biru", 5]


@pytest.mark.parametrize("raw", WRONG_NUMBERS)
def test_a_number_problem_reads_in_english_with_lang_en_and_stays_indonesian_by_default(raw: Raw) -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    problem = parse_number(raw).problem
    assert problem is not None
    assert str(problem).endswith(ACCEPTED_FORMS)
    worded = problem.render(english)
    assert "Write a number only" in worded
    assert not indonesian_words(worded), worded


def test_the_english_of_an_ambiguous_number_offers_both_spellings_as_the_indonesian_does() -> None:
    from sheets_sync.i18n import english

    p = parse_number("1,234")
    assert str(p.problem).startswith('Angka "1,234" dapat dibaca dua cara: 1,234 (desimal) atau 1234 (ribuan). '
                                     "Tulis 1234 bila maksudnya ribuan, atau 1,2340 bila maksudnya desimal. Tulis")
    assert p.problem is not None and p.problem.render(english).startswith(
        'The number "1,234" reads two ways: 1,234 (decimal) or 1234 (thousands). Write 1234 if thousands are '
        "meant, or 1,2340 if a decimal is meant.")


@pytest.mark.parametrize("raw", WRONG_LINKS)
def test_a_link_problem_reads_in_english_with_lang_en_and_stays_indonesian_by_default(raw: Raw) -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    problem = parse_link(raw).problem
    assert problem is not None and str(problem).endswith(ACCEPTED_LINKS)
    worded = problem.render(english)
    assert "Paste the full link" in worded and not indonesian_words(worded), worded
