"""Årsrapporten som en fristående HTML-sida att publicera: inga externa resurser, fungerar
utan nät, diagrammen som inbäddad SVG.

Varje diagram har ett textalternativ (`<desc>` och, för indikatorerna, en datatabell) och
visar bara rapportens år och tidigare. Utskriften bryter aldrig ett datum eller ett id och
upprepar tabellernas rubrikrad; på en smal skärm blir varje tabellrad ett kort med
kolumnrubrikerna framför värdena.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from typing import TextIO

from partner_cli.rapport import Arsrapport, Indikatorer
from partner_cli.rapport.tabeller import Andel, Tabell, tabeller, visa
from partner_cli.saker import html_text as escape
from partner_cli.varden import procentsats

_STIL = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;
color:#1d1d1b;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e4e4e4;vertical-align:top}
th{background:#f3f3f3}tr.markerad td{background:#fff4d6;font-weight:600}
td.fast,.hel{white-space:nowrap}
.not{color:#555;font-size:.85rem}svg{max-width:100%;height:auto;font-size:11px}
figure{margin:1rem 0}details{margin:.3rem 0 1rem;font-size:.85rem}.tabell{overflow-x:auto}
.godkand{fill:#2e7d32}.under{fill:#c62828}.undantag{fill:#f9a825}
.grans{stroke:#1d1d1b;stroke-dasharray:4 3}
.axel{stroke:#999}.serie{fill:none;stroke-width:2}.serie.forsta{stroke-dasharray:7 4;stroke-width:3}
@media (max-width:40rem){
body{margin:1rem auto;padding:0 .6rem}
table.data,table.data tbody,table.data tr,table.data td{display:block;width:auto}
table.data thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.data tr{border:1px solid #ddd;border-radius:4px;margin:0 0 .6rem;padding:.2rem 0}
table.data td{border:0;padding:.1rem .5rem;white-space:normal}
table.data td::before{content:attr(data-rubrik) ": ";font-weight:600}
table.data td:empty{display:none}
figure{overflow-x:auto}figure svg{min-width:36rem;max-width:none}
}
@page{size:A4 landscape;margin:15mm}
@media print{
body{margin:0;max-width:none;font-size:9.5pt}h2{break-after:avoid}
thead{display:table-header-group}tr,figure{break-inside:avoid}
details{display:none}svg{max-width:100%}.tabell{overflow:visible}
}
"""
# Det som aldrig får brytas i löptext: datum och id med bindestreck (NL-2014-001).
_HEL = re.compile(r"[^\s<>&;]+-[^\s<>&;]+")
_FARGER = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a")
_BREDD = 640


def _cell(text: str) -> str:
    """Escapad text där datum och id hålls ihop."""
    return _HEL.sub(lambda m: f'<span class="hel">{m[0]}</span>', escape(text))


def _tabell(t: Tabell) -> Iterator[str]:
    yield f'<section id="{t.nyckel}"><h2>{escape(t.rubrik)}</h2>'
    if not t.rader:
        yield f'<p class="tom">{escape(t.tom)}</p></section>'
        return
    # En bred tabell rullar i sin ruta i stället för att göra sidan bredare än skärmen.
    yield '<div class="tabell"><table class="data"><thead><tr>'
    yield "".join(f'<th scope="col">{escape(k.rubrik)}</th>' for k in t.kolumner)
    yield "</tr></thead><tbody>"
    rubriker = [escape(k.rubrik) for k in t.kolumner]
    for i, rad in enumerate(t.rader):
        klass = ' class="markerad"' if i in t.markerade else ""
        celler = (
            f'<td data-rubrik="{r}">{_cell(visa(c))}</td>'
            if k.fri
            else f'<td class="fast" data-rubrik="{r}">{escape(visa(c))}</td>'
            for k, r, c in zip(t.kolumner, rubriker, rad, strict=True)
        )
        yield f"<tr{klass}>" + "".join(celler) + "</tr>"
    yield "</tbody></table></div>"
    if t.not_:
        yield f'<p class="not">{escape(t.not_)}</p>'
    yield "</section>"


