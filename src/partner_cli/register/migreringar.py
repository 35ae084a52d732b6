"""Registrets schema: migreringarna är den enda källan till schemaversionen och till varje
tabells kolumner.

En migrering är ett namn och SQL-satser; den läggs till sist i `MIGRERINGAR` och ändras aldrig
efter att den släppts. Schemaversionen är antalet migreringar (`PRAGMA user_version`), och
tabellerna och deras kolumner i en version läses ur en databas i minnet som migrerats dit, så
att exporten, importen och uppgraderingen av äldre exporter alltid följer samma satser.
Varje ändring av schemat lägger till en migrering och en exportfil i tests/exporter/.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRERINGSMANGD = "partner-register"

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

"""


class Migrering(NamedTuple):
    namn: str
    sql: str
    # Körs efter satserna, med samma anslutning och i samma transaktion: det som SQL inte kan.
    steg: Callable[[sqlite3.Connection], None] | None = None


# Tabellerna för gjorda utvärderingar heter efter innehållet: `utvärdering` i förslaget (och
# `planerad_utvardering`) är de planerade. RENAME skriver om de främmande nycklarna som pekar
# på tabellerna; triggrarna och indexen gäller andra tabeller och står kvar.
_SCHEMA_2 = """
ALTER TABLE utvardering RENAME TO genomford_utvardering;
ALTER TABLE utvardering_mal RENAME TO genomford_utvardering_mal;
ALTER TABLE genomford_utvardering_mal RENAME COLUMN utvardering_id TO genomford_utvardering_id;
"""

# Händelseloggen blir en kedja (kedja.py): varje händelse bär föregående händelses hash och sin
# egen. Tabellen byggs om, eftersom kolumnerna inte får saknas; steget räknar kedjan för
# händelserna som redan finns, i id-ordning.
_SCHEMA_3 = """
CREATE TABLE handelse_kedja (
    id INTEGER PRIMARY KEY,
    tid TEXT NOT NULL,
    vem TEXT NOT NULL,
    vad TEXT NOT NULL,
    organisationsnummer TEXT,
    avtal_id TEXT,
    fore TEXT CHECK (fore IS NULL OR json_valid(fore)),
    efter TEXT CHECK (efter IS NULL OR json_valid(efter)),
    foregaende TEXT CHECK (length(foregaende) = 64),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64)
) STRICT;
"""
_SCHEMA_3_EFTER = """
DROP TABLE handelse;
ALTER TABLE handelse_kedja RENAME TO handelse;
CREATE INDEX handelse_organisation ON handelse (organisationsnummer);
CREATE INDEX handelse_avtal ON handelse (avtal_id);
CREATE TRIGGER handelse_ingen_andring BEFORE UPDATE ON handelse
BEGIN SELECT RAISE(ABORT, 'händelseloggen går bara att lägga till i, inte ändra'); END;
CREATE TRIGGER handelse_ingen_borttagning BEFORE DELETE ON handelse
BEGIN SELECT RAISE(ABORT, 'händelseloggen går bara att lägga till i, inte radera'); END;
"""


def _kedja(conn: sqlite3.Connection) -> None:
    from partner_cli.register.kedja import INNEHALL, sha256

    foregaende: str | None = None
    rader = conn.execute(f"SELECT {', '.join(INNEHALL)} FROM handelse ORDER BY id").fetchall()
    for rad in rader:
        hash_ = sha256(rad, foregaende)
        conn.execute(
            f"INSERT INTO handelse_kedja VALUES ({', '.join('?' * (len(INNEHALL) + 2))})",
            [*rad, foregaende, hash_],
        )
        foregaende = hash_
    for sats in satser(_SCHEMA_3_EFTER):
        conn.execute(sats)


