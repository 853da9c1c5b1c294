"""Render a document: context → docxtpl template → page set-up → deterministic bytes → file.

Steps of :func:`render`:

1. :func:`sheets_sync.reports.context.build_context` (pure) computes every printed value.
2. The template (:mod:`sheets_sync.reports.templates`) is rendered by docxtpl with autoescape on and
   the Indonesian filters; for Pengukuran Kinerja the capaian chart is inserted as an inline PNG.
3. Paper, font and the draft watermark are applied (:mod:`sheets_sync.reports.page`); core properties
   are set from ``generated_on``; the zip is rewritten in a stable form
   (:mod:`sheets_sync.reports.normalize`).  Re-rendering the same request gives identical bytes.
4. The file is written atomically (temporary file + rename) into ``out_dir`` under
   :func:`sheets_sync.reports.request.file_name`, replacing an earlier render of the same name.

A template problem (broken Jinja tag, a loop over something that is not a list) becomes a
:class:`RenderError` naming the template; an unknown variable renders as empty text — run
:func:`sheets_sync.reports.check.check_templates` to find those.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sheets_sync.errors import RenderError
from sheets_sync.reports import normalize, page, widths
from sheets_sync.reports.chart import ChartCache, bar_chart
from sheets_sync.reports.context import build_context
from sheets_sync.reports.filters import make_env
from sheets_sync.reports.request import TITLES, Rendered, RenderRequest, file_name
from sheets_sync.reports.templates import template_path

CHART_WIDTH_MM = {"pengukuran_kinerja": 230.0}


# A <w:t> whose tag or text (up to its </w:t>) holds a character docxtpl's listing pass rewrites.  Searched
# from every <w:t, so it finds every text docxtpl's nested paragraph/run/text scan could rewrite, and more.
_LISTING = re.compile(r"<w:t [^>]*[\t\a\n\f]|<w:t(?: [^>]*)?>(?:(?!</w:t>)[^\t\a\n\f])*[\t\a\n\f]", re.S)


def needs_listing(xml: str) -> bool:
    """Whether docxtpl's ``resolve_listing`` could change ``xml``: only where a tab, bell, newline or form
    feed sits inside a ``<w:t>`` text (or its tag) — the newlines between the tags of an inline chart
    image are not rewritten, so a document with a chart but no such text skips the pass too."""
    return _LISTING.search(xml) is not None


@functools.cache
def _template_class(base: type) -> type:
    """docxtpl's template with its ``resolve_listing`` pass skipped when :func:`needs_listing` says it
    has nothing to rewrite: that regex pass over every paragraph, run and text is about a quarter of a
    large render and, without those characters in a text, returns its input unchanged — so the bytes
    (and the SHA-256) are identical either way."""

    class Template(base):
        def resolve_listing(self, xml: str) -> str:
            if not needs_listing(xml):
                return xml
            out: str = super().resolve_listing(xml)
            return out

    return Template


def open_template(path: Path) -> Any:
    """``path`` as a docxtpl template (the listing pass skipped where it changes nothing); a file that
    is not a Word document is a :class:`RenderError` naming it."""
    from docxtpl import DocxTemplate

    try:
        tpl = _template_class(DocxTemplate)(str(path))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several types for a file that is not a .docx
        raise RenderError(f"template {path} cannot be opened as a Word document ({exc})",
                          fix="save it from Word as .docx, or delete it to use the shipped template") from exc
    return tpl


def chart_image(tpl: Any, title: str, data: Sequence[Sequence[Any]], *, width_mm: float, cap: float | None,
                percent: bool = True, cache: ChartCache | None = None) -> Any:
    """The bar chart of ``data`` (label, value pairs) as an image ``tpl`` can place, ``width_mm`` wide
    (taken from ``cache`` when it holds the same chart, see :func:`~sheets_sync.reports.chart.bar_chart`)."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    png = bar_chart(title, [(str(k), float(v)) for k, v in data], width_mm=width_mm, cap=cap, percent=percent,
                    cache=cache)
    return InlineImage(tpl, io.BytesIO(png), width=Mm(width_mm))


def fill_template(tpl: Any, ctx: dict[str, Any], path: Path, req: RenderRequest, title: str) -> bytes:
    """Render ``ctx`` into ``tpl`` (autoescaped, with sheets-sync's filters), apply paper, font and the
    DRAFT mark, set the core properties and return stable bytes (same input → same bytes).  A broken
    tag or a value the template cannot take is a :class:`RenderError` naming ``path`` and the fix."""
    from jinja2 import TemplateError

    try:
        tpl.render(ctx, jinja_env=make_env(), autoescape=True)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (XML line {line})" if line else ""
        raise RenderError(f"template {path}: {exc}{where}",
                          fix="fix the {{ }} / {% %} tag in Word, then run `sheets-sync templates check`") from exc
    except (TypeError, ValueError) as exc:
        raise RenderError(f"template {path} could not be filled: {exc}",
                          fix="run `sheets-sync templates check` and compare the tags with the shipped template"
                          ) from exc
    document: Any = tpl.docx
    page.apply(document, req.documents, draft=req.draft)
    widths.fit_word_columns(document, req.documents.font)
    normalize.fix_core_properties(document, req.generated_on, title, req.office.singkatan or "sheets-sync")
    buf = io.BytesIO()
    tpl.save(buf)
    return normalize.stable_zip(buf.getvalue(), req.generated_on)


def render_bytes(kind: str, req: RenderRequest, *, templates: Path | None = None,
                 charts: ChartCache | None = None) -> bytes:
    """The finished .docx of ``kind`` as bytes (see the module docstring); ``charts`` keeps the drawn
    chart between processes (same bytes either way)."""
    ctx = build_context(kind, req)
    path = template_path(kind, req.edition, templates if templates is not None else req.documents.templates)
    tpl = open_template(path)
    if ctx.get("grafik_data"):
        ctx["grafik"] = chart_image(tpl, ctx["grafik_judul"], ctx["grafik_data"],
                                    width_mm=CHART_WIDTH_MM.get(kind, 160.0), cap=req.rules.cap,
                                    percent=bool(ctx.get("grafik_persen", True)), cache=charts)
    return fill_template(tpl, ctx, path, req, f"{TITLES[kind]} {ctx['periode']['label']}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".render-", suffix=".docx", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(kind: str, req: RenderRequest, out_dir: Path, *, templates: Path | None = None,
           charts: ChartCache | None = None) -> Rendered:
    """Render ``kind`` for ``req`` into ``out_dir`` and return where it is and its SHA-256.

    ``templates`` (else ``req.documents.templates``) is a folder of edited templates; files it lacks
    come from the shipped set.  ``charts``: see :func:`render_bytes`."""
    data = render_bytes(kind, req, templates=templates, charts=charts)
    path = Path(out_dir) / file_name(kind, req)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}",
                          fix="check that the output folder exists and is writable, and that the file is "
                              "not open in Word") from exc
    return Rendered(kind, req.edition, path, hashlib.sha256(data).hexdigest())
