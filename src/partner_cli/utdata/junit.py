"""JUnit XML: ett testfall per fil, för CI-system som visar testrapporter (GitLab, Jenkins).

Ett underkänt eller ogiltigt förslag får `<failure>` med varje fel, ett förslag där strategin
inte gäller `<skipped>`; varningar och undantag står i `<system-out>`. Utfallet står också som
egenskapen `utfall`. XML byggs med xml.etree, som sköter kodningen av tecken; filnamn och
meddelanden visas genom `saker` (styrtecken som synliga flyktsekvenser), och tecken som XML
1.0 inte tillåter alls byts för säkerhets skull mot U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from partner_cli.modell import Filresultat, Fynd, Kontrollresultat
from partner_cli.saker import filnamn, synlig
from partner_cli.utdata.plats import relativ

_EJ_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _ren(text: str) -> str:
    return _EJ_XML.sub("\ufffd", text)


def _rader(r: Filresultat, fynd: list[Fynd]) -> str:
    return "".join(
        f"{filnamn(relativ(r.fil))}:{f.rad}:{f.kolumn}: {f.niva} [{f.regel}] {synlig(f.text)}\n"
        for f in fynd
    )


def _misslyckat(r: Filresultat, strikt: bool) -> bool:
    return r.utfall in ("underkänd", "ogiltig") or (
        strikt and r.utfall == "godkänd" and bool(r.antal("varning"))
    )


def _testfall(r: Filresultat, strikt: bool) -> ET.Element:
    fil = filnamn(relativ(r.fil))
    fall = ET.Element("testcase", classname="partner.check", name=_ren(fil), file=_ren(fil))
    egenskaper = ET.SubElement(fall, "properties")
    ET.SubElement(egenskaper, "property", name="utfall", value=r.utfall)
    if r.id is not None:
        ET.SubElement(egenskaper, "property", name="id", value=_ren(r.id))
    fel = [f for f in r.fynd if f.niva == "fel"]
    if r.utfall == "ej_tillämplig":
        orsak = "; ".join(synlig(f.meddelande) for f in fel) or "Strategin är inte tillämplig"
        ET.SubElement(fall, "skipped", message=_ren(orsak))
    elif r.utfall in ("underkänd", "ogiltig"):
        fel_ = ET.SubElement(fall, "failure", message=f"{r.utfall}: {len(fel)} fel", type=r.utfall)
        fel_.text = _ren(_rader(r, fel))
    elif strikt and r.antal("varning"):
        varningar = [f for f in r.fynd if f.niva == "varning"]
        text = f"{len(varningar)} varningar med --strikt"
        ET.SubElement(fall, "failure", message=text, type="varning").text = _ren(
            _rader(r, varningar)
        )
    ovriga = [f for f in r.fynd if f.niva != "fel"]
    if ovriga:
        ET.SubElement(fall, "system-out").text = _ren(_rader(r, ovriga))
    return fall


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    """Huvudet med antalen, sedan ett testfall i taget: minnet växer inte med antalet filer."""
    antal = {
        "tests": str(len(resultat.filer)),
        "failures": str(sum(1 for r in resultat.filer if _misslyckat(r, resultat.strikt))),
        "errors": "0",
        "skipped": str(resultat.antal("ej_tillämplig")),
    }
    attribut = " ".join(f'{k}="{v}"' for k, v in antal.items())
    ut.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    ut.write(f'<testsuites name="partner" {attribut}>\n')
    ut.write(f'  <testsuite name="partner check" {attribut}>\n')
    for r in resultat.filer:
        fall = _testfall(r, resultat.strikt)
        ET.indent(fall, level=2)
        ut.write("    " + ET.tostring(fall, encoding="unicode") + "\n")
    ut.write("  </testsuite>\n</testsuites>\n")
