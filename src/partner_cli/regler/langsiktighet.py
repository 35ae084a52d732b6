"""Långsiktighet: projektets förmåga att leva kvar efter avtalstidens slut vägs in.

`långsiktighet.efter_avtalstiden` ska finnas och inte vara tom.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler.bas import Exempel, Kontext, Problem

ID = "långsiktighet"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 3"
CITAT = (
    "Projektets långsiktiga planering och dess förmåga att leva kvar efter avtalstidens slut "
    "kommer också att vägas in."
)
NIVA = "fel"
KONF: dict[str, type] = {}
STANDARD: dict[str, Any] = {}
EXEMPEL_GODKANT = """\
långsiktighet:
  efter_avtalstiden: Verksamheten bärs av medlemsavgifter från 2017.
"""
EXEMPEL_UNDERKANT = """\
långsiktighet:
  efter_avtalstiden: ""
"""


TOLKNINGAR: tuple[Exempel, ...] = ()


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    if forslag.langsiktighet is None or not forslag.langsiktighet.efter_avtalstiden:
        yield Problem(
            "långsiktighet.efter_avtalstiden",
            "Beskriv hur verksamheten lever vidare efter avtalstiden "
            "(långsiktighet.efter_avtalstiden)",
        )