def _x(andel: Fraction, vanster: int, bredd: int) -> str:
    return f"{vanster + float(min(andel, Fraction(1)) * bredd):.1f}"


def medfinansieringsdiagram(rapport: Arsrapport) -> str:
    """En stapel per avtal med garanterad medfinansiering, och gränsen som ett streck."""
    rad, vanster, bredd = 18, 150, _BREDD - 200
    hojd = rad * len(rapport.partnerskap) + 30
    delar = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_BREDD} {hojd}" role="img" '
        f'aria-labelledby="medfinansiering-titel medfinansiering-beskrivning">'
        '<title id="medfinansiering-titel">Garanterad medfinansiering per avtal</title>'
        '<desc id="medfinansiering-beskrivning">'
        + escape(
            f"Gränsen är {procentsats(rapport.min_andel)}. "
            + "; ".join(
                f"{a.id}: {visa(Andel(a.andel, rapport.min_andel))}" for a in rapport.partnerskap
            )
            + "."
        )
        + "</desc>"
    ]
    undantagna = rapport.undantagen("medfinansiering")
    for i, a in enumerate(rapport.partnerskap):
        y = 10 + i * rad
        klass = (
            "godkand"
            if a.andel >= rapport.min_andel
            else "undantag"
            if a.id in undantagna
            else "under"
        )
        delar.append(
            f'<text x="{vanster - 6}" y="{y + 12}" text-anchor="end">{escape(a.id)}</text>'
            f'<rect class="{klass}" x="{vanster}" y="{y + 2}" height="{rad - 5}" '
            f'width="{float(_x(a.andel, 0, bredd)):.1f}"><title>{escape(a.id)}: '
            f"{escape(visa(Andel(a.andel, rapport.min_andel)))}</title></rect>"
            f'<text x="{float(_x(a.andel, vanster, bredd)) + 4:.1f}" y="{y + 12}">'
            f"{escape(visa(Andel(a.andel, rapport.min_andel)))}</text>"
        )
    x = _x(rapport.min_andel, vanster, bredd)
    botten = hojd - 16
    delar.append(
        f'<line class="grans" x1="{x}" y1="4" x2="{x}" y2="{botten}"/>'
        f'<text x="{x}" y="{hojd - 4}" text-anchor="middle">'
        f"{escape(procentsats(rapport.min_andel))}</text></svg>"
    )
    return "".join(delar)


_SERIER: tuple[tuple[str, str], ...] = (
    ("medfinansieringsandel", "Garanterad medfinansiering"),
    ("naringslivsandel", "Näringslivets andel"),
    ("andel_naringslivets_initiativ", "Initierade av näringslivet"),
    ("andel_gemensamt_initiativ", "Initierade gemensamt"),
)


