"""`partner register ...`: tunna kommandon över registret (logiken finns i register.py,
formaten i registerformat.py).

Tabeller ritas (med Rich, genom terminal) först när de visas, så att `partner --help` startar
utan Rich.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from partner_cli.cli import Kommando, KonfigFlagga, ny_grupp
from partner_cli.formatregister import Formatregister
from partner_cli.kommando import AVSLUT_ANVANDNING, AVSLUT_FYND, fel, fraga, las_konfig
from partner_cli.konfig import registersokvag
from partner_cli.registerformat import AVTALSFORMAT, EXPORTFORMAT, TABELLFORMAT, Avtalsvy, Tabell

if TYPE_CHECKING:
    from partner_cli.register import Register

register_app = ny_grupp(
    "Registret över avtalen: en avtalsägare per organisation, utvärderingar och historik."
)

RegisterFlagga = Annotated[
    Path | None,
    typer.Option(
        "--register",
        metavar="FIL",
        help="Registret (annars PARTNER_REGISTER, [register] sökväg i partner.toml, "
        "eller register/partnerskap.db bredvid partner.toml).",
        show_default=False,
    ),
]


def _format(varde: str, register: Formatregister[Any]) -> str:
    if varde not in register:
        fel(register.okant(varde))
    return varde


def _visa(tabell: Tabell, format_: str) -> None:
    TABELLFORMAT.renderare(format_)(tabell, sys.stdout)


@contextlib.contextmanager
def registret(
    register: Path | None, config: Path | None, *, skriv: bool, skapa: bool = False
) -> Iterator[Register]:
    """Öppnar registret (med `skapa` även ett nytt); fel blir ett svenskt meddelande och rätt
    avslutningskod."""
    from partner_cli import register as reg

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


def _tabell(ut: TextIO, titel: str, kolumner: list[str], rader: list[list[str]]) -> None:
    from partner_cli import terminal

    terminal.tabell(ut, titel, kolumner, rader)


def _kr(ore: int | None) -> str:
    from partner_cli.varden import kronor

    return "–" if ore is None else kronor(ore)


def _grans(config: Path | None) -> Fraction:
    """Regelns gräns i partner.toml: en visad andel motsäger aldrig jämförelsen med den."""
    grans: Fraction = las_konfig(config).regler["medfinansiering"]["min_andel"]
    return grans


def _andel(garanterad: int, total: int, grans: Fraction) -> str:
    from partner_cli.varden import procent

    return procent(Fraction(garanterad, total), grans)


def _text(v: Any) -> str:
    return "–" if v is None else str(v)


@register_app.command("add", cls=Kommando)
def add(
    filer: Annotated[
        list[str],
        typer.Argument(metavar="FIL...", help="Förslag att registrera.", show_default=False),
    ],
    sanktionerad_av: Annotated[
        str | None,
        typer.Option(
            "--sanktionerad-av",
            metavar="NAMN",
            help="Vem i näringslivsdirektörens funktion som sanktionerade avtalen.",
            show_default=False,
        ),
    ] = None,
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
    resultat = kontrollera(sokvagar, konfig, behall_forslag=True)
    if not resultat.godkant:
        FORMAT.renderare("text")(resultat, sys.stdout)
        fel("inget registrerades: varje förslag måste vara godkänt", AVSLUT_FYND)
    if not (sanktionerad_av or "").strip():
        if not sys.stdin.isatty():
            fel(
                "ange vem som sanktionerade avtalen med --sanktionerad-av NAMN "
                "(näringslivsdirektörens funktion); inget registrerades"
            )
        sanktionerad_av = fraga("Sanktionerad av (näringslivsdirektörens funktion)")
    poster = [(r.forslag, r.fil, r.sha256) for r in resultat.filer]
    with registret(register, config, skriv=True, skapa=True) as reg:
        tillagg = reg.lagg_till(
            [(f, fil, sha) for f, fil, sha in poster if f is not None and sha is not None],
            (sanktionerad_av or "").strip(),
            ersatt=ersatt,
        )
    texter = {
        "registrerad": "registrerad",
        "ersatt": "ersatt (den gamla versionen finns i historiken)",
        "oförändrad": "redan registrerad med samma innehåll; inget ändrat",
    }
    from partner_cli.saker import filnamn, synlig

    for t in tillagg:
        typer.echo(f"{filnamn(t.fil)}: {t.id} {texter[t.status]}")
        for v in t.varningar:
            typer.echo(f"{filnamn(t.fil)}: varning [avtalsägare] {synlig(v)}", err=True)


@register_app.command("list", cls=Kommando)
def list_(
    ar: Annotated[
        int | None,
        typer.Option("--år", "--ar", metavar="ÅR", help="Bara avtal som löper under året."),
    ] = None,
    format_: Annotated[str, typer.Option("--format", "-f", help=TABELLFORMAT.hjalp())] = "text",
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Lista de registrerade avtalen."""
    format_ = _format(format_, TABELLFORMAT)
    with registret(register, config, skriv=False) as reg:
        rader = reg.lista(ar)
    grans = _grans(config)
    tabell = Tabell(
        f"Avtal {ar}" if ar else "Avtal",
        ["Id", "Titel", "Organisation", "Typ", "Period", "Kommunen", "Medfinansiering", "Ägare"],
        [
            [
                r["id"],
                r["titel"],
                r["organisation"],
                r["typ"],
                f"{r['period_start']}–{r['period_slut']}",
                _kr(r["kommunen_kontant"] + r["kommunen_in_kind"]),
                _andel(r["garanterad"], r["total"], grans),
                r["avtalsagare_namn"],
            ]
            for r in rader
        ],
        rader,
        fot=f"{len(rader)} avtal",
    )
    _visa(tabell, format_)


