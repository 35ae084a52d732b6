"""Tabeller och färg för människor: Rich i en terminal, enkel text i ett rör eller en fil.

Den enda modulen som importerar Rich, och först när något ska visas i en terminal. Till en
fil skrivs tabellerna som rader med kolumner utfyllda med mellanslag: lika läsbara, bra
för grep och diff, och snabba även med tiotusentals rader.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
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
    from partner_cli.saker import radborjan, ren, synlig

    # En sökning över alla celler först: rapporter har hundratusentals, nästan alltid rena.
    if not ren("\t".join(c for r in rader for c in r)):
        rader = [[synlig(c) for c in r] for r in rader]
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
    bredder = [max([len(k), *(len(r[j]) for r in rader)]) for j, k in enumerate(kolumner)]
    marginal = bool(markerade)

    def rad(celler: Sequence[str], tecken: str = " ") -> str:
        text = "  ".join(c.ljust(b) for c, b in zip(celler, bredder, strict=True)).rstrip()
        return f"{tecken} {text}" if marginal else text

    utdata = [rubrik, rad(kolumner), rad(["-" * b for b in bredder])]
    utdata += [rad(r, MARKERAD if i in markerade else " ") for i, r in enumerate(rader)]
    return "\n".join(utdata) + "\n"


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

    t = Table(
        title=rubrik,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for j, k in enumerate(kolumner):
        # Id, belopp och andelar får exakt sin bredd; fritext bryts bara mellan ord.
        ord_ = [d for r in rader for d in (r[j].split() if fri[j] else [r[j]])]
        bredd = max(len(d) for d in [*ord_, *k.split()])
        if fri[j]:
            t.add_column(k, overflow="fold", min_width=bredd)
        else:
            t.add_column(k, width=bredd, no_wrap=True)
    for i, r in enumerate(rader):
        t.add_row(*map(escape, r), style="bold yellow" if i in markerade else None)
    konsol(ut).print(t)
