"""`partner publicera`: årets avtal som öppna data i en katalog, efter en självkontroll."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from partner_cli.cli import Kommando, KonfigFlagga, ny_app
from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import (
    AVSLUT_ANVANDNING,
    AVSLUT_FYND,
    fel,
    las_konfig,
    rimligt_ar,
    skriv,
    skrivfel,
    valj_format,
)
from partner_cli.register_cli import RegisterFlagga
from partner_cli.registervy import registret

_MODUL = "partner_cli.oppna_data"
# Varje fil som publiceras; renderarna tar `Publicering` och en textström.
PUBLICERINGSFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("csv", "kolumnerna i README", _MODUL, funktion="csv_"),
    Format("json", "samma kolumner", _MODUL, funktion="json_"),
    Format("360giving", "360Giving Data Standard", _MODUL, funktion="giving360"),
    Format("dcat", "katalogpost enligt DCAT-AP-SE, JSON-LD", _MODUL, funktion="dcat"),
)

publicera_app = ny_app()


@publicera_app.command("publicera", cls=Kommando)
def publicera(
    ar: Annotated[int, typer.Option("--år", "--ar", metavar="ÅR", help="Året att publicera.")],
    ut: Annotated[
        Path, typer.Option("--ut", metavar="KATALOG", help="Katalogen att skriva filerna i.")
    ],
    format_: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=PUBLICERINGSFORMAT.hjalp() + " Kan upprepas; standard är alla.",
            show_default=False,
        ),
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Årets avtal som öppna data: CSV, JSON, 360Giving och en DCAT-AP-SE-post."""
    import datetime as dt

    from partner_cli import oppna_data

    valda = format_ or list(PUBLICERINGSFORMAT)
    for f in valda:
        valj_format(f, PUBLICERINGSFORMAT)
    rimligt_ar(ar)
    konfig = las_konfig(config)
    utgivare = oppna_data.Utgivare.ur(konfig.publicering, konfig.kommun)
    if installningar := oppna_data.utgivarens_fel(utgivare):
        var = f"i {konfig.fil}" if konfig.fil else "i partner.toml ([publicera] och [kommun])"
        _fel_och_inget_skrivet(installningar, f"ange inställningarna {var}", ut, AVSLUT_ANVANDNING)
    with registret(register, config, skriv=False) as reg:
        from partner_cli.register.lasning import publiceras

        avtal = publiceras(reg, ar)
    data = oppna_data.Publicering.bygg(ar, avtal, utgivare, dt.date.today())
    if problem := data.kontrollera():
        _fel_och_inget_skrivet(
            problem, f"självkontrollen hittade {len(problem)} fel", ut, AVSLUT_FYND
        )
    namn = oppna_data.filnamn(ar)
    try:
        ut.mkdir(parents=True, exist_ok=True)
        for f in valda:
            with (ut / namn[f]).open("w", encoding="utf-8") as fil:
                PUBLICERINGSFORMAT.renderare(f)(data, fil)
    except OSError as e:
        skrivfel(f"kan inte skriva i {ut}", e)
    for f in valda:
        skriv(f"skrev {ut / namn[f]}")


def _fel_och_inget_skrivet(problem: list[str], sammanfattning: str, ut: Path, kod: int) -> NoReturn:
    from partner_cli.saker import synlig

    for p in problem:
        skriv(f"partner: {synlig(p)}", err=True)
    fel(f"{sammanfattning}; inget skrevs i {ut}", kod)