# Budgetens fördelning som granskningen räknade den (kommunen själv och dess bolag som
# kommunens, gruppsiffran 2 som offentlig, in kind som partner.toml inte räknar för sig),
# medfinansiärernas organisationsnummer, förslagens utvecklingsområden och kommunens
# utbetalningsplan. Äldre avtal har NULL och inga rader: deras händelser bär inte fälten, och
# fördelningen räknas för dem ur finansiärerna.
_SCHEMA_4 = """
ALTER TABLE avtal ADD COLUMN fordelning_naringslivet INTEGER
    CHECK (fordelning_naringslivet >= 0);
ALTER TABLE avtal ADD COLUMN fordelning_offentliga INTEGER CHECK (fordelning_offentliga >= 0);
ALTER TABLE avtal ADD COLUMN fordelning_ovriga INTEGER CHECK (fordelning_ovriga >= 0);
ALTER TABLE avtal ADD COLUMN fordelning_kommunen INTEGER CHECK (fordelning_kommunen >= 0);
ALTER TABLE avtal ADD COLUMN fordelning_ej_garanterat INTEGER
    CHECK (fordelning_ej_garanterat >= 0);
ALTER TABLE avtal ADD COLUMN fordelning_ej_medraknat INTEGER
    CHECK (fordelning_ej_medraknat >= 0);
ALTER TABLE finansiar ADD COLUMN organisationsnummer TEXT
    CHECK (organisationsnummer GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]');

CREATE TABLE utvecklingsomrade (
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    nr INTEGER NOT NULL CHECK (nr >= 1),
    namn TEXT NOT NULL CHECK (trim(namn) <> ''),
    PRIMARY KEY (avtal_id, nr)
) STRICT;

CREATE TABLE utbetalning (
    avtal_id TEXT NOT NULL REFERENCES avtal (id),
    nr INTEGER NOT NULL CHECK (nr >= 1),
    ar INTEGER NOT NULL,
    belopp INTEGER NOT NULL CHECK (belopp >= 0),
    PRIMARY KEY (avtal_id, nr),
    UNIQUE (avtal_id, ar)
) STRICT;
"""

# Registerfilens egen logg: importer och återställningar beskriver filen, inte avtalen, och
# exporteras inte, så att en export som importeras och exporteras igen blir samma byte.
# `kedjans_sha256` är avtalshistorikens sista händelse när det skedde.
_SCHEMA_5 = """
CREATE TABLE underhall (
    id INTEGER PRIMARY KEY,
    tid TEXT NOT NULL,
    vem TEXT NOT NULL,
    vad TEXT NOT NULL CHECK (vad IN ('importerad', 'återställd')),
    efter TEXT NOT NULL CHECK (json_valid(efter)),
    kedjans_sha256 TEXT
) STRICT;

CREATE TRIGGER underhall_ingen_andring BEFORE UPDATE ON underhall
BEGIN SELECT RAISE(ABORT, 'registrets logg går bara att lägga till i, inte ändra'); END;
CREATE TRIGGER underhall_ingen_borttagning BEFORE DELETE ON underhall
BEGIN SELECT RAISE(ABORT, 'registrets logg går bara att lägga till i, inte radera'); END;
"""

# Avtalets livscykel efter registreringen, var och en enligt ett beslut (arkiv.py): avslutat
# i förtid (dagen, orsaken och beslutet, alla eller inget, dagen inom perioden) och makulerat
# (beslutet: registreringen skulle aldrig ha gjorts; avtalet står kvar med sin historik men
# räknas i ingen rapport). En förlängning skriver en senare period_slut. Den härledda andelen
# läses inte längre av något kommando och tas bort.
_SCHEMA_6 = """
ALTER TABLE avtal DROP COLUMN andel;
ALTER TABLE avtal ADD COLUMN avslutat_datum TEXT CHECK (
    date(avslutat_datum) IS avslutat_datum
    AND avslutat_datum >= period_start AND avslutat_datum < period_slut);
ALTER TABLE avtal ADD COLUMN avslutat_orsak TEXT CHECK (trim(avslutat_orsak) <> '');
ALTER TABLE avtal ADD COLUMN avslutat_beslut TEXT CHECK (
    trim(avslutat_beslut) <> ''
    AND (avslutat_datum IS NULL) = (avslutat_beslut IS NULL)
    AND (avslutat_orsak IS NULL) = (avslutat_beslut IS NULL));
ALTER TABLE avtal ADD COLUMN makulerat_beslut TEXT CHECK (trim(makulerat_beslut) <> '');
"""

