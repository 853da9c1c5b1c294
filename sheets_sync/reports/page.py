"""Page set-up applied after rendering, from ``[documents]``: paper (A4 210 × 297 mm, F4 215 × 330 mm)
keeping each section's orientation, the body font (name and size of the Normal style and the document
defaults; styles that set their own size keep it), and for drafts a diagonal "DRAFT" watermark in every
header.  Doing this at render time means an edited template never has to be re-saved when the office
changes paper or font."""

from __future__ import annotations

from typing import Any

from sheets_sync.config import DocumentSettings
from sheets_sync.errors import RenderError

PAPER_MM = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}

_VML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:{w}pt;height:{h}pt;rotation:315;'
    'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
    'fillcolor="#d9d9d9" stroked="f"><v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    '</v:shape></w:pict></w:r>'
)

WATERMARK_ID = "PowerPlusWaterMarkObject"


def apply_paper(document: Any, paper: str) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    if paper not in PAPER_MM:
        raise RenderError(f"unknown paper size {paper!r}", fix='set [documents] paper = "A4" or "F4"')
    short, long_ = PAPER_MM[paper]
    for sec in document.sections:
        landscape = sec.orientation == WD_ORIENT.LANDSCAPE or (
            sec.page_width is not None and sec.page_height is not None and sec.page_width > sec.page_height)
        sec.page_width, sec.page_height = (Mm(long_), Mm(short)) if landscape else (Mm(short), Mm(long_))


def apply_font(document: Any, name: str, size: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = name
    normal.font.size = Pt(size)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:eastAsia", "w:cs"):
            fonts.set(qn(attr), name)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        drpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if drpr is not None:
            old = drpr.find(qn("w:rFonts"))
            if old is not None:
                drpr.remove(old)
            new = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                new.set(qn(attr), name)
            drpr.insert(0, new)


def add_watermark(document: Any, text: str, font: str) -> None:
    """Diagonal grey ``text`` behind every page (Word's own watermark shape, also shown by LibreOffice).

    Header parts are reached through the document's relationships (not ``section.header``): docxtpl
    replaces rendered header parts behind python-docx's back, and only the relationship target is
    the part that gets saved."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    rels = document.part.rels
    seen: set[str] = set()
    # Section.header.part would add a header where there is none, so the references are read from the
    # sections' w:sectPr elements, which the document element lists in section order.
    for sec, sect_pr in zip(document.sections, document.element.sectPr_lst, strict=True):
        landscape = (sec.page_width or 0) > (sec.page_height or 0)
        w, h = (520, 130) if landscape else (420, 105)
        for ref in sect_pr.findall(qn("w:headerReference")):
            rid = ref.get(qn("r:id"))
            if not rid or rid in seen or rid not in rels:
                continue
            seen.add(rid)
            root = rels[rid].target_part.element
            p = root.find(qn("w:p"))
            if p is None:
                p = parse_xml('<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
                root.append(p)
            p.append(parse_xml(_VML.format(n=len(seen), spid=2048 + len(seen), w=w, h=h, font=font, text=text)))


def apply(document: Any, settings: DocumentSettings, *, draft: bool) -> None:
    """Paper, font, and the draft watermark."""
    apply_paper(document, settings.paper)
    apply_font(document, settings.font, settings.font_size)
    if draft:
        add_watermark(document, "DRAFT", settings.font)
