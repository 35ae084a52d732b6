"""Strategins regler, en modul per regel, i en handskriven förteckning.

Varje regelmodul har `ID`, `GRUND` (stycket i strategin den vilar på), `NIVA`, `KONF`
(inställningar och deras typ), `STANDARD`, exempel som dokumenteras och testas, och en
`check()` som ger `Problem` och aldrig skriver ut något. Kärnan (`granska`) stämplar regel,
nivå, plats och grund på varje fynd, så att reglerna förblir små.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from partner_cli.modell import Forslag, Fynd, Niva
from partner_cli.regler import (
    avtalsagare,
    ekonomi,
    insyn,
    langsiktighet,
    mal,
    medfinansiering,
    tillampning,
    utvardering,
)
from partner_cli.regler.bas import Kontext

REGLER: dict[str, ModuleType] = {
    m.ID: m
    for m in (
        tillampning,
        medfinansiering,
        insyn,
        ekonomi,
        langsiktighet,
        mal,
        utvardering,
        avtalsagare,
    )
}
NIVAER = ("fel", "varning", "av")


def standardinstallningar() -> dict[str, dict[str, Any]]:
    return {id_: {"nivå": m.NIVA, **m.STANDARD} for id_, m in REGLER.items()}


def granska(
    forslag: Forslag,
    installningar: Mapping[str, Mapping[str, Any]],
    kontext: Kontext | None = None,
) -> tuple[list[Fynd], bool]:
    """Kör reglerna; ger fynden och om strategin är tillämplig alls."""
    fynd: list[Fynd] = []
    for id_, regel in REGLER.items():
        inst = installningar[id_]
        if inst["nivå"] == "av":
            continue
        for p in regel.check(forslag, inst, kontext):
            rad, kolumn = forslag.plats(p.sokvag)
            # En varning förblir varning; en sänkt regel sänker också sina fel.
            niva: Niva = "varning" if p.niva == "varning" else inst["nivå"]
            fynd.append(Fynd(id_, niva, p.meddelande, rad, kolumn, p.sokvag, regel.GRUND))
        if id_ == tillampning.ID and fynd:
            return fynd, False
    return fynd, True


__all__ = ["NIVAER", "REGLER", "Kontext", "granska", "standardinstallningar"]
