"""Beslutsunderlagets dokument: avsnitt av stycken, uppställningar, listor och tabeller, med
varje värde redan i svensk form. Formaten i `underlag/` skriver det och vet inget om förslaget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from partner_cli.modell import Avtalsagare, Forslag
from partner_cli.varden import andel_text


@dataclass(frozen=True, slots=True)
class Stycke:
    text: str
    klass: str = ""  # "citat" eller "not": formaten får visa dem för sig


@dataclass(frozen=True, slots=True)
class Uppstallning:
    """Rubrik och värde, rad för rad."""

    rader: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Lista:
    punkter: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tabell:
    kolumner: tuple[str, ...]
    rader: tuple[tuple[str, ...], ...]
    tal: frozenset[int] = frozenset()  # kolumner med belopp och andelar: högerställda, hela
    summa: bool = False  # sista raden är en summa


Block = Stycke | Uppstallning | Lista | Tabell


@dataclass(frozen=True, slots=True)
class Avsnitt:
    rubrik: str
    block: tuple[Block, ...]
    niva: int = 2  # rubriknivå: 2 för avsnitt, 3 för delavsnitt


@dataclass(frozen=True, slots=True)
class Underlag:
    id: str
    titel: str
    utfall: str
    avsnitt: tuple[Avsnitt, ...]
    datum: dt.date = field(default_factory=dt.date.today)


def ja_nej(v: bool | None) -> str:
    """ja, nej eller – när förslaget inte säger det."""
    return "–" if v is None else "ja" if v else "nej"


def andel_eller_streck(v: Fraction | None) -> str:
    """Andelen i procent, eller – när den inte går att räkna (en budget på 0 kr)."""
    return "–" if v is None else andel_text(v)


def avtalsagare(f: Forslag) -> str:
    """Förslagets avtalsägare med enhet, flera med semikolon emellan."""
    a = f.avtalsagare
    if a is None:
        return "–"
    agare: tuple[Avtalsagare, ...] = (a,) if isinstance(a, Avtalsagare) else a
    return (
        "; ".join(f"{x.namn}, {x.enhet}" if x.enhet else x.namn or "(utan namn)" for x in agare)
        or "–"
    )
