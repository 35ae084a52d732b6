"""Bevakningen som text, grupperad per avtalsägare."""

from __future__ import annotations

from typing import TextIO

from partner_cli.bevakning import Bevakningar
from partner_cli.saker import radborjan, synlig


def render(b: Bevakningar, ut: TextIO) -> None:
    if not b.poster:
        ut.write(f"Inget att bevaka de närmaste {b.dagar} dagarna (per {b.idag}).\n")
        return
    for (agare, enhet), poster in b.per_agare():
        ut.write(radborjan(synlig(f"{agare}, {enhet}" if enhet else agare)) + "\n")
        for p in poster:
            status = "FÖRSENAD" if p.forsenad else "kommande"
            ut.write(
                f"  {p.datum}  {status:<9} {synlig(p.avtal_id)}  {synlig(p.organisation)}: "
                f"{synlig(p.text)}\n"
            )
        ut.write("\n")
    ut.write(
        f"{len(b.poster)} bevakningar per {b.idag} ({b.dagar} dagar framåt): "
        f"{b.forsenade} försenade.\n"
    )
