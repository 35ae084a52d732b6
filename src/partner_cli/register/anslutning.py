"""Anslutningen till registret: öppna för läsning eller skrivning, transaktioner och fel, och
en läsning på en andra anslutning ur samma ögonblick (`Bredvid`).

Varje skrivning är en transaktion (`db.atomic()` i sqlite-utils) som tar skrivlåset direkt, så
att två samtidiga skrivare väntar på varandra (WAL och en väntetid) i stället för att
misslyckas, och ett avbrott lämnar registret helt före eller helt efter. En läsning skapar
aldrig registret och går genom sqlite3 direkt, utan sqlite-utils.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from partner_cli import systemfel
from partner_cli.register.migreringar import KANDA_MIGRERINGAR, MIGRERINGSMANGD, SCHEMAVERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

MILJO_ANVANDARE = "PARTNER_ANVANDARE"
MILJO_VANTETID = "PARTNER_REGISTER_VANTETID"
STANDARD_VANTETID = 30.0  # sekunder som en skrivare väntar på en annan


class RegisterFel(Exception):
    """Ett fel som användaren ska se; registret är oförändrat. `kod` är avslutningskoden."""

    def __init__(self, meddelande: str, kod: int = 1) -> None:
        super().__init__(meddelande)
        self.kod = kod


def anvandare() -> str:
    """Vem som gör ändringen: PARTNER_ANVANDARE, annars inloggad användare."""
    if os.environ.get(MILJO_ANVANDARE, "").strip():
        return os.environ[MILJO_ANVANDARE].strip()
    try:
        return getpass.getuser()
    except Exception:  # ingen användare i miljön (container utan passwd-post)
        return "okänd"


def nu() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def vantetid() -> float:
    try:
        return float(os.environ.get(MILJO_VANTETID, STANDARD_VANTETID))
    except ValueError:
        raise RegisterFel(f"{MILJO_VANTETID} ska vara ett antal sekunder", 2) from None


class _Skrivanslutning(sqlite3.Connection):
    """`db.atomic()` börjar med BEGIN; här blir det BEGIN IMMEDIATE, så att transaktionen tar
    skrivlåset direkt och väntar (busy timeout) på en annan skrivare i stället för att
    misslyckas när en läsning i transaktionen senare ska uppgraderas till skrivning."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return super().execute("BEGIN IMMEDIATE" if sql == "BEGIN" else sql, parameters)


@contextlib.contextmanager
def sqlfel(sokvag: Path) -> Iterator[None]:
    """SQLite-fel blir svenska meddelanden; transaktionen har redan rullats tillbaka."""
    try:
        yield
    except sqlite3.Error as e:
        raise RegisterFel(fel_text(sokvag, e)) from None


def fel_text(sokvag: Path, e: sqlite3.Error) -> str:
    text = str(e)
    if "file is not a database" in text:
        return f"{sokvag} är ingen SQLite-databas och alltså inget register"
    if "locked" in text or "busy" in text:
        return (
            f"registret {sokvag} är låst av en annan skrivare; gav upp efter {vantetid():g} s. "
            "Försök igen när den är klar"
        )
    if "readonly" in text or "read-only" in text:
        return f"registret {sokvag} är skrivskyddat (filen eller katalogen); inget ändrades"
    if "unable to open" in text:
        return f"kan inte öppna registret {sokvag} (finns katalogen, och får den skrivas?)"
    if "full" in text:
        return f"registret {sokvag} eller disken är full; inget skrevs"
    if "malformed" in text or "corrupt" in text:
        return (
            f"registret {sokvag} är skadat ({text}); kör `partner register kontroll` och "
            "återställ från en säkerhetskopia med `partner register restore`"
        )
    if isinstance(e, sqlite3.IntegrityError):
        return f"registret vägrade ändringen: {villkorsfel(e)}; inget ändrades"
    return f"fel i registret {sokvag}: {text}"


