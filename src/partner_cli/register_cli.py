"""`partner register ...`: tunna kommandon över registret (logiken finns i paketet register,
formaten i registerformat.py; export, import, kontroll, backup och restore i register_underhall).

Tabeller ritas (med Rich, genom terminal) först när de visas, så att `partner --help` startar
utan Rich.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from partner_cli import registervy
from partner_cli.cli import Kommando, KonfigFlagga, flagga, kommando_ur, ny_grupp
from partner_cli.kommando import AVSLUT_FYND, fel, fraga, las_konfig, skriv_rader, valj_format
from partner_cli.registerformat import (
    AVTALSFORMAT,
    TABELLFORMAT,
    Avtalsvy,
    Tabell,
    andel,
    andring,
    kr,
    livscykel,
    rita,
    text_,
    uppfyllelse,
)
from partner_cli.registervy import (
    CSV_STIL,
    REGISTER,
    TABELLFORMAT_FLAGGA,
    UT,
    registret,
    skriv_vy,
)
from partner_cli.schema import TYPER
from partner_cli.typerkompat import TyperChoice

register_app = ny_grupp(
    "Registret över avtalen: en avtalsägare per organisation, utvärderingar och historik."
)

# Flaggorna som registervy deklarerar, som Typer läser dem.
RegisterFlagga = Annotated[Path | None, flagga(REGISTER)]
UtFlagga = Annotated[Path | None, flagga(UT)]
# --format för registrets tabeller (list, ägare, historik).
TabellformatFlagga = Annotated[str, flagga(TABELLFORMAT_FLAGGA)]
CsvStilFlagga = Annotated[str, flagga(CSV_STIL)]


def _grans(config: Path | None) -> Fraction:
    """Regelns gräns i partner.toml: en visad andel motsäger aldrig jämförelsen med den."""
    grans: Fraction = las_konfig(config).regler["medfinansiering"]["min_andel"]
    return grans


SanktioneradFlagga = Annotated[
    str | None,
    typer.Option(
        "--sanktionerad-av",
        metavar="NAMN",
        help="Vem i näringslivsdirektörens funktion som sanktionerade avtalen.",
        show_default=False,
    ),
]


def sanktionerande(sanktionerad_av: str | None, konfig: Any) -> str:
    """Vem som sanktionerade: --sanktionerad-av, annars frågat i en terminal; en av
    [register] sanktionerande i partner.toml när listan finns."""
    if not (sanktionerad_av or "").strip():
        if not sys.stdin.isatty():
            fel(
                "ange vem som sanktionerade avtalen med --sanktionerad-av NAMN "
                "(näringslivsdirektörens funktion); inget registrerades"
            )
        sanktionerad_av = fraga("Sanktionerad av (näringslivsdirektörens funktion)")
    if not far_sanktionera(sanktionerad_av or "", konfig):
        fel(
            f"{(sanktionerad_av or '').strip()!r} finns inte bland de sanktionerande i "
            f"partner.toml ([register] sanktionerande: {', '.join(konfig.sanktionerande)}); "
            "inget registrerades"
        )
    return (sanktionerad_av or "").strip()


def far_sanktionera(namn: str, konfig: Any) -> bool:
    """Om `namn` får sanktionera: när partner.toml har listan, om namnet står i den."""
    from partner_cli.arkiv import bland

    return not konfig.sanktionerande or bland(namn, konfig.sanktionerande)


@register_app.command("add", cls=Kommando)
def add(
    filer: Annotated[
        list[str],
        typer.Argument(metavar="FIL...", help="Förslag att registrera.", show_default=False),
    ],
    sanktionerad_av: SanktioneradFlagga = None,
    ersatt: Annotated[
        bool,
        typer.Option(
            "--ersätt", "--ersatt", help="Ersätt ett registrerat avtal med samma id (sparas)."
        ),
    ] = False,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Granska förslagen och registrera dem, alla eller inget."""
    from partner_cli.kontroll import AnvandningsFel, kontrollera, samla_filer
    from partner_cli.utdata import FORMAT

    konfig = las_konfig(config)
    try:
        sokvagar = samla_filer(filer)
    except AnvandningsFel as e:
        fel(str(e))
    from partner_cli.konfig import registersokvag
    from partner_cli.register import RegisterFel
    from partner_cli.register.lopande import under_granskningen
    from partner_cli.register.rader import med_registerrader
    from partner_cli.register.skrivning import lagg_till

    # Med en sanktionerande som får sanktionera skrivs förslagen medan granskningen pågår, i en
    # transaktion som bara checkas in när varje förslag är godkänt; annars efteråt, med frågan
    # efter den sanktionerande när granskningen är godkänd.
    lopande = None
    tillagg = None
    try:
        with (
            under_granskningen(
                registersokvag(register, konfig), (sanktionerad_av or "").strip(), ersatt
            )
            if (sanktionerad_av or "").strip() and far_sanktionera(sanktionerad_av or "", konfig)
            else contextlib.nullcontext()
        ) as lopande:
            resultat = kontrollera(
                sokvagar,
                konfig,
                behall_forslag=True,
                efterbehandling=med_registerrader,
                medan=lopande.ta_emot if lopande is not None else None,
            )
            if not resultat.godkant:
                FORMAT.renderare("text")(resultat, sys.stdout)
                fel("inget registrerades: varje förslag måste vara godkänt", AVSLUT_FYND)
            if lopande is not None:
                tillagg = lopande.avsluta(resultat)
    except RegisterFel as e:
        fel(str(e), e.kod)
    if tillagg is None:
        sanktionerad_av = sanktionerande(sanktionerad_av, konfig)
        poster = [
            (r.forslag, r.fil, r.sha256, r.registerrader)
            for r in resultat.filer
            if r.forslag is not None and r.sha256 is not None
        ]
        with registret(register, config, skriv=True, skapa=True) as reg:
            tillagg = lagg_till(
                reg,
                [(f, fil, sha) for f, fil, sha, _ in poster],
                sanktionerad_av,
                ersatt=ersatt,
                rader=[rader for _, _, _, rader in poster],
            )
    from partner_cli.regler import avtalsagare

    texter = {
        "registrerad": "registrerad",
        "ersatt": "ersatt (den gamla versionen finns i historiken)",
        "oförändrad": "redan registrerad med samma innehåll; inget ändrat",
    }
    from partner_cli.saker import filnamn, synlig

    def rader() -> Iterator[tuple[str, bool]]:
        for t in tillagg:
            fil = filnamn(t.fil)
            yield f"{fil}: {t.id} {texter[t.status]}", False
            for v in t.varningar:
                yield f"{fil}: varning [{avtalsagare.ID}] {synlig(v)}", True

    skriv_rader(rader())


