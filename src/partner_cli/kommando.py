"""Det kommandoraden delar utan Typer: avslutningskoder, utskrift, fel, konfigurationen, och
flaggor som deklareras en gång.

`partner check` på en fil (pre-commit) är mest start: Typer och dess Click kostar mer än
granskningen, och för `register ägare` och `report` en betydande del av körningen. Därför
tolkar `main()` de vanliga formerna av kommandona i `SNABBA` själv, efter samma deklaration
(`Parameter`) som Typer-kommandot byggs av i `cli`; allt annat (hjälpen, fel i anropet,
ovanliga former) går till Typer, så att hjälp, felmeddelanden och koder är Typers.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TextIO, cast

from partner_cli import systemfel

if TYPE_CHECKING:
    import datetime as dt

    from partner_cli.formatregister import Formatregister

AVSLUT_OK, AVSLUT_FYND, AVSLUT_ANVANDNING, AVSLUT_AVBRUTEN = 0, 1, 2, 130
# Utdatan gick inte att skriva: full disk eller I/O-fel (3), standard ut kan inte koda tecknen
# (4, till exempel PYTHONIOENCODING=ascii), läsaren stängde röret (141, som en process som
# avslutas av SIGPIPE, till exempel `partner check … | head -1`).
AVSLUT_SKRIVFEL, AVSLUT_KODNING, AVSLUT_STANGD = 3, 4, 141
_SKRIVFEL = frozenset({errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG})

# Som click.echo: styrsekvenser tas bort när strömmen inte är en terminal.
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def skriv(text: str = "", *, err: bool = False) -> None:
    """En rad till stdout eller stderr, som Typers `echo`."""
    skriv_rader([(text, err)])


def skriv_rader(rader: Iterable[tuple[str, bool]]) -> None:
    """Rader (text, till stderr) som `skriv`, med en skrivning per följd av rader till samma
    ström: tusentals rader kostade mest sina skrivningar (en per rad utan buffert, som med
    PYTHONUNBUFFERED). Standard ut töms före rader till stderr, så att en terminal visar
    raderna i sin ordning."""
    ut, err = sys.stdout, sys.stderr
    rensa = (not ut.isatty(), not err.isatty())
    till_ut = False
    for till_err, foljd in itertools.groupby(rader, key=lambda rad: rad[1]):
        text = "".join(t + "\n" for t, _ in foljd)
        if rensa[till_err]:
            text = _ANSI.sub("", text)
        if till_err:
            # Ett standard ut som inte går att skriva får inte dölja meddelandet: det felet
            # ger avslutningen (`avsluta`), efter meddelandet.
            with contextlib.suppress(OSError):
                ut.flush()
            err.write(text)
        else:
            ut.write(text)
            till_ut = True
    if till_ut:
        ut.flush()
    err.flush()


class _Block:
    """Skrivningarna samlade och skrivna vidare om 64 KiB i taget."""

    def __init__(self, strom: TextIO) -> None:
        self._strom = strom
        self._delar: list[str] = []
        self._storlek = 0

    def write(self, text: str) -> int:
        self._delar.append(text)
        self._storlek += len(text)
        if self._storlek >= 1 << 16:
            self._skriv()
        return len(text)

    def _skriv(self) -> None:
        self._strom.write("".join(self._delar))
        self._delar, self._storlek = [], 0

    def flush(self) -> None:
        self._skriv()
        self._strom.flush()

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def blockvis(strom: TextIO) -> Iterator[TextIO]:
    """`strom` skriven i block när den är utan buffert och inte en terminal: med
    PYTHONUNBUFFERED (eller -u, som i många CI-behållare) är varje skrivning ett systemanrop,
    och en granskning skriver en eller två per fil. Det som är kvar skrivs när blocket lämnas
    utan fel."""
    if strom.isatty() or not getattr(strom, "write_through", False):
        yield strom
        return
    block = _Block(strom)
    yield cast("TextIO", block)
    block.flush()


def fel(meddelande: str, kod: int = AVSLUT_ANVANDNING) -> NoReturn:
    """Ett tydligt fel på svenska till stderr, och rätt avslutningskod. Meddelandet kan citera
    filnamn och text ur filer; styrtecken i dem visas som flyktsekvenser (`saker`)."""
    from partner_cli.saker import synlig

    skriv(f"partner: {synlig(meddelande)}", err=True)
    raise SystemExit(kod)


@contextlib.contextmanager
def utan_skrapsamling() -> Iterator[None]:
    """Utan Pythons skräpsamling, för ett läsande kommando som bygger hundratusentals små
    objekt utan cykler (registrets rader, bevakningar, tabellernas celler och texten):
    skräpsamlingen gick igenom dem om och om igen medan de byggdes (på 100 000 avtal omkring
    0,4 s av rapportens 2 s och 0,1–0,2 s av bevakningens och publiceringens sekund).
    Referensräkningen frigör dem som vanligt."""
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def skrivkod(e: OSError) -> int:
    """Avslutningskoden när en fil eller katalog som användaren angav inte går att skriva: 3
    för full disk eller I/O-fel, som när standard ut inte går att skriva; annars 2, ett fel i
    anropet (sökvägen är en katalog, ligger under en fil, saknar behörighet eller finns redan)."""
    return AVSLUT_SKRIVFEL if e.errno in _SKRIVFEL else AVSLUT_ANVANDNING


def skrivfel(vad: str, e: OSError) -> NoReturn:
    """`vad` (till exempel "kan inte skriva x.csv") och systemets fel på svenska, med
    `skrivkod`."""
    fel(f"{vad}: {systemfel.text(e)}", skrivkod(e))


def valj_format(varde: str, register: Formatregister[Any]) -> str:
    """--format: ett namn ur kommandofamiljens formatregister, annars ett fel med förslag."""
    if varde not in register:
        fel(register.okant(varde))
    return varde


def per_dag(per: str | None) -> dt.date:
    """--per ÅÅÅÅ-MM-DD: dagen att räkna per, i dag utan flaggan."""
    from partner_cli.varden import VardeFel, datum

    if per is None:
        import datetime

        return datetime.date.today()
    try:
        return datum(per)
    except VardeFel as e:
        fel(f"--per: {e}")


def rimligt_ar(ar: int) -> int:
    """--år: ett år från 1900 till 2200, annars ett fel."""
    if not 1900 <= ar <= 2200:
        fel(f"--år {ar} är inget rimligt år")
    return ar


def fraga(text: str, *, tomt: bool = False) -> str:
    """Ett svar från terminalen, frågat igen tills det inte är tomt (med `tomt` godtas ett
    tomt svar).

    Ctrl-C avbryter som överallt (kod 130), Ctrl-D som ett avbrutet svar (kod 1); Clicks
    `prompt` gör båda till samma avbrott med kod 1.
    """
    while True:
        try:
            svar = input(f"{text}: ").strip()
        except KeyboardInterrupt:
            skriv(err=True)  # "Avbrutet." på en egen rad, inte efter frågan
            raise
        if svar or tomt:
            return svar


@functools.cache
def las_konfig(fil: Path | None) -> Any:
    # En gång per körning: registrets och rapportens kommandon behöver både registrets
    # sökväg och gränserna ur samma fil.
    from partner_cli.konfig import KonfigFel, ladda

    try:
        konfig = ladda(fil)
    except KonfigFel as e:
        fel(str(e))
    # En gång per körning: vilken fil som ändrar vad, så att ett "godkänd" aldrig vilar på en
    # avstängd regel utan att det syns.
    meddelande = konfig.meddelande()
    if meddelande is not None:
        from partner_cli.saker import synlig

        skriv(f"partner: {synlig(meddelande)}", err=True)
    return konfig


class Parameter(NamedTuple):
    """En flagga (med `flaggor`) eller ett argument till ett kommando."""

    namn: str  # parameterns namn i kommandots funktion
    flaggor: tuple[str, ...]
    metavar: str | None
    hjalp: str
    typ: type = str  # str, int, Path eller bool (en flagga utan värde)
    flera: bool = False  # kan upprepas (flagga) eller ta flera värden (argument)
    kravs: bool = False
    visa_standard: bool = True
    standard: str | None = None  # värdet utan flaggan
    val: tuple[str, ...] = ()  # de tillåtna värdena, när de är givna


KONFIG = Parameter(
    "config",
    ("--config",),
    "FIL",
    "partner.toml att använda (annars söks den uppåt från ./).",
    Path,
)


def tolka_argv(parametrar: Sequence[Parameter], argv: Sequence[str]) -> dict[str, Any] | None:
    """Argumenten som Typer skulle ge kommandot, eller None utanför de vanliga formerna.

    Godtar flaggor som `--format json`, `--format=json`, `-f json` och `--strikt`, argument
    före och efter flaggorna och `--`. Okända flaggor, `-h`, hopslagna korta flaggor, värden
    som börjar med `-`, är tomma, inte är bland de tillåtna eller inte är heltal där ett
    heltal väntas, saknade flaggor och argument som krävs och
    argument till ett kommando utan argument lämnas till Typer, som ger hjälpen eller felet.
    """
    flaggor = {f: p for p in parametrar for f in p.flaggor}
    argument = next((p for p in parametrar if not p.flaggor), None)
    varden: dict[str, Any] = {p.namn: False if p.typ is bool else p.standard for p in parametrar}
    positionella: list[str] = []
    i, bara_argument = 0, False
    while i < len(argv):
        a = argv[i]
        i += 1
        if bara_argument or a == "-" or not a.startswith("-"):
            positionella.append(a)
            continue
        if a == "--":
            bara_argument = True
            continue
        namn, lika, varde = a.partition("=") if a.startswith("--") else (a, "", "")
        p = flaggor.get(namn)
        if p is None:
            return None
        if p.typ is bool:
            if lika:
                return None
            varden[p.namn] = True
            continue
        if not lika:
            if i == len(argv):
                return None
            varde = argv[i]
            i += 1
        if not varde or varde.startswith("-") or (p.val and varde not in p.val):
            return None
        try:
            tolkat = p.typ(varde)
        except ValueError:  # ett ogiltigt heltal: Typers fel
            return None
        if p.flera:
            varden[p.namn] = [*(varden[p.namn] or []), tolkat]
        else:
            varden[p.namn] = tolkat
    if any(p.kravs and p.flaggor and varden[p.namn] is None for p in parametrar):
        return None  # en flagga som krävs saknas: Typers fel
    if argument is None:
        return None if positionella else varden
    if argument.kravs and not positionella:
        return None
    varden[argument.namn] = positionella
    return varden


class Stromfel(Exception):
    """Ett fel när utdatan skrevs, buret förbi Click (som gör ett stängt rör till kod 1)."""

    def __init__(self, orsak: OSError | UnicodeEncodeError) -> None:
        super().__init__(str(orsak))
        self.orsak = orsak


def ar_stromfel(e: BaseException) -> bool:
    if isinstance(e, UnicodeEncodeError):
        return True
    return isinstance(e, OSError) and (e.errno == errno.EPIPE or e.errno in _SKRIVFEL)


def _stromkod(e: OSError | UnicodeEncodeError) -> int:
    """Avslutningskoden för ett fel i utdatan, med en rad på stderr (ingen för ett stängt rör).

    Standard ut pekas om till /dev/null, så att det som ligger kvar i bufferten inte ger ett
    nytt fel när processen avslutas."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if isinstance(e, UnicodeEncodeError):
        tecken = e.object[e.start : e.end]
        skriv(
            f"partner: utdatan kan inte skrivas med teckenkodningen {sys.stdout.encoding} "
            f"({tecken!r}); använd UTF-8, till exempel PYTHONIOENCODING=utf-8",
            err=True,
        )
        return AVSLUT_KODNING
    if e.errno == errno.EPIPE:
        return AVSLUT_STANGD
    skriv(f"partner: utdatan kan inte skrivas: {systemfel.text(e)}", err=True)
    return AVSLUT_SKRIVFEL


