"""Kommandoraden. Tunn: läser flaggor, anropar kärnan, väljer rapportformat.

Tunga bibliotek (rich, yaml, sqlite_utils) importeras i kommandona, inte här, så att
`partner --help` och en enstaka granskning startar snabbt (se bench/).
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from partner_cli import granskning, systemfel
from partner_cli.kommando import (
    AVSLUT_ANVANDNING,
    AVSLUT_AVBRUTEN,
    AVSLUT_FYND,
    AVSLUT_OK,
    KONFIG,
    Parameter,
    Stromfel,
    ar_stromfel,
    avsluta,
    fel,
    skrivfel,
    skrivkod,
)
from partner_cli.typerkompat import (
    BadParameter,
    ClickException,
    NoArgsIsHelpError,
    TyperChoice,
    UsageError,
    completion_init,
    get_completion_script,
    install,
    make_default_short_help,
)

if TYPE_CHECKING:
    from partner_cli.modell import Kommun

_RUBRIKER = [
    ("Usage:", "Användning:"),
    ("Arguments:", "Argument:"),
    ("Options:", "Flaggor:"),
    ("Commands:", "Kommandon:"),
    ("Show this message and exit.", "Visa den här hjälpen och avsluta."),
    ("[required]", "[krävs]"),
    ("[OPTIONS]", "[FLAGGOR]"),
    ("COMMAND [ARGS]...", "KOMMANDO [ARGUMENT]..."),
]


def _svensk_hjalp(text: str) -> str:
    for en, sv in _RUBRIKER:
        text = text.replace(en, sv)
    # Click bryter raderna först: "[default:" kan stå sist på en rad och värdet på nästa.
    text = re.sub(r"\[default:(\s)", r"[standard:\1", text)
    return text


class _Svensk:
    """Hjälpen på svenska, och fel i anropet knutna till kommandot de gäller (Click lämnar
    `ctx` tomt för en flagga utan värde, och felet hänvisade då till `partner --help`)."""

    def get_help(self, ctx: Any) -> str:
        return _svensk_hjalp(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return _svensk_hjalp(super().get_usage(ctx))  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as e:
            if e.ctx is None:
                e.ctx = ctx
            raise
        return rest


class Kommando(_Svensk, TyperCommand):
    pass


class _Grupp(_Svensk, TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        # Click gör ett stängt rör till kod 1; felet bärs förbi till `kommando.avsluta`.
        try:
            return super().invoke(ctx)
        except (OSError, UnicodeEncodeError) as e:
            if ar_stromfel(e):
                raise Stromfel(e) from e
            raise


# Underkommandon som laddas först när de anropas: `partner check` ska inte betala för
# registrets och rapportens kommandon (Click: "Lazily Loading Subcommands").
# Kortbeskrivningen står här, så att `partner --help` inte heller laddar dem; ett test håller
# den lika med kommandots egen.
_LATA = {
    "register": (
        # Besluten importerar underhållet, som importerar de dagliga kommandona; var och en
        # lägger sina kommandon till gruppen.
        "partner_cli.register_beslut_cli",
        "register_app",
        "Registret över avtalen: en avtalsägare per organisation, utvärderingar och historik.",
    ),
    "report": (
        "partner_cli.rapport_cli",
        "rapport_app",
        "Årsrapporten: partnerskap, avtalsägare, måluppfyllelse, uppföljning och risker.",
    ),
    "underlag": (
        "partner_cli.underlag_cli",
        "underlag_app",
        "Beslutsunderlaget för ett förslag: granskningen, finansieringen, ekonomin och målen.",
    ),
    "publicera": (
        "partner_cli.publicera_cli",
        "publicera_app",
        "Årets avtal som öppna data: CSV, JSON, 360Giving och en DCAT-AP-SE-post.",
    ),
    "bevaka": (
        "partner_cli.bevaka_cli",
        "bevaka_app",
        "Bevakning: utvärderingar, avtalsslut, undantag och årsredovisningar per avtalsägare.",
    ),
}


class _Huvudgrupp(_Grupp):
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *_LATA]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        hjalp = {n: k.help or "" for n, k in self.commands.items() if not k.hidden}
        hjalp |= {namn: text for namn, (_, _, text) in _LATA.items()}
        bredd = formatter.width - 6 - max(map(len, hjalp))
        with formatter.section("Kommandon"):
            formatter.write_dl([(n, make_default_short_help(h, bredd)) for n, h in hjalp.items()])

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in _LATA:
            return super().get_command(ctx, cmd_name)
        import importlib

        modul, namn, _ = _LATA[cmd_name]
        kommando = typer.main.get_command(getattr(importlib.import_module(modul), namn))
        kommando.name = cmd_name
        return kommando


def ny_app(**installningar: Any) -> typer.Typer:
    """En Typer-app med partners inställningar: utan Rich i hjälpen, utan Typers egen
    komplettering och tracebacks, med -h som --help."""
    return typer.Typer(
        rich_markup_mode=None,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        **installningar,
    )


def ny_grupp(hjalp: str, cls: type[TyperGroup] = _Grupp) -> typer.Typer:
    return ny_app(cls=cls, help=hjalp, no_args_is_help=True)


app = ny_grupp(
    "Granskar förslag till partnerskap med näringslivet mot kommunens strategi och håller "
    "registret över avtalen.",
    _Huvudgrupp,
)

SKAL = ("bash", "zsh", "fish")
_KOMPLETTERING = "_PARTNER_COMPLETE"  # miljövariabeln som skalets skript sätter (Click)


def _skal(varde: str) -> str:
    if varde not in SKAL:
        fel(f"skalet {varde!r} stöds inte; välj {', '.join(SKAL)}")
    return varde


def _visa_version(varde: bool) -> None:
    if varde:
        from importlib.metadata import version

        typer.echo(f"partner {version('partner-cli')}")
        raise typer.Exit()


def _visa_komplettering(varde: str | None) -> None:
    if varde is not None:
        typer.echo(
            get_completion_script(
                prog_name="partner", complete_var=_KOMPLETTERING, shell=_skal(varde)
            )
        )
        raise typer.Exit()


def _installera_komplettering(varde: str | None) -> None:
    if varde is not None:
        try:
            _, fil = install(shell=_skal(varde), prog_name="partner", complete_var=_KOMPLETTERING)
        except OSError as e:
            fel(
                f"kan inte installera kompletteringen: {systemfel.text(e)} ({e.filename})",
                skrivkod(e),
            )
        typer.echo(f"Kompletteringen för {varde} är installerad i {fil}; den gäller i nya skal.")
        raise typer.Exit()


@app.callback()
def _huvudflaggor(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_visa_version,
            is_eager=True,
            expose_value=False,
            help="Visa versionen och avsluta.",
        ),
    ] = False,
    visa_komplettering: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SKAL",
            callback=_visa_komplettering,
            is_eager=True,
            expose_value=False,
            help="Skriv ut skalkompletteringen för bash, zsh eller fish.",
        ),
    ] = None,
    installera_komplettering: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SKAL",
            callback=_installera_komplettering,
            is_eager=True,
            expose_value=False,
            help="Installera skalkompletteringen för bash, zsh eller fish i hemkatalogen.",
        ),
    ] = None,
) -> None:
    pass


def flagga(p: Parameter) -> Any:
    """Typers `Option` för flaggan, till en `Annotated` med flaggans typ."""
    return typer.Option(
        *p.flaggor,
        metavar=p.metavar,
        help=p.hjalp,
        show_default=p.visa_standard,
        click_type=TyperChoice(list(p.val)) if p.val else None,
    )


def typer_parameter(p: Parameter) -> inspect.Parameter:
    """Deklarationen som Typer läser den ur en funktions signatur."""
    typ: Any = list[p.typ] if p.flera else p.typ  # type: ignore[name-defined]
    standard: Any = inspect.Parameter.empty
    if p.typ is bool:
        standard = False
    elif p.standard is not None:
        standard = p.standard
    elif not p.kravs:
        typ, standard = typ | None, None
    info = (
        flagga(p)
        if p.flaggor
        else typer.Argument(metavar=p.metavar, help=p.hjalp, show_default=p.visa_standard)
    )
    return inspect.Parameter(
        p.namn,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        default=standard,
        annotation=Annotated[typ, info],
    )


KonfigFlagga = typer_parameter(KONFIG).annotation


def kommando_ur(
    funktion: Callable[..., None], parametrar: Sequence[Parameter]
) -> Callable[..., None]:
    """Ett Typer-kommando vars flaggor är deklarationens."""

    @functools.wraps(funktion)
    def kommando(**argument: Any) -> None:
        funktion(**argument)

    del kommando.__wrapped__  # signaturen nedan, inte funktionens
    kommando.__annotations__ = {}
    kommando.__signature__ = inspect.Signature([typer_parameter(p) for p in parametrar])  # type: ignore[attr-defined]
    return kommando


app.command("check", cls=Kommando)(kommando_ur(granskning.check, granskning.PARAMETRAR))


@app.command("regler", cls=Kommando)
def regler_(
    regel: Annotated[
        str | None, typer.Argument(metavar="[REGEL]", help="Visa en regels dokumentation.")
    ] = None,
) -> None:
    """Lista strategins regler, eller visa en regel med exempel."""
    from partner_cli import regler

    if regel is None:
        rader = [
            (id_, modul.GRUND, (modul.__doc__ or "").strip().splitlines()[0].split(":", 1)[-1])
            for id_, modul in regler.REGLER.items()
        ]
        rader.append(
            (
                regler.FORMAT,
                regler.FORMATETS_GRUND,
                "förslagsformatets tolkningar (utvecklingsområden, tomt är inte noll)",
            )
        )
        # Kolumnerna så breda som deras längsta text och två mellanslag: ingen text når nästa.
        bredd_id = max(len(r[0]) for r in rader) + 2
        bredd_grund = max(len(r[1]) for r in rader) + 2
        for id_, grund, vad in rader:
            typer.echo(f"{id_:<{bredd_id}}{grund:<{bredd_grund}}{vad.strip()}")
        return
    from partner_cli.namn import attributnamn

    efter_ascii = {attributnamn(i): i for i in (*regler.REGLER, regler.FORMAT)}
    hittad = efter_ascii.get(attributnamn(regel))
    if hittad is None:
        fel(f"okänd regel {regel!r}; kända är {', '.join((*regler.REGLER, regler.FORMAT))}")
    if hittad == regler.FORMAT:
        typer.echo(f"{regler.FORMAT} — {regler.FORMATETS_GRUND}\n")
        typer.echo(
            "Förslagsformatets tolkningar av strategins text. Deras fel är formatfel: filen "
            "är ogiltig.\n"
        )
        _tolkningar(regler.FORMATETS_TOLKNINGAR, "fel")
        return
    modul = regler.REGLER[hittad]
    typer.echo(f"{hittad} — {modul.GRUND}\n")
    typer.echo(f"Strategin: «{modul.CITAT}»\n")
    typer.echo((modul.__doc__ or "").strip() + "\n")
    typer.echo("Godkänt exempel (ändring i mallen mallar/forslag.yaml):\n")
    typer.echo(_indrag(modul.EXEMPEL_GODKANT))
    typer.echo("Underkänt exempel:\n")
    typer.echo(_indrag(modul.EXEMPEL_UNDERKANT))
    if modul.TOLKNINGAR:
        typer.echo("Inställningar och tolkningar, med ett godkänt och ett underkänt exempel var:\n")
    _tolkningar(modul.TOLKNINGAR, modul.NIVA)


def _tolkningar(tolkningar: Sequence[Any], niva: str) -> None:
    """Inställningarnas och tolkningarnas exempel (`regler.bas.Exempel`)."""
    for e in tolkningar:
        typer.echo(f"{e.namn}: {e.text}\n")
        delar = [
            ("partner.toml", e.toml),
            ("partner.toml i det underkända", e.toml_underkant),
            ("Godkänt", e.godkant),
            (f"Underkänt ({e.niva or niva})", e.underkant),
        ]
        for rubrik, text in delar:
            if text is not None:
                typer.echo(f"    {rubrik}:\n\n{_indrag(_indrag(text or '(standardvärdena)'))}")


def _indrag(text: str) -> str:
    return "".join(f"    {rad}\n" for rad in text.splitlines())


@app.command("schema", cls=Kommando)
def schema_() -> None:
    """Skriv ut förslagsformatets JSON Schema (för redigerare via yaml-language-server)."""
    import json

    from partner_cli.schema import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command("ny", cls=Kommando)
def ny(
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="Den nya filens namn.")],
    utvardering: Annotated[
        bool,
        typer.Option(
            "--utvardering",
            "--utvärdering",
            help="En genomförd utvärdering (för partner register utvärdera) i stället för "
            "ett förslag.",
        ),
    ] = False,
) -> None:
    """Skapa ett nytt förslag (eller en utvärdering) från mallen. Skriver aldrig över en fil.

    Kataloger som saknas i FIL skapas. Ett förslags id tas ur filnamnet (nl-2014-007.yaml ger
    NL-2014-007) när det går; motparten och avtalsägaren står som platshållare, som
    underkänns tills de är ifyllda.
    """
    from partner_cli.filer import ny_fil
    from partner_cli.initiering import i_utvarderingar, ny_utvardering, nytt_forslag

    try:
        fil.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        fel(f"kan inte skapa katalogen {fil.parent}: det finns en fil med det namnet")
    except OSError as e:
        skrivfel(f"kan inte skapa katalogen {fil.parent}", e)
    try:
        with ny_fil(fil) as ut:
            ut.write(ny_utvardering(fil) if utvardering else nytt_forslag(fil.name))
    except FileExistsError:
        vad = "är en symbolisk länk" if fil.is_symlink() else "finns redan"
        fel(f"{fil} {vad}; välj ett annat namn")
    except OSError as e:
        skrivfel(f"kan inte skriva {fil}", e)
    if utvardering and i_utvarderingar(fil):
        typer.echo(f"Skapade {fil}. Fyll i det och granska med: partner check {fil.parent}")
    elif utvardering:
        typer.echo(
            f"Skapade {fil}. Fyll i det och registrera med: partner register utvärdera ID {fil}"
        )
    else:
        typer.echo(
            f"Skapade {fil}. Fyll i motparten, avtalsägaren och resten, och granska med: "
            f"partner check {fil}"
        )


@app.command("init", cls=Kommando)
def init(
    katalog: Annotated[
        Path, typer.Argument(metavar="[KATALOG]", help="Arkivets katalog (standard: ./).")
    ] = Path("."),
    ci: Annotated[
        str | None,
        typer.Option("--ci", metavar="github|gitlab", help="Lägg till CI-konfiguration."),
    ] = None,
    kommun_namn: Annotated[
        str | None,
        typer.Option("--kommun-namn", metavar="NAMN", help="Kommunens namn ([kommun] namn)."),
    ] = None,
    kommun_organisationsnummer: Annotated[
        str | None,
        typer.Option(
            "--kommun-organisationsnummer",
            metavar="NNNNNN-NNNN",
            help="Kommunens organisationsnummer ([kommun] organisationsnummer).",
        ),
    ] = None,
    kommunalt_bolag: Annotated[
        list[str] | None,
        typer.Option(
            "--kommunalt-bolag",
            metavar="NNNNNN-NNNN",
            help="Ett av kommunens bolag eller en organisation som kommunen bestämmer över "
            "([kommun] bolag); kan upprepas.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Lägg upp ett förslagsarkiv: partner.toml, forslag/, register/ och CI. Skriver aldrig över.

    [kommun] i partner.toml (kommunen och dess bolag, som aldrig är annan part) fylls i med
    flaggorna --kommun-*, frågas efter i en terminal, och står annars som en kommenterad mall
    som partner check påpekar tills den är ifylld.
    """
    from partner_cli.initiering import CI, init

    if ci is not None and ci not in CI:
        fel(f"okänd CI {ci!r}; välj github eller gitlab")
    kommun = _kommunen(katalog, kommun_namn, kommun_organisationsnummer, kommunalt_bolag or [])
    filer = init(katalog, ci, kommun)
    while True:
        # Bara arkivets filer i try: ett fel i standard ut går till kommando.avsluta.
        try:
            nasta = next(filer, None)
        except OSError as e:
            skrivfel(f"kan inte skriva i {e.filename or katalog}", e)
        if nasta is None:
            return
        namn, skriven = nasta
        typer.echo(f"skapade {namn}" if skriven else f"finns redan, lämnades orörd: {namn}")