# En gjord utvärdering kan ersättas av en nyare (`ersatt_av`: den nyas id) eller makuleras
# (filen som makulerade den, dess datum och varför). Den står kvar med sin historik men räknas
# inte; en registrerad utvärdering ändras aldrig annars, och upphävs bara en gång. Nyckeln är
# uppskjuten: en import skriver den ersatta före rättelsen som den pekar på.
_SCHEMA_7 = """
ALTER TABLE genomford_utvardering ADD COLUMN ersatt_av INTEGER CHECK (ersatt_av > id)
    REFERENCES genomford_utvardering (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE genomford_utvardering ADD COLUMN makulerad_av TEXT CHECK (
    makulerad_av IS NULL OR (trim(makulerad_av) <> '' AND ersatt_av IS NULL));
ALTER TABLE genomford_utvardering ADD COLUMN makulerad_datum TEXT CHECK (
    date(makulerad_datum) IS makulerad_datum
    AND (makulerad_datum IS NULL) = (makulerad_av IS NULL));
ALTER TABLE genomford_utvardering ADD COLUMN makulerad_motivering TEXT CHECK (
    trim(makulerad_motivering) <> ''
    AND (makulerad_motivering IS NULL) = (makulerad_av IS NULL));
CREATE TRIGGER genomford_utvardering_upphavs_en_gang BEFORE UPDATE ON genomford_utvardering
WHEN OLD.ersatt_av IS NOT NULL OR OLD.makulerad_av IS NOT NULL
    OR NEW.id IS NOT OLD.id OR NEW.avtal_id IS NOT OLD.avtal_id OR NEW.datum IS NOT OLD.datum
    OR NEW.typ IS NOT OLD.typ OR NEW.utford_av IS NOT OLD.utford_av OR NEW.fil IS NOT OLD.fil
    OR NEW.sha256 IS NOT OLD.sha256 OR NEW.registrerad IS NOT OLD.registrerad
    OR NEW.registrerad_av IS NOT OLD.registrerad_av
BEGIN SELECT RAISE(ABORT, 'en registrerad utvärdering ändras inte; den ersätts eller makuleras');
END;
CREATE TRIGGER genomford_utvardering_mal_ingen_andring BEFORE UPDATE ON genomford_utvardering_mal
BEGIN SELECT RAISE(ABORT, 'en registrerad utvärderings utfall ändras inte'); END;
"""

MIGRERINGAR: tuple[Migrering, ...] = (
    Migrering("0001_grund", _SCHEMA_1),
    Migrering("0002_genomford_utvardering", _SCHEMA_2),
    Migrering("0003_handelsekedja", _SCHEMA_3, _kedja),
    Migrering("0004_fordelning_och_utvecklingsomraden", _SCHEMA_4),
    Migrering("0005_underhall", _SCHEMA_5),
    Migrering("0006_avtalets_livscykel", _SCHEMA_6),
    Migrering("0007_utvarderingar_ersatta_och_makulerade", _SCHEMA_7),
)
SCHEMAVERSION = len(MIGRERINGAR)
KANDA_MIGRERINGAR = frozenset(m.namn for m in MIGRERINGAR)
# Tabeller om registerfilen själv, utanför exporten och `tabeller`.
LOKALA_TABELLER = frozenset({"underhall"})


