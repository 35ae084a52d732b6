"""Kalkylblad: CSV i två stilar och xlsx, med samma konvention för belopp, andelar och datum.

Värdena kommer typade från kommandot: text, heltal, `Decimal` för belopp i kronor (exakt, med
två decimaler), `Andelstal` för andelar (fyra decimaler), `datetime.date` och None.

- CSV, stilen `standard`: kommatecken, decimalpunkt, UTF-8 utan BOM (`400000.00`).
- CSV, stilen `excel`: semikolon, decimalkomma och UTF-8 med BOM, som svenska Excel öppnar
  rätt med ett dubbelklick (`400000,00`).
- xlsx: belopp som tal i kronor med talformatet `#,##0 "kr"` (i svenska Excel `# ##0 "kr"`,
  visat `400 000 kr`), andelar som tal med `0.0 %`, datum som datum (`yyyy-mm-dd`), fet och
  fryst rubrikrad och kolumnbredder efter innehållet.

En textcell som börjar med `=`, `+`, `-`, `@`, tab eller CR blir aldrig en formel: i CSV får
den `'` framför (`saker.kalkylcell`), i xlsx skrivs den som text med Excels citatprefix, så
att texten står exakt som i filen. Styrtecken (utom tab) står som synliga flyktsekvenser
(`saker.synlig`, `\x1b`), som i terminalen: i CSV blir de aldrig aktiva i en terminal, och
xlsx:s XML kan inte bära dem alls. Den förlustfria exporten (`register export`) skriver inte
genom den här modulen.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Any, NamedTuple, TextIO

from partner_cli.saker import formellik, kalkylcell, kommandostart, synlig


class Andelstal(Decimal):
    """En andel (0–1) som exakt decimaltal: i xlsx med procentformat."""


Varde = str | int | Decimal | dt.date | None


class Stil(NamedTuple):
    avgransare: str
    decimaltecken: str
    bom: bool
    radslut: str


CSV_STILAR = {
    "standard": Stil(",", ".", False, "\n"),
    "excel": Stil(";", ",", True, "\r\n"),
}

BELOPPSFORMAT = '#,##0 "kr"'
ANDELSFORMAT = "0.0 %"
DATUMFORMAT = "yyyy-mm-dd"
_STORSTA_BREDD = 60


def text(v: Varde, stil: Stil) -> str:
    """Ett värde som CSV-cell."""
    if v is None:
        return ""
    if isinstance(v, str):
        return kalkylcell(synlig(v))
    if isinstance(v, Decimal):
        return str(v).replace(".", stil.decimaltecken)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def skriv_csv(
    ut: TextIO, kolumner: Sequence[str], rader: Sequence[Sequence[Varde]], stil: Stil
) -> None:
    if stil.bom:
        ut.write("\ufeff")
    skrivare = csv.writer(ut, delimiter=stil.avgransare, lineterminator=stil.radslut)
    skrivare.writerow(kolumner)
    for rad in rader:
        celler = [text(v, stil) for v in rad]
        if celler and kommandostart(celler[0]):
            # Först på raden i en CI-logg vore cellen ett arbetsflödeskommando: inom citattecken
            # är den det inte, och varje CSV-läsare får samma värde.
            ut.write(
                '"' + celler[0].replace('"', '""') + '"' + (stil.avgransare if celler[1:] else "")
            )
            celler = celler[1:]
        skrivare.writerow(celler)


class Blad(NamedTuple):
    namn: str  # högst 31 tecken, utan : \ / ? * [ ]
    kolumner: Sequence[str]
    rader: Sequence[Sequence[Varde]]


def _visad_langd(v: Varde) -> int:
    if isinstance(v, Andelstal):
        return 7
    if isinstance(v, Decimal):
        return len(f"{v:,.0f}") + 3
    if isinstance(v, dt.date):
        return 10
    return len(str(v)) if v is not None else 0


def skriv_xlsx(ut: IO[bytes], blad: Sequence[Blad]) -> None:
    """En arbetsbok med ett blad per `Blad`, till en binär ström."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bok = Workbook(write_only=True)
    fet = Font(bold=True)

    def cell(ark: Any, v: Varde, **stil: Any) -> Any:
        if isinstance(v, str):
            v = synlig(v)  # ett styrtecken kan inte stå i xlsx:s XML, och syns då som text
        c: Any = WriteOnlyCell(ark, value=v)  # type: ignore[arg-type]  # även Decimal och date
        for namn, varde in stil.items():
            setattr(c, namn, varde)
        if isinstance(v, str) and formellik(v):
            c.data_type = "s"  # text, aldrig en formel
            c.quotePrefix = True
        elif isinstance(v, Andelstal):
            c.number_format = ANDELSFORMAT
        elif isinstance(v, Decimal):
            c.number_format = BELOPPSFORMAT
        elif isinstance(v, dt.date):
            c.number_format = DATUMFORMAT
        return c

    for b in blad:
        ark = bok.create_sheet(title=b.namn)
        ark.freeze_panes = "A2"
        for j, k in enumerate(b.kolumner):
            bredd = max([len(k), *(_visad_langd(r[j]) for r in b.rader)])
            ark.column_dimensions[get_column_letter(j + 1)].width = min(bredd, _STORSTA_BREDD) + 2
        ark.append([cell(ark, k, font=fet) for k in b.kolumner])
        for rad in b.rader:
            ark.append([cell(ark, v) for v in rad])
    if not blad:
        bok.create_sheet(title="tomt")
    bok.save(ut)
