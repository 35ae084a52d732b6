"""Ekonomi: motpartens ekonomi granskas och vägs in.

Avsnittet `ekonomi` ska finnas med alla sex fält. `räkenskapsår` får inte ligga efter
avtalets startår och inte mer än `max_ålder_år` år före det. Varningar (inte fel) ges för
förlust, negativt eget kapital och beroende av offentliga medel: offentlig finansiering
delad med omsättningen över `max_offentlig_andel` (strategins "Utmaningar").

Inställningar: `max_ålder_år` (standard 2), `max_offentlig_andel` (standard 0.50).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.namn import attributnamn
from partner_cli.regler.bas import Kontext, Problem
from partner_cli.varden import kronor, procent, procentsats

ID = "ekonomi"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 3"
CITAT = (
    "Vid bedömning av framtida projekt och partnerskapsavtal kommer respektive organisations "
    "ekonomi att granskas och vägas in i beslut."
)
NIVA = "fel"
KONF: dict[str, type] = {"max_ålder_år": int, "max_offentlig_andel": Fraction}
STANDARD: dict[str, Any] = {"max_ålder_år": 2, "max_offentlig_andel": Fraction(1, 2)}
EXEMPEL_GODKANT = """\
ekonomi:
  räkenskapsår: 2013
  omsättning: 2 400 000 kr
  resultat: 120 000
  eget_kapital: 600 000
  offentlig_finansiering: 240 000
  källa: Årsredovisning 2013
"""
EXEMPEL_UNDERKANT = """\
ekonomi:
  räkenskapsår: 2010
  omsättning: 2 400 000 kr
  resultat: 120 000
  eget_kapital: 600 000
  offentlig_finansiering: 240 000
  källa: Årsredovisning 2010
"""
_FALT = (
    "räkenskapsår",
    "omsättning",
    "resultat",
    "eget_kapital",
    "offentlig_finansiering",
    "källa",
)


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    e = forslag.ekonomi
    if e is None:
        yield Problem(
            "ekonomi",
            f"Motpartens ekonomi saknas: ange ekonomi med {', '.join(_FALT)}",
        )
        return
    for nyckel in _FALT:
        if getattr(e, attributnamn(nyckel)) is None:
            yield Problem(f"ekonomi.{nyckel}", f"ekonomi.{nyckel} saknas")
    startar = forslag.period.start.year
    max_alder: int = inst["max_ålder_år"]
    if e.rakenskapsar is not None:
        if e.rakenskapsar > startar:
            yield Problem(
                "ekonomi.räkenskapsår",
                f"Räkenskapsåret {e.rakenskapsar} ligger efter avtalets startår {startar}",
            )
        elif e.rakenskapsar < startar - max_alder:
            yield Problem(
                "ekonomi.räkenskapsår",
                f"Räkenskapsåret {e.rakenskapsar} är för gammalt: högst {max_alder} år före "
                f"startåret {startar}, alltså {startar - max_alder} eller senare",
            )
    if e.resultat is not None and e.resultat < 0:
        yield Problem(
            "ekonomi.resultat", f"Motparten redovisar förlust ({kronor(e.resultat)})", "varning"
        )
    if e.eget_kapital is not None and e.eget_kapital < 0:
        yield Problem(
            "ekonomi.eget_kapital",
            f"Motparten har negativt eget kapital ({kronor(e.eget_kapital)})",
            "varning",
        )
    grans: Fraction = inst["max_offentlig_andel"]
    if e.omsattning and e.offentlig_finansiering is not None:
        beroende = Fraction(e.offentlig_finansiering, e.omsattning)
        if beroende > grans:
            yield Problem(
                "ekonomi.offentlig_finansiering",
                f"{procent(beroende, grans, strikt=True)} av motpartens omsättning är "
                f"offentliga medel (över {procentsats(grans)}): risk att organisationen blir "
                "beroende av offentliga medel för sin överlevnad",
                "varning",
            )