def satser(sql: str) -> Iterator[str]:
    """SQL-satserna en och en (executescript skulle avsluta en pågående transaktion)."""
    buffert = ""
    for rad in sql.splitlines(keepends=True):
        if rad.lstrip().startswith("--"):
            continue
        buffert += rad
        if sqlite3.complete_statement(buffert):
            yield buffert.strip()
            buffert = ""


def kor_migrering(conn: sqlite3.Connection, migrering: Migrering) -> None:
    for sats in satser(migrering.sql):
        conn.execute(sats)
    if migrering.steg is not None:
        migrering.steg(conn)


def migreringar() -> Migrations:
    """Migreringarna som sqlite-utils `Migrations`; var och en sätter sin schemaversion."""
    from sqlite_utils.migrations import Migrations

    m = Migrations(MIGRERINGSMANGD)
    for version, migrering in enumerate(MIGRERINGAR, 1):

        def kor(db: Database, migrering: Migrering = migrering, version: int = version) -> None:
            kor_migrering(db.conn, migrering)
            db.execute(f"PRAGMA user_version = {version}")

        m(name=migrering.namn)(kor)
    return m


def migrera(db: Database, till: int = SCHEMAVERSION) -> None:
    """För databasen till schemaversionen `till` genom migreringarna som saknas."""
    migreringar().apply(db, stop_before=[m.namn for m in MIGRERINGAR[till:]])


class Kolumn(NamedTuple):
    namn: str
    typ: str  # INTEGER eller TEXT (tabellerna är STRICT)


def _migrerad(version: int) -> sqlite3.Connection:
    """En databas i minnet, migrerad till `version` med sqlite3 direkt: läsande kommandon som
    `export` och `kontroll` behöver inte sqlite-utils."""
    conn = sqlite3.connect(":memory:")
    for migrering in MIGRERINGAR[:version]:
        kor_migrering(conn, migrering)
    return conn


@functools.cache
def tabeller(version: int = SCHEMAVERSION) -> dict[str, tuple[Kolumn, ...]]:
    """Avtalens tabeller i en schemaversion, i den ordning de skapades (föräldrar före barn, så att
    de kan fyllas i den ordningen), med sina lagrade kolumner (härledda utelämnade)."""
    conn = _migrerad(version)
    try:
        namn = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
            )
            if r[0] not in LOKALA_TABELLER
        ]
        return {
            t: tuple(
                Kolumn(r[1], r[2]) for r in conn.execute(f"PRAGMA table_xinfo({t})") if r[6] == 0
            )
            for t in namn
        }
    finally:
        conn.close()


class Schemadel(NamedTuple):
    """En rad i `sqlite_master`: en tabell, ett index, en trigger eller en vy."""

    typ: str
    namn: str
    tabell: str
    sql: str | None  # normaliserad: blanktecken i följd som ett mellanslag


def schemat(conn: sqlite3.Connection) -> dict[tuple[str, str], Schemadel]:
    """Hela schemat i en databas, utom sqlite-utils bokföring av migreringarna (tabellen
    `_sqlite_migrations` och dess index, som sqlite-utils skapar) och SQLites statistik
    (`sqlite_stat*`). En trigger eller en vy på bokföringstabellen räknas med."""
    ut: dict[tuple[str, str], Schemadel] = {}
    for typ, namn, tabell, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ):
        bokforing = tabell == "_sqlite_migrations" and typ in ("table", "index")
        if bokforing or (typ == "table" and namn.startswith("sqlite_stat")):
            continue
        normal = None if sql is None else " ".join(sql.split())
        ut[(typ, namn)] = Schemadel(typ, namn, tabell, normal)
    return ut


@functools.cache
def vantat_schema(version: int = SCHEMAVERSION) -> dict[tuple[str, str], Schemadel]:
    """Schemat som migreringarna skapar i en tom databas."""
    conn = _migrerad(version)
    try:
        return schemat(conn)
    finally:
        conn.close()
