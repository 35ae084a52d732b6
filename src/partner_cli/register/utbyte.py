"""Export och import: hela registret som JSON eller en CSV-fil per tabell, förlustfritt och
stabilt sorterat, med sin schemaversion.

Tabellerna och kolumnerna i varje version kommer ur migreringarna (`migreringar.tabeller`).
En export från en äldre version läses med den versionens kolumner och förs till aktuell
version genom samma migreringar, i en databas i minnet, innan den skrivs in i registret.
En export från en nyare version vägras innan något skrivs.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from partner_cli import systemfel
from partner_cli.register import kedja
from partner_cli.register.anslutning import (
    Register,
    RegisterFel,
    anvandare,
    infoga,
    nu,
    sqlfel,
    villkorsfel,
)
from partner_cli.register.integritet import invarianter
from partner_cli.register.migreringar import SCHEMAVERSION, migrera, tabeller

FORMATNAMN = "partner-register"
EXPORTFIL = "register.json"
VERSIONSFIL = "schemaversion.txt"


class Export(NamedTuple):
    """Varje tabell: kolumnerna och raderna i primärnyckelns ordning, i en schemaversion."""

    version: int
    tabeller: dict[str, tuple[list[str], list[Any]]]


def _las_tabeller(conn: sqlite3.Connection, version: int) -> Export:
    ut: dict[str, tuple[list[str], list[Any]]] = {}
    for tabell, kolumner in tabeller(version).items():
        namn = [k.namn for k in kolumner]
        nyckel = ", ".join(
            n
            for _, n in sorted(
                (r[5], r[1]) for r in conn.execute(f"PRAGMA table_info({tabell})") if r[5]
            )
        )
        ut[tabell] = (
            namn,
            conn.execute(f"SELECT {', '.join(namn)} FROM {tabell} ORDER BY {nyckel}").fetchall(),
        )
    return Export(version, ut)


def _skriv_tabeller(conn: sqlite3.Connection, export: Export, kalla: str) -> dict[str, int]:
    """Exportens rader i det tomma registret; en rad som schemats villkor vägrar (två avtal med
    samma id, ett avslut utan beslut, en hänvisning till en rad som inte finns) är ett fel i
    exporten som namnger raden (kod 2)."""
    antal: dict[str, int] = {}
    for tabell, (kolumner, rader) in export.tabeller.items():
        try:
            infoga(conn, tabell, kolumner, rader)
        except sqlite3.IntegrityError as e:
            # Varje rad är en egen sats: raderna före den vägrade står kvar i transaktionen.
            (nr,) = conn.execute(f"SELECT count(*) + 1 FROM {tabell}").fetchone()
            raise RegisterFel(
                f"{kalla}: rad {nr} i {tabell} ({kolumner[0]} {_kort(rader[nr - 1][0])}): "
                f"{villkorsfel(e)}; inget importerades",
                2,
            ) from None
        antal[tabell] = len(rader)
    return antal


def exportera(reg: Register) -> Export:
    """Hela registret ur en läsning: alla tabeller ur samma ögonblick medan andra skriver."""
    with reg.ogonblick() as conn:
        return _las_tabeller(conn, SCHEMAVERSION)


def uppgradera(export: Export, kalla: str) -> Export:
    """En export från en äldre schemaversion, förd till aktuell version genom migreringarna."""
    from sqlite_utils import Database

    db = Database(memory=True, strict=True, execute_plugins=False)
    try:
        migrera(db, export.version)
        with db.atomic():
            _skriv_tabeller(db.conn, export, kalla)
        migrera(db)
        return _las_tabeller(db.conn, SCHEMAVERSION)
    finally:
        db.close()


def importera(reg: Register, export: Export, kalla: str) -> dict[str, int]:
    """Läser in en export i ett tomt register, i en transaktion: allt eller inget. Exportens
    händelser läses in som de är; importen loggas i registerfilens logg (`importerad`), efter
    kedjans sista hash. Antalen är exportens rader."""
    fran_version = export.version
    if export.version < SCHEMAVERSION:
        with sqlfel(reg.sokvag):
            export = uppgradera(export, kalla)
    # Upp till 256 MiB sidcache för den här anslutningen: en stor import skriver om
    # indexsidor i stället för att läsa dem från disken igen (halverar tiden vid 100 000).
    reg.conn.execute("PRAGMA cache_size = -262144")
    with reg.transaktion() as db:
        if any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in export.tabeller):
            raise RegisterFel(
                f"registret {reg.sokvag} är inte tomt; import görs bara till ett tomt "
                "register (välj en ny fil med --register)"
            )
        antal = _skriv_tabeller(db.conn, export, kalla)
        problem = invarianter(db.conn)
        if problem:
            raise RegisterFel("exporten är inte sammanhängande: " + "; ".join(problem))
        efter = {"fran": kalla, "schemaversion": fran_version, "avtal": antal["avtal"]}
        kedja.logga_underhall(db.conn, nu(), anvandare(), "importerad", efter)
    return antal


# --- Filerna ---------------------------------------------------------------------------------


def skriv_json(export: Export, ut: TextIO) -> None:
    """En rad per tabellrad: stabil ordning, läsbara diffar i en merge request."""
    ut.write(f'{{"format": "{FORMATNAMN}", "schemaversion": {export.version}, "tabeller": {{')
    for i, (tabell, (kolumner, rader)) in enumerate(export.tabeller.items()):
        ut.write(f'{"," if i else ""}\n"{tabell}": {{"kolumner": {_json_lista(kolumner)}, ')
        ut.write('"rader": [')
        for j, rad in enumerate(rader):
            ut.write(f"{',' if j else ''}\n  {_json_lista(list(rad))}")
        ut.write("\n]}" if rader else "]}")
    ut.write("\n}}\n")


def _json_lista(varden: list[Any]) -> str:
    return json.dumps(varden, ensure_ascii=False)


def skriv_json_fil(export: Export, katalog: Path) -> None:
    """`register.json` i katalogen, som ersätter en äldre export av vilken form som helst."""
    from partner_cli.filer import skriv_fil

    katalog.mkdir(parents=True, exist_ok=True)
    with (
        skriv_fil(katalog / EXPORTFIL, ny=False) as tillfallig,
        tillfallig.open("w", encoding="utf-8") as f,
    ):
        skriv_json(export, f)
    _stada(katalog, {EXPORTFIL})


def skriv_csv(export: Export, katalog: Path) -> None:
    """En CSV-fil per tabell; tom cell är NULL (schemat tillåter inga tomma texter). En rad
    med CR i någon text skrivs med varje cell inom citattecken: csv-modulen citerar annars
    bara radslutets tecken, och en ensam CR läses tillbaka som ett radbyte."""
    from partner_cli.filer import skriv_fil

    katalog.mkdir(parents=True, exist_ok=True)
    with skriv_fil(katalog / VERSIONSFIL, ny=False) as tillfallig:
        tillfallig.write_text(f"{export.version}\n", encoding="utf-8")
    for tabell, (kolumner, rader) in export.tabeller.items():
        with (
            skriv_fil(katalog / f"{tabell}.csv", ny=False) as tillfallig,
            tillfallig.open("w", encoding="utf-8", newline="") as f,
        ):
            skrivare = csv.writer(f, lineterminator="\n")
            citerad = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL)
            skrivare.writerow(kolumner)
            for rad in rader:
                celler = ["" if v is None else v for v in rad]
                cr = any(isinstance(v, str) and "\r" in v for v in celler)
                (citerad if cr else skrivare).writerow(celler)
    _stada(katalog, {VERSIONSFIL, *(f"{t}.csv" for t in export.tabeller)})


def _stada(katalog: Path, skrivna: set[str]) -> None:
    """Tar bort exportens egna filer som den här exporten inte skrev: den andra formens
    filer och tabellerna från äldre schemaversioner. `import` läser `register.json` före
    CSV-filerna, så en kvarlämnad äldre export skulle annars läsas i stället för den nya."""
    egna = {EXPORTFIL, VERSIONSFIL} | {
        f"{t}.csv" for v in range(1, SCHEMAVERSION + 1) for t in tabeller(v)
    }
    for namn in sorted(egna - skrivna):
        (katalog / namn).unlink(missing_ok=True)


def las_export(kalla: Path) -> Export:
    """Läser det som `export` skrev, i vilken schemaversion som helst upp till den aktuella:
    JSON-filen, eller katalogen med JSON eller CSV."""
    try:
        if kalla.is_dir():
            if (kalla / EXPORTFIL).is_file():
                return _granska(_las_json(kalla / EXPORTFIL), kalla)
            return _granska(_las_csv(kalla), kalla)
        return _granska(_las_json(kalla), kalla)
    except FileNotFoundError as e:
        raise RegisterFel(f"{e.filename} finns inte", 2) from None
    except OSError as e:
        raise RegisterFel(f"kan inte läsa {e.filename or kalla}: {systemfel.text(e)}", 2) from None
    except UnicodeDecodeError:
        raise RegisterFel(f"{kalla} är inte UTF-8 och alltså ingen export", 2) from None


def _version(version: Any, kalla: Path) -> int:
    if type(version) is int and version > SCHEMAVERSION:
        raise RegisterFel(
            f"{kalla} har schemaversion {version}, nyare än den här versionen av partner läser "
            f"(version {SCHEMAVERSION}); uppgradera partner. Inget importerades",
            2,
        )
    if type(version) is not int or version < 1:
        raise RegisterFel(
            f"{kalla} har schemaversion {version!r}; den här versionen av partner läser "
            f"version 1–{SCHEMAVERSION}",
            2,
        )
    return version


def _las_json(fil: Path) -> Export:
    try:
        data = json.loads(fil.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise RegisterFel(f"{fil}:{e.lineno}:{e.colno}: inte giltig JSON ({e.msg})", 2) from None
    except (ValueError, RecursionError):
        # Ett heltal med fler siffror än Python läser, eller en orimlig nästling.
        raise RegisterFel(
            f"{fil}: ett tal eller en nästling är för stor för en export", 2
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMATNAMN:
        raise RegisterFel(f"{fil} är ingen export från `partner register export`", 2)
    version = _version(data.get("schemaversion"), fil)
    namn = list(tabeller(version))
    poster = data.get("tabeller")
    if not isinstance(poster, dict) or set(poster) != set(namn):
        raise RegisterFel(f"{fil}: exporten ska ha tabellerna {', '.join(namn)}", 2)
    ut: dict[str, tuple[list[str], list[Any]]] = {}
    for t in namn:
        post = poster[t]
        if not isinstance(post, dict) or not isinstance(post.get("rader"), list):
            raise RegisterFel(f"{fil}: tabellen {t} saknar kolumner eller rader", 2)
        ut[t] = (post.get("kolumner", []), post["rader"])
    return Export(version, ut)


def _las_csv(katalog: Path) -> Export:
    text = (katalog / VERSIONSFIL).read_text(encoding="utf-8").strip()
    version = _version(int(text) if text.isdigit() else text, katalog)
    ut: dict[str, tuple[list[str], list[Any]]] = {}
    for tabell, schema_ in tabeller(version).items():
        # Loggens före och efter är ett helt avtal: större än csv-modulens standardgräns.
        csv.field_size_limit(MAX_JSON)
        with (katalog / f"{tabell}.csv").open(encoding="utf-8", newline="") as f:
            try:
                rader = list(csv.reader(f))
            except csv.Error as e:
                raise RegisterFel(f"{katalog / tabell}.csv är ingen läsbar CSV ({e})", 2) from None
        if not rader or any(len(r) != len(rader[0]) for r in rader):
            raise RegisterFel(f"{katalog / tabell}.csv saknar rubrikrad eller har trasiga rader", 2)
        kolumner = rader[0]
        heltal = {k.namn for k in schema_ if k.typ == "INTEGER"}
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
    return Export(version, ut)


def _csv_varde(v: str, heltal: bool, fil: str) -> Any:
    if v == "":
        return None
    if not heltal:
        return v
    if not _CSV_HELTAL.fullmatch(v):
        raise RegisterFel(f"{fil}: {_kort(v)} ska vara ett heltal", 2)
    return int(v)


_CSV_HELTAL = re.compile(r"-?[0-9]{1,19}", re.ASCII)


# Värdena i en export prövas mot förslagsformatets typer och gränser innan något skrivs, så
# att det som importerats alltid går att visa, rapportera och exportera igen.
MAX_TEXT = 1 << 20  # tecken i en text: mer än en hel förslagsfil (max_filstorlek 1 MB)
MAX_JSON = 1 << 24  # tecken i loggens före och efter (ett helt avtal med alla delar)
MAX_HELTAL = 2**63 - 1  # SQLites heltal
DATUM = frozenset(
    {"period_start", "period_slut", "datum", "beslutsdatum", "giltigt_till", "avslutat_datum"}
)
TIDER = frozenset({"tid", "registrerad"})
BELOPP = frozenset(
    {
        "kommunen_kontant",
        "kommunen_in_kind",
        "kontant",
        "in_kind",
        "ekonomi_omsattning",
        "ekonomi_resultat",
        "ekonomi_eget_kapital",
        "ekonomi_offentlig_finansiering",
    }
)
HASHAR = frozenset({"sha256", "foregaende"})
# Måluppfyllelsen som `varden.maluppfyllelse` skriver den: ett decimaltal med fyra decimaler.
_UPPFYLLELSE = re.compile(r"[0-9]{1,40}\.[0-9]{4}", re.ASCII)
JSONTEXT = frozenset({"fore", "efter"})
_TID = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)
_HASH = re.compile(r"[0-9a-f]{64}", re.ASCII)


def _vardefel(kolumn: str, heltal: bool, v: Any) -> str | None:
    """Varför värdet inte hör hemma i kolumnen, eller None."""
    from partner_cli import varden

    if v is None:
        return None
    if heltal:
        if type(v) is not int:
            return "ska vara ett heltal"
        if abs(v) > MAX_HELTAL:
            return "är större än ett heltal i registret (64 bitar)"
        if kolumn in BELOPP and abs(v) >= varden.MAX_KRONOR * 100:
            return f"är orimligt stort (högst {varden.MAX_KRONOR:,} kr)".replace(",", " ")
        if kolumn == "ekonomi_rakenskapsar" and not 0 <= v < 10**9:
            return "är inget räkenskapsår"
        return None
    if type(v) is not str:
        return "ska vara text"
    if "\x00" in v:
        return "innehåller NUL"
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return "innehåller en ensam surrogat (ingen giltig Unicode)"
    if len(v) > (MAX_JSON if kolumn in JSONTEXT else MAX_TEXT):
        return "är för lång"
    try:
        if kolumn in DATUM and varden.datum(v).isoformat() != v:
            return "ska vara ett datum ÅÅÅÅ-MM-DD"
    except varden.VardeFel as e:
        return str(e)
    if kolumn in TIDER and not (_TID.fullmatch(v) and _giltig_tid(v)):
        return "ska vara en tid ÅÅÅÅ-MM-DDTHH:MM:SSZ"
    if kolumn in HASHAR and not _HASH.fullmatch(v):
        return "ska vara en SHA-256 (64 hexadecimala tecken)"
    if kolumn == "organisationsnummer":
        try:
            if varden.organisationsnummer(v) != v:
                return "ska skrivas NNNNNN-NNNN"
        except varden.VardeFel as e:
            return str(e)
    if kolumn == "maluppfyllelse" and not _UPPFYLLELSE.fullmatch(v):
        return "ska vara ett decimaltal med fyra decimaler, som 0.6000"
    if kolumn in JSONTEXT and not _json_objekt(v):
        return "ska vara ett JSON-objekt"
    return None


def _giltig_tid(v: str) -> bool:
    try:
        dt.datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def _json_objekt(v: str) -> bool:
    def inga_konstanter(namn: str) -> Any:
        raise ValueError(namn)

    try:
        return isinstance(json.loads(v, parse_constant=inga_konstanter), dict)
    except (ValueError, RecursionError):
        return False


def _kort(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _granska(export: Export, kalla: Path) -> Export:
    """Kolumnerna som i exportens schemaversion och varje värde mot kolumnens typ och gränser
    (`_vardefel`), innan registret öppnas."""
    schemat = tabeller(export.version)
    for tabell, (kolumner, rader) in export.tabeller.items():
        namn = [k.namn for k in schemat[tabell]]
        if kolumner != namn:
            raise RegisterFel(f"{kalla}: tabellen {tabell} ska ha kolumnerna {', '.join(namn)}", 2)
        heltal = [k.typ == "INTEGER" for k in schemat[tabell]]
        for nr, rad in enumerate(rader, 1):
            if not isinstance(rad, list) or len(rad) != len(kolumner):
                raise RegisterFel(
                    f"{kalla}: rad {nr} i {tabell} ska vara en lista med {len(kolumner)} värden",
                    2,
                )
            for k, ar_heltal, v in zip(kolumner, heltal, rad, strict=True):
                fel = _vardefel(k, ar_heltal, v)
                if fel is not None:
                    raise RegisterFel(
                        f"{kalla}: rad {nr} i {tabell}: {k} = {_kort(v)} {fel}; inget importerades",
                        2,
                    )
    return export