# SQLites meddelanden när en rad bryter mot ett villkor i schemat, och vad de betyder.
_VILLKOR = (
    ("UNIQUE constraint failed: ", "{} finns redan"),
    ("NOT NULL constraint failed: ", "{} saknas"),
    ("CHECK constraint failed: ", "villkoret {} uppfylls inte"),
    ("FOREIGN KEY constraint failed", "en hänvisning till en rad som inte finns"),
)


def villkorsfel(e: sqlite3.IntegrityError) -> str:
    """Villkoret som en rad bröt mot, på svenska med schemats namn, på en rad."""
    text = " ".join(str(e).split())
    for borjan, svenska in _VILLKOR:
        if text.startswith(borjan):
            return svenska.format(text[len(borjan) :].strip())
    return f"ett villkor i schemat uppfylls inte ({text})"


def _anslut(sokvag: Path, *, skriv: bool) -> sqlite3.Connection:
    with sqlfel(sokvag):
        if skriv:
            conn: sqlite3.Connection = sqlite3.connect(
                sokvag, timeout=vantetid(), factory=_Skrivanslutning, isolation_level=None
            )
        else:
            # mode=ro: en läsning kan aldrig skapa eller ändra filen.
            uri = f"{sokvag.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=vantetid(), isolation_level=None)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as e:
                if "unable to open" not in str(e):
                    raise
                # WAL-läsaren får inte skapa -shm i en skrivskyddad katalog. Där kan ingen
                # annan skriva heller (skrivare behöver -shm), så filen kan läsas som den är.
                conn.close()
                conn = sqlite3.connect(
                    uri + "&immutable=1", uri=True, timeout=vantetid(), isolation_level=None
                )
        conn.execute("PRAGMA foreign_keys = ON")
        return conn


