"""Pure SAKIP arithmetic: targets, capaian, consolidation of quarters, predikat.  No I/O.

The public API of the SAKIP math; import from here (``from sheets_sync.core.capaian import compute``).  The
code lives in three modules with one job each, all re-exported below:

* :mod:`sheets_sync.core.capaian.rules` — one value against one target: :func:`parse_target` (how a target
  cell is read), :func:`compute` (the capaian formulas for positif / negatif varian A and B, ranges and
  qualitative categories), :func:`quarter_capaian`, :func:`capped`, :func:`predikat` (bands and scales),
  :func:`mean_capaian`, and the :class:`Rules` of an office.
* :mod:`sheets_sync.core.capaian.rollup` — several quarters: :func:`consolidate` (jenis konsolidasi),
  :func:`target_for_quarters` / :func:`target_upto` (konvensi target), :func:`period_result`,
  :func:`indicator_result` and :func:`capaian_sasaran`.
* :mod:`sheets_sync.core.capaian.targets` — :func:`validate_targets`, the checks of an indicator's master-row targets.
* :mod:`sheets_sync.core.capaian.compare` — numbers beside the capaian: :func:`realisasi_text` (printed so a
  reader can recompute the capaian), :func:`versus_last_year`, :func:`capaian_versus_last_year`,
  :func:`efficiency` (PMK 22/2021).

The rules and their test vectors are written down in ``docs/sakip-rules.md`` (a test reads its tables).

Every :class:`Capaian` carries the formula text that produced it so documents print the rule used.
``value`` is the raw percentage, never rounded and never capped; only :func:`capped`, :func:`predikat`
and the means (:func:`mean_capaian`, :func:`capaian_sasaran`) apply ``Rules.cap``.  See each module's
docstring for the exact rules.
"""

from __future__ import annotations

from sheets_sync.core.capaian.compare import (
    F_CAPAIAN_TAHUN_LALU,
    F_EFISIENSI,
    F_TAHUN_LALU,
    Efficiency,
    YearChange,
    capaian_versus_last_year,
    efficiency,
    number_text,
    realisasi_text,
    versus_last_year,
)
from sheets_sync.core.capaian.rollup import (
    IndicatorResult,
    PeriodResult,
    QuarterInput,
    capaian_sasaran,
    consolidate,
    indicator_result,
    period_result,
    target_for_quarters,
    target_upto,
)
from sheets_sync.core.capaian.rules import (
    F_NEG_A,
    F_NEG_B,
    F_POSITIF,
    F_RASIO,
    F_TREN,
    F_ZERO_NEG,
    NA_MARK,
    RUMUS_NEGATIF,
    SCALES,
    Capaian,
    Rules,
    Scale,
    Target,
    capped,
    compute,
    known_orders,
    mean_capaian,
    parse_order,
    parse_target,
    predikat,
    quarter_capaian,
    ratio_value,
    rumus_of,
    scale_from_bands,
)
from sheets_sync.core.capaian.targets import validate_targets

__all__ = [
    "F_CAPAIAN_TAHUN_LALU",
    "F_EFISIENSI",
    "F_NEG_A",
    "F_NEG_B",
    "F_POSITIF",
    "F_RASIO",
    "F_TAHUN_LALU",
    "F_TREN",
    "F_ZERO_NEG",
    "NA_MARK",
    "RUMUS_NEGATIF",
    "SCALES",
    "Capaian",
    "Efficiency",
    "IndicatorResult",
    "PeriodResult",
    "QuarterInput",
    "Rules",
    "Scale",
    "Target",
    "YearChange",
    "capaian_sasaran",
    "capaian_versus_last_year",
    "capped",
    "compute",
    "consolidate",
    "efficiency",
    "indicator_result",
    "known_orders",
    "mean_capaian",
    "number_text",
    "parse_order",
    "parse_target",
    "period_result",
    "predikat",
    "quarter_capaian",
    "ratio_value",
    "realisasi_text",
    "rumus_of",
    "scale_from_bands",
    "target_for_quarters",
    "target_upto",
    "validate_targets",
    "versus_last_year",
]
