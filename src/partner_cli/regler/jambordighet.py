"""Jämbördighet: näringslivet bär en tillräcklig del av medfinansieringen, inte bara det offentliga.

Medfinansieringsregeln läser "annan part – näringslivet eller annan aktör" som strategin
skriver, så att regionen eller staten kan bära hela andelen. Strategins första utmaning är en
mer jämbördig fördelning "mellan näringslivet och det offentliga", så att näringslivets röst
hörs i projekten. Den här regeln varnar när näringslivets garanterade bidrag är mindre än
`min_näringslivsandel` av den garanterade medfinansieringen från andra parter (exakt gränsen
räcker). Meddelandet visar budgetens fördelning på näringslivet, andra offentliga aktörer och
kommunen.

Inställningar: `min_näringslivsandel` (standard 0.50), nivån (standard varning).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler.bas import Kontext, Problem
from partner_cli.varden import kronor, procent, procentsats

ID = "jämbördighet"
GRUND = "Utmaningar för starka partnerskap"
CITAT = (
    "Finansiering av utvecklingsprojekt behöver delas upp på ett mer jämbördigt vis mellan "
    "näringslivet och det offentliga för att båda parter engagemang ska öka och för att "
    "näringslivet röst på ett bättre sätt ska komma fram i projekten."
)
NIVA = "varning"
KONF: dict[str, type] = {"min_näringslivsandel": Fraction}
STANDARD: dict[str, Any] = {"min_näringslivsandel": Fraction(1, 2)}
EXEMPEL_GODKANT = """\
finansiering:
  kommunen: {kontant: 500 000 kr}
  motparter:
    - namn: Örebro Logistikpartner AB
      kategori: näringsliv
      kontant: 300 000 kr
      garanterad: ja
      underlag: Avsiktsförklaring undertecknad 2014-05-12
    - namn: Region Örebro län
      organisationsnummer: 232100-0164
      kategori: offentlig
      kontant: 200 000 kr
      garanterad: ja
      underlag: Regionens beslut 2014-05-20
"""
EXEMPEL_UNDERKANT = """\
finansiering:
  kommunen: {kontant: 500 000 kr}
  motparter:
    - namn: Örebro Logistikpartner AB
      kategori: näringsliv
      kontant: 100 000 kr
      garanterad: ja
      underlag: Avsiktsförklaring undertecknad 2014-05-12
    - namn: Region Örebro län
      organisationsnummer: 232100-0164
      kategori: offentlig
      kontant: 400 000 kr
      garanterad: ja
      underlag: Regionens beslut 2014-05-20
"""


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    f = forslag.fordelning
    if not f.medfinansiering:
        return  # ingen medfinansiering alls: regeln medfinansiering säger det
    grans: Fraction = inst["min_näringslivsandel"]
    andel = Fraction(f.naringslivet, f.medfinansiering)
    if andel >= grans:
        return
    ovriga = f" och övriga {kronor(f.ovriga)}" if f.ovriga else ""
    yield Problem(
        "finansiering.motparter",
        f"Näringslivet garanterar {procent(andel, grans)} av medfinansieringen "
        f"({kronor(f.naringslivet)} av {kronor(f.medfinansiering)}; andra offentliga aktörer "
        f"{kronor(f.offentliga)}{ovriga}); strategin vill se finansieringen delad mer jämbördigt "
        f"mellan näringslivet och det offentliga, här minst {procentsats(grans)} från "
        f"näringslivet. Budgeten: {f.text}",
    )
