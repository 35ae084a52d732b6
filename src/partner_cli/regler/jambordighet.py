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
from partner_cli.regler.bas import Exempel, Kontext, Problem, finansiering, motpart, regionen
from partner_cli.varden import jamfor_andel, kronor, procent, procentsats

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
EXEMPEL_GODKANT = finansiering("500 000 kr", motpart("300 000 kr"), regionen("200 000 kr"))
EXEMPEL_UNDERKANT = finansiering("500 000 kr", motpart("100 000 kr"), regionen("400 000 kr"))


TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "min_näringslivsandel",
        "Näringslivets del av den garanterade medfinansieringen från andra parter som krävs för "
        "att inte varna (standard 0.50; exakt gränsen räcker).",
        finansiering("500 000 kr", motpart("375 000 kr"), regionen("125 000 kr")),
        finansiering("500 000 kr", motpart("300 000 kr"), regionen("200 000 kr")),
        """\
[kommun]
namn = "Örebro kommun"
organisationsnummer = "212000-1967"
bolag = ["556912-3457"]
[regler."jämbördighet"]
"min_näringslivsandel" = 0.75
""",
    ),
    Exempel(
        "gruppsiffran 2",
        "En medfinansiär vars organisationsnummer har gruppsiffran 2 (stat, regioner, kommuner) "
        "räknas som offentlig vad kategorin än säger.",
        finansiering("500 000 kr", motpart("300 000 kr"), regionen("200 000 kr")),
        finansiering("500 000 kr", motpart("200 000 kr"), regionen("300 000 kr", "näringsliv")),
        """\
[kommun]
namn = "Örebro kommun"
organisationsnummer = "212000-1967"
bolag = ["556912-3457"]
""",
    ),
)


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    f = forslag.fordelning
    if not f.medfinansiering:
        return  # ingen medfinansiering alls: regeln medfinansiering säger det
    grans: Fraction = inst["min_näringslivsandel"]
    if jamfor_andel(f.naringslivet, f.medfinansiering, grans) >= 0:
        return
    andel = Fraction(f.naringslivet, f.medfinansiering)
    ovriga = f" och övriga {kronor(f.ovriga)}" if f.ovriga else ""
    yield Problem(
        "finansiering.motparter",
        f"Näringslivet garanterar {procent(andel, grans)} av medfinansieringen "
        f"({kronor(f.naringslivet)} av {kronor(f.medfinansiering)}; andra offentliga aktörer "
        f"{kronor(f.offentliga)}{ovriga}); strategin vill se finansieringen delad mer jämbördigt "
        f"mellan näringslivet och det offentliga, här minst {procentsats(grans)} från "
        f"näringslivet. Budgeten: {f.text}",
    )
