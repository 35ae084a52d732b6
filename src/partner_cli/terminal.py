"""Tabeller och färg för människor: Rich i en terminal, enkel text i ett rör eller en fil.

Den enda modulen som importerar Rich, och först när något ska visas i en terminal. Till en
fil skrivs tabellerna som rader med kolumner utfyllda med mellanslag: lika läsbara, bra
för grep och diff, och snabba även med tiotusentals rader.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

MARKERAD = "*"


def konsol(ut: TextIO) -> Console:
    from rich.console import Console

    return Console(file=ut, highlight=False)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def ar_terminal(ut: TextIO) -> bool:
    return ut.isatty() and os.environ.get("TERM") != "dumb"


def tabell(
    ut: TextIO,
    rubrik: str,
    kolumner: Sequence[str],
    rader: Sequence[Sequence[str]],
    *,
    markerade: Collection[int] = (),
    fri: Sequence[bool] | None = None,
) -> None:
    """En tabell; `fri` säger vilka kolumner som är fritext och får radbrytas i terminalen.

    Cellerna kommer ur filer och registret: styrtecken i dem visas som flyktsekvenser."""
    from partner_cli.saker import kommandostart, radborjan, ren, synlig

    # En sökning över alla celler först: rapporter har hundratusentals, nästan alltid rena.
    if not ren("\t".join(map("\t".join, rader))):
        rader = [[synlig(c) for c in r] for r in rader]
    if any(map(kommandostart, map(itemgetter(0), rader))):
        rader = [[radborjan(r[0]), *r[1:]] for r in rader]
    if ar_terminal(ut):
        _rich_tabell(ut, rubrik, kolumner, rader, markerade, fri or [True] * len(kolumner))
    else:
        ut.write(enkel_tabell(rubrik, kolumner, rader, markerade))


def enkel_tabell(
    rubrik: str,
    kolumner: Sequence[str],
    rader: Sequence[Sequence[str]],
    markerade: Collection[int] = (),
) -> str:
    """Rubrik, kolumnnamn, streck och en rad per rad; markerade rader börjar med `*`."""
    # Kolumn för kolumn; zip med strict: varje rad har tabellens antal kolumner.
    kolumnvis = list(zip(*rader, strict=True)) if rader else [() for _ in kolumner]
    bredder = [
        max(len(k), max(map(len, celler), default=0))
        for k, celler in zip(kolumner, kolumnvis, strict=True)
    ]
    # Utfyllnaden och sammanfogningen kolumnvis med map, utan ett Python-anrop per rad:
    # tabellerna har tiotusentals rader. Rubrikraden och strecken först.
    utfyllda = [
        list(map(str.ljust, (k, "-" * b, *celler), repeat(b)))
        for k, b, celler in zip(kolumner, bredder, kolumnvis, strict=True)
    ]
    text = list(map(str.rstrip, map("  ".join, zip(*utfyllda, strict=True))))
    if markerade:
        tecken = ["  "] * len(text)
        for i in markerade:
            tecken[i + 2] = f"{MARKERAD} "
        text = list(map(str.__add__, tecken, text))
    return "\n".join([rubrik, *text]) + "\n"


# Fritext bryts mellan ord, och ett ord längre än så här delas hellre än att tabellen
# ger upp; id, datum och belopp står i kolumner som inte är fritext och delas aldrig.
LANGSTA_ORD = 20
MELLANRUM = 2  # mellan kolumnerna
INDRAG = 2  # fälten under varje post när tabellen inte ryms


def kolumnbredder(
    kolumner: Sequence[str], rader: Sequence[Sequence[str]], fri: Sequence[bool], bredd: int
) -> list[int] | None:
    """Varje kolumns bredd i en tabell som ryms på `bredd` tecken, eller None om ingen gör det.

    Varje kolumn får sin naturliga bredd (rubriken och den längsta cellen) när allt ryms.
    Annars får en kolumn som inte är fritext minst sin längsta cell och rubrikens längsta ord
    (rubriken bryts mellan ord), fritext minst sitt längsta ord (högst `LANGSTA_ORD` när inte
    ens det ryms; de kolumner det går för får hela sina ord, och sedan kolumner som inte är
    fritext sina hela rubriker), och det som blir över delas efter hur mycket varje kolumn
    saknar.
    """
    naturlig: list[int] = []
    steg: list[list[int]] = [[], [], []]  # minst, hela ord i fritexten, hela rubriker
    for j, k in enumerate(kolumner):
        celler = [r[j] for r in rader]
        rubrikord = max(len(o) for o in [*k.split(), ""])
        langst = max([0, *map(len, celler)])
        hel = max(len(k), langst)
        naturlig.append(hel)
        if fri[j]:
            ord_ = max([rubrikord, 1, *(len(o) for c in celler for o in c.split())])
            steg[0].append(min(hel, max(rubrikord, min(ord_, LANGSTA_ORD), 1)))
            steg[1].append(min(hel, ord_))
            steg[2].append(steg[1][-1])
        else:
            steg[0].append(max(rubrikord, langst, 1))
            steg[1].append(steg[0][-1])
            steg[2].append(hel)
    plats = bredd - MELLANRUM * (len(kolumner) - 1)
    if sum(naturlig) <= plats:
        return naturlig
    if sum(steg[0]) > plats:
        return None
    # Hela ord, sedan hela rubriker, kolumn för kolumn med den minsta ökningen först.
    bredder = list(steg[0])
    for mal in steg[1:]:
        for j in sorted(range(len(bredder)), key=lambda j: mal[j] - bredder[j]):
            if sum(bredder) - bredder[j] + mal[j] <= plats:
                bredder[j] = max(bredder[j], mal[j])
    over = plats - sum(bredder)
    saknas = [n - b for n, b in zip(naturlig, bredder, strict=True)]
    bredder = [b + over * s // sum(saknas) for b, s in zip(bredder, saknas, strict=True)]
    # Det som avrundningen lämnade går till dem som saknar mest.
    for j in sorted(range(len(bredder)), key=lambda j: bredder[j] - naturlig[j]):
        if sum(bredder) == plats:
            break
        bredder[j] += 1
    return bredder


def _rich_tabell(
    ut: TextIO,
    rubrik: str,
    kolumner: Sequence[str],
    rader: Sequence[Sequence[str]],
    markerade: Collection[int],
    fri: Sequence[bool],
) -> None:
    from rich import box
    from rich.table import Table

    k = konsol(ut)
    bredder = kolumnbredder(kolumner, rader, fri, k.width)
    if bredder is None:
        _poster(k, rubrik, kolumner, rader, markerade)
        return
    t = Table(
        title=rubrik,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, MELLANRUM - 1, 0, 0),
        pad_edge=False,
    )
    for namn, b in zip(kolumner, bredder, strict=True):
        t.add_column(namn, width=b, overflow="fold")
    for i, r in enumerate(rader):
        t.add_row(*map(escape, r), style="bold yellow" if i in markerade else None)
    k.print(t)


def _poster(
    k: Console,
    rubrik: str,
    kolumner: Sequence[str],
    rader: Sequence[Sequence[str]],
    markerade: Collection[int],
) -> None:
    """En post per rad när tabellen inte ryms: ett fält per kolumn med kolumnens namn, och
    den första cellen i fetstil (markerade rader i gult)."""
    from rich.padding import Padding
    from rich.table import Table

    etikett = max(len(n) for n in kolumner)
    varde = max(1, k.width - INDRAG - etikett - MELLANRUM)
    k.print(f"[bold]{escape(rubrik)}[/]")
    for i, r in enumerate(rader):
        falt = Table.grid(padding=(0, MELLANRUM, 0, 0))
        falt.add_column(width=etikett, no_wrap=True, style="dim")
        falt.add_column(max_width=varde, overflow="fold")
        for j, (namn, cell) in enumerate(zip(kolumner, r, strict=True)):
            stil = "bold yellow" if i in markerade else "bold" if j == 0 else None
            falt.add_row(escape(namn), escape(cell), style=stil)
        k.print()
        k.print(Padding(falt, (0, 0, 0, INDRAG), expand=False))


def rad(k: Console, markering: str) -> None:
    """En rad som aldrig bryts av Rich (`FIL:RAD:KOLUMN: …` ska gå att klicka på i en
    redigerare); terminalen radbryter den själv för ögat."""
    k.print(markering, soft_wrap=True)
