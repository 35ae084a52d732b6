"""`partner register export|import|kontroll|backup|restore`: registrets underhåll, på samma
kommandogrupp som de dagliga kommandona i register_cli (som laddas först)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from partner_cli import systemfel
from partner_cli.cli import Kommando, KonfigFlagga
from partner_cli.kommando import AVSLUT_ANVANDNING, AVSLUT_FYND, fel, las_konfig, valj_format
from partner_cli.konfig import registersokvag
from partner_cli.register_cli import RegisterFlagga, register_app, registret
from partner_cli.registerformat import EXPORTFORMAT

__all__ = ["register_app"]


@register_app.command("export", cls=Kommando)
def export(
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=EXPORTFORMAT.hjalp())
    ] = EXPORTFORMAT.standard,
    ut: Annotated[
        Path | None,
        typer.Option("--ut", metavar="KATALOG", help="Skriv till katalogen (krävs för csv)."),
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Exportera hela registret, förlustfritt och stabilt sorterat (för versionshantering)."""
    from partner_cli.register import utbyte

    format_ = valj_format(format_, EXPORTFORMAT)
    if EXPORTFORMAT[format_].katalog and ut is None:
        fel(f"{format_} skrivs som en fil per tabell: ange --ut KATALOG")
    with registret(register, config, skriv=False) as reg:
        data = utbyte.exportera(reg)
    render = EXPORTFORMAT.renderare(format_)
    if ut is None:
        # Ett fel i standard ut (ett stängt rör, full disk) går till kommando.avsluta.
        render(data, sys.stdout)
        return
    try:
        if not EXPORTFORMAT[format_].katalog:
            utbyte.skriv_json_fil(data, ut)
        else:
            render(data, ut)
    except OSError as e:
        fel(f"kan inte skriva {e.filename or ut}: {systemfel.text(e)}", AVSLUT_FYND)
    typer.echo(f"Exporterade {len(data.tabeller['avtal'][1])} avtal till {ut}", err=True)


@register_app.command("import", cls=Kommando)
def import_(
    kalla: Annotated[
        Path, typer.Argument(metavar="KÄLLA", help="Det som export skrev: filen eller katalogen.")
    ],
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Läs in en export i ett tomt register, i en transaktion."""
    from partner_cli.register import RegisterFel, utbyte

    try:
        data = utbyte.las_export(kalla)
    except RegisterFel as e:
        fel(str(e), e.kod)
    with registret(register, config, skriv=True, skapa=True) as reg:
        antal = utbyte.importera(reg, data, str(kalla))
    typer.echo(
        f"Importerade {antal['avtal']} avtal, {antal['organisation']} organisationer och "
        f"{antal['handelse']} händelser till {reg.sokvag}"
    )


@register_app.command("kontroll", cls=Kommando)
def kontroll(
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Kontrollera registret: SQLites integritet, främmande nycklar och registrets regler."""
    from partner_cli import register as reg_
    from partner_cli.register import integritet

    sokvag = registersokvag(register, las_konfig(config))
    antal = 0
    try:
        reg = reg_.las(sokvag)
        try:
            problem = integritet.kontroll(reg)
            antal = 0 if problem else integritet.antal_avtal(reg)
        finally:
            reg.stang()
    except reg_.RegisterFel as e:
        if e.kod == AVSLUT_ANVANDNING and not sokvag.is_file():
            fel(str(e), e.kod)
        problem = [str(e)]
    if problem:
        from partner_cli.saker import filnamn, synlig

        for p in problem:
            typer.echo(f"{filnamn(str(sokvag))}: {synlig(p)}")
        fel(f"registret {sokvag} är inte helt ({len(problem)} problem)", AVSLUT_FYND)
    typer.echo(f"{sokvag}: registret är helt ({antal} avtal)")


@register_app.command("backup", cls=Kommando)
def backup(
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="Säkerhetskopians nya fil.")],
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Säkerhetskopiera registret (SQLites backup-API; konsekvent medan andra skriver)."""
    from partner_cli.register.integritet import sakerhetskopiera

    with registret(register, config, skriv=False) as reg:
        sakerhetskopiera(reg, fil)
    typer.echo(f"Säkerhetskopierade {reg.sokvag} till {fil}")


@register_app.command("restore", cls=Kommando)
def restore(
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="En säkerhetskopia från backup.")],
    ersatt: Annotated[
        bool,
        typer.Option("--ersätt", "--ersatt", help="Ersätt ett register som inte är tomt."),
    ] = False,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Återställ registret från en säkerhetskopia, i ett steg."""
    from partner_cli import register as reg_
    from partner_cli.register import integritet

    try:
        kalla = reg_.las(fil)
    except reg_.RegisterFel as e:
        fel(str(e), e.kod)
    try:
        problem = integritet.kontroll(kalla)
        if problem:
            fel(f"säkerhetskopian {fil} är inte hel: {'; '.join(problem)}", AVSLUT_FYND)
        with registret(register, config, skriv=True, skapa=True) as reg:
            antal = integritet.aterstall(reg, kalla, str(fil), ersatt=ersatt)
    except reg_.RegisterFel as e:
        fel(str(e), e.kod)
    finally:
        kalla.stang()
    typer.echo(f"Återställde {reg.sokvag} från {fil} ({antal} avtal)")
