"""Beslutsunderlaget som Word-dokument (python-docx), A4, med svenska rubriker.

Text ur förslaget läggs bara in som textkörningar: den kan inte bli fält, länkar eller
formatering. Styrtecken visas som flyktsekvenser (`saker.synlig`), och de två tecken som XML
inte tillåter och `synlig` låter stå (U+FFFE, U+FFFF) tas bort: python-docx vägrar annars.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from partner_cli.saker import synlig
from partner_cli.underlag.dokument import Lista, Stycke, Tabell, Underlag, Uppstallning

_EJ_XML = {0xFFFE: None, 0xFFFF: None}


def _ren(text: str) -> str:
    return synlig(text).translate(_EJ_XML)


def _tabell(doc: Any, t: Tabell) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    tabell = doc.add_table(rows=1, cols=len(t.kolumner))
    tabell.style = "Table Grid"
    tabell.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, (cell, rubrik) in enumerate(zip(tabell.rows[0].cells, t.kolumner, strict=True)):
        cell.text = ""
        korning = cell.paragraphs[0].add_run(_ren(rubrik))
        korning.bold = True
        if i in t.tal:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _upprepa_rubrikrad(tabell.rows[0])
    for n, rad in enumerate(t.rader):
        celler = tabell.add_row().cells
        for i, (cell, varde) in enumerate(zip(celler, rad, strict=True)):
            korning = cell.paragraphs[0].add_run(_ren(varde))
            korning.bold = t.summa and n == len(t.rader) - 1
            if i in t.tal:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _upprepa_rubrikrad(rad: Any) -> None:
    """Rubrikraden upprepas överst på varje sida som tabellen fortsätter på."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    egenskaper = rad._tr.get_or_add_trPr()
    upprepa = OxmlElement("w:tblHeader")
    upprepa.set(qn("w:val"), "true")
    egenskaper.append(upprepa)


def render(underlag: Underlag, ut: BinaryIO) -> None:
    import docx
    from docx.shared import Mm, Pt

    doc = docx.Document()
    sektion = doc.sections[0]
    sektion.page_width, sektion.page_height = Mm(210), Mm(297)
    sektion.left_margin = sektion.right_margin = Mm(20)
    sektion.top_margin = sektion.bottom_margin = Mm(20)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = _ren(underlag.titel)
    doc.core_properties.language = "sv-SE"
    doc.add_heading(level=0).add_run(_ren(underlag.titel))
    doc.add_paragraph().add_run(f"{_ren(underlag.id)} · upprättat {underlag.datum}").italic = True
    for a in underlag.avsnitt:
        doc.add_heading(level=a.niva - 1).add_run(_ren(a.rubrik))
        for b in a.block:
            if isinstance(b, Stycke):
                korning = doc.add_paragraph().add_run(_ren(b.text))
                korning.italic = b.klass == "citat"
                if b.klass == "not":
                    korning.font.size = Pt(9)
            elif isinstance(b, Uppstallning):
                for t, v in b.rader:
                    stycke = doc.add_paragraph()
                    stycke.add_run(_ren(t) + ": ").bold = True
                    stycke.add_run(_ren(v))
            elif isinstance(b, Lista):
                for p in b.punkter:
                    doc.add_paragraph(style="List Bullet").add_run(_ren(p))
            else:
                _tabell(doc, b)
    doc.save(ut)
