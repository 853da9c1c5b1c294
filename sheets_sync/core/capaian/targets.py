"""Checks of an indicator's master-row targets before any capaian is computed.  Pure (no I/O).

Import from :mod:`sheets_sync.core.capaian`, which re-exports :func:`validate_targets`.

:func:`validate_targets` returns one sentence per problem (a :class:`~sheets_sync.texts.Text`, Indonesian
as ``str``), naming the field:
unknown polaritas / konsolidasi / konvensi target; unreadable targets or unknown qualitative categories;
target 0 on a positif indicator; an empty annual target or no quarter target at all.  Only when those
pass: target kinds (number, range, category) must agree between the annual and quarter targets; a
qualitative indicator's last quarter target must equal the annual one; ``per_triwulan`` quarter targets
must sum to the annual target (with a hint to use ``kumulatif`` when the konsolidasi is not ``jumlah``);
``kumulatif`` targets must not decrease (negatif indicators may also consistently decrease) and the last
defined quarter must equal the annual target.  Quarters with ``-`` are ignored; numbers are compared
with a relative/absolute tolerance of 1e-9.
"""

from __future__ import annotations

import itertools
import math

from sheets_sync.core.capaian.rollup import combine_targets
from sheets_sync.core.capaian.rules import Rules, Target, known_orders, order_of, parse_target
from sheets_sync.model import KONSOLIDASI, KONVENSI_TARGET, POLARITAS, ROMAN, Indicator
from sheets_sync.texts import Text


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same(a: Target, b: Target) -> bool:
    if a.kind == "number" == b.kind:
        return _close(a.value, b.value)
    if a.kind == "threshold" == b.kind:
        return a.op == b.op and _close(a.value, b.value)
    return a.kind == "range" == b.kind and _close(a.low, b.low) and _close(a.high, b.high)


def _vocabulary_problems(ind: Indicator) -> list[Text]:
    """Polaritas, konsolidasi and konvensi target outside their lists."""
    out: list[Text] = []
    if ind.polaritas.strip().lower() not in POLARITAS:
        out.append(Text('Polaritas "{typed}" tidak dikenal; isi positif atau negatif.', typed=ind.polaritas))
    if ind.konsolidasi not in KONSOLIDASI:
        out.append(Text('Jenis konsolidasi "{typed}" tidak dikenal; pilih {allowed}.', typed=ind.konsolidasi,
                        allowed=", ".join(KONSOLIDASI)))
    if ind.konvensi_target not in KONVENSI_TARGET:
        out.append(Text('Konvensi target "{typed}" tidak dikenal; pilih {allowed}.', typed=ind.konvensi_target,
                        allowed=", ".join(KONVENSI_TARGET)))
    return out


def _unreadable_target(label: str | Text, t: Target, pol: str, rules: Rules) -> Text | None:
    """Why one target cannot be used: unreadable, an unknown category, or 0 on a positif indicator."""
    if t.kind == "invalid":
        return Text("{label}: {problem}", label=label, problem=t.problem or "")
    if t.kind == "qualitative" and order_of(t.category, rules) is None:
        return Text('{label}: kategori "{category}" tidak dikenal (dikenal: {known}).', label=label,
                    category=t.category, known=known_orders(rules))
    if t.kind == "threshold" and (t.op in (">=", ">")) != (pol == "positif") and pol in POLARITAS:
        want = Text("≥, min. atau >") if pol == "positif" else Text("≤, maks. atau <")
        return Text("{label}: target ambang {target} tidak cocok dengan polaritas {pol}; indikator {pol} memakai "
                    "{want}.", label=label, target=t.display, pol=pol, want=want)
    if pol == "positif" and t.kind == "number" and t.value == 0:
        return Text("{label}: target 0 pada indikator positif membuat capaian tidak dapat dihitung.", label=label)
    return None


def _missing_targets(annual: Target, defined: list[Target]) -> list[Text]:
    """An empty annual target, and no quarter with a target at all."""
    out: list[Text] = []
    if annual.kind == "none":
        out.append(Text("Target tahunan kosong; isi target tahunan."))
    if not defined:
        out.append(Text('Tidak ada target triwulan; isi target pada triwulan pengukurannya ("-" bila tidak '
                        "diukur)."))
    return out


