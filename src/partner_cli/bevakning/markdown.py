"""Bevakningen i Markdown, för ett ärende eller ett e-postmeddelande: en tabell per ägare."""

from __future__ import annotations

from typing import TextIO

from partner_cli.bevakning import Bevakningar
from partner_cli.saker import markdown as md


def render(b: Bevakningar, ut: TextIO) -> None:
    ut.write(f"# Bevakning per {b.idag}\n\n")
    if not b.poster:
        ut.write(f"Inget att bevaka de närmaste {b.dagar} dagarna.\n")
        return
    ut.write(
        f"{len(b.poster)} bevakningar de närmaste {b.dagar} dagarna, {b.forsenade} försenade.\n"
    )
    for (agare, enhet), poster in b.per_agare():
        ut.write(f"\n## {md(agare)}" + (f" ({md(enhet)})" if enhet else "") + "\n\n")
        ut.write("| Datum | Status | Avtal | Organisation | Bevakning |\n|---|---|---|---|---|\n")
        for p in poster:
            status = "**försenad**" if p.forsenad else "kommande"
            ut.write(
                f"| {p.datum} | {status} | {md(p.avtal_id)} | {md(p.organisation)} | "
                f"{md(p.text)} |\n"
            )
