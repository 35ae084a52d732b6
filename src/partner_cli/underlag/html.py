"""Beslutsunderlaget som en fristående HTML-sida: inga externa resurser, utskrivbar på A4.

All text ur förslaget skrivs escapad och med styrtecken synliga (`saker.html_text`); sidan
har inga skript och inga länkar utåt.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from partner_cli.saker import html_text as escape
from partner_cli.underlag.dokument import Block, Lista, Stycke, Tabell, Underlag, Uppstallning

STIL = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:52rem;
color:#1d1d1b;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.8rem;
border-bottom:1px solid #bbb}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
th,td{text-align:left;padding:.2rem .45rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f1f1f1}td.tal,th.tal{text-align:right;white-space:nowrap}
tr.summa td{font-weight:600;border-top:1px solid #888}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}
dt{font-weight:600}dd{margin:0}
.citat{font-style:italic;border-left:3px solid #ccc;padding-left:.7rem;color:#333}
.not,.meta{color:#555;font-size:.85rem}.tabell{overflow-x:auto}
@media (max-width:40rem){dl{grid-template-columns:1fr;gap:0}dd{margin:0 0 .4rem}}
@page{size:A4;margin:20mm 18mm}
@media print{body{margin:0;max-width:none;font-size:10.5pt}.tabell{overflow:visible}
h2,h3{break-after:avoid}tr,dl{break-inside:avoid}thead{display:table-header-group}
td.tal,th.tal{white-space:nowrap}}
"""


def _block(b: Block) -> Iterator[str]:
    if isinstance(b, Stycke):
        klass = f' class="{b.klass}"' if b.klass else ""
        yield f"<p{klass}>{escape(b.text)}</p>"
    elif isinstance(b, Uppstallning):
        yield "<dl>"
        yield "".join(f"<dt>{escape(t)}</dt><dd>{escape(v)}</dd>" for t, v in b.rader)
        yield "</dl>"
    elif isinstance(b, Lista):
        yield "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in b.punkter) + "</ul>"
    else:
        yield from _tabell(b)


def _tabell(t: Tabell) -> Iterator[str]:
    def klass(i: int) -> str:
        return ' class="tal"' if i in t.tal else ""

    yield '<div class="tabell"><table><thead><tr>'
    yield "".join(f"<th{klass(i)}>{escape(k)}</th>" for i, k in enumerate(t.kolumner))
    yield "</tr></thead><tbody>"
    for n, rad in enumerate(t.rader):
        summa = ' class="summa"' if t.summa and n == len(t.rader) - 1 else ""
        yield f"<tr{summa}>"
        yield "".join(f"<td{klass(i)}>{escape(c)}</td>" for i, c in enumerate(rad))
        yield "</tr>"
    yield "</tbody></table></div>"


def render(underlag: Underlag, ut: TextIO) -> None:
    ut.write(
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(underlag.titel)}</title><style>{STIL}</style></head><body>"
        f"<h1>{escape(underlag.titel)}</h1>"
        f'<p class="meta">{escape(underlag.id)} · upprättat {underlag.datum} med partner</p>'
    )
    for a in underlag.avsnitt:
        ut.write(f"<section><h{a.niva}>{escape(a.rubrik)}</h{a.niva}>")
        for b in a.block:
            ut.write("".join(_block(b)))
        ut.write("</section>")
    ut.write("</body></html>\n")
