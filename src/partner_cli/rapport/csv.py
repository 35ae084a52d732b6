"""Årsrapporten som CSV: en fil per avsnitt i en katalog, med exakta värden.

Filerna öppnas i kalkylprogram: en textcell som börjar med `=`, `+`, `-`, `@`, tab eller CR
får `'` framför (`saker.kalkylcell`), så att den aldrig blir en formel. Belopp och andelar är
tal som partner själv skriver och står oförändrade.
"""

from __future__ import annotations

import csv
from pathlib import Path

from partner_cli.rapport import Arsrapport
from partner_cli.rapport.tabeller import raa, tabeller
from partner_cli.saker import kalkylcell


def render(rapport: Arsrapport, katalog: Path) -> list[Path]:
    katalog.mkdir(parents=True, exist_ok=True)
    skrivna = []
    for t in tabeller(rapport):
        fil = katalog / f"{t.nyckel}.csv"
        with fil.open("w", encoding="utf-8", newline="") as ut:
            skrivare = csv.writer(ut)
            skrivare.writerow([k.nyckel for k in t.kolumner])
            skrivare.writerows(
                [kalkylcell(c) if isinstance(c, str) else raa(c) for c in rad] for rad in t.rader
            )
        skrivna.append(fil)
    return skrivna