def _per_triwulan_problems(ind: Indicator, annual: Target, tws: list[Target]) -> list[Text]:
    """``per_triwulan`` quarter targets must add up to the annual target."""
    total = combine_targets(tws)
    if _same(total, annual):
        return []
    problem = Text("Jumlah target TW I–IV ({total}) tidak sama dengan target tahunan ({annual}).",
                   total=total.display, annual=annual.display)
    if ind.konsolidasi == "jumlah":
        return [problem]
    return [Text("{problem} Untuk konsolidasi {konsolidasi} target triwulan tidak dijumlahkan: gunakan konvensi "
                 "kumulatif.", problem=problem, konsolidasi=ind.konsolidasi)]


def _never_falls(series: list[tuple[float, float]]) -> bool:
    """No step of a series of (low, high) bounds goes down in either bound."""
    return all(b[0] >= a[0] and b[1] >= a[1] for a, b in itertools.pairwise(series))


def _kumulatif_problems(pol: str, annual: Target, defined: list[Target]) -> list[Text]:
    """``kumulatif`` targets must not decrease (negatif ones may consistently decrease) and must end at
    the annual target."""
    out: list[Text] = []
    series = [(t.value or 0, t.value or 0) if t.kind == "number" else (t.low or 0, t.high or 0) for t in defined]
    if not _never_falls(series) and not (pol == "negatif" and _never_falls([(-a, -b) for a, b in series])):
        shown = ", ".join(t.display for t in defined)
        out.append(Text("Target kumulatif (s.d. triwulan) tidak boleh turun: {targets}.", targets=shown)
                   if pol != "negatif" else
                   Text("Target kumulatif (s.d. triwulan) harus konsisten naik atau turun: {targets}.",
                        targets=shown))
    last = defined[-1]
    if not _same(last, annual):
        out.append(Text("Target kumulatif triwulan terakhir ({last}) harus sama dengan target tahunan ({annual}).",
                        last=last.display, annual=annual.display))
    return out


def _consistency_problems(ind: Indicator, pol: str, annual: Target, tws: list[Target],
                          defined: list[Target]) -> list[Text]:
    """How readable targets disagree: mixed kinds, a qualitative last quarter that is not the annual
    category, or the konvensi's rule (sum or cumulative series) broken."""
    if len({t.kind for t in defined} | {annual.kind}) > 1:
        return [Text("Jenis target tidak seragam (angka, rentang atau kategori) antara target tahunan dan "
                     "triwulan.")]
    if annual.kind == "qualitative":
        if defined[-1].category != annual.category:
            return [Text('Target triwulan terakhir "{last}" tidak sama dengan target tahunan "{annual}".',
                         last=defined[-1].category, annual=annual.category)]
        return []
    if ind.konvensi_target == "per_triwulan":
        return _per_triwulan_problems(ind, annual, tws)
    if ind.konvensi_target == "kumulatif":
        return _kumulatif_problems(pol, annual, defined)
    return []


def validate_targets(ind: Indicator, rules: Rules | None = None) -> list[Text]:
    """Problems (one sentence each, naming the field; ``str()`` is the Indonesian) with an indicator's master row:
    unknown polaritas / konsolidasi / konvensi, unreadable or unknown targets, target 0 on a positive
    indicator, mixed target kinds, per_triwulan targets not summing to the annual target, kumulatif
    targets not monotone (non-decreasing; negatif may also be non-increasing) or whose last defined
    quarter differs from the annual target.  Quarters with ``-`` are ignored.  Empty list = fine.

    The targets are compared with each other only when every field can be read."""
    rules = rules or Rules()
    pol = ind.polaritas.strip().lower()
    annual = parse_target(ind.target_tahunan)
    tws = [parse_target(t) for t in ind.targets]
    labelled: list[tuple[str | Text, Target]] = [(Text("Target tahunan"), annual),
                                                 *((f"Target TW {ROMAN[q]}", t) for q, t in enumerate(tws, 1))]
    defined = [t for t in tws if t.kind != "none"]
    out = _vocabulary_problems(ind)
    out += [p for label, t in labelled if (p := _unreadable_target(label, t, pol, rules)) is not None]
    out += _missing_targets(annual, defined)
    return out or _consistency_problems(ind, pol, annual, tws, defined)
