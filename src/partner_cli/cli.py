"""Kommandoraden. Tunn: läser flaggor, anropar kärnan, väljer rapportformat.

Tunga bibliotek (rich, yaml, sqlite_utils) importeras i kommandona, inte här, så att
`partner --help` och en enstaka granskning startar snabbt (se bench/).
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from partner_cli import granskning
from partner_cli.kommando import (
    AVSLUT_ANVANDNING,
    AVSLUT_AVBRUTEN,
    AVSLUT_FYND,
    AVSLUT_OK,
    KONFIG,
    Parameter,
    fel,
)
from partner_cli.typerkompat import (
    ClickException,
    NoArgsIsHelpError,
    UsageError,
    make_default_short_help,
)

_RUBRIKER = [
    ("Usage:", "Användning:"),
    ("Arguments:", "Argument:"),
    ("Options:", "Flaggor:"),
    ("Commands:", "Kommandon:"),
    ("Show this message and exit.", "Visa den här hjälpen och avsluta."),
    ("[default: ", "[standard: "),
    ("[required]", "[krävs]"),
    ("[OPTIONS]", "[FLAGGOR]"),
    ("COMMAND [ARGS]...", "KOMMANDO [ARGUMENT]..."),
]


def _svensk_hjalp(text: str) -> str:
    for en, sv in _RUBRIKER:
        text = text.replace(en, sv)
    return text


class Kommando(TyperCommand):
    def get_help(self, ctx: Any) -> str:
        return _svensk_hjalp(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _svensk_hjalp(super().get_usage(ctx))


class _Grupp(TyperGroup):
    def get_help(self, ctx: Any) -> str:
        return _svensk_hjalp(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _svensk_hjalp(super().get_usage(ctx))


# Underkommandon som laddas först när de anropas: `partner check` ska inte betala för
# registrets och rapportens kommandon (Click: "Lazily Loading Subcommands").
# Kortbeskrivningen står här, så att `partner --help` inte heller laddar dem; ett test håller
# den lika med kommandots egen.
_LATA = {
    "register": (
        "partner_cli.register_cli",
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


def ny_grupp(hjalp: str, cls: type[TyperGroup] = _Grupp) -> typer.Typer:
    return typer.Typer(
        cls=cls,
        help=hjalp,
        rich_markup_mode=None,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = ny_grupp(
    "Granskar förslag till partnerskap med näringslivet mot kommunens strategi och håller "
    "registret över avtalen.",
    _Huvudgrupp,
)


def _typer_parameter(p: Parameter) -> inspect.Parameter:
    """Deklarationen som Typer läser den ur en funktions signatur."""
    typ: Any = list[p.typ] if p.flera else p.typ  # type: ignore[name-defined]
    standard: Any = inspect.Parameter.empty
    if p.typ is bool:
        standard = False
    elif not p.kravs:
        typ, standard = typ | None, None
    info = (
        typer.Option(*p.flaggor, metavar=p.metavar, help=p.hjalp, show_default=p.visa_standard)
        if p.flaggor
        else typer.Argument(metavar=p.metavar, help=p.hjalp, show_default=p.visa_standard)
    )
    return inspect.Parameter(
        p.namn,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        default=standard,
        annotation=Annotated[typ, info],
    )


KonfigFlagga = _typer_parameter(KONFIG).annotation


def _kommando_ur(
    funktion: Callable[..., None], parametrar: Sequence[Parameter]
) -> Callable[..., None]:
    """Ett Typer-kommando vars flaggor är deklarationens."""

    @functools.wraps(funktion)
    def kommando(**argument: Any) -> None:
        funktion(**argument)

    del kommando.__wrapped__  # signaturen nedan, inte funktionens
    kommando.__annotations__ = {}
    kommando.__signature__ = inspect.Signature([_typer_parameter(p) for p in parametrar])  # type: ignore[attr-defined]
    return kommando


app.command("check", cls=Kommando)(_kommando_ur(granskning.check, granskning.PARAMETRAR))


@app.command("regler", cls=Kommando)
def regler_(
    regel: Annotated[
        str | None, typer.Argument(metavar="[REGEL]", help="Visa en regels dokumentation.")
    ] = None,
) -> None:
    """Lista strategins regler, eller visa en regel med exempel."""
    from partner_cli import regler

    if regel is None:
        for id_, modul in regler.REGLER.items():
            forsta = (modul.__doc__ or "").strip().splitlines()[0]
            typer.echo(f"{id_:<16}{modul.GRUND:<56}{forsta.split(':', 1)[-1].strip()}")
        return
    from partner_cli.namn import attributnamn

    efter_ascii = {attributnamn(i): i for i in regler.REGLER}
    hittad = efter_ascii.get(attributnamn(regel))
    if hittad is None:
        fel(f"okänd regel {regel!r}; kända är {', '.join(regler.REGLER)}")
    id_ = hittad
    modul = regler.REGLER[id_]
    typer.echo(f"{id_} — {modul.GRUND}\n")
    typer.echo(f"Strategin: «{modul.CITAT}»\n")
    typer.echo((modul.__doc__ or "").strip() + "\n")
    typer.echo("Godkänt exempel (ändring i mallen mallar/forslag.yaml):\n")
    typer.echo(_indrag(modul.EXEMPEL_GODKANT))
    typer.echo("Underkänt exempel:\n")
    typer.echo(_indrag(modul.EXEMPEL_UNDERKANT))


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
    fil: Annotated[Path, typer.Argument(metavar="FIL", help="Det nya förslagets filnamn.")],
) -> None:
    """Skapa ett nytt förslag från mallen. Skriver aldrig över en befintlig fil."""
    from partner_cli.mallfiler import mall

    try:
        with fil.open("x", encoding="utf-8") as ut:
            ut.write(mall("forslag.yaml"))
    except FileExistsError:
        fel(f"{fil} finns redan; välj ett annat namn")
    except OSError as e:
        fel(f"kan inte skriva {fil}: {e.strerror}")
    typer.echo(f"Skapade {fil}. Fyll i det och granska med: partner check {fil}")


@app.command("init", cls=Kommando)
def init(
    katalog: Annotated[
        Path, typer.Argument(metavar="[KATALOG]", help="Arkivets katalog (standard: ./).")
    ] = Path("."),
    ci: Annotated[
        str | None,
        typer.Option("--ci", metavar="github|gitlab", help="Lägg till CI-konfiguration."),
    ] = None,
) -> None:
    """Lägg upp ett förslagsarkiv: partner.toml, forslag/, register/ och CI. Skriver aldrig över."""
    from partner_cli.initiering import CI, init

    if ci is not None and ci not in CI:
        fel(f"okänd CI {ci!r}; välj github eller gitlab")
    try:
        for namn, skriven in init(katalog, ci):
            typer.echo(f"skapade {namn}" if skriven else f"finns redan, lämnades orörd: {namn}")
    except OSError as e:
        fel(f"kan inte skriva i {katalog}: {e.strerror}")


_ANVANDNINGSFEL = [
    (r"No such option: (\S+)", r"okänd flagga: \1"),
    (r"Did you mean (\S+)\?", r"Menade du \1?"),
    (r"\(Possible options: (.*)\)", r"(möjliga: \1)"),
    (r"Missing argument '(.+)'\.", r"argument saknas: \1"),
    (r"Missing option '(.+)'\.", r"flagga saknas: \1"),
    (
        r"Invalid value for '(.+?)': (.*) is not one of (.*)\.",
        r"ogiltigt värde för \1: \2; välj en av \3",
    ),
    (r"Invalid value for '(.+?)': (.*)", r"ogiltigt värde för \1: \2"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"oväntade argument: \1"),
    (r"No such command '(.+)'\.", r"okänt kommando: \1"),
    (r"Option '(.+)' requires an argument\.", r"flaggan \1 kräver ett värde"),
    (r"Option '(.+)' does not take a value\.", r"flaggan \1 tar inget värde"),
    (r"is not a valid integer\.?", r"är inget heltal"),
]


def _svenskt_anvandningsfel(text: str) -> str:
    for monster, ersattning in _ANVANDNINGSFEL:
        text = re.sub(monster, ersattning, text)
    return text


def main() -> None:
    kommando = typer.main.get_command(app)
    try:
        kod = kommando.main(args=sys.argv[1:], prog_name="partner", standalone_mode=False)
    except NoArgsIsHelpError as e:
        typer.echo(_svensk_hjalp(e.ctx.get_help()) if e.ctx else "", err=True)
        kod = AVSLUT_ANVANDNING
    except UsageError as e:
        namn = e.ctx.command_path if e.ctx else "partner"
        typer.echo(f"{namn}: {_svenskt_anvandningsfel(e.format_message())}", err=True)
        typer.echo(f"Se '{namn} --help'.", err=True)
        kod = AVSLUT_ANVANDNING
    except ClickException as e:
        typer.echo(f"partner: {e.format_message()}", err=True)
        kod = AVSLUT_ANVANDNING
    except typer.Abort:
        typer.echo("Avbrutet.", err=True)
        kod = AVSLUT_FYND
    except KeyboardInterrupt:
        kod = AVSLUT_AVBRUTEN
    if kod == AVSLUT_AVBRUTEN:
        # Ctrl-C (Typer gör avbrottet till kod 130); en skrivning i registret är redan
        # tillbakarullad av SQLite.
        typer.echo("Avbrutet.", err=True)
    sys.exit(kod if isinstance(kod, int) else AVSLUT_OK)
