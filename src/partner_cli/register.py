"""Registret: avtal, en avtalsägare per organisation, utvärderingar och en händelselogg i SQLite.

Den enda modulen som talar med databasen (sqlite-utils). Skriver aldrig ut något; fel blir
`RegisterFel` med ett svenskt meddelande. Schemat beskrivs i register/README.md.

Varje skrivning är en transaktion (`db.atomic()`) som tar skrivlåset direkt, så att två
samtidiga skrivare väntar på varandra (WAL och en väntetid) i stället för att misslyckas, och
ett avbrott lämnar registret helt före eller helt efter. En läsning skapar aldrig registret.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import getpass
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partner_cli import laddning, modell, schema
from partner_cli.schema import Falt

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations


MILJO_ANVANDARE = "PARTNER_ANVANDARE"
MILJO_VANTETID = "PARTNER_REGISTER_VANTETID"
STANDARD_VANTETID = 30.0  # sekunder som en skrivare väntar på en annan
FORMATNAMN = "partner-register"
EXPORTFIL = "register.json"
VERSIONSFIL = "schemaversion.txt"

# Tabellerna i den ordning de fylls (föräldrar först) och exporteras.
TABELLER = (
    "organisation",
    "avtal",
    "finansiar",
    "mal",
    "planerad_utvardering",
    "undantag",
    "utvardering",
    "utvardering_mal",
    "handelse",
)


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


def _nu() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _vantetid() -> float:
    try:
        return float(os.environ.get(MILJO_VANTETID, STANDARD_VANTETID))
    except ValueError:
        raise RegisterFel(f"{MILJO_VANTETID} ska vara ett antal sekunder", 2) from None


# --- Schemat ----------------------------------------------------------------------------

_SCHEMA_1 = """
CREATE TABLE organisation (
    organisationsnummer TEXT PRIMARY KEY
        CHECK (organisationsnummer GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    namn TEXT NOT NULL CHECK (trim(namn) <> ''),
    kategori TEXT NOT NULL,
    -- Exakt en avtalsägare: ägaren är en del av organisationens enda rad och får inte saknas.
    avtalsagare_namn TEXT NOT NULL CHECK (trim(avtalsagare_namn) <> ''),
    avtalsagare_enhet TEXT CHECK (avtalsagare_enhet <> '')
) STRICT;

CREATE TABLE avtal (
    id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    organisationsnummer TEXT NOT NULL REFERENCES organisation (organisationsnummer),
    titel TEXT NOT NULL CHECK (trim(titel) <> ''),
    typ TEXT NOT NULL CHECK (typ IN ('projekt', 'verksamhetsstöd', 'samarbetsavtal')),
    initiativ TEXT NOT NULL CHECK (initiativ IN ('näringslivet', 'kommunen', 'gemensamt')),
    diarienummer TEXT CHECK (diarienummer <> ''),
    period_start TEXT NOT NULL CHECK (date(period_start) IS period_start),
    period_slut TEXT NOT NULL CHECK (date(period_slut) IS period_slut),
    upphandling INTEGER NOT NULL CHECK (upphandling IN (0, 1)),
    kommunen_kontant INTEGER NOT NULL CHECK (kommunen_kontant >= 0),
    kommunen_in_kind INTEGER NOT NULL CHECK (kommunen_in_kind >= 0),
    medfinansiering INTEGER NOT NULL CHECK (medfinansiering >= 0),
    garanterad INTEGER NOT NULL CHECK (garanterad BETWEEN 0 AND medfinansiering),
    naringsliv INTEGER NOT NULL CHECK (naringsliv BETWEEN 0 AND medfinansiering),
    total INTEGER NOT NULL CHECK (
        total > 0 AND total = kommunen_kontant + kommunen_in_kind + medfinansiering),
    -- Härledd, för sortering i SQL; exakt andel är garanterad / total.
    andel REAL GENERATED ALWAYS AS (CAST(garanterad AS REAL) / total) STORED,
    insyn_ratt_till_insyn INTEGER CHECK (insyn_ratt_till_insyn IN (0, 1)),
    insyn_redovisning TEXT CHECK (insyn_redovisning <> ''),
    ekonomi_rakenskapsar INTEGER,
    ekonomi_omsattning INTEGER,
    ekonomi_resultat INTEGER,
    ekonomi_eget_kapital INTEGER,
    ekonomi_offentlig_finansiering INTEGER,
    ekonomi_kalla TEXT CHECK (ekonomi_kalla <> ''),
    langsiktighet_efter_avtalstiden TEXT CHECK (langsiktighet_efter_avtalstiden <> ''),
    fil TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    registrerad TEXT NOT NULL,
    registrerad_av TEXT NOT NULL CHECK (trim(registrerad_av) <> ''),
    sanktionerad_av TEXT NOT NULL CHECK (trim(sanktionerad_av) <> ''),
    CHECK (period_slut > period_start)
) STRICT;
CREATE INDEX avtal_organisation ON avtal (organisationsnummer, period_start);

CREATE TABLE finansiar (
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    nr INTEGER NOT NULL CHECK (nr >= 1),
    namn TEXT NOT NULL,
    kategori TEXT NOT NULL CHECK (kategori IN ('näringsliv', 'offentlig', 'övrig')),
    kontant INTEGER NOT NULL CHECK (kontant >= 0),
    in_kind INTEGER NOT NULL CHECK (in_kind >= 0),
    garanterad INTEGER NOT NULL CHECK (garanterad IN (0, 1)),
    underlag TEXT CHECK (underlag <> ''),
    PRIMARY KEY (avtal_id, nr)
) STRICT;

CREATE TABLE mal (
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    nr INTEGER NOT NULL CHECK (nr >= 1),
    beskrivning TEXT CHECK (beskrivning <> ''),
    indikator TEXT CHECK (indikator <> ''),
    malvarde TEXT CHECK (malvarde <> ''),
    overenskommet INTEGER CHECK (overenskommet IN (0, 1)),
    PRIMARY KEY (avtal_id, nr)
) STRICT;

CREATE TABLE planerad_utvardering (
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    nr INTEGER NOT NULL CHECK (nr >= 1),
    datum TEXT CHECK (date(datum) IS datum),
    typ TEXT CHECK (typ IN ('delutvärdering', 'slututvärdering')),
    PRIMARY KEY (avtal_id, nr)
) STRICT;

CREATE TABLE undantag (
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    nr INTEGER NOT NULL CHECK (nr >= 1),
    regel TEXT NOT NULL,
    beslut TEXT NOT NULL CHECK (trim(beslut) <> ''),
    beslutsdatum TEXT CHECK (date(beslutsdatum) IS beslutsdatum),
    motivering TEXT NOT NULL CHECK (trim(motivering) <> ''),
    giltigt_till TEXT CHECK (date(giltigt_till) IS giltigt_till),
    PRIMARY KEY (avtal_id, nr)
) STRICT;

CREATE TABLE utvardering (
    id INTEGER PRIMARY KEY,
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    datum TEXT NOT NULL CHECK (date(datum) IS datum),
    typ TEXT NOT NULL CHECK (typ IN ('delutvärdering', 'slututvärdering')),
    utford_av TEXT NOT NULL CHECK (trim(utford_av) <> ''),
    fil TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    registrerad TEXT NOT NULL,
    registrerad_av TEXT NOT NULL,
    UNIQUE (avtal_id, sha256),
    UNIQUE (id, avtal_id)
) STRICT;

CREATE TABLE utvardering_mal (
    utvardering_id INTEGER NOT NULL,
    avtal_id TEXT NOT NULL,
    mal_nr INTEGER NOT NULL,
    utfall TEXT NOT NULL CHECK (trim(utfall) <> ''),
    kommentar TEXT CHECK (kommentar <> ''),
    -- Utfall / målvärde som exakt decimaltal (avkortat till fyra decimaler), när båda är tal.
    maluppfyllelse TEXT CHECK (maluppfyllelse <> ''),
    PRIMARY KEY (utvardering_id, mal_nr),
    FOREIGN KEY (utvardering_id, avtal_id) REFERENCES utvardering (id, avtal_id),
    -- Uppskjuten: ett avtal som ersätts (--ersätt) får sina mål omskrivna i samma transaktion.
    FOREIGN KEY (avtal_id, mal_nr) REFERENCES mal (avtal_id, nr) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE handelse (
    id INTEGER PRIMARY KEY,
    tid TEXT NOT NULL,
    vem TEXT NOT NULL,
    vad TEXT NOT NULL,
    organisationsnummer TEXT,
    avtal_id TEXT,
    fore TEXT CHECK (fore IS NULL OR json_valid(fore)),
    efter TEXT CHECK (efter IS NULL OR json_valid(efter))
) STRICT;
CREATE INDEX handelse_organisation ON handelse (organisationsnummer);
CREATE INDEX handelse_avtal ON handelse (avtal_id);

CREATE TRIGGER handelse_ingen_andring BEFORE UPDATE ON handelse
BEGIN SELECT RAISE(ABORT, 'händelseloggen går bara att lägga till i, inte ändra'); END;
CREATE TRIGGER handelse_ingen_borttagning BEFORE DELETE ON handelse
BEGIN SELECT RAISE(ABORT, 'händelseloggen går bara att lägga till i, inte radera'); END;

PRAGMA user_version = 1;
"""

TRIGGRAR = ("handelse_ingen_andring", "handelse_ingen_borttagning")


def _migreringar() -> Migrations:
    from sqlite_utils.migrations import Migrations

    m = Migrations("partner-register")

    @m(name="0001_grund")
    def grund(db: Database) -> None:
        # executescript skulle avsluta transaktionen; satserna körs en och en i den.
        for sats in _satser(_SCHEMA_1):
            db.execute(sats)

    return m


def _satser(sql: str) -> Iterator[str]:
    buffert = ""
    for rad in sql.splitlines(keepends=True):
        if rad.lstrip().startswith("--"):
            continue
        buffert += rad
        if sqlite3.complete_statement(buffert):
            yield buffert.strip()
            buffert = ""


# Tabellerna som tillsammans med raden i `avtal` är ett avtal (skrivs om vid --ersätt).
_AVTALETS_DELAR = ("finansiar", "mal", "planerad_utvardering", "undantag")
SCHEMAVERSION = 1
KANDA_MIGRERINGAR = frozenset({"0001_grund"})


# --- Anslutningar -----------------------------------------------------------------------


class _Skrivanslutning(sqlite3.Connection):
    """`db.atomic()` börjar med BEGIN; här blir det BEGIN IMMEDIATE, så att transaktionen tar
    skrivlåset direkt och väntar (busy timeout) på en annan skrivare i stället för att
    misslyckas när en läsning i transaktionen senare ska uppgraderas till skrivning."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return super().execute("BEGIN IMMEDIATE" if sql == "BEGIN" else sql, parameters)


@contextlib.contextmanager
def _sqlfel(sokvag: Path) -> Iterator[None]:
    """SQLite-fel blir svenska meddelanden; transaktionen har redan rullats tillbaka."""
    try:
        yield
    except sqlite3.Error as e:
        raise RegisterFel(_fel_text(sokvag, e)) from None


def _fel_text(sokvag: Path, e: sqlite3.Error) -> str:
    text = str(e)
    if "file is not a database" in text:
        return f"{sokvag} är ingen SQLite-databas och alltså inget register"
    if "locked" in text or "busy" in text:
        return (
            f"registret {sokvag} är låst av en annan skrivare; gav upp efter {_vantetid():g} s. "
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
        return f"registret vägrade ändringen ({text}); inget ändrades"
    return f"fel i registret {sokvag}: {text}"


def _anslut(sokvag: Path, *, skriv: bool) -> sqlite3.Connection:
    with _sqlfel(sokvag):
        if skriv:
            conn: sqlite3.Connection = sqlite3.connect(
                sokvag, timeout=_vantetid(), factory=_Skrivanslutning, isolation_level=None
            )
        else:
            # mode=ro: en läsning kan aldrig skapa eller ändra filen.
            uri = f"{sokvag.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=_vantetid(), isolation_level=None)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as e:
                if "unable to open" not in str(e):
                    raise
                # WAL-läsaren får inte skapa -shm i en skrivskyddad katalog. Där kan ingen
                # annan skriva heller (skrivare behöver -shm), så filen kan läsas som den är.
                conn.close()
                conn = sqlite3.connect(
                    uri + "&immutable=1", uri=True, timeout=_vantetid(), isolation_level=None
                )
        conn.execute("PRAGMA foreign_keys = ON")
        return conn


def _databas(conn: sqlite3.Connection) -> Database:
    from sqlite_utils import Database

    return Database(conn, strict=True, execute_plugins=False)


def _version(db: Database, sokvag: Path) -> int:
    """Schemaversionen; fel när registret är nyare än programmet eller inte ett register."""
    # En transaktion: en annan process som just skapar registret syns helt eller inte alls.
    with db.atomic():
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tabeller = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tillampade: set[str] = set()
        if "_sqlite_migrations" in tabeller:
            tillampade = {
                r[0]
                for r in db.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = 'partner-register'"
                )
            }
    if version > SCHEMAVERSION or tillampade - KANDA_MIGRERINGAR:
        raise RegisterFel(
            f"registret {sokvag} har schemaversion {version}, nyare än den här versionen av "
            f"partner förstår ({SCHEMAVERSION}); uppgradera partner. Inget ändrades",
            2,
        )
    if version == 0 and tabeller - {"_sqlite_migrations"}:
        raise RegisterFel(f"{sokvag} är en SQLite-databas men inget partnerregister", 2)
    return version


class Register:
    """En öppen anslutning till registret. Skapas med `las()` eller `skriv()`."""

    def __init__(self, sokvag: Path, db: Database) -> None:
        self.sokvag = sokvag
        self.db = db

    def stang(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _transaktion(self) -> Iterator[Database]:
        with _sqlfel(self.sokvag), self.db.atomic():
            yield self.db

    def _rader(
        self, sql: str, parametrar: Mapping[str, Any] | Sequence[Any] = ()
    ) -> list[dict[str, Any]]:
        with _sqlfel(self.sokvag):
            cur = self.db.execute(
                sql, dict(parametrar) if isinstance(parametrar, Mapping) else list(parametrar)
            )
            namn = [d[0] for d in cur.description]
            return [dict(zip(namn, r, strict=True)) for r in cur.fetchall()]

    # Årsrapporten (`rapport`) räknar med egna frågor, men bara genom registret.
    fraga = _rader

    # --- Läsning -----------------------------------------------------------------------

    def lista(self, ar: int | None = None) -> list[dict[str, Any]]:
        villkor, parametrar = "", []
        if ar is not None:
            villkor = "WHERE a.period_start <= ? AND a.period_slut >= ?"
            parametrar = [f"{ar}-12-31", f"{ar}-01-01"]
        return self._rader(
            f"""SELECT a.id, a.titel, a.typ, o.namn AS organisation, a.organisationsnummer,
                    a.period_start, a.period_slut, a.initiativ, a.kommunen_kontant,
                    a.kommunen_in_kind, a.garanterad, a.naringsliv, a.total,
                    o.avtalsagare_namn, a.sanktionerad_av
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                {villkor} ORDER BY a.period_start, a.id""",
            parametrar,
        )

    def avtal(self, id_: str) -> dict[str, Any]:
        rader = self._rader(
            "SELECT * FROM avtal a JOIN organisation o USING (organisationsnummer) WHERE id = ?",
            [id_],
        )
        if not rader:
            raise RegisterFel(f"avtalet {id_!r} finns inte i registret {self.sokvag}")
        avtal = rader[0]
        avtal["finansiarer"] = self._rader(
            "SELECT * FROM finansiar WHERE avtal_id = ? ORDER BY nr", [id_]
        )
        avtal["mal"] = self._rader("SELECT * FROM mal WHERE avtal_id = ? ORDER BY nr", [id_])
        avtal["planerade_utvarderingar"] = self._rader(
            "SELECT * FROM planerad_utvardering WHERE avtal_id = ? ORDER BY nr", [id_]
        )
        avtal["undantag"] = self._rader(
            "SELECT * FROM undantag WHERE avtal_id = ? ORDER BY nr", [id_]
        )
        utvarderingar = self._rader(
            "SELECT * FROM utvardering WHERE avtal_id = ? ORDER BY datum, id", [id_]
        )
        for u in utvarderingar:
            u["mal"] = self._rader(
                "SELECT * FROM utvardering_mal WHERE utvardering_id = ? ORDER BY mal_nr", [u["id"]]
            )
        avtal["utvarderingar"] = utvarderingar
        return avtal

    def agare(self, idag: dt.date | None = None) -> list[dict[str, Any]]:
        dag = (idag or dt.date.today()).isoformat()
        return self._rader(
            """SELECT o.namn AS organisation, o.organisationsnummer, o.avtalsagare_namn,
                    o.avtalsagare_enhet, count(a.id) AS antal_avtal,
                    count(a.id) FILTER (WHERE a.period_start <= ? AND a.period_slut >= ?)
                        AS aktiva_avtal
                FROM organisation o LEFT JOIN avtal a USING (organisationsnummer)
                GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer""",
            [dag, dag],
        )

    def historik(self, nyckel: str | None = None) -> list[dict[str, Any]]:
        if nyckel is None:
            return self._rader("SELECT * FROM handelse ORDER BY id")
        rader = self._rader(
            "SELECT * FROM handelse WHERE organisationsnummer = ? OR avtal_id = ? ORDER BY id",
            [nyckel, nyckel],
        )
        if not rader:
            raise RegisterFel(
                f"{nyckel!r} är varken ett avtals id eller ett organisationsnummer i registret"
            )
        return rader

    def ogonblicksbild(self) -> Ogonblicksbild:
        agare = {
            r["organisationsnummer"]: (r["avtalsagare_namn"], r["avtalsagare_enhet"])
            for r in self._rader("SELECT * FROM organisation")
        }
        avtal: dict[str, list[tuple[str, dt.date, dt.date]]] = {}
        for r in self._rader(
            "SELECT id, organisationsnummer, period_start, period_slut FROM avtal"
        ):
            avtal.setdefault(r["organisationsnummer"], []).append(
                (
                    r["id"],
                    dt.date.fromisoformat(r["period_start"]),
                    dt.date.fromisoformat(r["period_slut"]),
                )
            )
        return Ogonblicksbild(agare, {k: tuple(v) for k, v in avtal.items()})

    # --- Skrivning -----------------------------------------------------------------------

    def lagg_till(
        self,
        poster: Sequence[tuple[modell.Forslag, str, str]],
        sanktionerad_av: str,
        *,
        ersatt: bool = False,
        vem: str | None = None,
    ) -> list[Tillagg]:
        """Registrerar granskade förslag (förslag, fil, sha256) i en transaktion: alla eller
        inga. En annan avtalsägare, eller ett ändrat avtal utan `ersatt`, är `RegisterFel`."""
        vem = vem or anvandare()
        tid = _nu()
        resultat: list[Tillagg] = []
        omgang = _Omgang()
        with self._transaktion() as db:
            for forslag, fil, sha in poster:
                resultat.append(
                    self._lagg_till_en(
                        db, forslag, fil, sha, sanktionerad_av, ersatt, vem, tid, omgang
                    )
                )
            for tabell, rader in omgang.rader.items():
                db.table(tabell).insert_all(rader)
        return resultat

    def _lagg_till_en(
        self,
        db: Database,
        forslag: modell.Forslag,
        fil: str,
        sha: str,
        sanktionerad_av: str,
        ersatt: bool,
        vem: str,
        tid: str,
        omgang: _Omgang,
    ) -> Tillagg:
        agare = forslag.avtalsagare
        if not isinstance(agare, modell.Avtalsagare) or not agare.namn:
            raise RegisterFel(f"{fil}: förslaget saknar en avtalsägare och kan inte registreras")
        orgnr = forslag.motpart.organisationsnummer
        org = (
            omgang.agare.get(orgnr)
            or db.execute(
                "SELECT avtalsagare_namn FROM organisation WHERE organisationsnummer = ?", [orgnr]
            ).fetchone()
        )
        if org is None:
            ny_org = {
                "organisationsnummer": orgnr,
                "namn": forslag.motpart.namn,
                "kategori": forslag.motpart.kategori,
                "avtalsagare_namn": agare.namn,
                "avtalsagare_enhet": agare.enhet,
            }
            omgang.rader["organisation"].append(ny_org)
            omgang.agare[orgnr] = (agare.namn,)
            omgang.rader["handelse"].append(
                _handelse(tid, vem, "ny organisation", orgnr, None, None, ny_org)
            )
        elif org[0] != agare.namn:
            raise RegisterFel(
                f"{fil}: {forslag.motpart.namn} ({orgnr}) har redan avtalsägaren {org[0]}; en "
                f"organisation har en avtalsägare. Byt ägare först med `partner register "
                f"byt-ägare {orgnr} --namn {_citera(agare.namn)}` om det är avsikten. Inget "
                "registrerades"
            )
        gammal = (
            omgang.sha.get(forslag.id)
            or db.execute("SELECT sha256 FROM avtal WHERE id = ?", [forslag.id]).fetchone()
        )
        if gammal is not None and gammal[0] == sha:
            return Tillagg(forslag.id, fil, "oförändrad", [])
        if gammal is not None and not ersatt:
            raise RegisterFel(
                f"{fil}: avtalet {forslag.id} finns redan i registret med annat innehåll; ange "
                "--ersätt för att ersätta det (den gamla versionen sparas i historiken). Inget "
                "registrerades"
            )
        start, slut = forslag.period.start.isoformat(), forslag.period.slut.isoformat()
        andra = [
            r[0]
            for r in db.execute(
                """SELECT id FROM avtal WHERE organisationsnummer = ? AND id <> ?
                   AND period_start <= ? AND period_slut >= ?""",
                [orgnr, forslag.id, slut, start],
            )
        ] + [a for a, s, e in omgang.perioder.get(orgnr, []) if s <= slut and e >= start]
        varningar = [
            f"{forslag.motpart.namn} ({orgnr}) har redan avtal under perioden "
            f"({', '.join(sorted(andra))}); helst ett samarbetsavtal per organisation"
        ][: bool(andra)]
        rad = _avtalsrad(forslag, fil, sha, sanktionerad_av, vem, tid)
        barn = _barnrader(forslag)
        if gammal is None:
            omgang.rader["avtal"].append(rad)
            omgang.sha[forslag.id] = (sha,)
            omgang.perioder.setdefault(orgnr, []).append((forslag.id, start, slut))
            fore = None
            status = "registrerad"
        else:
            utvarderat = db.execute(
                "SELECT max(mal_nr) FROM utvardering_mal WHERE avtal_id = ?", [forslag.id]
            ).fetchone()[0]
            if utvarderat is not None and utvarderat > len(forslag.mal):
                raise RegisterFel(
                    f"{fil}: avtalet {forslag.id} har utvärderade utfall för mål {utvarderat}, "
                    f"men den nya versionen har {len(forslag.mal)} mål; ta inte bort utvärderade "
                    "mål. Inget registrerades"
                )
            fore = _avtal_json(db, forslag.id)
            for tabell in _AVTALETS_DELAR:
                db.execute(f"DELETE FROM {tabell} WHERE avtal_id = ?", [forslag.id])
            db.table("avtal").update(forslag.id, rad)
            status = "ersatt"
        for tabell, rader in barn.items():
            omgang.rader[tabell].extend(rader)
        efter = _avtal_dict(rad, barn)
        omgang.rader["handelse"].append(_handelse(tid, vem, status, orgnr, forslag.id, fore, efter))
        return Tillagg(forslag.id, fil, status, varningar)

    def byt_agare(self, orgnr: str, namn: str, enhet: str | None, vem: str | None = None) -> None:
        if not namn.strip():
            raise RegisterFel("avtalsägarens namn får inte vara tomt", 2)
        with self._transaktion() as db:
            fore = _rad(db, "organisation", "organisationsnummer", orgnr)
            if fore is None:
                raise RegisterFel(f"organisationen {orgnr} finns inte i registret {self.sokvag}")
            andring = {"avtalsagare_namn": namn.strip(), "avtalsagare_enhet": enhet or None}
            db.table("organisation").update(orgnr, andring)
            efter = {**fore, **andring}
            handelse = _handelse(_nu(), vem or anvandare(), "byt ägare", orgnr, None, fore, efter)
            db.table("handelse").insert(handelse)

    def utvardera(
        self,
        id_: str,
        utv: Utvardering,
        fil: str,
        sha: str,
        vem: str | None = None,
    ) -> list[dict[str, Any]] | None:
        """Registrerar en genomförd utvärdering; None när samma fil redan är registrerad."""
        vem = vem or anvandare()
        tid = _nu()
        with self._transaktion() as db:
            avtal = db.execute(
                "SELECT organisationsnummer FROM avtal WHERE id = ?", [id_]
            ).fetchone()
            if avtal is None:
                raise RegisterFel(f"avtalet {id_!r} finns inte i registret {self.sokvag}")
            if db.execute(
                "SELECT 1 FROM utvardering WHERE avtal_id = ? AND sha256 = ?", [id_, sha]
            ).fetchone():
                return None
            mal = {
                r[0]: r[1]
                for r in db.execute("SELECT nr, malvarde FROM mal WHERE avtal_id = ? ", [id_])
            }
            saknade = sorted(set(mal) - {m.mal for m in utv.mal})
            okanda = sorted({m.mal for m in utv.mal} - set(mal))
            if okanda:
                raise RegisterFel(
                    f"{fil}: avtalet {id_} har inget mål nummer {', '.join(map(str, okanda))} "
                    f"(det har mål 1–{len(mal)}; se `partner register show {id_}`)"
                )
            if saknade:
                raise RegisterFel(
                    f"{fil}: utfall saknas för mål {', '.join(map(str, saknade))} i avtalet {id_}"
                )
            uid = (
                db.table("utvardering")
                .insert(
                    {
                        "avtal_id": id_,
                        "datum": utv.datum.isoformat(),
                        "typ": utv.typ,
                        "utford_av": utv.utford_av,
                        "fil": fil,
                        "sha256": sha,
                        "registrerad": tid,
                        "registrerad_av": vem,
                    }
                )
                .last_pk
            )
            rader = [
                {
                    "utvardering_id": uid,
                    "avtal_id": id_,
                    "mal_nr": m.mal,
                    "utfall": m.utfall,
                    "kommentar": m.kommentar,
                    "maluppfyllelse": maluppfyllelse(m.utfall, mal[m.mal]),
                }
                for m in sorted(utv.mal, key=lambda m: m.mal)
            ]
            db.table("utvardering_mal").insert_all(rader)
            efter = {**(_rad(db, "utvardering", "id", uid) or {}), "mal": rader}
            db.table("handelse").insert(
                _handelse(tid, vem, "utvärdering", avtal[0], id_, None, efter)
            )
        return rader

    # --- Export och import -----------------------------------------------------------------

    def _kolumner(self, tabell: str) -> list[tuple[str, str, bool]]:
        """(namn, typ, not null) utan härledda kolumner, i tabellens ordning."""
        return [
            (r[1], r[2], bool(r[3]))
            for r in self.db.execute(f"PRAGMA table_xinfo({tabell})")
            if r[6] == 0
        ]

    def _nyckel(self, tabell: str) -> str:
        pk = sorted((r[5], r[1]) for r in self.db.execute(f"PRAGMA table_info({tabell})") if r[5])
        return ", ".join(n for _, n in pk)

    def exportera(self) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
        """Varje tabell: kolumnerna och raderna i primärnyckelns ordning, ur en läsning."""
        ut: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        # En transaktion: alla tabeller ur samma ögonblick medan andra skriver.
        with self._transaktion():
            for tabell in TABELLER:
                kolumner = [k for k, _, _ in self._kolumner(tabell)]
                rader = self.db.execute(
                    f"SELECT {', '.join(kolumner)} FROM {tabell} ORDER BY {self._nyckel(tabell)}"
                ).fetchall()
                ut[tabell] = (kolumner, rader)
        return ut

    def importera(self, data: dict[str, tuple[list[str], list[list[Any]]]]) -> dict[str, int]:
        """Läser in en export i ett tomt register, i en transaktion: allt eller inget."""
        antal: dict[str, int] = {}
        # Upp till 256 MiB sidcache för den här anslutningen: en stor import skriver om
        # indexsidor i stället för att läsa dem från disken igen (halverar tiden vid 100 000).
        self.db.execute("PRAGMA cache_size = -262144")
        with self._transaktion() as db:
            if any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in TABELLER):
                raise RegisterFel(
                    f"registret {self.sokvag} är inte tomt; import görs bara till ett tomt "
                    "register (välj en ny fil med --register)"
                )
            for tabell in TABELLER:
                kolumner, rader = data[tabell]
                forvantade = self._kolumner(tabell)
                if kolumner != [k for k, _, _ in forvantade]:
                    raise RegisterFel(
                        f"exporten har andra kolumner i {tabell} än registret: {kolumner}"
                    )
                platser = ", ".join("?" * len(kolumner))
                db.conn.executemany(
                    f"INSERT INTO {tabell} ({', '.join(kolumner)}) VALUES ({platser})", rader
                )
                antal[tabell] = len(rader)
            problem = _invarianter(db)
            if problem:
                raise RegisterFel("exporten är inte sammanhängande: " + "; ".join(problem))
        return antal

    def kontroll(self) -> list[str]:
        """Problem i registret: SQLites egna kontroller och registrets invarianter."""
        with _sqlfel(self.sokvag):
            problem = [
                f"integritet: {r[0]}"
                for r in self.db.execute("PRAGMA integrity_check")
                if r[0] != "ok"
            ]
            problem += [
                f"främmande nyckel: rad {r[1]} i {r[0]} pekar på en saknad rad i {r[2]}"
                for r in self.db.execute("PRAGMA foreign_key_check")
            ]
            if not problem:
                problem += _invarianter(self.db)
        return problem

    def sakerhetskopiera(self, mal: Path) -> None:
        """Kopierar registret med SQLites backup-API, konsekvent även medan andra skriver."""
        if mal.exists():
            raise RegisterFel(f"{mal} finns redan; välj en ny fil för säkerhetskopian", 2)
        try:
            ut = sqlite3.connect(mal)
        except sqlite3.Error as e:
            raise RegisterFel(_fel_text(mal, e)) from None
        try:
            with _sqlfel(mal):
                self.db.conn.backup(ut)
                fel = [r[0] for r in ut.execute("PRAGMA integrity_check")]
            if fel != ["ok"]:
                raise RegisterFel(f"säkerhetskopian {mal} blev inte hel: {fel[0]}")
        except BaseException:
            ut.close()
            mal.unlink(missing_ok=True)
            raise
        ut.close()

    def aterstall_fran(self, kalla: Register) -> None:
        """Ersätter hela registret med en säkerhetskopia, i ett steg under skrivlåset."""
        with _sqlfel(self.sokvag):
            kalla.db.conn.backup(self.db.conn)

    def tomt(self) -> bool:
        with _sqlfel(self.sokvag):
            return not any(
                self.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in TABELLER
            )


@dataclass
class _Omgang:
    """En `add`-omgång: raderna skrivs i ett svep per tabell i slutet av transaktionen (en
    rad i taget kostade mer än granskningen av samma filer), och det som redan lagts till i
    omgången räknas i ägar-, dubblett- och överlappsprövningarna."""

    # I den ordning tabellerna fylls: främmande nycklar pekar bakåt.
    rader: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            t: [] for t in ("organisation", "avtal", *_AVTALETS_DELAR, "handelse")
        }
    )
    agare: dict[str, tuple[str]] = field(default_factory=dict)  # som en rad ur organisation
    sha: dict[str, tuple[str]] = field(default_factory=dict)  # som en rad ur avtal
    perioder: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Tillagg:
    id: str
    fil: str
    status: str  # registrerad | ersatt | oförändrad
    varningar: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Ogonblicksbild:
    """Registrets ägare och avtalsperioder, läst en gång: en `Kontext` för regeln
    `avtalsägare` som kan picklas till granskningens arbetsprocesser."""

    agare_per_org: dict[str, tuple[str, str | None]]
    avtal_per_org: dict[str, tuple[tuple[str, dt.date, dt.date], ...]]

    def agare(self, organisationsnummer: str) -> tuple[str, str | None] | None:
        return self.agare_per_org.get(organisationsnummer)

    def overlappande(
        self, organisationsnummer: str, start: dt.date, slut: dt.date, utom_id: str
    ) -> list[str]:
        return sorted(
            id_
            for id_, s, e in self.avtal_per_org.get(organisationsnummer, ())
            if id_ != utom_id and s <= slut and start <= e
        )


