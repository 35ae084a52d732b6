"""Bevakningen som text, grupperad per avtalsägare."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from partner_cli.bevakning import Bevakningar
from partner_cli.saker import radborjan, synlig

# Statusen i sin kolumn, nio tecken och ett mellanslag.
_STATUS = {True: "FÖRSENAD  ", False: "kommande  "}


def render(b: Bevakningar, ut: TextIO) -> None:
    if not b.poster:
        ut.write(f"Inget att bevaka de närmaste {b.dagar} dagarna (per {b.idag}).\n")
        return
    # Tiotusentals rader: datumets text en gång per dag, en rad som är utskrivbar som den är
    # (`isprintable`: inget för `synlig` att visa) utan ett anrop per fält, och en skrivning.
    rader: list[str] = []
    dagar: dict[dt.date, str] = {}
    for (agare, enhet), poster in b.per_agare():
        rader.append(radborjan(synlig(f"{agare}, {enhet}" if enhet else agare)))
        for p in poster:
            dag = dagar.get(p.datum)
            if dag is None:
                dag = dagar[p.datum] = f"  {p.datum}  "
            rad = f"{p.avtal_id}  {p.organisation}: {p.text}"
            if not rad.isprintable():
                rad = f"{synlig(p.avtal_id)}  {synlig(p.organisation)}: {synlig(p.text)}"
            rader.append(dag + _STATUS[p.forsenad] + rad)
        rader.append("")
    rader.append(
        f"{len(b.poster)} bevakningar per {b.idag} ({b.dagar} dagar framåt): "
        f"{b.forsenade} försenade.\n"
    )
    ut.write("\n".join(rader))