def avsluta(kommando: Callable[[], Any]) -> NoReturn:
    """Kör kommandot och avslutar med dess kod; ett fel i utdatan (stängt rör, full disk,
    en teckenkodning som inte är UTF-8) blir en rad på stderr och sin egen kod, aldrig en
    traceback. Samma för Typer-vägen och den snabba vägen."""
    try:
        try:
            kod = kommando()
        except SystemExit as e:
            kod = e.code
        sys.stdout.flush()
    except Stromfel as e:
        kod = _stromkod(e.orsak)
    except (OSError, UnicodeEncodeError) as e:
        if not ar_stromfel(e):
            raise
        kod = _stromkod(e)
    sys.exit(kod)


def kor(kommando: Callable[..., None], argument: dict[str, Any]) -> NoReturn:
    """Kör kommandot som Typer gör: Ctrl-C ger 130."""

    def kor_kommandot() -> int:
        try:
            kommando(**argument)
        except KeyboardInterrupt:
            skriv("Avbrutet.", err=True)
            return AVSLUT_AVBRUTEN
        except EOFError:
            skriv(err=True)
            skriv("Avbrutet.", err=True)
            return AVSLUT_FYND
        return AVSLUT_OK

    avsluta(kor_kommandot)


# Kommandona som startar utan Typer: anropet → modulen, kommandot och dess deklaration, som
# Typer-kommandot också byggs av.
SNABBA = {
    ("check",): ("partner_cli.granskning", "check", "PARAMETRAR"),
    ("register", "ägare"): ("partner_cli.registervy", "agare", "AGARE"),
    ("report",): ("partner_cli.rapportvy", "report", "RAPPORT"),
    ("bevaka",): ("partner_cli.bevakningsvy", "bevaka", "BEVAKA"),
    ("publicera",): ("partner_cli.publiceringsvy", "publicera", "PUBLICERA"),
}


def main() -> None:
    argv = sys.argv[1:]
    for anrop, (modul, kommando, deklaration) in SNABBA.items():
        if tuple(argv[: len(anrop)]) == anrop:
            import importlib

            m = importlib.import_module(modul)
            argument = tolka_argv(getattr(m, deklaration), argv[len(anrop) :])
            if argument is not None:
                kor(getattr(m, kommando), argument)
    from partner_cli.cli import main as med_typer

    med_typer()