class Register:
    """En öppen anslutning till registret. Skapas med `las()` eller `skriv()`; läsningarna
    finns i `lasning`, `rapportlasning` och modulerna de använder, skrivningarna i `skrivning`."""

    def __init__(self, sokvag: Path, conn: sqlite3.Connection) -> None:
        self.sokvag = sokvag
        self.conn = conn
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """sqlite-utils över samma anslutning, för skrivningarna och migreringarna."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, strict=True, execute_plugins=False)
        return self._db

    def stang(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def transaktion(self) -> Iterator[Database]:
        """En skrivning: allt eller inget, under skrivlåset."""
        with sqlfel(self.sokvag), self.db.atomic():
            yield self.db

    @contextlib.contextmanager
    def ogonblick(self) -> Iterator[sqlite3.Connection]:
        """En läsning ur ett ögonblick: flera frågor ser samma register medan andra skriver."""
        with sqlfel(self.sokvag):
            if self.conn.in_transaction:  # redan i en skrivning: den är ögonblicket
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def bredvid(self) -> Register:
        """En läsning av samma fil på en egen anslutning, till exempel för en annan tråd."""
        return Register(self.sokvag, _anslut(self.sokvag, skriv=False))

    def lage(self) -> tuple[int, int, int]:
        """Registrets läge i ögonblicket: schemats version och de sista raderna i händelseloggen
        och underhållsloggen. Varje skrivning lägger till en händelse eller en underhållsrad
        (en ändring utan dem är en förfalskning, som `register kontroll` visar), och loggarna
        ändras aldrig, så två ögonblick i samma läge ser samma register."""
        ((schema,),) = self.rader("PRAGMA schema_version")
        ((handelse, underhall),) = self.rader(
            "SELECT (SELECT coalesce(max(id), 0) FROM handelse), "
            "(SELECT coalesce(max(id), 0) FROM underhall)"
        )
        return schema, handelse, underhall

    def avbryt(self) -> None:
        """Avbryter anslutningens pågående fråga; får anropas från en annan tråd."""
        self.conn.interrupt()

    def rader(self, sql: str, parametrar: Any = ()) -> list[Any]:
        """En läsfråga; raderna som tupler i frågans kolumnordning."""
        with sqlfel(self.sokvag):
            return self.conn.execute(sql, parametrar).fetchall()


T = TypeVar("T")


class Bredvid(threading.Thread, Generic[T]):
    """`las(reg)` på en egen anslutning i en egen tråd, medan huvudtråden läser annat ur
    `reg`: för frågor som räknar länge och ger få rader (SQLite släpper GIL:en medan en fråga
    räknas, men en fråga med många rader tar den för varje rad). `forbered` ställer i ordning
    trådens anslutning som huvudanslutningen (till exempel `versioner.per`).

    Skapas i en läsning (`Register.ogonblick`), vars ögonblick också blir trådens: har
    registret hunnit ändras innan tråden börjat läsa (ett annat `lage`), läser `resultat` på
    huvudanslutningen i stället. Lämnas `with` med ett fel avbryts trådens fråga."""

    def __init__(
        self,
        reg: Register,
        las: Callable[[Register], T],
        *,
        forbered: Callable[[Register], contextlib.AbstractContextManager[None]] | None = None,
    ) -> None:
        super().__init__(daemon=True)  # en process som avslutas väntar inte på tråden
        self._huvud, self._lage, self._las = reg, reg.lage(), las
        self._forbered = forbered or (lambda _: contextlib.nullcontext())
        self._reg: Register | None = None  # trådens anslutning medan den är öppen
        self._oppen = threading.Lock()
        self._resultat: tuple[T] | None = None
        self._fel: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            with self._oppen:
                self._reg = self._huvud.bredvid()
            with self._reg.ogonblick():
                if self._reg.lage() == self._lage:
                    with self._forbered(self._reg):
                        self._resultat = (self._las(self._reg),)
        except BaseException as e:
            self._fel = e
        finally:
            with self._oppen:
                if self._reg is not None:
                    self._reg.stang()
                    self._reg = None

    def __enter__(self) -> Bredvid[T]:
        return self

    def __exit__(self, typ: type[BaseException] | None, *_: object) -> None:
        # Ingen läser resultatet: trådens fråga avbryts, och en fråga som ännu inte börjat
        # avbryts i nästa varv.
        while typ is not None and self.is_alive():
            with self._oppen:
                if self._reg is not None:
                    self._reg.avbryt()
            self.join(0.01)
        self.join()

    def resultat(self) -> T:
        self.join()
        if self._fel is not None:
            raise self._fel
        return self._las(self._huvud) if self._resultat is None else self._resultat[0]


def infoga(
    conn: sqlite3.Connection, tabell: str, kolumner: Sequence[str], rader: Iterable[Sequence[Any]]
) -> None:
    """Raderna (värden i kolumnernas ordning) i ett svep med en förberedd sats."""
    platser = ", ".join("?" * len(kolumner))
    conn.executemany(f"INSERT INTO {tabell} ({', '.join(kolumner)}) VALUES ({platser})", rader)


def _version(reg: Register) -> int:
    """Schemaversionen; fel när registret är nyare än programmet eller inte ett register."""
    # En transaktion: en annan process som just skapar registret syns helt eller inte alls.
    with reg.ogonblick() as conn:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tabeller = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        tillampade: set[str] = set()
        if "_sqlite_migrations" in tabeller:
            tillampade = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                    [MIGRERINGSMANGD],
                )
            }
    if version > SCHEMAVERSION or tillampade - KANDA_MIGRERINGAR:
        raise RegisterFel(
            f"registret {reg.sokvag} har schemaversion {version}, nyare än den här versionen av "
            f"partner förstår ({SCHEMAVERSION}); uppgradera partner. Inget ändrades",
            2,
        )
    if version == 0 and tabeller - {"_sqlite_migrations"}:
        raise RegisterFel(f"{reg.sokvag} är en SQLite-databas men inget partnerregister", 2)
    return version


SAKNAS = "registret {sokvag} finns inte; det skapas av `partner register add`"


def las(sokvag: Path) -> Register:
    """Öppnar ett befintligt register för läsning; skapar aldrig något."""
    if not sokvag.exists():
        raise RegisterFel(SAKNAS.format(sokvag=sokvag), 2)
    if sokvag.is_dir():
        raise RegisterFel(f"{sokvag} är en katalog, inte ett register", 2)
    reg = Register(sokvag, _anslut(sokvag, skriv=False))
    try:
        version = _version(reg)
        if version == 0:
            raise RegisterFel(f"{sokvag} är inget partnerregister (tomt eller ofullständigt)", 2)
    except BaseException:
        reg.stang()
        raise
    if version == SCHEMAVERSION:
        return reg
    # Ett register från en äldre version av partner förs först till aktuell schemaversion,
    # genom samma migreringar som en skrivning kör; läsningen ser sedan det nya schemat.
    reg.stang()
    try:
        skriv(sokvag, skapa=False).stang()
    except RegisterFel as e:
        raise RegisterFel(
            f"registret {sokvag} har schemaversion {version} och behöver föras till version "
            f"{SCHEMAVERSION} innan det kan läsas: {e}",
            e.kod,
        ) from None
    return las(sokvag)


def skriv(sokvag: Path, *, skapa: bool = True) -> Register:
    """Öppnar registret för skrivning, skapar det vid behov (`skapa`) och för schemat till
    aktuell version. En nyare version är ett fel innan något skrivs."""
    from partner_cli.register.integritet import schemaavvikelser
    from partner_cli.register.migreringar import migrera

    if sokvag.is_dir():
        raise RegisterFel(f"{sokvag} är en katalog, inte ett register", 2)
    if not skapa and not sokvag.exists():
        raise RegisterFel(SAKNAS.format(sokvag=sokvag), 2)
    if not sokvag.exists():
        try:
            sokvag.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise RegisterFel(
                f"kan inte skapa katalogen {sokvag.parent}: {systemfel.text(e)}"
            ) from None
    reg = Register(sokvag, _anslut(sokvag, skriv=True))
    try:
        # Läs först: ett främmande eller nyare register får inte röras, inte ens av WAL.
        _version(reg)
        with sqlfel(sokvag):
            reg.conn.execute("PRAGMA journal_mode = WAL")
        with reg.transaktion() as db:
            # Under skrivlåset, så att två processer som skapar registret inte krockar.
            if _version(reg) < SCHEMAVERSION:
                migrera(db)
            # Ett skadat register tar aldrig emot fler skrivningar.
            skada = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if skada != "ok":
                raise RegisterFel(fel_text(sokvag, sqlite3.DatabaseError(f"malformed: {skada}")))
            # Ett schema som ändrats förbi migreringarna (en trigger som skriver om det som
            # skrivs) tar inte heller emot fler skrivningar.
            avvikelser = schemaavvikelser(db.conn)
            if avvikelser:
                raise RegisterFel(
                    f"registret {sokvag} har ett schema som ändrats förbi partner "
                    f"({'; '.join(avvikelser)}); inget ändrades. Kör `partner register "
                    "kontroll` och återställ från en säkerhetskopia med `partner register "
                    "restore`"
                )
    except BaseException:
        reg.stang()
        raise
    return reg


def ta_bort(sokvag: Path) -> None:
    """Registerfilen och SQLites filer bredvid den (stängd): ett nytt register som inget fick
    skrivas i står inte kvar."""
    for fil in (sokvag, Path(f"{sokvag}-wal"), Path(f"{sokvag}-shm")):
        fil.unlink(missing_ok=True)


def i_minnet(namn: Path, fran: Path | None = None) -> Register:
    """Ett register i minnet, som skriv() ger det (med schemat i aktuell version): en kopia av
    registerfilen `fran` när den anges, annars tomt. `namn` står i meddelandena. Granskningen
    provkör `register sync` i det, så att inget skrivs."""
    from partner_cli.register.migreringar import migrera

    with sqlfel(fran or namn):
        conn = sqlite3.connect(":memory:", factory=_Skrivanslutning, isolation_level=None)
        if fran is not None:
            kalla = las(fran)
            try:
                kalla.conn.backup(conn)
            finally:
                kalla.stang()
        conn.execute("PRAGMA foreign_keys = ON")
    reg = Register(namn, conn)
    with reg.transaktion() as db:
        if _version(reg) < SCHEMAVERSION:
            migrera(db)
    return reg
