"""`partner underlag`: beslutsunderlaget för ett förslag, i html, markdown eller docx."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from partner_cli.cli import Kommando, KonfigFlagga, ny_app
from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import AVSLUT_FYND, fel, las_konfig, skriv, skrivfel, valj_format
from partner_cli.register_cli import RegisterFlagga

# Renderarna tar `Underlag` och en textström, eller (binar) en byteström.
UNDERLAGSFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("html", "fristående, för utskrift på A4", "partner_cli.underlag.html"),
    Format("markdown", "", "partner_cli.underlag.markdown"),
    Format("docx", "Word; till --ut FIL eller ett rör", "partner_cli.underlag.docx", binar=True),
)

underlag_app = ny_app()


@underlag_app.command("underlag", cls=Kommando)
def underlag(
    fil: Annotated[str, typer.Argument(metavar="FÖRSLAG", help="Förslagsfilen.")],
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=UNDERLAGSFORMAT.hjalp())
    ] = UNDERLAGSFORMAT.standard,
    ut: Annotated[
        Path | None,
        typer.Option("--ut", "-o", metavar="FIL", help="Skriv underlaget till filen."),
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Beslutsunderlaget för ett förslag: granskningen, finansieringen, ekonomin och målen."""
    from partner_cli.granskning import registerkontext
    from partner_cli.kontroll import AnvandningsFel, kontrollera, samla_filer

    valt = UNDERLAGSFORMAT[valj_format(format_, UNDERLAGSFORMAT)]
    if valt.binar and ut is None and sys.stdout.isatty():
        fel(f"--format {format_} är binärt: ange filen med --ut FIL")
    konfig = las_konfig(config)
    try:
        filer = samla_filer([fil])
    except AnvandningsFel as e:
        fel(str(e))
    if len(filer) != 1:
        fel(f"{fil}: ange en förslagsfil, inte en katalog med {len(filer)} filer")
    kontext = registerkontext(konfig)
    (resultat,) = kontrollera(filer, konfig, kontext, behall_forslag=True).filer
    if resultat.forslag is None:
        from partner_cli.utdata.text import fyndrad

        for f in resultat.fynd:
            skriv(fyndrad(resultat, f), err=True)
        fel(f"{fil} går inte att läsa som ett förslag; inget underlag skrevs", AVSLUT_FYND)
    from partner_cli import underlag as modul

    engagemang = _engagemang(register, config, resultat.forslag.motpart.organisationsnummer)
    dokument = modul.bygg(resultat, konfig.regler, engagemang)
    render = UNDERLAGSFORMAT.renderare(format_)
    if ut is None:
        render(dokument, sys.stdout.buffer if valt.binar else sys.stdout)
    else:
        try:
            from partner_cli.filer import ny_fil

            with ny_fil(ut, ersatt=True, binar=valt.binar) as strom:
                render(dokument, strom)
        except OSError as e:
            skrivfel(f"kan inte skriva {ut}", e)
        skriv(f"skrev {ut}", err=True)
    if resultat.utfall != "godkänd":
        raise SystemExit(AVSLUT_FYND)


def _engagemang(register: Path | None, config: Path | None, organisationsnummer: str) -> Any:
    """Kommunens avtal med organisationen enligt registret, när det finns; en läsning skapar
    det aldrig."""
    import datetime as dt

    from partner_cli import underlag
    from partner_cli.konfig import registersokvag
    from partner_cli.register.lasning import Urval, lista
    from partner_cli.registervy import registret

    if not registersokvag(register, las_konfig(config)).exists():
        return None
    with registret(register, config, skriv=False) as reg:
        rader = lista(reg, Urval(organisationsnummer=organisationsnummer, giltiga=True))
    return underlag.Engagemang(
        tuple(
            underlag.Avtal(
                r.id,
                r.titel,
                r.typ,
                dt.date.fromisoformat(r.period_start),
                dt.date.fromisoformat(r.avslutat_datum or r.period_slut),
                r.kommunen_kontant + r.kommunen_in_kind,
            )
            for r in rader
        ),
        (rader[0].avtalsagare_namn, None) if rader else None,
    )
