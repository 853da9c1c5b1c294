"""Every vector table of ``docs/sakip-rules.md`` (the project's rulebook) checked against the code.

The tables are read from the document itself, so the rulebook and the product cannot drift apart:
change a number in the document and this file fails until the code agrees (or the other way round).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.core.capaian import (
    QuarterInput,
    Rules,
    capaian_versus_last_year,
    compute,
    efficiency,
    parse_target,
    period_result,
    predikat,
    realisasi_text,
    scale_from_bands,
    versus_last_year,
)
from sheets_sync.core.fmt import bulat, persen
from sheets_sync.core.parse import parse_number
from sheets_sync.model import Indicator

DOC = Path(__file__).resolve().parents[2] / "docs" / "sakip-rules.md"


def tables() -> dict[str, list[dict[str, str]]]:
    """Heading (``### name`` under ``## Vectors``) → rows as header → cell text."""
    out: dict[str, list[dict[str, str]]] = {}
    in_vectors, name, header = False, "", None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_vectors = line.strip() == "## Vectors"
        elif in_vectors and line.startswith("### "):
            name, header = line[4:].strip(), None
        elif in_vectors and name and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not set("".join(cells)) <= set("-: "):
                out.setdefault(name, []).append(dict(zip(header, cells, strict=True)))
        elif not line.strip():
            header = None
    return out


TABLES = tables()


def rows(name: str) -> list[dict[str, str]]:
    assert TABLES.get(name), f"table {name!r} missing from {DOC.name}"
    return TABLES[name]


def ids(name: str, key: str = "case") -> list[str]:
    return [f"{i}:{r.get(key, '')}" for i, r in enumerate(rows(name))]


def minus(text: str) -> str:
    return text.replace("−", "-")


def num(text: str) -> float:
    """A number of the tables, written the Indonesian way (``90,996`` is 90.996 here, never 90996)."""
    p = parse_number(minus(text))
    if p.kind == "number" and p.value is not None:
        return p.value
    return float(minus(text).replace(".", "").replace(",", "."))


def rules_for(rumus: str, **kw: object) -> Rules:
    return Rules(negatif_variant="B" if rumus == "B" else "A", **kw)  # type: ignore[arg-type]


def test_the_rulebook_has_every_vector_table() -> None:
    assert {"Capaian", "R = 0 option", "Predikat", "Kategori", "Quarters", "Comparisons", "Capaian vs last year",
            "Efisiensi"} <= set(TABLES)
    assert len(rows("Capaian")) >= 30


@pytest.mark.parametrize("row", rows("Capaian"), ids=ids("Capaian"))
def test_capaian_vector(row: dict[str, str]) -> None:
    rumus = "" if row["rumus"] in ("—", "") else row["rumus"]
    c = compute(parse_target(row["T"]), row["R"] or None, row["polaritas"], rules_for(rumus), rumus=rumus)
    assert c.display == row["capaian"], (row["case"], c)
    if row["catatan"]:
        assert minus(row["catatan"]) in minus(c.note + " " + c.formula), (row["case"], c)
    if c.status == "ok":
        assert c.value is not None and c.value >= 0  # never absurd


@pytest.mark.parametrize("row", rows("R = 0 option"), ids=ids("R = 0 option", "realisasi_nol"))
def test_zero_realisasi_option(row: dict[str, str]) -> None:
    c = compute(parse_target(row["T"]), row["R"], "positif", Rules(realisasi_nol=row["realisasi_nol"]))
    assert c.display == row["capaian"]
    assert row["catatan"] in c.note


@pytest.mark.parametrize("row", rows("Predikat"), ids=ids("Predikat", "scale"))
def test_predikat_vector(row: dict[str, str]) -> None:
    assert predikat(num(row["capaian"]), Rules(scale=row["scale"])) == row["predikat"]


def test_an_office_scale_written_as_bands_in_the_config() -> None:
    scale = scale_from_bands(["> 85 Memuaskan", "≥ 60 Cukup", "Kurang"])
    rules = Rules(scale="kantor", scales={"kantor": scale})
    assert [predikat(v, rules) for v in (85.01, 85, 60, 59.99)] == ["Memuaskan", "Cukup", "Cukup", "Kurang"]


@pytest.mark.parametrize("row", rows("Kategori"), ids=ids("Kategori", "realisasi"))
def test_kategori_vector(row: dict[str, str]) -> None:
    c = compute(parse_target(row["target"]), row["realisasi"], "positif", Rules())
    assert c.display == row["capaian"], c


def _quarter(text: str) -> QuarterInput:
    text = text.strip()
    if "/" in text:
        p, q = text.split("/")
        return QuarterInput(None, num(p), num(q))
    return QuarterInput(text or None)


@pytest.mark.parametrize("row", rows("Quarters"), ids=ids("Quarters"))
def test_quarter_vector(row: dict[str, str]) -> None:
    targets = tuple(t.strip() for t in row["target TW"].split(";"))
    ind = Indicator("X", "B", "S", "uji", "%", row["polaritas"], row["konsolidasi"], row["konvensi"],
                    row["T tahunan"], targets)  # type: ignore[arg-type]
    qv = {q: _quarter(v) for q, v in enumerate(row["realisasi TW"].split(";"), 1) if v.strip()}
    first, last = (int(x) for x in row["period"].split("-"))
    p = period_result(ind, qv, range(first, last + 1), Rules())
    assert realisasi_text(p) == row["realisasi"], p
    assert p.capaian.display == row["capaian"], p


@pytest.mark.parametrize("row", rows("Comparisons"), ids=ids("Comparisons", "R"))
def test_versus_last_year_vector(row: dict[str, str]) -> None:
    cmp = versus_last_year(num(row["R₀"]), num(row["R"]), row["polaritas"])
    assert bulat(cmp.selisih) == minus(row["selisih"])
    assert persen(cmp.perubahan) == minus(row["perubahan"])
    assert (cmp.arah, cmp.makna) == (row["arah"], row["makna"])


@pytest.mark.parametrize("row", rows("Capaian vs last year"), ids=ids("Capaian vs last year", "C"))
def test_capaian_versus_last_year_vector(row: dict[str, str]) -> None:
    c0 = compute(parse_target(row["T₀"]), row["R₀"], row["polaritas"], Rules())
    assert c0.display == row["C₀"]
    assert c0.value is not None
    cmp = capaian_versus_last_year(c0.value, num(row["C"].rstrip("%")))
    assert bulat(cmp.selisih) == minus(row["selisih"])
    assert persen(cmp.perubahan) == minus(row["perubahan"])
    assert (cmp.arah, cmp.makna) == (row["arah"], row["makna"])


@pytest.mark.parametrize("row", rows("Efisiensi"), ids=ids("Efisiensi"))
def test_efisiensi_vector(row: dict[str, str]) -> None:
    split = [[num(x) for x in row[k].split(";")] for k in ("pagu", "realisasi", "capaian")]
    e = efficiency(list(zip(*split, strict=True)))
    assert persen(e.persen_anggaran) == row["% anggaran"]
    assert persen(e.efisiensi) == minus(row["efisiensi"])
