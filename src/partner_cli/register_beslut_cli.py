"""`partner register byt-ägare|förläng|avsluta|makulera|ändra`: en organisation eller ett
registrerat avtal ändras enligt ett beslut, för den som arbetar utan förslagsarkivets CI.
Varje kommando kräver beslutets referens och datum och loggas som `register sync` loggar samma
beslut ur beslut/: med samma funktioner (`register.livscykel`, `skrivning`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from partner_cli.cli import Kommando, KonfigFlagga
from partner_cli.kommando import fel
from partner_cli.register_cli import RegisterFlagga, SanktioneradFlagga
from partner_cli.register_underhall import register_app
from partner_cli.registervy import registret

if TYPE_CHECKING:
    from partner_cli.register.livscykel import Beslutsgrund

__all__ = ["register_app"]

IdArgument = Annotated[str, typer.Argument(metavar="ID", help="Avtalets id.")]
BeslutFlagga = Annotated[
    str,
    typer.Option(
        "--beslut",
        metavar="REFERENS",
        help="Beslutets referens, till exempel KS 2015/90 § 2 eller ett diarienummer.",
    ),
]
BeslutsdatumFlagga = Annotated[
    datetime.datetime,
    typer.Option(
        "--beslutsdatum", metavar="ÅÅÅÅ-MM-DD", formats=["%Y-%m-%d"], help="Beslutets datum."
    ),
]
SlutFlagga = Annotated[
    datetime.datetime,
    typer.Option("--slut", metavar="ÅÅÅÅ-MM-DD", formats=["%Y-%m-%d"], help="Avtalets sista dag."),
]


def _grund(beslut: str, beslutsdatum: datetime.datetime) -> Beslutsgrund:
    from partner_cli.register.livscykel import Beslutsgrund

    if not beslut.strip():
        fel("ange beslutets referens med --beslut REFERENS; inget ändrades")
    return Beslutsgrund(beslut.strip(), beslutsdatum.date())


@register_app.command("byt-ägare", cls=Kommando)
def byt_agare(
    organisationsnummer: Annotated[
        str, typer.Argument(metavar="ORGNR", help="Organisationens nummer, NNNNNN-NNNN.")
    ],
    namn: Annotated[str, typer.Option("--namn", metavar="NAMN", help="Den nya avtalsägaren.")],
    beslut: BeslutFlagga,
    beslutsdatum: BeslutsdatumFlagga,
    enhet: Annotated[
        str | None,
        typer.Option("--enhet", metavar="ENHET", help="Den nya ägarens enhet (utan: den gamla)."),
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Flytta ägarskapet för en organisation till en ny avtalsägare enligt ett beslut (loggas)."""
    from partner_cli.register.skrivning import byt_agare as byt
    from partner_cli.varden import VardeFel
    from partner_cli.varden import organisationsnummer as orgnr_

    try:
        orgnr = orgnr_(organisationsnummer)
    except VardeFel as e:
        fel(str(e))
    grund = _grund(beslut, beslutsdatum)
    with registret(register, config, skriv=True) as reg:
        byt(reg, orgnr, namn, enhet, grund=grund)
    typer.echo(f"{orgnr}: avtalsägaren är nu {namn.strip()} enligt beslut {grund.referens}")


@register_app.command("förläng", cls=Kommando)
def forlang(
    id_: IdArgument,
    slut: SlutFlagga,
    beslut: BeslutFlagga,
    beslutsdatum: BeslutsdatumFlagga,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Förläng avtalet till en senare sista dag enligt ett beslut (loggas)."""
    from partner_cli.register.livscykel import forlang as forlang_

    grund = _grund(beslut, beslutsdatum)
    with registret(register, config, skriv=True) as reg:
        forlang_(reg, id_, slut.date(), grund)
    typer.echo(f"{id_}: förlängt till {slut.date()} enligt beslut {grund.referens}")


@register_app.command("avsluta", cls=Kommando)
def avsluta(
    id_: IdArgument,
    slut: SlutFlagga,
    orsak: Annotated[str, typer.Option("--orsak", metavar="TEXT", help="Varför avtalet avslutas.")],
    beslut: BeslutFlagga,
    beslutsdatum: BeslutsdatumFlagga,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Avsluta avtalet i förtid enligt ett beslut: det löper till och med --slut (loggas)."""
    from partner_cli.register.livscykel import avsluta as avsluta_

    grund = _grund(beslut, beslutsdatum)
    with registret(register, config, skriv=True) as reg:
        avsluta_(reg, id_, slut.date(), orsak, grund)
    typer.echo(f"{id_}: avslutat {slut.date()} enligt beslut {grund.referens}")


@register_app.command("makulera", cls=Kommando)
def makulera(
    id_: IdArgument,
    beslut: BeslutFlagga,
    beslutsdatum: BeslutsdatumFlagga,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Makulera en registrering som aldrig skulle ha gjorts: avtalet står kvar i historiken
    men räknas i ingen rapport (loggas)."""
    from partner_cli.register.livscykel import makulera as makulera_

    grund = _grund(beslut, beslutsdatum)
    with registret(register, config, skriv=True) as reg:
        makulera_(reg, id_, grund)
    typer.echo(f"{id_}: makulerat enligt beslut {grund.referens}")


@register_app.command("ändra", cls=Kommando)
def andra(
    filer: Annotated[
        list[Path],
        typer.Argument(
            metavar="FIL...",
            help="De ändrade förslagen till registrerade avtal.",
            show_default=False,
        ),
    ],
    beslut: BeslutFlagga,
    beslutsdatum: BeslutsdatumFlagga,
    sanktionerad_av: SanktioneradFlagga = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """För in ändrade förslag till registrerade avtal enligt ett beslut, alla eller inget: som
    add --ersätt, med beslutet i historiken."""
    import sys

    from partner_cli.kommando import AVSLUT_FYND, las_konfig
    from partner_cli.kontroll import AnvandningsFel, kontrollera, samla_filer
    from partner_cli.register.skrivning import lagg_till
    from partner_cli.register_cli import sanktionerande
    from partner_cli.saker import filnamn
    from partner_cli.utdata import FORMAT

    grund = _grund(beslut, beslutsdatum)
    konfig = las_konfig(config)
    try:
        sokvagar = samla_filer([str(f) for f in filer])
    except AnvandningsFel as e:
        fel(str(e))
    resultat = kontrollera(sokvagar, konfig, behall_forslag=True)
    if not resultat.godkant:
        FORMAT.renderare("text")(resultat, sys.stdout)
        fel("inget ändrades: varje förslag måste vara godkänt", AVSLUT_FYND)
    vem = sanktionerande(sanktionerad_av, konfig)
    poster = [(r.forslag, r.fil, r.sha256) for r in resultat.filer if r.forslag and r.sha256]
    with registret(register, config, skriv=True) as reg:
        tillagg = lagg_till(
            reg,
            poster,
            vem,
            ersatt=True,
            bara_registrerade=True,
            kalla={f.id: grund.kalla() for f, _, _ in poster},
        )
    for t in tillagg:
        text = (
            "redan registrerad med samma innehåll; inget ändrat"
            if t.status == "oförändrad"
            else f"ändrat enligt beslut {grund.referens} (den gamla versionen finns i historiken)"
        )
        typer.echo(f"{filnamn(t.fil)}: {t.id} {text}")