def _citera(text: str) -> str:
    return f'"{text}"' if re.search(r"\s", text) else text


def _rad(db: Database, tabell: str, kolumn: str, varde: Any) -> dict[str, Any] | None:
    cur = db.execute(f"SELECT * FROM {tabell} WHERE {kolumn} = ?", [varde])
    r = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], r, strict=True)) if r else None


def _json(varde: Any) -> str:
    return json.dumps(varde, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _handelse(
    tid: str,
    vem: str,
    vad: str,
    orgnr: str | None,
    avtal_id: str | None,
    fore: Any,
    efter: Any,
) -> dict[str, Any]:
    return {
        "tid": tid,
        "vem": vem,
        "vad": vad,
        "organisationsnummer": orgnr,
        "avtal_id": avtal_id,
        "fore": None if fore is None else _json(fore),
        "efter": None if efter is None else _json(efter),
    }


def _avtal_dict(avtal: dict[str, Any], delar: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Hela avtalet, för händelseloggens före och efter: raden och dess delar utan avtal_id."""
    ut = {k: v for k, v in avtal.items() if k != "andel"}
    for tabell in _AVTALETS_DELAR:
        ut[tabell] = [{k: v for k, v in r.items() if k != "avtal_id"} for r in delar[tabell]]
    return ut


def _avtal_json(db: Database, id_: str) -> dict[str, Any]:
    """Hela avtalet som det står i registret."""
    delar = {}
    for tabell in _AVTALETS_DELAR:
        cur = db.execute(f"SELECT * FROM {tabell} WHERE avtal_id = ? ORDER BY nr", [id_])
        namn = [d[0] for d in cur.description]
        delar[tabell] = [dict(zip(namn, r, strict=True)) for r in cur]
    return _avtal_dict(_rad(db, "avtal", "id", id_) or {}, delar)


def _bool(v: bool | None) -> int | None:
    return None if v is None else int(v)


def _avtalsrad(
    f: modell.Forslag, fil: str, sha: str, sanktionerad_av: str, vem: str, tid: str
) -> dict[str, Any]:
    fin = f.finansiering
    insyn = f.insyn or modell.Insyn()
    eko = f.ekonomi or modell.Ekonomi()
    return {
        "id": f.id,
        "organisationsnummer": f.motpart.organisationsnummer,
        "titel": f.titel,
        "typ": f.typ,
        "initiativ": f.initiativ,
        "diarienummer": f.diarienummer,
        "period_start": f.period.start.isoformat(),
        "period_slut": f.period.slut.isoformat(),
        "upphandling": int(f.upphandling),
        "kommunen_kontant": fin.kommunen.kontant,
        "kommunen_in_kind": fin.kommunen.summa - fin.kommunen.kontant,
        "medfinansiering": sum(m.summa for m in fin.motparter),
        "garanterad": fin.garanterad,
        "naringsliv": fin.naringsliv,
        "total": fin.total,
        "insyn_ratt_till_insyn": _bool(insyn.ratt_till_insyn),
        "insyn_redovisning": insyn.redovisning,
        "ekonomi_rakenskapsar": eko.rakenskapsar,
        "ekonomi_omsattning": eko.omsattning,
        "ekonomi_resultat": eko.resultat,
        "ekonomi_eget_kapital": eko.eget_kapital,
        "ekonomi_offentlig_finansiering": eko.offentlig_finansiering,
        "ekonomi_kalla": eko.kalla,
        "langsiktighet_efter_avtalstiden": (
            f.langsiktighet or modell.Langsiktighet()
        ).efter_avtalstiden,
        "fil": fil,
        "sha256": sha,
        "registrerad": tid,
        "registrerad_av": vem,
        "sanktionerad_av": sanktionerad_av,
    }


def _barnrader(f: modell.Forslag) -> dict[str, list[dict[str, Any]]]:
    return {
        "finansiar": [
            {
                "avtal_id": f.id,
                "nr": nr,
                "namn": m.namn,
                "kategori": m.kategori,
                "kontant": m.kontant,
                "in_kind": m.summa - m.kontant,
                "garanterad": int(m.garanterad),
                "underlag": m.underlag,
            }
            for nr, m in enumerate(f.finansiering.motparter, 1)
        ],
        "mal": [
            {
                "avtal_id": f.id,
                "nr": nr,
                "beskrivning": m.beskrivning,
                "indikator": m.indikator,
                "malvarde": m.malvarde,
                "overenskommet": _bool(m.overenskommet),
            }
            for nr, m in enumerate(f.mal, 1)
        ],
        "planerad_utvardering": [
            {
                "avtal_id": f.id,
                "nr": nr,
                "datum": u.datum.isoformat() if u.datum else None,
                "typ": u.typ,
            }
            for nr, u in enumerate(f.utvardering, 1)
        ],
        "undantag": [
            {
                "avtal_id": f.id,
                "nr": nr,
                "regel": u.regel,
                "beslut": u.beslut,
                "beslutsdatum": u.beslutsdatum.isoformat() if u.beslutsdatum else None,
                "motivering": u.motivering,
                "giltigt_till": u.giltigt_till.isoformat() if u.giltigt_till else None,
            }
            for nr, u in enumerate(f.undantag, 1)
        ],
    }


def _invarianter(db: Database) -> list[str]:
    """Det som schemat inte ensamt kan hålla: summor över flera tabeller, loggens skydd."""
    problem: list[str] = []
    # Schemat håller en ägare per organisation; det här fångar ett schema som ändrats förbi det.
    for orgnr, antal in db.execute(
        """SELECT organisationsnummer, count(*) FROM organisation GROUP BY organisationsnummer
           HAVING count(*) <> 1 OR min(coalesce(trim(avtalsagare_namn), '')) = ''"""
    ):
        problem.append(
            f"organisationen {orgnr} har {antal} rader med avtalsägare, inte exakt en"
            if antal != 1
            else f"organisationen {orgnr} saknar avtalsägare"
        )
    for (id_,) in db.execute(
        """SELECT a.id FROM avtal a LEFT JOIN finansiar f ON f.avtal_id = a.id
           GROUP BY a.id
           HAVING a.medfinansiering <> coalesce(sum(f.kontant + f.in_kind), 0)
               OR a.garanterad <> coalesce(sum(f.kontant + f.in_kind) FILTER
                                           (WHERE f.garanterad), 0)
               OR a.naringsliv <> coalesce(sum(f.kontant + f.in_kind) FILTER
                                           (WHERE f.kategori = 'näringsliv'), 0)"""
    ):
        problem.append(f"avtalet {id_}: summorna stämmer inte med finansiärerna")
    triggrar = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for t in TRIGGRAR:
        if t not in triggrar:
            problem.append(f"triggern {t} som skyddar händelseloggen saknas")
    return problem


# --- Öppna --------------------------------------------------------------------------------


_SAKNAS = "registret {sokvag} finns inte; det skapas av `partner register add`"


def las(sokvag: Path) -> Register:
    """Öppnar ett befintligt register för läsning; skapar aldrig något."""
    if not sokvag.exists():
        raise RegisterFel(_SAKNAS.format(sokvag=sokvag), 2)
    if sokvag.is_dir():
        raise RegisterFel(f"{sokvag} är en katalog, inte ett register", 2)
    conn = _anslut(sokvag, skriv=False)
    db = _databas(conn)
    try:
        with _sqlfel(sokvag):
            version = _version(db, sokvag)
        if version < SCHEMAVERSION:
            raise RegisterFel(f"{sokvag} är inget partnerregister (tomt eller ofullständigt)", 2)
    except BaseException:
        db.close()
        raise
    return Register(sokvag, db)


def skriv(sokvag: Path, *, skapa: bool = True) -> Register:
    """Öppnar registret för skrivning, skapar det vid behov (`skapa`) och för schemat till
    aktuell version. En nyare version är ett fel innan något skrivs."""
    if sokvag.is_dir():
        raise RegisterFel(f"{sokvag} är en katalog, inte ett register", 2)
    if not skapa and not sokvag.exists():
        raise RegisterFel(_SAKNAS.format(sokvag=sokvag), 2)
    if not sokvag.exists():
        try:
            sokvag.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise RegisterFel(f"kan inte skapa katalogen {sokvag.parent}: {e.strerror}") from None
    conn = _anslut(sokvag, skriv=True)
    db = _databas(conn)
    try:
        with _sqlfel(sokvag):
            # Läs först: ett främmande eller nyare register får inte röras, inte ens av WAL.
            _version(db, sokvag)
            db.execute("PRAGMA journal_mode = WAL")
            with db.atomic():
                # Under skrivlåset, så att två processer som skapar registret inte krockar.
                if _version(db, sokvag) < SCHEMAVERSION:
                    _migreringar().apply(db)
                # Ett skadat register tar aldrig emot fler skrivningar.
                skada = db.execute("PRAGMA quick_check(1)").fetchone()[0]
                if skada != "ok":
                    raise RegisterFel(
                        _fel_text(sokvag, sqlite3.DatabaseError(f"malformed: {skada}"))
                    )
    except BaseException:
        db.close()
        raise
    return Register(sokvag, db)


def finns(sokvag: Path) -> bool:
    return sokvag.is_file()


def ogonblicksbild(sokvag: Path) -> Ogonblicksbild | None:
    """Ägare och avtalsperioder för granskningens korskontroll; None när registret saknas."""
    if not finns(sokvag):
        return None
    register = las(sokvag)
    try:
        return register.ogonblicksbild()
    finally:
        register.stang()


# --- Export- och importfiler ---------------------------------------------------------------


def skriv_json(data: dict[str, tuple[list[str], list[tuple[Any, ...]]]], ut: Any) -> None:
    """En rad per tabellrad: stabil ordning, läsbara diffar i en merge request."""
    ut.write(f'{{"format": "{FORMATNAMN}", "schemaversion": {SCHEMAVERSION}, "tabeller": {{')
    for i, (tabell, (kolumner, rader)) in enumerate(data.items()):
        ut.write(f'{"," if i else ""}\n"{tabell}": {{"kolumner": {_json_lista(kolumner)}, ')
        ut.write('"rader": [')
        for j, rad in enumerate(rader):
            ut.write(f"{',' if j else ''}\n  {_json_lista(list(rad))}")
        ut.write("\n]}" if rader else "]}")
    ut.write("\n}}\n")


def _json_lista(varden: list[Any]) -> str:
    return json.dumps(varden, ensure_ascii=False)


def skriv_csv(data: dict[str, tuple[list[str], list[tuple[Any, ...]]]], katalog: Path) -> None:
    """En CSV-fil per tabell; tom cell är NULL (schemat tillåter inga tomma texter)."""
    katalog.mkdir(parents=True, exist_ok=True)
    (katalog / VERSIONSFIL).write_text(f"{SCHEMAVERSION}\n", encoding="utf-8")
    for tabell, (kolumner, rader) in data.items():
        with (katalog / f"{tabell}.csv").open("w", encoding="utf-8", newline="") as f:
            skrivare = csv.writer(f, lineterminator="\n")
            skrivare.writerow(kolumner)
            skrivare.writerows(["" if v is None else v for v in rad] for rad in rader)


def las_export(kalla: Path) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Läser det som `export` skrev: JSON-filen, eller katalogen med JSON eller CSV."""
    try:
        if kalla.is_dir():
            if (kalla / EXPORTFIL).is_file():
                return _granska_export(_las_json(kalla / EXPORTFIL), kalla)
            return _granska_export(_las_csv(kalla), kalla)
        return _granska_export(_las_json(kalla), kalla)
    except FileNotFoundError as e:
        raise RegisterFel(f"{e.filename} finns inte", 2) from None
    except OSError as e:
        raise RegisterFel(f"kan inte läsa {e.filename or kalla}: {e.strerror}", 2) from None
    except UnicodeDecodeError:
        raise RegisterFel(f"{kalla} är inte UTF-8 och alltså ingen export", 2) from None


def _kontrollera_version(version: Any, kalla: Path) -> None:
    if version != SCHEMAVERSION:
        raise RegisterFel(
            f"{kalla} har schemaversion {version!r}; den här versionen av partner läser "
            f"version {SCHEMAVERSION}",
            2,
        )


def _las_json(fil: Path) -> dict[str, tuple[list[str], list[list[Any]]]]:
    try:
        data = json.loads(fil.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise RegisterFel(f"{fil}:{e.lineno}:{e.colno}: inte giltig JSON ({e.msg})", 2) from None
    if not isinstance(data, dict) or data.get("format") != FORMATNAMN:
        raise RegisterFel(f"{fil} är ingen export från `partner register export`", 2)
    _kontrollera_version(data.get("schemaversion"), fil)
    tabeller = data.get("tabeller")
    if not isinstance(tabeller, dict) or set(tabeller) != set(TABELLER):
        raise RegisterFel(f"{fil}: exporten ska ha tabellerna {', '.join(TABELLER)}", 2)
    ut: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for t in TABELLER:
        post = tabeller[t]
        if not isinstance(post, dict) or not isinstance(post.get("rader"), list):
            raise RegisterFel(f"{fil}: tabellen {t} saknar kolumner eller rader", 2)
        ut[t] = (post.get("kolumner", []), post["rader"])
    return ut


def _las_csv(katalog: Path) -> dict[str, tuple[list[str], list[list[Any]]]]:
    version = (katalog / VERSIONSFIL).read_text(encoding="utf-8").strip()
    _kontrollera_version(int(version) if version.isdigit() else version, katalog)
    ut: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for tabell in TABELLER:
        with (katalog / f"{tabell}.csv").open(encoding="utf-8", newline="") as f:
            rader = list(csv.reader(f))
        if not rader or any(len(r) != len(rader[0]) for r in rader):
            raise RegisterFel(f"{katalog / tabell}.csv saknar rubrikrad eller har trasiga rader", 2)
        kolumner = rader[0]
        heltal = _heltalskolumner()[tabell]
        ut[tabell] = (
            kolumner,
            [
                [
                    _csv_varde(v, k in heltal, f"{tabell}.csv")
                    for k, v in zip(kolumner, r, strict=True)
                ]
                for r in rader[1:]
            ],
        )
    return ut


def _csv_varde(v: str, heltal: bool, fil: str) -> Any:
    if v == "":
        return None
    if not heltal:
        return v
    try:
        return int(v)
    except ValueError:
        raise RegisterFel(f"{fil}: {v!r} ska vara ett heltal", 2) from None


@functools.cache
def _schemakolumner() -> dict[str, dict[str, str]]:
    """Varje tabells lagrade kolumner och deras typ, ur schemat självt (i en databas i minnet)."""
    conn = sqlite3.connect(":memory:")
    try:
        for sats in _satser(_SCHEMA_1):
            conn.execute(sats)
        return {
            t: {r[1]: r[2] for r in conn.execute(f"PRAGMA table_xinfo({t})") if r[6] == 0}
            for t in TABELLER
        }
    finally:
        conn.close()


def _heltalskolumner() -> dict[str, set[str]]:
    return {
        t: {k for k, typ in kolumner.items() if typ == "INTEGER"}
        for t, kolumner in _schemakolumner().items()
    }


_PYTYP = {"INTEGER": int, "TEXT": str}


def _granska_export(
    data: dict[str, tuple[list[str], list[list[Any]]]], kalla: Path
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Kolumnerna som i schemat och varje värde av kolumnens typ, innan registret öppnas."""
    for tabell, (kolumner, rader) in data.items():
        schema_ = _schemakolumner()[tabell]
        if kolumner != list(schema_):
            raise RegisterFel(
                f"{kalla}: tabellen {tabell} ska ha kolumnerna {', '.join(schema_)}", 2
            )
        typer = [_PYTYP[schema_[k]] for k in kolumner]
        for nr, rad in enumerate(rader, 1):
            if not isinstance(rad, list) or len(rad) != len(kolumner):
                raise RegisterFel(
                    f"{kalla}: rad {nr} i {tabell} ska vara en lista med {len(kolumner)} värden",
                    2,
                )
            for k, typ, v in zip(kolumner, typer, rad, strict=True):
                if v is not None and (type(v) is not typ):
                    raise RegisterFel(
                        f"{kalla}: rad {nr} i {tabell}: {k} = {v!r} ska vara "
                        f"{'ett heltal' if typ is int else 'text'}",
                        2,
                    )
    return data


# --- Utvärderingsfilen --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Malutfall:
    mal: int
    utfall: str
    kommentar: str | None = None


@dataclass(frozen=True, slots=True)
class Utvardering:
    datum: dt.date
    typ: str
    utford_av: str
    mal: tuple[Malutfall, ...]


UTVARDERING_FALT: tuple[Falt, ...] = (
    Falt("datum", "datum", "När utvärderingen gjordes, ÅÅÅÅ-MM-DD.", True),
    Falt("typ", "val", "Slag av utvärdering.", True, val=schema.UTVARDERINGSTYPER),
    Falt("utförd_av", "text", "Vem som gjorde utvärderingen.", True),
    Falt(
        "mål",
        "lista",
        "Utfallet per mål i avtalet, numrerade som i `partner register show ID`.",
        True,
        klass=Malutfall,
        under=(
            Falt("mål", "heltal", "Målets nummer (1 för det första).", True),
            Falt("utfall", "text", "Det uppmätta utfallet för målets indikator.", True),
            Falt("kommentar", "text", "Kommentar till utfallet."),
        ),
    ),
)


def las_utvardering(data: bytes) -> Utvardering | list[schema.Formatfel]:
    """Tolkar en utvärderingsfil på samma sätt som förslag: fel med rad och kolumn."""
    nod = laddning.las_bytes(data)
    if isinstance(nod, laddning.LasFel):
        return [schema.Formatfel(nod.meddelande, nod.rad, nod.kolumn, "")]
    if not isinstance(nod, laddning.Karta):
        return [schema.Formatfel("En utvärdering ska vara en karta", nod.rad, 1, "")]
    # Samma tolkning som förslagsformatet, med utvärderingens fält.
    tolkning = schema._Tolkning()
    varden_ = tolkning.karta(nod, UTVARDERING_FALT, "")
    if varden_ is not None and not tolkning.fel:
        sedda: dict[int, int] = {}
        for i, m in enumerate(varden_["mal"]):
            if m.mal in sedda:
                rad, kolumn = tolkning.platser[f"mål[{i}].mål"]
                tolkning.fel.append(
                    schema.Formatfel(
                        f"Mål {m.mal} har redan ett utfall (post {sedda[m.mal] + 1})",
                        rad,
                        kolumn,
                        f"mål[{i}].mål",
                    )
                )
            sedda[m.mal] = i
    if tolkning.fel or varden_ is None:
        return sorted(tolkning.fel, key=lambda f: (f.rad, f.kolumn))
    return Utvardering(**varden_)


_TAL = re.compile(r"\s*(\d+(?:[  \u202f]\d{3})*(?:[.,]\d+)?)")


def _tal_i(text: str | None) -> Decimal | None:
    m = _TAL.match(text or "")
    if not m:
        return None
    try:
        return Decimal(re.sub(r"[  \u202f]", "", m[1]).replace(",", "."))
    except InvalidOperation:
        return None


def maluppfyllelse(utfall: str, malvarde: str | None) -> str | None:
    """Utfall / målvärde som exakt decimaltal avkortat till fyra decimaler (`0.6000`), när
    båda börjar med ett tal och målvärdet inte är noll; annars None."""
    u, m = _tal_i(utfall), _tal_i(malvarde)
    if u is None or m is None or m == 0:
        return None
    kvot = Fraction(u) / Fraction(m)
    return str(
        (Decimal(kvot.numerator) / Decimal(kvot.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_FLOOR
        )
    )
