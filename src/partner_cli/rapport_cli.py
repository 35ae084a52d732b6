"""`partner report`: årsrapporten ur registret, i valfritt format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from partner_cli.cli import Kommando, KonfigFlagga, ny_app
from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import fel, las_konfig, per_dag, rimligt_ar, skrivfel, valj_format
from partner_cli.register_cli import CsvStilFlagga, RegisterFlagga
from partner_cli.registervy import registret, skriv_vy

# Renderarna tar `Arsrapport` och en ström, eller (katalog) en katalog och ger de skrivna filerna.
RAPPORTFORMAT: Formatregister[Callable[..., Any]] = Formatregister(
    Format("text", "", "partner_cli.rapport.text"),
    Format("json", "", "partner_cli.rapport.json"),
    Format(
        "csv",
        "en fil per avsnitt i --ut KATALOG",
        "partner_cli.rapport.csv",
        katalog=True,
        kalkylstil=True,
    ),
    Format(
        "xlsx", "Excel, ett blad per avsnitt; till --ut FIL", "partner_cli.rapport.xlsx", binar=True
    ),
    Format("markdown", "", "partner_cli.rapport.markdown"),
    Format("html", "för publicering", "partner_cli.rapport.html", historik=True),
)
# Format som publiceras: en enskild firmas personnummer visas aldrig i dem (se publicering).
PUBLICERADE = frozenset({"html"})


rapport_app = ny_app()


@rapport_app.command("report", cls=Kommando)
def report(
    ar: Annotated[
        int | None,
        typer.Option(
            "--år", "--ar", metavar="ÅR", help="Året att redovisa (standard: innevarande år)."
        ),
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=RAPPORTFORMAT.hjalp())
    ] = RAPPORTFORMAT.standard,
    ut: Annotated[
        Path | None,
        typer.Option(
            "--ut",
            metavar="KATALOG|FIL",
            help="Katalogen för csv (en fil per avsnitt); för övriga format filen "
            "(standard: standard ut; xlsx kräver en fil eller ett rör).",
        ),
    ] = None,
    csv_stil: CsvStilFlagga = "standard",
    per: Annotated[
        str | None,
        typer.Option(
            "--per",
            metavar="ÅÅÅÅ-MM-DD",
            help="Räkna rapporten per detta datum, eller årets sista dag om den är "
            "tidigare: avtalen och ägarna som de stod då, utvärderingarna gjorda senast då "
            "(standard: i dag, med avtalen som de står).",
        ),
    ] = None,
    publik: Annotated[
        bool,
        typer.Option(
            "--publik",
            help="Rapporten att publicera: utan risktabellen, och utan personnummer för "
            "enskilda firmor i varje format.",
        ),
    ] = False,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Årsrapporten: partnerskap, avtalsägare, måluppfyllelse, uppföljning och risker."""

    valt = RAPPORTFORMAT[valj_format(format_, RAPPORTFORMAT)]
    if valt.katalog and ut is None:
        fel(f"--format {format_} skriver en fil per avsnitt: ange katalogen med --ut KATALOG")
    idag = per_dag(per)
    ar = rimligt_ar(idag.year if ar is None else ar)
    from partner_cli import rapport
    from partner_cli.register import rapportlasning

    konfig = las_konfig(config)
    max_offentlig_andel = konfig.regler["ekonomi"]["max_offentlig_andel"]
    brytdag = rapport.brytdag(ar, idag)
    with registret(register, config, skriv=False) as reg:
        underlag = rapportlasning.underlag(
            reg,
            ar,
            brytdag,
            max_offentlig_andel=max_offentlig_andel,
            dagar_efter_aret=rapport.DAGAR_EFTER_ARET,
            med_historik=valt.historik,
            per=brytdag if per is not None else None,
        )
    arsrapport = rapport.berakna(
        underlag,
        min_andel=konfig.regler["medfinansiering"]["min_andel"],
        max_offentlig_andel=max_offentlig_andel,
        utvecklingsprojekt=konfig.rapport["utvecklingsprojekt"],
    )
    if publik or format_ in PUBLICERADE:
        arsrapport = arsrapport.publik(
            dolj_enskild_firmas_namn=konfig.publicering["dölj_enskild_firmas_namn"],
            med_risker=not publik,
        )
    if not valt.katalog:
        skriv_vy(RAPPORTFORMAT, format_, arsrapport, csv_stil, ut)
        return
    from partner_cli.kalkyl import CSV_STILAR

    try:
        filer = list(RAPPORTFORMAT.renderare(format_)(arsrapport, ut, stil=CSV_STILAR[csv_stil]))
    except OSError as e:
        skrivfel(f"kan inte skriva i {ut}", e)
    for fil in filer:
        typer.echo(f"skrev {fil}")
