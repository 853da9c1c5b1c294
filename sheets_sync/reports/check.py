"""Check .docx templates against what the renderer provides (``sheets-sync templates check``).

For each template file (the edited folder's copy, else the shipped one) the Jinja source is taken
from the body, headers and footers exactly as docxtpl prepares it, parsed, and compared with
:data:`sheets_sync.reports.context.PROVIDED`:

* ``error``: a Jinja syntax error (a tag broken by editing); a variable the template uses that the
  renderer does not provide (it would print as nothing); a filter that does not exist.
* ``warning``: a variable the renderer provides for this document that the template no longer uses
  (e.g. the signature block or the DRAFT mark was deleted).  Convenience aliases (``tanggal``,
  ``tahun``, ``periode`` …) are not reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheets_sync.reports.context import provided
from sheets_sync.reports.filters import FILTERS, make_env
from sheets_sync.reports.templates import all_names, shipped_dir

OPTIONAL = frozenset({"jenis", "edisi", "draft", "judul", "tanggal", "singkatan", "tahun", "instansi", "periode",
                      "subjudul", "instansi_daerah", "grafik_data", "grafik_persen", "grafik_judul", "jumlah_indikator",
                      "kolom", "sasaran"})
"""Provided variables a template may leave unused without a warning."""


def template_source(path: Path) -> str:
    """The Jinja text docxtpl renders for ``path`` (body + headers + footers, tags un-split)."""
    from docx import Document
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc.element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return str(xml)


def _filters(node: Any) -> set[str]:
    from jinja2 import nodes

    return {f.name for f in node.find_all(nodes.Filter)}


def _identity(value: Any, *args: Any) -> Any:
    return value


def check_file(path: Path, kind: str) -> list[str]:
    """Problems of one template rendering ``kind`` (see the module docstring)."""
    from jinja2 import TemplateSyntaxError, meta

    name = path.name
    try:
        source = template_source(path)
    except Exception as exc:  # not a zip / not a Word document
        return [f"error: {name}: cannot be read as a Word document ({exc})"]
    env = make_env()
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        return [f"error: {name}: broken template tag: {exc.message} — retype the {{{{ }}}} / {{% %}} tag "
                f"in Word (it must not be split by formatting changes)"]
    unknown_filters = sorted(_filters(ast) - set(env.filters))
    for f in unknown_filters:  # let the variable analysis run; the filter itself is reported below
        env.filters[f] = _identity
    used = meta.find_undeclared_variables(ast)
    known = provided(kind)
    out = [f"error: {name}: uses {{{{ {v} }}}}, which the renderer does not provide for {kind} "
           f"(it would print as nothing); available: {', '.join(sorted(known))}"
           for v in sorted(used - known - {"loop"})]
    out += [f"error: {name}: unknown filter |{f}; available filters: {', '.join(sorted(FILTERS))}"
            for f in unknown_filters]
    out += [f"warning: {name}: does not use {{{{ {v} }}}} (provided for {kind})"
            for v in sorted(known - used - OPTIONAL)]
    return out


def check_templates(templates: Path | None = None) -> list[str]:
    """Problems of every template, edited folder first then the shipped copy (empty list = all fine).

    Messages start with ``error:`` or ``warning:`` and name the file; a missing edited file is an
    ``info:`` line (the shipped copy is used)."""
    out: list[str] = []
    shipped = shipped_dir()
    if templates is not None and not templates.is_dir():
        return [f"error: template folder {templates} does not exist"]
    for name, kind in sorted(all_names().items()):
        path = shipped / name
        if templates is not None:
            if (templates / name).is_file():
                path = templates / name
            else:
                out.append(f"info: {name}: not in {templates}; the shipped template is used")
        out += check_file(path, kind)
    return out
