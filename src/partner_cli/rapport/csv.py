"""Årsrapporten som CSV: en fil per avsnitt i en katalog, med exakta värden (`kalkyl`).

Belopp är kronor som exakta decimaltal, andelar decimaltal med fyra decimaler och perioder
ISO 8601-intervall; `--csv-stil excel` ger semikolon, decimalkomma och UTF-8 med BOM. En
textcell som börjar med `=`, `+`, `-`, `@`, tab eller CR får `'` framför, så att den aldrig
blir en formel i ett kalkylprogram.
"""

from __future__ import annotations

from pathlib import Path

from partner_cli import kalkyl
from partner_cli.rapport import Arsrapport
from partner_cli.rapport.tabeller import kalkylblad, tabeller


def render(rapport: Arsrapport, katalog: Path, stil: kalkyl.Stil | None = None) -> list[Path]:
    from partner_cli.filer import ny_fil

    katalog.mkdir(parents=True, exist_ok=True)
    skrivna = []
    for t in tabeller(rapport):
        fil = katalog / f"{t.nyckel}.csv"
        # En ny fil som byter plats med den gamla: aldrig genom en länk, aldrig halvskriven.
        with ny_fil(fil, ersatt=True, newline="") as ut:
            kalkyl.skriv_csv(ut, *kalkylblad(t), stil or kalkyl.CSV_STILAR["standard"])
        skrivna.append(fil)
    return skrivna
