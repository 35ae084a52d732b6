"""Avtalsägare: en avtalsägare och helst ett samarbetsavtal per extern organisation.

`avtalsägare` är en karta med ett namn som inte är tomt: exakt en person, aldrig en lista.
När ett register finns prövas förslaget mot det: en organisation som redan har en annan
avtalsägare är fel, och ett annat avtal med samma organisation som överlappar perioden ger
en varning ("helst ett samarbetsavtal per organisation"). Ett avtal som redan står i
registret har organisationens avtalsägare vad dess fil än säger: ägaren byts för
organisationen (beslut om ägarbyte, `register byt-ägare`), inte i dess äldre filer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.arkiv import jamforbart
from partner_cli.modell import Avtalsagare, Forslag
from partner_cli.regler.bas import Exempel, Kontext, Problem

ID = "avtalsägare"
GRUND = "Det kommunala ansvaret"
CITAT = (
    "Örebro kommun ska ha en avtalsägare och helst ett samarbetsavtal per extern organisation. "
    "För att uppnå detta krävs att kommunens engagemang gentemot en organisation kanaliseras "
    "och samordnas genom en funktion som ytterst ansvarar för partnerskapet."
)
NIVA = "fel"
KONF: dict[str, type] = {}
STANDARD: dict[str, Any] = {}
EXEMPEL_GODKANT = """\
avtalsägare:
  namn: Anna Lind
  enhet: Avdelningen för näringsliv och kompetens
"""
EXEMPEL_UNDERKANT = """\
avtalsägare:
  - namn: Anna Lind
  - namn: Per Berg
"""


TOLKNINGAR: tuple[Exempel, ...] = ()


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    agare = forslag.avtalsagare
    if agare is None or agare == ():
        yield Problem(
            "avtalsägare",
            "Avtalsägare saknas: kommunen ska ha en avtalsägare per extern organisation",
        )
        return
    if not isinstance(agare, Avtalsagare):  # en lista: förslagets tupel av ägare
        yield Problem(
            "avtalsägare",
            f"Avtalsägaren ska vara exakt en person, inte en lista med {len(agare)}",
        )
        return
    if not agare.namn:
        yield Problem("avtalsägare.namn", "Avtalsägarens namn saknas")
        return
    if kontext is None:
        return
    orgnr = forslag.motpart.organisationsnummer
    nuvarande = kontext.agare(orgnr)
    # Samma person oavsett skiftläge och mellanslag: "anna  lind" är Anna Lind. Ett avtal som
    # redan är registrerat har organisationens ägare, vad filen än säger: ett byte av
    # avtalsägare (ägarbyte, byt-ägare) gäller organisationen, inte dess äldre filer.
    if (
        nuvarande is not None
        and jamforbart(nuvarande[0]) != jamforbart(agare.namn)
        and not kontext.registrerat(orgnr, forslag.id)
    ):
        fil = kontext.omgangens_fil(orgnr)
        if fil is not None:
            yield Problem(
                "avtalsägare.namn",
                f"{forslag.motpart.namn} ({orgnr}) har avtalsägaren {nuvarande[0]} i {fil} i "
                "samma körning, och en organisation har en avtalsägare: ange samma "
                "avtalsägare i båda förslagen",
            )
            return
        yield Problem(
            "avtalsägare.namn",
            f"{forslag.motpart.namn} ({orgnr}) har redan avtalsägaren {nuvarande[0]} i "
            "registret, och en organisation har en avtalsägare. Byt ägare med "
            f"`partner register byt-ägare {orgnr} --namn {_citera(agare.namn)}` om det är "
            "avsikten",
        )
    andra = kontext.overlappande(orgnr, forslag.period.start, forslag.period.slut, forslag.id)
    if andra:
        yield Problem(
            "motpart.organisationsnummer",
            f"{forslag.motpart.namn} har redan avtal under perioden ({', '.join(andra)}); "
            "helst ett samarbetsavtal per organisation",
            "varning",
        )


def _citera(text: str) -> str:
    return f'"{text}"' if re.search(r"\s", text) else text
