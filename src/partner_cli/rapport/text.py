"""Årsrapporten som Rich-tabeller, med en stapel per avtal för medfinansieringen mot gränsen."""

from __future__ import annotations

import os
from fractions import Fraction
from typing import TextIO

from partner_cli.rapport import Arsrapport
from partner_cli.rapport.tabeller import Andel, tabeller, visa
from partner_cli.varden import procentsats

STAPELBREDD = 40
BREDD_UTAN_TERMINAL = 160


def stapel(andel: Fraction, grans: Fraction, bredd: int = STAPELBREDD) -> str:
    """`██████░░░│░░░`: andelen fylld, gränsen som ett streck."""
    fylld = min(bredd, int(andel * bredd))
    tecken = ["█"] * fylld + ["░"] * (bredd - fylld)
    streck = min(bredd - 1, int(grans * bredd))
    tecken[streck] = "┃" if fylld > streck else "│"
    return "".join(tecken)


def render(rapport: Arsrapport, ut: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # Till en fil eller ett rör finns ingen terminalbredd att hålla sig inom.
    bredd = None if ut.isatty() or os.environ.get("COLUMNS") else BREDD_UTAN_TERMINAL
    konsol = Console(file=ut, highlight=False, width=bredd)
    konsol.print(f"[bold]Årsrapport {rapport.ar}[/] — partnerskap med näringslivet")
    for t in tabeller(rapport):
        konsol.print()
        if not t.rader:
            konsol.print(f"[bold]{escape(t.rubrik)}[/]\n{escape(t.tom)}")
            continue
        tabell = Table(
            title=t.rubrik,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            padding=(0, 1, 0, 0),
            pad_edge=False,
        )
        celler = [[visa(c) for c in rad] for rad in t.rader]
        for j, k in enumerate(t.kolumner):
            # Id, belopp och andelar får exakt sin bredd; fritext bryts bara mellan ord.
            ord_ = [d for rad in celler for d in (rad[j].split() if k.fri else [rad[j]])]
            bredd = max(len(d) for d in [*ord_, *k.rubrik.split()])
            if k.fri:
                tabell.add_column(k.rubrik, overflow="fold", min_width=bredd)
            else:
                tabell.add_column(k.rubrik, width=bredd, no_wrap=True)
        for i, rad in enumerate(celler):
            tabell.add_row(*map(escape, rad), style="bold yellow" if i in t.markerade else None)
        konsol.print(tabell)
        if t.not_:
            konsol.print(f"[dim]{escape(t.not_)}[/]")
        if t.nyckel == "partnerskap":
            konsol.print(
                f"\nMedfinansiering per avtal (strecket: {procentsats(rapport.min_andel)})"
            )
            bredd = max(len(a.id) for a in rapport.partnerskap)
            undantagna = rapport.undantagen("medfinansiering")
            for a in rapport.partnerskap:
                undantag = a.id in undantagna and a.andel < rapport.min_andel
                farg = "green" if a.andel >= rapport.min_andel else "yellow" if undantag else "red"
                konsol.print(
                    f"{escape(a.id):<{bredd}} [{farg}]{stapel(a.andel, rapport.min_andel)}[/] "
                    f"{visa(Andel(a.andel, rapport.min_andel))}"
                    + (" (beslutat undantag)" if undantag else "")
                )
