"""Årsrapporten som Markdown, för en merge request eller en wiki."""

from __future__ import annotations

from typing import TextIO

from partner_cli.rapport import Arsrapport
from partner_cli.rapport.tabeller import tabeller, visa
from partner_cli.saker import markdown as _cell


def render(rapport: Arsrapport, ut: TextIO) -> None:
    ut.write(f"# Årsrapport {rapport.ar}: partnerskap med näringslivet\n")
    for t in tabeller(rapport):
        ut.write(f"\n## {t.rubrik}\n\n")
        if not t.rader:
            ut.write(f"{_cell(t.tom)}\n")
            continue
        ut.write("| " + " | ".join(k.rubrik for k in t.kolumner) + " |\n")
        ut.write("|" + "---|" * len(t.kolumner) + "\n")
        for i, rad in enumerate(t.rader):
            celler = [_cell(visa(c)) for c in rad]
            if i in t.markerade:
                celler = [f"**{c}**" if c else c for c in celler]
            ut.write("| " + " | ".join(celler) + " |\n")
        if t.not_:
            ut.write(f"\n*{_cell(t.not_)}*\n")
