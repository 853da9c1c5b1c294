"""Bar chart of capaian for the Pengukuran Kinerja document (matplotlib, Agg, no pyplot state).

Horizontal bars in table order, coloured by the Permendagri 86/2017 bands (≥ 91 green, ≥ 76 blue,
≥ 66 amber, below red), a dashed line at 100%, each bar labelled ``105,88%``.  The PNG carries no
software/version metadata, so the same data gives the same bytes (and the document its stable hash).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import textwrap
from collections.abc import Sequence
from typing import Protocol

from sheets_sync.core.fmt import angka, persen

COLORS = ((91.0, "#2e7d32"), (76.0, "#1565c0"), (66.0, "#f9a825"))
LOW = "#c62828"


def _color(v: float) -> str:
    return next((c for threshold, c in COLORS if v >= threshold), LOW)


def _label(text: str, width: int = 48) -> str:
    short = text if len(text) <= 2 * width else text[: 2 * width - 1] + "…"
    return "\n".join(textwrap.wrap(short, width)) or "–"


CHART_FORMAT = 1  # bump when _draw draws the same data differently, so no kept chart is reused


class ChartCache(Protocol):
    """Where drawn charts are kept between renders (and processes), by :func:`chart_digest`."""

    def get(self, digest: str) -> bytes | None:
        """The PNG kept under ``digest``, or None."""

    def put(self, digest: str, png: bytes) -> None:
        """Keep ``png`` under ``digest``."""


def chart_digest(title: str, bars: Sequence[tuple[str, float]], width_mm: float, cap: float | None,
                 percent: bool) -> str:
    """SHA-256 of everything the PNG depends on: the data and options, :data:`CHART_FORMAT` and the
    matplotlib version that draws it (another version may place a pixel differently)."""
    from importlib.metadata import version

    shown = [CHART_FORMAT, version("matplotlib"), title, [[str(k), float(v)] for k, v in bars], width_mm, cap,
             percent]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, width_mm: float = 230.0,
              cap: float | None = None, percent: bool = True, cache: ChartCache | None = None) -> bytes:
    """PNG bytes of the chart, drawn once per distinct data: the same title, bars and options give the
    same bytes (see :func:`_draw`), so a repeated render (another edition, a re-render of a draft)
    reuses them instead of paying matplotlib's fixed cost again — within the process, and across
    processes through ``cache`` (a re-render whose chart data did not change does not even import
    matplotlib)."""
    shown = tuple((str(k), float(v)) for k, v in bars)
    if cache is None:
        return _draw(title, shown, width_mm, cap, percent)
    digest = chart_digest(title, shown, width_mm, cap, percent)
    png = cache.get(digest)
    if png is None:
        png = _draw(title, shown, width_mm, cap, percent)
        cache.put(digest, png)
    return png


@functools.lru_cache(maxsize=16)
def _draw(title: str, bars: tuple[tuple[str, float], ...], width_mm: float, cap: float | None,
          percent: bool) -> bytes:
    """PNG bytes of the chart (``title`` becomes the image's alt text in the document; the template
    prints it as a caption, so it is not drawn).  Values above ``cap`` are drawn to the cap (the label keeps the raw
    value); negative values are drawn as 0.  ``percent=False`` draws plain counts (no 100% line,
    one neutral colour)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = max(len(bars), 1)
    height_in = min(1.0 + 0.32 * n, 7.5)
    fig = Figure(figsize=(width_mm / 25.4, height_in), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    labels = [_label(k) for k, _ in bars]
    raw = [v for _, v in bars]
    drawn = [max(0.0, min(v, cap) if cap is not None and percent else v) for v in raw]
    ys = list(range(len(bars)))
    colors = [_color(v) for v in raw] if percent else ["#1565c0"] * len(raw)
    ax.barh(ys, drawn, color=colors, height=0.6)
    ax.set_yticks(ys, labels, fontsize=6.5)
    ax.invert_yaxis()
    top = max([*drawn, 100.0 if percent else 1.0]) * 1.15
    ax.set_xlim(0, top)
    if percent:
        ax.axvline(100, color="#555555", linestyle="--", linewidth=0.8)
    for y, d, v in zip(ys, drawn, raw, strict=True):
        ax.text(d + top * 0.01, y, persen(v) if percent else angka(v, 0), va="center", fontsize=6.5)
    ax.set_xlabel("Capaian (%)" if percent else "Jumlah indikator", fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