@register_app.command("show", cls=Kommando)
def show(
    id_: Annotated[str, typer.Argument(metavar="ID", help="Avtalets id.")],
    format_: Annotated[str, typer.Option("--format", "-f", help=AVTALSFORMAT.hjalp())] = "text",
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Visa allt om ett avtal: finansiering, mål, planerade och gjorda utvärderingar."""
    format_ = _format(format_, AVTALSFORMAT)
    with registret(register, config, skriv=False) as reg:
        a = reg.avtal(id_)
    AVTALSFORMAT.renderare(format_)(Avtalsvy(a, _grans(config)), sys.stdout)


def visa_avtal(vy: Avtalsvy, ut: TextIO) -> None:
    """`register show` i text: avtalets fält, sedan en tabell per del."""
    a = vy.data
    rader = [
        ("Titel", a["titel"]),
        ("Typ", a["typ"]),
        ("Organisation", f"{a['namn']} ({a['organisationsnummer']}, {a['kategori']})"),
        ("Avtalsägare", f"{a['avtalsagare_namn']} ({_text(a['avtalsagare_enhet'])})"),
        ("Period", f"{a['period_start']}–{a['period_slut']}"),
        ("Initiativ", a["initiativ"]),
        ("Diarienummer", _text(a["diarienummer"])),
        ("Kommunen", f"{_kr(a['kommunen_kontant'])} kontant, {_kr(a['kommunen_in_kind'])} in kind"),
        (
            "Medfinansiering",
            f"{_kr(a['medfinansiering'])}, varav garanterad {_kr(a['garanterad'])}",
        ),
        (
            "Andel garanterad",
            f"{_andel(a['garanterad'], a['total'], vy.grans)} av {_kr(a['total'])}",
        ),
        ("Näringslivet", _kr(a["naringsliv"])),
        ("Fil", f"{a['fil']} (sha256 {a['sha256'][:12]}…)"),
        ("Registrerad", f"{a['registrerad']} av {a['registrerad_av']}"),
        ("Sanktionerad av", a["sanktionerad_av"]),
    ]
    ut.write(f"{a['id']}\n")
    for namn, varde in rader:
        ut.write(f"  {namn + ':':<18}{varde}\n")
    _tabell(
        ut,
        "Finansiärer",
        ["Nr", "Namn", "Kategori", "Kontant", "In kind", "Garanterad"],
        [
            [
                str(f["nr"]),
                f["namn"],
                f["kategori"],
                _kr(f["kontant"]),
                _kr(f["in_kind"]),
                "ja" if f["garanterad"] else "nej",
            ]
            for f in a["finansiarer"]
        ],
    )
    _tabell(
        ut,
        "Mål",
        ["Nr", "Beskrivning", "Indikator", "Målvärde"],
        [
            [str(m["nr"]), _text(m["beskrivning"]), _text(m["indikator"]), _text(m["malvarde"])]
            for m in a["mal"]
        ],
    )
    _tabell(
        ut,
        "Planerade utvärderingar",
        ["Nr", "Datum", "Typ"],
        [[str(p["nr"]), _text(p["datum"]), _text(p["typ"])] for p in a["planerade_utvarderingar"]],
    )
    if a["undantag"]:
        _tabell(
            ut,
            "Beslutade undantag",
            ["Regel", "Beslut", "Beslutsdatum", "Giltigt till", "Motivering"],
            [
                [
                    u["regel"],
                    u["beslut"],
                    _text(u["beslutsdatum"]),
                    _text(u["giltigt_till"]),
                    u["motivering"],
                ]
                for u in a["undantag"]
            ],
        )
    _tabell(
        ut,
        "Gjorda utvärderingar",
        ["Datum", "Typ", "Utförd av", "Mål", "Utfall", "Måluppfyllelse", "Kommentar"],
        [
            [
                u["datum"],
                u["typ"],
                u["utford_av"],
                str(m["mal_nr"]),
                m["utfall"],
                _uppfyllelse(m["maluppfyllelse"]),
                _text(m["kommentar"]),
            ]
            for u in a["utvarderingar"]
            for m in u["mal"]
        ],
    )


def _uppfyllelse(varde: str | None) -> str:
    from partner_cli.varden import procent

    return "–" if varde is None else procent(Fraction(varde), Fraction(1))


@register_app.command("ägare", cls=Kommando)
def agare(
    format_: Annotated[str, typer.Option("--format", "-f", help=TABELLFORMAT.hjalp())] = "text",
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """En avtalsägare per organisation, med antal avtal och aktiva avtal i dag."""
    format_ = _format(format_, TABELLFORMAT)
    with registret(register, config, skriv=False) as reg:
        rader = reg.agare()
    tabell = Tabell(
        "Organisationer och avtalsägare",
        ["Organisation", "Organisationsnummer", "Avtalsägare", "Enhet", "Antal avtal", "Aktiva"],
        [
            [
                r["organisation"],
                r["organisationsnummer"],
                r["avtalsagare_namn"],
                _text(r["avtalsagare_enhet"]),
                str(r["antal_avtal"]),
                f"{r['aktiva_avtal']} – helst ett samarbetsavtal per organisation"
                if r["aktiva_avtal"] > 1
                else str(r["aktiva_avtal"]),
            ]
            for r in rader
        ],
        rader,
        markerade={i for i, r in enumerate(rader) if r["aktiva_avtal"] > 1},
    )
    _visa(tabell, format_)


@register_app.command("byt-ägare", cls=Kommando)
def byt_agare(
    organisationsnummer: Annotated[
        str, typer.Argument(metavar="ORGNR", help="Organisationens nummer, NNNNNN-NNNN.")
    ],
    namn: Annotated[str, typer.Option("--namn", metavar="NAMN", help="Den nya avtalsägaren.")],
    enhet: Annotated[
        str | None, typer.Option("--enhet", metavar="ENHET", help="Den nya ägarens enhet.")
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Flytta ägarskapet för en organisation till en ny avtalsägare (loggas)."""
    from partner_cli.varden import VardeFel
    from partner_cli.varden import organisationsnummer as orgnr_

    try:
        orgnr = orgnr_(organisationsnummer)
    except VardeFel as e:
        fel(str(e))
    with registret(register, config, skriv=True) as reg:
        reg.byt_agare(orgnr, namn, enhet)
    typer.echo(f"{orgnr}: avtalsägaren är nu {namn.strip()}")


@register_app.command("utvärdera", cls=Kommando)
def utvardera(
    id_: Annotated[str, typer.Argument(metavar="ID", help="Avtalets id.")],
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="Utvärderingen (YAML).")],
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Registrera en genomförd utvärdering (en ny från mallen: partner ny --utvardering FIL)."""
    from partner_cli import laddning
    from partner_cli import register as reg_

    konfig = las_konfig(config)
    data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
    if isinstance(data, laddning.LasFel):
        fel(f"{fil}: {data.meddelande}", AVSLUT_FYND)
    utv = reg_.las_utvardering(data)
    if isinstance(utv, list):
        for f in utv:
            typer.echo(f"{fil}:{f.rad}:{f.kolumn}: fel [format] {f.meddelande}")
        fel(f"{fil}: utvärderingen registrerades inte", AVSLUT_FYND)
    with registret(register, config, skriv=True) as reg:
        rader = reg.utvardera(id_, utv, str(fil), hashlib.sha256(data).hexdigest())
    if rader is None:
        typer.echo(f"{fil}: utvärderingen är redan registrerad för {id_}; inget ändrat")
        return
    _tabell(
        sys.stdout,
        f"Måluppfyllelse {id_} {utv.datum}",
        ["Mål", "Utfall", "Måluppfyllelse", "Kommentar"],
        [
            [
                str(r["mal_nr"]),
                r["utfall"],
                _uppfyllelse(r["maluppfyllelse"]),
                _text(r["kommentar"]),
            ]
            for r in rader
        ],
    )
    typer.echo(f"{fil}: utvärderingen av {id_} registrerad")


@register_app.command("historik", cls=Kommando)
def historik(
    nyckel: Annotated[
        str | None,
        typer.Argument(metavar="[ORGNR|ID]", help="En organisation eller ett avtal."),
    ] = None,
    format_: Annotated[str, typer.Option("--format", "-f", help=TABELLFORMAT.hjalp())] = "text",
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Händelseloggen: vem som ändrade vad och när, med före och efter."""
    format_ = _format(format_, TABELLFORMAT)
    with registret(register, config, skriv=False) as reg:
        rader = reg.historik(nyckel)
    tabell = Tabell(
        "Historik",
        ["Nr", "Tid", "Vem", "Vad", "Organisation", "Avtal", "Ändring"],
        [
            [
                str(r["id"]),
                r["tid"],
                r["vem"],
                r["vad"],
                _text(r["organisationsnummer"]),
                _text(r["avtal_id"]),
                _andring(r["fore"], r["efter"]),
            ]
            for r in rader
        ],
        rader,
    )
    _visa(tabell, format_)