def _kommunen(
    katalog: Path, namn: str | None, nummer: str | None, bolag: list[str]
) -> Kommun | None:
    """[kommun] för `init`: ur flaggorna, frågad i en terminal eller None (mallen)."""
    from partner_cli.konfig import FILNAMN, kommunens_nummer
    from partner_cli.modell import Kommun
    from partner_cli.varden import VardeFel, organisationsnummer

    if namn is None and nummer is None and not bolag:
        if not sys.stdin.isatty() or (katalog / FILNAMN).exists():
            return None
        from partner_cli.initiering import fraga_kommun

        return fraga_kommun()
    if (katalog / FILNAMN).exists():
        fel(f"{katalog / FILNAMN} finns redan och skrivs inte över; fyll i [kommun] i den")
    if not (namn or "").strip() or nummer is None:
        fel("ange både --kommun-namn och --kommun-organisationsnummer")
    try:
        kommunens = kommunens_nummer(nummer)
    except VardeFel as e:
        fel(f"--kommun-organisationsnummer: {e}")
    nummer_ = []
    for b in bolag:
        try:
            nummer_.append(organisationsnummer(b))
        except VardeFel as e:
            fel(f"--kommunalt-bolag: {e}")
    return Kommun((namn or "").strip(), kommunens, tuple(dict.fromkeys(nummer_)))


