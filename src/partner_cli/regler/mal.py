"""Mål: varje partnerskap har gemensamt överenskomna mål att utvärderas mot.

Minst ett mål, och varje mål har `beskrivning`, `indikator`, `målvärde` och
`överenskommet: ja`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.namn import attributnamn
from partner_cli.regler.bas import Exempel, Kontext, Problem

ID = "mål"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 4"
CITAT = "Varje partnerskap skall utvärderas utifrån gemensamt överenskomna mål."
NIVA = "fel"
KONF: dict[str, type] = {}
STANDARD: dict[str, Any] = {}
EXEMPEL_GODKANT = """\
mål:
  - beskrivning: Fler etableringar
    indikator: Antal nya etableringar
    målvärde: 20
    överenskommet: ja
"""
EXEMPEL_UNDERKANT = """\
mål:
  - beskrivning: Fler etableringar
    indikator: Antal nya etableringar
    målvärde: 20
    överenskommet: nej
"""


TOLKNINGAR: tuple[Exempel, ...] = ()


_KRAVDA = tuple((n, attributnamn(n)) for n in ("beskrivning", "indikator", "målvärde"))


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    if not forslag.mal:
        yield Problem(
            "mål", "Inga mål angivna: partnerskapet ska utvärderas mot gemensamt överenskomna mål"
        )
    for i, mal in enumerate(forslag.mal, 1):
        for nyckel, attr in _KRAVDA:
            if not getattr(mal, attr):
                yield Problem(f"mål[{i - 1}].{nyckel}", f"Mål {i} saknar {nyckel}")
        if mal.overenskommet is not True:
            yield Problem(
                f"mål[{i - 1}].överenskommet",
                f"Mål {i} är inte överenskommet med motparten (överenskommet: ja)",
            )