def _andring(fore: str | None, efter: str | None) -> str:
    """De fält som ändrades, kort; hela före och efter finns i --format json."""
    if fore is None:
        return "ny"
    f, e = json.loads(fore), json.loads(efter or "null") or {}
    andrade = [
        f"{k}: {_kort(f.get(k))} → {_kort(e.get(k))}"
        for k in sorted(set(f) | set(e))
        if f.get(k) != e.get(k) and k not in ("registrerad", "registrerad_av")
    ]
    return "; ".join(andrade) or "oförändrad"


def _kort(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else _text(v)
    return text if len(text) <= 40 else text[:39] + "…"


@register_app.command("export", cls=Kommando)
def export(
    format_: Annotated[
        str, typer.Option("--format", "-f", help=EXPORTFORMAT.hjalp())
    ] = EXPORTFORMAT.standard,
    ut: Annotated[
        Path | None,
        typer.Option("--ut", metavar="KATALOG", help="Skriv till katalogen (krävs för csv)."),
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Exportera hela registret, förlustfritt och stabilt sorterat (för versionshantering)."""
    from partner_cli import register as reg_

    format_ = _format(format_, EXPORTFORMAT)
    if EXPORTFORMAT[format_].katalog and ut is None:
        fel(f"{format_} skrivs som en fil per tabell: ange --ut KATALOG")
    with registret(register, config, skriv=False) as reg:
        data = reg.exportera()
    render = EXPORTFORMAT.renderare(format_)
    try:
        if ut is None:
            render(data, sys.stdout)
        elif not EXPORTFORMAT[format_].katalog:
            ut.mkdir(parents=True, exist_ok=True)
            with (ut / reg_.EXPORTFIL).open("w", encoding="utf-8") as f:
                render(data, f)
        else:
            render(data, ut)
    except OSError as e:
        fel(f"kan inte skriva {e.filename or ut}: {e.strerror}", AVSLUT_FYND)
    if ut is not None:
        typer.echo(f"Exporterade {len(data['avtal'][1])} avtal till {ut}", err=True)


@register_app.command("import", cls=Kommando)
def import_(
    kalla: Annotated[
        Path, typer.Argument(metavar="KÄLLA", help="Det som export skrev: filen eller katalogen.")
    ],
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Läs in en export i ett tomt register, i en transaktion."""
    from partner_cli import register as reg_

    try:
        data = reg_.las_export(kalla)
    except reg_.RegisterFel as e:
        fel(str(e), e.kod)
    with registret(register, config, skriv=True, skapa=True) as reg:
        antal = reg.importera(data)
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

    sokvag = registersokvag(register, las_konfig(config))
    try:
        reg = reg_.las(sokvag)
        try:
            problem = reg.kontroll()
            antal = {} if problem else {r["id"]: r for r in reg.lista()}
        finally:
            reg.stang()
    except reg_.RegisterFel as e:
        if e.kod == AVSLUT_ANVANDNING and not sokvag.is_file():
            fel(str(e), e.kod)
        problem = [str(e)]
    if problem:
        for p in problem:
            typer.echo(f"{sokvag}: {p}")
        fel(f"registret {sokvag} är inte helt ({len(problem)} problem)", AVSLUT_FYND)
    typer.echo(f"{sokvag}: registret är helt ({len(antal)} avtal)")


@register_app.command("backup", cls=Kommando)
def backup(
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="Säkerhetskopians nya fil.")],
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Säkerhetskopiera registret (SQLites backup-API; konsekvent medan andra skriver)."""
    with registret(register, config, skriv=False) as reg:
        reg.sakerhetskopiera(fil)
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

    try:
        kalla = reg_.las(fil)
    except reg_.RegisterFel as e:
        fel(str(e), e.kod)
    try:
        problem = kalla.kontroll()
        if problem:
            fel(f"säkerhetskopian {fil} är inte hel: {'; '.join(problem)}", AVSLUT_FYND)
        with registret(register, config, skriv=True, skapa=True) as reg:
            if not ersatt and not reg.tomt():
                fel(
                    f"registret {reg.sokvag} har innehåll; ange --ersätt för att ersätta det "
                    "med säkerhetskopian (ta gärna en backup först)"
                )
            reg.aterstall_fran(kalla)
    except reg_.RegisterFel as e:
        fel(str(e), e.kod)
    finally:
        kalla.stang()
    typer.echo(f"Återställde {reg.sokvag} från {fil}")