# Clicks meddelanden, efter att parameterns namn har satts utan citattecken (`_namn`).
_ANVANDNINGSFEL = [
    (r"No such option: (\S+)", r"okänd flagga: \1"),
    (r"Did you mean (\S+)\?", r"Menade du \1?"),
    (r"\(Possible options: (.*)\)", r"(menade du \1?)"),
    (r"Missing argument (\S+)\.", r"argument saknas: \1"),
    (r"Missing option (\S+)\.", r"flagga saknas: \1"),
    (r"Missing parameter (\S+)\.", r"värde saknas: \1"),
    (r"Invalid value for (\S+): ", r"ogiltigt värde för \1: "),
    (r"(.*) is not one of (.*)\.", r"\1; välj en av \2"),
    (r"(.*) is not a valid (?:integer|int)\.", r"\1 är inget heltal"),
    (r"(.*) is not a valid (?:float|number)\.", r"\1 är inget tal"),
    (r"(.*) does not match the formats? .*\.", r"\1 är inget datum i formen ÅÅÅÅ-MM-DD"),
    (r"(.*) is not in the range (.*)\.", r"\1 ligger utanför \2"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"oväntade argument: \1"),
    (r"No such command '(.+)'\.", r"okänt kommando: \1."),
    (r"Option '(.+)' requires an argument\.", r"flaggan \1 kräver ett värde"),
    (r"Option '(.+)' requires (\d+) arguments\.", r"flaggan \1 kräver \2 värden"),
    (r"Option '(.+)' does not take a value\.", r"flaggan \1 tar inget värde"),
]


