"""`partner report` utan Typer: årsrapporten ur registret, i valfritt format.

Flaggorna deklareras en gång (`RAPPORT`); `rapport_cli` bygger Typer-kommandot ur samma
deklaration, och `kommando.main` tolkar de vanliga formerna av `partner report` själv (se
`kommando`), så att rapporten startar utan Typer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import (
    KONFIG,
    Parameter,
    fel,
    las_konfig,
    per_dag,
    rimligt_ar,
    skriv,
    skrivfel,
    utan_skrapsamling,
    valj_format,
)
from partner_cli.registervy import CSV_STIL, REGISTER, registret, skriv_vy

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

RAPPORT = (
    Parameter("ar", ("--år", "--ar"), "ÅR", "Året att redovisa (standard: innevarande år).", int),
    Parameter("format_", ("--format", "-f"), "FORMAT", RAPPORTFORMAT.hjalp(), standard="text"),
    Parameter(
        "ut",
        ("--ut",),
        "KATALOG|FIL",
        "Katalogen för csv (en fil per avsnitt); för övriga format filen "
        "(standard: standard ut; xlsx kräver en fil eller ett rör).",
        Path,
    ),
    CSV_STIL,
    Parameter(
        "per",
        ("--per",),
        "ÅÅÅÅ-MM-DD",
        "Räkna rapporten per detta datum, eller årets sista dag om den är "
        "tidigare: avtalen och ägarna som de stod då, utvärderingarna gjorda senast då "
        "(standard: i dag, med avtalen som de står).",
    ),
    Parameter(
        "publik",
        ("--publik",),
        None,
        "Rapporten att publicera: utan risktabellen, och utan personnummer för "
        "enskilda firmor i varje format.",
        bool,
    ),
    REGISTER,
    KONFIG,
)


def report(
    ar: int | None = None,
    format_: str = "text",
    ut: Path | None = None,
    csv_stil: str = "standard",
    per: str | None = None,
    publik: bool = False,
    register: Path | None = None,
    config: Path | None = None,
) -> None:
    """Årsrapporten: partnerskap, avtalsägare, måluppfyllelse, uppföljning och risker."""
    with utan_skrapsamling():
        _report(ar, format_, ut, csv_stil, per, publik, register, config)


def _report(
    ar: int | None,
    format_: str,
    ut: Path | None,
    csv_stil: str,
    per: str | None,
    publik: bool,
    register: Path | None,
    config: Path | None,
) -> None:
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
        skriv(f"skrev {fil}")