@register_app.command("list", cls=Kommando)
def list_(
    ar: Annotated[
        int | None,
        typer.Option("--år", "--ar", metavar="ÅR", help="Bara avtal som löper under året."),
    ] = None,
    aktiva_per: Annotated[
        datetime.datetime | None,
        typer.Option(
            "--aktiva-per",
            metavar="ÅÅÅÅ-MM-DD",
            formats=["%Y-%m-%d"],
            help="Bara avtal som löper den dagen.",
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            metavar="ORGNR|NAMN",
            help="Bara en organisations avtal: dess nummer, eller en del av namnet.",
        ),
    ] = None,
    agare: Annotated[
        str | None,
        typer.Option(
            "--ägare", "--agare", metavar="NAMN", help="Bara avtal där avtalsägarens namn har NAMN."
        ),
    ] = None,
    typ: Annotated[
        str | None,
        typer.Option(
            "--typ",
            metavar="TYP",
            click_type=TyperChoice(TYPER),
            help=f"Bara avtal av typen: {', '.join(TYPER)}.",
        ),
    ] = None,
    utvecklingsomrade: Annotated[
        str | None,
        typer.Option(
            "--utvecklingsområde",
            "--utvecklingsomrade",
            metavar="NAMN",
            help="Bara avtal som tjänar utvecklingsområdet ([kommun] i partner.toml).",
        ),
    ] = None,
    format_: TabellformatFlagga = "text",
    csv_stil: CsvStilFlagga = "standard",
    ut: UtFlagga = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Lista de registrerade avtalen, alla eller de som uppfyller varje angivet villkor."""
    format_ = valj_format(format_, TABELLFORMAT)
    from partner_cli.register.lasning import Urval, lista
    from partner_cli.varden import VardeFel
    from partner_cli.varden import organisationsnummer as orgnr_

    orgnr = None
    if organisation is not None:
        with contextlib.suppress(VardeFel):  # inget nummer: en del av namnet
            orgnr, organisation = orgnr_(organisation), None
    urval = Urval(
        ar,
        aktiva_per.date() if aktiva_per else None,
        orgnr,
        organisation,
        agare,
        typ,
        utvecklingsomrade,
    )
    with registret(register, config, skriv=False) as reg:
        rader = lista(reg, urval)
    grans = _grans(config)
    # Status (avslutat i förtid, makulerat) bara när något avtal har en.
    status = [livscykel(r.avslutat_datum, r.makulerat_beslut) for r in rader]
    med_status = any(status)
    makulerade = sum(r.makulerat_beslut is not None for r in rader)
    tabell = Tabell(
        f"Avtal {ar}" if ar else "Avtal",
        ["Id", "Titel", "Organisation", "Typ", "Period", "Kommunen", "Medfinansiering", "Ägare"]
        + ["Status"] * med_status,
        [
            [
                r.id,
                r.titel,
                r.organisation,
                r.typ,
                f"{r.period_start} – {r.period_slut}",
                kr(r.kommunen_kontant + r.kommunen_in_kind),
                andel(r.garanterad, r.total, grans),
                r.avtalsagare_namn,
            ]
            + [s] * med_status
            for r, s in zip(rader, status, strict=True)
        ],
        rader,
        fot=f"{len(rader)} avtal" + (f", varav {makulerade} makulerade" if makulerade else ""),
        fri=[False, True, True, False, True, False, False, True] + [False] * med_status,
    )
    skriv_vy(TABELLFORMAT, format_, tabell, csv_stil, ut)


@register_app.command("show", cls=Kommando)
def show(
    id_: Annotated[str, typer.Argument(metavar="ID", help="Avtalets id.")],
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=AVTALSFORMAT.hjalp())
    ] = "text",
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Visa allt om ett avtal: finansiering, mål, planerade och gjorda utvärderingar."""
    format_ = valj_format(format_, AVTALSFORMAT)
    from partner_cli.register.lasning import avtal

    with registret(register, config, skriv=False) as reg:
        a = avtal(reg, id_)
    AVTALSFORMAT.renderare(format_)(Avtalsvy(a, _grans(config)), sys.stdout)


register_app.command("ägare", cls=Kommando)(kommando_ur(registervy.agare, registervy.AGARE))


@register_app.command("utvärdera", cls=Kommando)
def utvardera(
    id_: Annotated[str, typer.Argument(metavar="ID", help="Avtalets id.")],
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="Utvärderingen (YAML).")],
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Registrera en genomförd utvärdering (en ny från mallen: partner ny --utvardering FIL),
    en rättelse av en registrerad (`ersätter:`) eller en makulering (`makulerar:`)."""
    from partner_cli import laddning
    from partner_cli.register.utvarderingar import UtvarderingPassarInte, makulera
    from partner_cli.register.utvarderingar import utvardera as registrera
    from partner_cli.regler.utvardering import ID
    from partner_cli.saker import filnamn, synlig
    from partner_cli.utvarderingsfil import Makulering, las_utvardering

    konfig = las_konfig(config)
    data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
    if isinstance(data, laddning.LasFel):
        fel(f"{fil}: {data.meddelande}", AVSLUT_FYND)
    utv = las_utvardering(data)
    if isinstance(utv, list):
        for f in utv:
            typer.echo(
                f"{filnamn(str(fil))}:{f.rad}:{f.kolumn}: fel [format] {synlig(f.meddelande)}"
            )
        fel(f"{fil}: utvärderingen registrerades inte", AVSLUT_FYND)
    with registret(register, config, skriv=True) as reg:
        try:
            if isinstance(utv, Makulering):
                makulerad = makulera(reg, id_, utv, str(fil))
            else:
                sha = hashlib.sha256(data).hexdigest()
                rader = registrera(reg, id_, utv, str(fil), sha, konfig.regler[ID])
        except UtvarderingPassarInte as e:
            typer.echo("\n".join(map(synlig, e.rader)))
            fel(f"{fil}: utvärderingen registrerades inte", AVSLUT_FYND)
    if isinstance(utv, Makulering):
        if makulerad is None:
            typer.echo(f"{filnamn(str(fil))}: makuleringen är redan registrerad; inget ändrat")
        else:
            typer.echo(
                f"{filnamn(str(fil))}: utvärderingen av {id_} från {filnamn(makulerad['fil'])} "
                f"({makulerad['datum']}) makulerad"
            )
        return
    if rader is None:
        typer.echo(
            f"{filnamn(str(fil))}: utvärderingen är redan registrerad för {id_}; inget ändrat"
        )
        return
    rita(
        sys.stdout,
        f"Måluppfyllelse {id_} {utv.datum}",
        ["Mål", "Utfall", "Måluppfyllelse", "Kommentar"],
        [False, True, False, True],
        [
            [
                str(r["mal_nr"]),
                r["utfall"],
                uppfyllelse(r["maluppfyllelse"]),
                text_(r["kommentar"]),
            ]
            for r in rader
        ],
    )
    ersatter = f"; den ersätter {filnamn(utv.ersatter)}" if utv.ersatter else ""
    typer.echo(f"{filnamn(str(fil))}: utvärderingen av {id_} registrerad{ersatter}")


@register_app.command("historik", cls=Kommando)
def historik(
    nyckel: Annotated[
        str | None,
        typer.Argument(metavar="[ORGNR|ID]", help="En organisation eller ett avtal."),
    ] = None,
    format_: TabellformatFlagga = "text",
    csv_stil: CsvStilFlagga = "standard",
    ut: UtFlagga = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Händelseloggen: vem som ändrade vad och när, med före och efter."""
    format_ = valj_format(format_, TABELLFORMAT)
    from partner_cli.register.lasning import historik as handelser

    with registret(register, config, skriv=False) as reg:
        rader = handelser(reg, nyckel)
    tabell = Tabell(
        "Historik",
        ["Nr", "Tid", "Vem", "Vad", "Organisation", "Avtal", "Ändring"],
        [
            [
                str(r.id),
                r.tid,
                r.vem,
                r.vad,
                text_(r.organisationsnummer),
                text_(r.avtal_id),
                andring(r.fore, r.efter),
            ]
            for r in rader
        ],
        rader,
        fri=[False, False, True, True, False, False, True],
    )
    skriv_vy(TABELLFORMAT, format_, tabell, csv_stil, ut)
