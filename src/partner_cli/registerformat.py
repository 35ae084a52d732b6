"""Registrets kommandon i text, json och csv: vyerna kommandona bygger och deras renderare.

En vy bär både det människor ser (`celler`, i terminalen som en tabell) och det program får
(`data`, oförändrade värden ur registret). Kommandot hämtar vyn ur registret; renderaren
skriver den till en ström och vet inget om registret.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TextIO

from partner_cli.formatregister import Format, Formatregister


@dataclass(frozen=True, slots=True)
class Tabell:
    """Raderna i `register list`, `ägare` och `historik`."""

    titel: str
    kolumner: Sequence[str]
    celler: Sequence[Sequence[str]]
    data: Sequence[dict[str, Any]]
    markerade: Collection[int] = ()
    fot: str | None = None


@dataclass(frozen=True, slots=True)
class Avtalsvy:
    """Ett avtal i `register show`; gränsen gör att visade andelar aldrig motsäger regeln."""

    data: dict[str, Any]
    grans: Fraction


def text(tabell: Tabell, ut: TextIO) -> None:
    from partner_cli import terminal

    terminal.tabell(ut, tabell.titel, tabell.kolumner, tabell.celler, markerade=tabell.markerade)
    if tabell.fot:
        ut.write(tabell.fot + "\n")


def json_(vy: Tabell | Avtalsvy, ut: TextIO) -> None:
    import json

    ut.write(json.dumps(vy.data, ensure_ascii=False, indent=2) + "\n")


def csv_(tabell: Tabell, ut: TextIO) -> None:
    import csv

    skrivare = csv.writer(ut, lineterminator="\n")
    if tabell.data:
        skrivare.writerow(tabell.data[0])
    skrivare.writerows(["" if v is None else v for v in r.values()] for r in tabell.data)


_MODUL = __name__
TABELLFORMAT: Formatregister[Callable[[Tabell, TextIO], None]] = Formatregister(
    Format("text", "", _MODUL, funktion="text"),
    Format("json", "", _MODUL, funktion="json_"),
    Format("csv", "", _MODUL, funktion="csv_"),
)
AVTALSFORMAT: Formatregister[Callable[[Avtalsvy, TextIO], None]] = Formatregister(
    Format("text", "", "partner_cli.register_cli", funktion="visa_avtal"),
    Format("json", "", _MODUL, funktion="json_"),
)
# Exporten: hela registret, som en JSON-fil eller en CSV-fil per tabell i en katalog.
EXPORTFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("json", "", "partner_cli.register", funktion="skriv_json"),
    Format(
        "csv",
        "en fil per tabell i --ut KATALOG",
        "partner_cli.register",
        funktion="skriv_csv",
        katalog=True,
    ),
)