def indikatordiagram(historik: tuple[Indikatorer, ...]) -> str:
    """Indikatorernas andelar år för år, 0–100 %, och antal aktiva avtal under varje år."""
    vanster, topp, bredd, hojd = 50, 10, _BREDD - 250, 200
    steg = bredd / max(1, len(historik) - 1)
    delar = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_BREDD} {hojd + 50}" role="img" '
        'aria-labelledby="indikatorer-titel indikatorer-beskrivning">'
        '<title id="indikatorer-titel">Indikatorerna år för år</title>'
        '<desc id="indikatorer-beskrivning">'
        + escape(
            " ".join(
                f"{ind.ar} ({ind.aktiva} avtal): "
                + ", ".join(
                    f"{namn} {visa(Andel(getattr(ind, attribut)))}" for attribut, namn in _SERIER
                )
                + "."
                for ind in historik
            )
        )
        + "</desc>"
    ]
    for p in (0, 25, 50, 75, 100):
        y = topp + hojd * (100 - p) / 100
        delar.append(
            f'<line class="axel" x1="{vanster}" y1="{y}" x2="{vanster + bredd}" y2="{y}"/>'
            f'<text x="{vanster - 6}" y="{y + 4}" text-anchor="end">{p} %</text>'
        )
    for i, ind in enumerate(historik):
        x = f"{vanster + i * steg:.1f}"
        delar.append(
            f'<text x="{x}" y="{topp + hojd + 16}" text-anchor="middle">{ind.ar}</text>'
            f'<text x="{x}" y="{topp + hojd + 30}" text-anchor="middle">{ind.aktiva} avtal</text>'
        )
    # Baklänges, så att den första serien ritas överst.
    for n, ((attribut, namn), farg) in reversed(
        list(enumerate(zip(_SERIER, _FARGER, strict=True)))
    ):
        punkter = [
            f"{vanster + i * steg:.1f},{topp + hojd * (1 - float(v)):.1f}"
            for i, ind in enumerate(historik)
            if (v := getattr(ind, attribut)) is not None
        ]
        if punkter:
            delar.append(
                # Streckad: den första serien ligger ofta på näringslivets andel.
                f'<polyline class="serie{" forsta" if n == 0 else ""}" stroke="{farg}" '
                f'points="{" ".join(punkter)}">'
                f"<title>{escape(namn)}</title></polyline>"
            )
    for j, ((_, namn), farg) in enumerate(zip(_SERIER, _FARGER, strict=True)):
        y = topp + 10 + j * 18
        delar.append(
            f'<rect x="{vanster + bredd + 20}" y="{y - 9}" width="12" height="12" fill="{farg}"/>'
            f'<text x="{vanster + bredd + 38}" y="{y + 1}">{escape(namn)}</text>'
        )
    delar.append("</svg>")
    return "".join(delar)


def indikatortabell(historik: tuple[Indikatorer, ...]) -> str:
    """Diagrammets data som en tabell: textalternativet som går att läsa och kopiera."""
    rubriker = ("År", "Aktiva avtal", *(namn for _, namn in _SERIER))
    rader = "".join(
        "<tr>"
        + "".join(
            f'<td class="fast" data-rubrik="{escape(r)}">{escape(v)}</td>'
            for r, v in zip(
                rubriker,
                (
                    str(ind.ar),
                    str(ind.aktiva),
                    *(visa(Andel(getattr(ind, attribut))) for attribut, _ in _SERIER),
                ),
                strict=True,
            )
        )
        + "</tr>"
        for ind in historik
    )
    huvud = "".join(f'<th scope="col">{escape(r)}</th>' for r in rubriker)
    return (
        "<details><summary>Diagrammets data</summary>"
        f'<div class="tabell"><table class="data"><thead><tr>{huvud}</tr></thead>'
        f"<tbody>{rader}</tbody></table></div></details>"
    )


def render(rapport: Arsrapport, ut: TextIO) -> None:
    titel = f"Årsrapport {rapport.ar}: partnerskap med näringslivet"
    ut.write(
        f'<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(titel)}</title><style>{_STIL}</style></head><body>"
        f"<h1>{escape(titel)}</h1>"
        f'<p class="not">Enligt Strategi för partnerskap med näringslivet (KS 2014-04-22 § 93). '
        f"Uppföljningen per {rapport.brytdag}.</p>"
    )
    for t in tabeller(rapport):
        ut.write("".join(_tabell(t)))
        if t.nyckel == "partnerskap" and rapport.partnerskap:
            ut.write(
                '<figure id="diagram-medfinansiering">'
                f"{medfinansieringsdiagram(rapport)}<figcaption>Garanterad medfinansiering per "
                f"avtal; strecket är gränsen {escape(procentsats(rapport.min_andel))}, gult "
                "ett beslutat undantag."
                "</figcaption></figure>"
            )
        if t.nyckel == "indikatorer" and rapport.historik:
            ut.write(
                '<figure id="diagram-indikatorer">'
                f"{indikatordiagram(rapport.historik)}<figcaption>Indikatorerna för varje år i "
                f"registret till och med {rapport.ar}.</figcaption></figure>"
                + indikatortabell(rapport.historik)
            )
    ut.write("</body></html>\n")
