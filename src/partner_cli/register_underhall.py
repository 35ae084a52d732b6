"""`partner register sync|export|import|kontroll|backup|restore`: registrets underhåll, på
samma kommandogrupp som de dagliga kommandona i register_cli (som laddas först)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from partner_cli.cli import Kommando, KonfigFlagga
from partner_cli.kommando import (
    AVSLUT_ANVANDNING,
    AVSLUT_FYND,
    fel,
    las_konfig,
    skriv_rader,
    skrivfel,
    valj_format,
)
from partner_cli.konfig import registersokvag
from partner_cli.register_cli import (
    RegisterFlagga,
    SanktioneradFlagga,
    register_app,
    sanktionerande,
)
from partner_cli.registerformat import EXPORTFORMAT
from partner_cli.registervy import registret

__all__ = ["register_app"]


@register_app.command("sync", cls=Kommando)
def sync(
    arkiv: Annotated[
        Path | None,
        typer.Argument(
            metavar="[ARKIV]",
            help="Förslagsarkivet (annars katalogen med partner.toml).",
            show_default=False,
        ),
    ] = None,
    sanktionerad_av: SanktioneradFlagga = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Gör registret likt förslagsarkivet: nya förslag, ändringar med beslut och gjorda
    utvärderingar, allt eller inget. Utan registerfil byggs registret först ur
    register/export."""
    from partner_cli import register as reg_
    from partner_cli.register import utbyte
    from partner_cli.register.anslutning import ta_bort
    from partner_cli.saker import synlig
    from partner_cli.synk import Synkning, synka
    from partner_cli.utdata import FORMAT

    if arkiv is not None and not arkiv.is_dir():
        fel(f"{arkiv}: förslagsarkivet finns inte (ingen katalog)")
    if config is None and arkiv is not None and (arkiv / "partner.toml").is_file():
        config = arkiv / "partner.toml"
    konfig = las_konfig(config)
    # Relativt: filerna står i registret och dess export som i arkivet (forslag/x.yaml), inte
    # med sökvägen till den maskin som körde.
    rot = arkiv if arkiv is not None else Path(os.path.relpath(konfig.katalog))
    sokvag = registersokvag(register, konfig)
    export_ = rot / "register" / "export"
    ny = not sokvag.exists()
    if ny and not export_.is_dir() and not any((rot / "forslag").rglob("*.y*ml")):
        typer.echo("Registret stämmer redan med arkivet: inga avtal ännu; inget ändrat")
        return
    svar: list[str] = []
    synk: Synkning | None = None

    def vem() -> str:
        if not svar:
            svar.append(sanktionerande(sanktionerad_av, konfig))
        return svar[0]

    try:
        with registret(register, config, skriv=True, skapa=True) as reg:
            if ny and export_.is_dir():
                try:
                    utbyte.importera(reg, utbyte.las_export(export_), str(export_))
                except reg_.RegisterFel as e:
                    fel(f"{export_}: {e}", e.kod)
            synk = synka(reg, rot, konfig, vem)
    finally:
        # Ett register som den här körningen byggde står inte kvar när inget fick skrivas.
        if ny and (synk is None or synk.problem):
            ta_bort(sokvag)
    if synk.granskning is not None:
        FORMAT.renderare("text")(synk.granskning, sys.stdout)
    if synk.problem:
        skriv_rader((synlig(p.text), False) for p in synk.problem)
        fel(
            f"inget ändrades i registret: {len(synk.problem)} problem i förslagsarkivet",
            AVSLUT_FYND,
        )
    if not synk.andringar:
        typer.echo("Registret stämmer redan med arkivet; inget ändrat")
        return
    slut = f"Registret följer arkivet: {len(synk.andringar)} ändringar"
    skriv_rader((text, False) for text in [*map(synlig, synk.andringar), slut])


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
        skrivfel(f"kan inte skriva {e.filename or ut}", e)
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
    from partner_cli.register.anslutning import ta_bort

    try:
        data = utbyte.las_export(kalla)
    except RegisterFel as e:
        fel(str(e), e.kod)
    sokvag = registersokvag(register, las_konfig(config))
    ny = not sokvag.exists()
    importerat = False
    try:
        with registret(register, config, skriv=True, skapa=True) as reg:
            antal = utbyte.importera(reg, data, str(kalla))
        importerat = True
    finally:
        # Ett register som bara importen skapade står inte kvar, tomt, när den misslyckas.
        if ny and not importerat:
            ta_bort(sokvag)
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
