"""`partner report`: årsrapporten ur registret, i valfritt format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from partner_cli.cli import Kommando, KonfigFlagga, fel, las_konfig
from partner_cli.register_cli import RegisterFlagga, registret

RAPPORTFORMAT = ("text", "json", "csv", "markdown", "html")


rapport_app = typer.Typer(
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@rapport_app.command("report", cls=Kommando)
def report(
    ar: Annotated[
        int | None,
        typer.Option(
            "--år", "--ar", metavar="ÅR", help="Året att redovisa (standard: innevarande år)."
        ),
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=", ".join(RAPPORTFORMAT) + ".")
    ] = "text",
    ut: Annotated[
        Path | None,
        typer.Option("--ut", metavar="KATALOG", help="Katalogen för csv (en fil per avsnitt)."),
    ] = None,
    per: Annotated[
        str | None,
        typer.Option(
            "--per",
            metavar="ÅÅÅÅ-MM-DD",
            help="Räkna utvärderingarnas status per detta datum (standard: i dag).",
        ),
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Årsrapporten: partnerskap, avtalsägare, måluppfyllelse, uppföljning och risker."""
    import datetime as dt

    if format_ not in RAPPORTFORMAT:
        fel(f"okänt format {format_!r}; välj bland {', '.join(RAPPORTFORMAT)}")
    if format_ == "csv" and ut is None:
        fel("--format csv skriver en fil per avsnitt: ange katalogen med --ut KATALOG")
    idag = dt.date.today()
    if per is not None:
        from partner_cli.varden import VardeFel, datum

        try:
            idag = datum(per)
        except VardeFel as e:
            fel(f"--per: {e}")
    ar = idag.year if ar is None else ar
    if not 1900 <= ar <= 2200:
        fel(f"--år {ar} är inget rimligt år")
    from partner_cli import rapport

    konfig = las_konfig(config)
    with registret(register, config, skriv=False) as reg:
        arsrapport = rapport.berakna(
            reg.fraga,
            ar,
            idag=idag,
            min_andel=konfig.regler["medfinansiering"]["min_andel"],
            max_offentlig_andel=konfig.regler["ekonomi"]["max_offentlig_andel"],
            med_historik=format_ == "html",
        )
    if format_ == "csv":
        from partner_cli.rapport import csv

        assert ut is not None
        try:
            for fil in csv.render(arsrapport, ut):
                typer.echo(f"skrev {fil}")
        except OSError as e:
            fel(f"kan inte skriva i {ut}: {e.strerror}")
        return
    import importlib

    modul = importlib.import_module(f"partner_cli.rapport.{format_}")
    modul.render(arsrapport, sys.stdout)
