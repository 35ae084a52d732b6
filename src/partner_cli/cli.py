"""Kommandoraden. Tunn: läser flaggor, anropar kärnan, väljer rapportformat.

Tunga bibliotek (rich, yaml, sqlite_utils) importeras i kommandona, inte här, så att
`partner --help` och en enstaka granskning startar snabbt (se bench/).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from partner_cli.utdata import FORMAT

if TYPE_CHECKING:
    from partner_cli.modell import Kontrollresultat
from partner_cli.typerkompat import (
    ClickException,
    NoArgsIsHelpError,
    UsageError,
    make_default_short_help,
)

AVSLUT_OK, AVSLUT_FYND, AVSLUT_ANVANDNING, AVSLUT_AVBRUTEN = 0, 1, 2, 130

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


def fel(meddelande: str, kod: int = AVSLUT_ANVANDNING) -> NoReturn:
    """Ett tydligt fel på svenska till stderr, och rätt avslutningskod."""
    typer.echo(f"partner: {meddelande}", err=True)
    raise typer.Exit(kod)


KonfigFlagga = Annotated[
    Path | None,
    typer.Option(
        "--config", metavar="FIL", help="partner.toml att använda (annars söks den uppåt från ./)."
    ),
]


@functools.cache
def las_konfig(fil: Path | None) -> Any:
    # En gång per körning: registrets och rapportens kommandon behöver både registrets
    # sökväg och gränserna ur samma fil.
    from partner_cli.konfig import KonfigFel, ladda

    try:
        return ladda(fil)
    except KonfigFel as e:
        fel(str(e))


@app.command("check", cls=Kommando)
def check(
    sokvagar: Annotated[
        list[str],
        typer.Argument(
            metavar="SÖKVÄG",
            help="Förslagsfiler eller kataloger (alla *.yaml och *.yml), eller - för stdin.",
            show_default=False,
        ),
    ],
    format_: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=FORMAT.hjalp() + " Kan upprepas, ett format per --output.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FIL",
            help="Skriv rapporten (i samma ordning som --format) till fil.",
        ),
    ] = None,
    strikt: Annotated[
        bool, typer.Option("--strikt", help="Låt även varningar ge avslutningskod 1.")
    ] = False,
    config: KonfigFlagga = None,
) -> None:
    """Granska förslag mot strategin. Avslutar med 0 när alla är godkända, 1 annars."""
    from partner_cli.kontroll import AnvandningsFel, kontrollera, samla_filer

    # I GitHub Actions blir standardformatet också annoteringar, utan att arbetsflödet ber om det.
    annotera = format_ is None and os.environ.get("GITHUB_ACTIONS") == "true"
    format_ = format_ or [FORMAT.standard]
    output = output or []
    for f in format_:
        if f not in FORMAT:
            fel(FORMAT.okant(f))
    if len(output) > len(format_):
        fel("fler --output än --format: ange ett format per utfil")
    if len(format_) - len(output) > 1:
        fel("bara ett format kan skrivas till terminalen; ange --output för de övriga")
    konfig = las_konfig(config)
    try:
        filer = samla_filer(sokvagar)
    except AnvandningsFel as e:
        fel(str(e))
    kontext = _registerkontext(konfig)
    resultat = kontrollera(filer, konfig, kontext, strikt=strikt, per_fil=FORMAT.per_fil(format_))
    for fmt, ut in zip(format_, output, strict=False):
        try:
            with ut.open("w", encoding="utf-8") as fil:
                FORMAT.renderare(fmt)(resultat, fil)
        except OSError as e:
            fel(f"kan inte skriva {ut}: {e.strerror}")
    terminal = format_[len(output) :]
    if terminal:
        FORMAT.renderare(terminal[0])(resultat, sys.stdout)
    else:
        from partner_cli.utdata.text import sammanfattningsrad

        typer.echo(sammanfattningsrad(resultat), err=True)
    if annotera:
        from partner_cli.utdata.github import annoteringar

        annoteringar(resultat, sys.stdout)
    if annotera or "github" in format_:
        _stegsammanfattning(resultat)
    raise typer.Exit(AVSLUT_OK if resultat.godkant else AVSLUT_FYND)


def _stegsammanfattning(resultat: Kontrollresultat) -> None:
    """GitHub visar bara några annoteringar per steg; när jobbet har en sammanfattningsfil
    läggs en tabell med varje fynd till där."""
    sokvag = os.environ.get("GITHUB_STEP_SUMMARY")
    if not sokvag:
        return
    from partner_cli.utdata.github import koda_data, stegsammanfattning

    try:
        with open(sokvag, "a", encoding="utf-8") as fil:
            fil.write(stegsammanfattning(resultat))
    except OSError as e:
        typer.echo(f"::warning::{koda_data(f'Kan inte skriva stegsammanfattningen: {e}')}")


def _registerkontext(konfig: Any) -> Any:
    """Regeln `avtalsägare` prövar mot registret när det finns; en läsning skapar det aldrig."""
    from partner_cli.konfig import registersokvag

    sokvag = registersokvag(None, konfig)
    if not sokvag.exists():
        return None
    from partner_cli import register

    try:
        return register.ogonblicksbild(sokvag)
    except register.RegisterFel as e:
        fel(str(e), e.kod)


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