def _namn(e: UsageError) -> None:
    """Parametern som användaren skrev den (`--år`, `FIL`), inte Clicks `'--år' / '--ar'`."""
    if isinstance(e, BadParameter) and e.param is not None and e.param_hint is None:
        p = e.param
        e.param_hint = p.opts[0] if p.param_type_name == "option" else p.human_readable_name


def _svenskt_anvandningsfel(e: UsageError) -> str:
    _namn(e)
    text = e.format_message()
    for monster, ersattning in _ANVANDNINGSFEL:
        text = re.sub(monster, ersattning, text)
    return text


def main() -> None:
    avsluta(_main)


def _main() -> int:
    kommando = typer.main.get_command(app)
    if _KOMPLETTERING in os.environ:
        completion_init()  # skalets skript frågar efter förslag: Typers kompletteringsklasser
    try:
        kod = kommando.main(args=sys.argv[1:], prog_name="partner", standalone_mode=False)
    except NoArgsIsHelpError as e:
        typer.echo(_svensk_hjalp(e.ctx.get_help()) if e.ctx else "", err=True)
        kod = AVSLUT_ANVANDNING
    except UsageError as e:
        namn = e.ctx.command_path if e.ctx else "partner"
        typer.echo(f"{namn}: {_svenskt_anvandningsfel(e)}", err=True)
        typer.echo(f"Se '{namn} --help'.", err=True)
        kod = AVSLUT_ANVANDNING
    except ClickException as e:
        typer.echo(f"partner: {e.format_message()}", err=True)
        kod = AVSLUT_ANVANDNING
    except (typer.Abort, EOFError):
        typer.echo("Avbrutet.", err=True)
        kod = AVSLUT_FYND
    except KeyboardInterrupt:
        kod = AVSLUT_AVBRUTEN
    if kod == AVSLUT_AVBRUTEN:
        # Ctrl-C (Typer gör avbrottet till kod 130); en skrivning i registret är redan
        # tillbakarullad av SQLite.
        typer.echo("Avbrutet.", err=True)
    return kod if isinstance(kod, int) else AVSLUT_OK
