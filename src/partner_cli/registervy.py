"""Registrets vyer utan Typer: flaggorna som deklareras en gång (`Parameter`), registret
öppnat med svenska fel, vyn i valt format, och `register ägare`, som startar utan Typer.

`register_cli` bygger Typer-kommandona och -flaggorna ur samma deklarationer; `kommando.main`
tolkar de vanliga formerna av `register ägare` själv (se `kommando`).
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partner_cli.kalkyl import CSV_STILAR
from partner_cli.kommando import KONFIG, Parameter, fel, las_konfig, skrivfel, valj_format
from partner_cli.registerformat import TABELLFORMAT, Tabell, text_

if TYPE_CHECKING:
    from partner_cli.formatregister import Formatregister
    from partner_cli.register import Register

REGISTER = Parameter(
    "register",
    ("--register",),
    "FIL",
    "Registret (annars PARTNER_REGISTER, [register] sökväg i partner.toml, "
    "eller register/partnerskap.db bredvid partner.toml).",
    Path,
    visa_standard=False,
)
UT = Parameter("ut", ("--ut",), "FIL", "Skriv till filen i stället för standard ut.", Path)
# --format för registrets tabeller (list, ägare, historik).
TABELLFORMAT_FLAGGA = Parameter(
    "format_", ("--format", "-f"), "FORMAT", TABELLFORMAT.hjalp(), standard="text"
)
CSV_STIL = Parameter(
    "csv_stil",
    ("--csv-stil",),
    "STIL",
    "csv: standard (komma och decimalpunkt) eller excel (semikolon, decimalkomma och "
    "UTF-8 med BOM, för svenska Excel).",
    standard="standard",
    val=tuple(CSV_STILAR),
)


def skriv_vy(
    register: Formatregister[Any], format_: str, vy: Any, csv_stil: str, fil: Path | None = None
) -> None:
    """Vyn i formatet till standard ut, eller till `fil`: ett binärt format (xlsx) aldrig till
    en terminal, och --csv-stil bara till csv."""
    valt = register[format_]
    render = register.renderare(format_)
    if valt.kalkylstil:
        render = functools.partial(render, stil=CSV_STILAR[csv_stil])
    elif csv_stil != "standard":
        fel(f"--csv-stil gäller --format csv, inte {format_}")
    if fil is None:
        if not valt.binar:
            render(vy, sys.stdout)
            return
        if sys.stdout.isatty():
            fel(f"--format {format_} är binärt: ange filen med --ut FIL")
        render(vy, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    try:
        from partner_cli.filer import ny_fil

        with ny_fil(fil, ersatt=True, binar=valt.binar, newline="") as ut:
            render(vy, ut)
    except OSError as e:
        skrivfel(f"kan inte skriva {fil}", e)


@contextlib.contextmanager
def registret(
    register: Path | None, config: Path | None, *, skriv: bool, skapa: bool = False
) -> Iterator[Register]:
    """Öppnar registret (med `skapa` även ett nytt); fel blir ett svenskt meddelande och rätt
    avslutningskod."""
    from partner_cli import register as reg
    from partner_cli.konfig import registersokvag

    sokvag = registersokvag(register, las_konfig(config))
    try:
        r = reg.skriv(sokvag, skapa=skapa) if skriv else reg.las(sokvag)
    except reg.RegisterFel as e:
        fel(str(e), e.kod)
    try:
        yield r
    except reg.RegisterFel as e:
        fel(str(e), e.kod)
    finally:
        r.stang()


AGARE = (TABELLFORMAT_FLAGGA, CSV_STIL, UT, REGISTER, KONFIG)


def agare(
    format_: str = "text",
    csv_stil: str = "standard",
    ut: Path | None = None,
    register: Path | None = None,
    config: Path | None = None,
) -> None:
    """En avtalsägare per organisation, med antal avtal och aktiva avtal i dag."""
    format_ = valj_format(format_, TABELLFORMAT)
    from partner_cli.register.lasning import agare as agarrader

    with registret(register, config, skriv=False) as reg:
        rader = agarrader(reg)
    tabell = Tabell(
        "Organisationer och avtalsägare",
        ["Organisation", "Organisationsnummer", "Avtalsägare", "Enhet", "Antal avtal", "Aktiva"],
        [
            [
                r.organisation,
                r.organisationsnummer,
                r.avtalsagare_namn,
                text_(r.avtalsagare_enhet),
                str(r.antal_avtal),
                f"{r.aktiva_avtal} – helst ett samarbetsavtal per organisation"
                if r.aktiva_avtal > 1
                else str(r.aktiva_avtal),
            ]
            for r in rader
        ],
        rader,
        markerade={i for i, r in enumerate(rader) if r.aktiva_avtal > 1},
        fri=[True, False, True, True, False, True],
    )
    skriv_vy(TABELLFORMAT, format_, tabell, csv_stil, ut)
