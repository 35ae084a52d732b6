"""Registrets integritet: kontrollen (`register kontroll`), invarianterna som schemat inte
ensamt kan hålla, och säkerhetskopiorna (SQLites backup-API)."""

from __future__ import annotations

import errno
import itertools
import json
import os
import sqlite3
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from partner_cli import systemfel
from partner_cli.register import kedja
from partner_cli.register.anslutning import (
    Register,
    RegisterFel,
    anvandare,
    fel_text,
    nu,
    sqlfel,
)
from partner_cli.register.migreringar import SCHEMAVERSION, schemat, tabeller, vantat_schema


def invarianter(conn: sqlite3.Connection) -> list[str]:
    """Det som schemat inte ensamt kan hålla: summor över flera tabeller."""
    problem: list[str] = []
    # Schemat håller en ägare per organisation; det här fångar ett schema som ändrats förbi det.
    for orgnr, antal in conn.execute(
        """SELECT organisationsnummer, count(*) FROM organisation GROUP BY organisationsnummer
           HAVING count(*) <> 1 OR min(coalesce(trim(avtalsagare_namn), '')) = ''"""
    ):
        problem.append(
            f"organisationen {orgnr} har {antal} rader med avtalsägare, inte exakt en"
            if antal != 1
            else f"organisationen {orgnr} saknar avtalsägare"
        )
    for (id_,) in conn.execute(
        """SELECT a.id FROM avtal a LEFT JOIN finansiar f ON f.avtal_id = a.id
           GROUP BY a.id
           HAVING a.medfinansiering <> coalesce(sum(f.kontant + f.in_kind), 0)
               OR a.garanterad <> coalesce(sum(f.kontant + f.in_kind) FILTER
                                           (WHERE f.garanterad), 0)
               OR a.naringsliv <> coalesce(sum(f.kontant + f.in_kind) FILTER
                                           (WHERE f.kategori = 'näringsliv'), 0)"""
    ):
        problem.append(f"avtalet {id_}: summorna stämmer inte med finansiärerna")
    kolumner = ", ".join(kedja.KOLUMNER)
    problem += kedja.brott(conn.execute(f"SELECT {kolumner} FROM handelse ORDER BY id"))
    problem += _oforklarade_organisationer(conn)
    problem += _oforklarade_avtal(conn)
    problem += _oforklarade_utvarderingar(conn)
    return problem


# Händelserna som sätter en organisations rad och ett avtals innehåll, med raden i `efter`.
ORGANISATIONENS_HANDELSER = ("ny organisation", "byt ägare")
AVTALETS_HANDELSER = ("registrerad", "ersatt", "förlängd", "avslutad", "makulerad")


def _dictrader(cur: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    namn = [d[0] for d in cur.description]
    return map(dict, map(zip, itertools.repeat(namn), cur))


def _oforklarade_organisationer(conn: sqlite3.Connection) -> list[str]:
    """Varje organisation, med sin avtalsägare, är exakt det som dess senaste händelse säger."""
    senaste: dict[str, Any] = {}
    platser = ", ".join("?" * len(ORGANISATIONENS_HANDELSER))
    for orgnr, efter in conn.execute(
        f"SELECT organisationsnummer, efter FROM handelse WHERE vad IN ({platser}) ORDER BY id",
        ORGANISATIONENS_HANDELSER,
    ):
        senaste[orgnr] = efter
    problem: list[str] = []
    for rad in _dictrader(conn.execute("SELECT * FROM organisation ORDER BY 1")):
        orgnr = rad["organisationsnummer"]
        efter = senaste.pop(orgnr, None)
        loggad = json.loads(efter) if efter is not None else None
        if isinstance(loggad, dict):
            loggad = {k: v for k, v in loggad.items() if k not in kedja.KALLA}
        if not isinstance(loggad, dict):
            problem.append(f"organisationen {orgnr} har ingen händelse som förklarar den")
        elif loggad.get("avtalsagare_namn") != rad["avtalsagare_namn"]:
            problem.append(
                f"organisationen {orgnr} har avtalsägaren {rad['avtalsagare_namn']!r}, men "
                f"händelseloggen säger {loggad.get('avtalsagare_namn')!r} (byt ägare loggas)"
            )
        elif loggad != rad:
            problem.append(f"organisationen {orgnr} stämmer inte med sin senaste händelse")
    problem += [f"organisationen {o} finns i händelseloggen men inte i registret" for o in senaste]
    return problem


def _delens_rader(
    conn: sqlite3.Connection, tabell: str
) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Tabellens rader per avtal i avtalens ordning, utan avtal_id (som i händelserna)."""
    kolumner = [r[1] for r in conn.execute(f"PRAGMA table_info({tabell})") if r[1] != "avtal_id"]
    rader = conn.execute(
        f"SELECT avtal_id, {', '.join(kolumner)} FROM {tabell} ORDER BY avtal_id, nr"
    )
    for id_, grupp in itertools.groupby(rader, itemgetter(0)):
        yield id_, (dict(zip(kolumner, r[1:], strict=True)) for r in grupp)


def _oforklarade_avtal(conn: sqlite3.Connection) -> list[str]:
    """Varje avtal, med finansiärer, mål, planerade utvärderingar och undantag, är exakt det
    som dess senaste händelse (`registrerad`, `ersatt` eller ett beslut om förlängning,
    avslut eller makulering) bär. Tabellerna läses i avtalens ordning sida vid sida, så att
    minnet inte växer med registret."""
    platser = ", ".join("?" * len(AVTALETS_HANDELSER))
    # Den senaste händelsen per avtal i en genomläsning av indexet på avtal_id: med max(id)
    # tar SQLite efter ur raden med det största id:t.
    handelser = conn.execute(
        f"""SELECT avtal_id, efter, max(id) FROM handelse WHERE vad IN ({platser})
            GROUP BY avtal_id ORDER BY avtal_id""",
        AVTALETS_HANDELSER,
    )
    delar = {t: _delens_rader(conn, t) for t in kedja.AVTALETS_DELAR}
    nasta: dict[str, Any] = {t: next(g, None) for t, g in delar.items()}
    handelse = handelser.fetchone()
    problem: list[str] = []
    for avtal in _dictrader(conn.execute("SELECT * FROM avtal ORDER BY id")):
        id_ = avtal["id"]
        while handelse is not None and handelse[0] < id_:
            problem.append(f"avtalet {handelse[0]} finns i händelseloggen men inte i registret")
            handelse = handelser.fetchone()
        dess: dict[str, list[dict[str, Any]]] = {}
        for t, g in delar.items():
            dess[t] = []
            if nasta[t] is not None and nasta[t][0] == id_:
                dess[t] = list(nasta[t][1])
                nasta[t] = next(g, None)
        if handelse is None or handelse[0] != id_:
            problem.append(f"avtalet {id_} har ingen händelse som förklarar det")
            continue
        loggat = json.loads(handelse[1]) if handelse[1] is not None else None
        if isinstance(loggat, dict):
            for k in kedja.KALLA:
                loggat.pop(k, None)
        handelse = handelser.fetchone()
        nu = kedja.avtal_i_historiken(avtal, dess)
        if isinstance(loggat, dict) and loggat != nu:
            nu = kedja.som_loggat(nu, loggat)
        if loggat != nu:
            andrat = sorted(
                k for k in nu.keys() | (loggat or {}).keys() if (loggat or {}).get(k) != nu.get(k)
            )
            problem.append(
                f"avtalet {id_} stämmer inte med sin senaste händelse ({', '.join(andrat)})"
            )
    while handelse is not None:
        problem.append(f"avtalet {handelse[0]} finns i händelseloggen men inte i registret")
        handelse = handelser.fetchone()
    return problem


def _oforklarade_utvarderingar(conn: sqlite3.Connection) -> list[str]:
    """Varje gjord utvärdering, med sina utfall, är exakt det som dess senaste händelse
    (`utvärdering`, `utvärdering ersatt` eller `utvärdering makulerad`) bär: en ändrad,
    tillagd eller upphävd utvärdering utan händelse syns. Utfallen jämförs med sina värden
    (målets nummer, utfallet, kommentaren och måluppfyllelsen), som händelserna alltid bär."""
    from partner_cli.register.utvarderingar import HANDELSER

    platser = ", ".join("?" * len(HANDELSER))
    handelser = conn.execute(
        f"""SELECT json_extract(efter, '$.id') AS uid, efter, max(id) FROM handelse
            WHERE vad IN ({platser}) GROUP BY uid ORDER BY uid""",
        HANDELSER,
    )
    utfall = itertools.groupby(
        conn.execute(
            "SELECT genomford_utvardering_id, mal_nr, utfall, kommentar, maluppfyllelse "
            "FROM genomford_utvardering_mal ORDER BY genomford_utvardering_id, mal_nr"
        ),
        itemgetter(0),
    )
    nasta = next(utfall, None)
    handelse = handelser.fetchone()
    problem: list[str] = []
    saknas = "utvärderingen {} finns i händelseloggen men inte i registret"
    for rad in _dictrader(conn.execute("SELECT * FROM genomford_utvardering ORDER BY id")):
        uid = rad["id"]
        namn = f"utvärderingen {uid} av avtalet {rad['avtal_id']}"
        while handelse is not None and (handelse[0] is None or handelse[0] < uid):
            problem.append(saknas.format(handelse[0]))
            handelse = handelser.fetchone()
        mal: list[list[Any]] = []
        while nasta is not None and nasta[0] <= uid:
            if nasta[0] == uid:
                mal = [list(r[1:]) for r in nasta[1]]
            nasta = next(utfall, None)
        if handelse is None or handelse[0] != uid:
            problem.append(f"{namn} har ingen händelse som förklarar den")
            continue
        loggad = json.loads(handelse[1])
        handelse = handelser.fetchone()
        loggade_mal = [
            [m.get(k) for k in ("mal_nr", "utfall", "kommentar", "maluppfyllelse")]
            for m in loggad.get("mal") or ()
            if isinstance(m, dict)
        ]
        # Händelser från före en kolumn saknar den: den var då tom.
        andrat = sorted(k for k, v in rad.items() if loggad.get(k) != v)
        if loggade_mal != mal:
            andrat.append("mal")
        if andrat:
            problem.append(f"{namn} stämmer inte med sin senaste händelse ({', '.join(andrat)})")
    while handelse is not None:
        problem.append(saknas.format(handelse[0]))
        handelse = handelser.fetchone()
    return problem


_SLAG = {"table": "tabellen", "index": "indexet", "trigger": "triggern", "view": "vyn"}


def schemaavvikelser(conn: sqlite3.Connection) -> list[str]:
    """Allt i schemat (tabeller, kolumner, index, triggrar, vyer) som inte är exakt det som
    migreringarna skapar i en tom databas: det som finns utöver, saknas eller skiljer sig.
    En extra trigger kan annars förfalska varje senare skrivning."""
    vantat = vantat_schema()
    faktiskt = schemat(conn)
    problem: list[str] = []
    for nyckel in sorted(faktiskt.keys() | vantat.keys()):
        slag = _SLAG.get(nyckel[0], nyckel[0])
        namn = f"{slag} {nyckel[1]}"
        if nyckel not in vantat:
            problem.append(
                f"schemat: {namn} (på {faktiskt[nyckel].tabell}) hör inte till registrets "
                f"schema (version {SCHEMAVERSION})"
            )
        elif nyckel not in faktiskt:
            problem.append(f"schemat: {namn} saknas")
        elif faktiskt[nyckel] != vantat[nyckel]:
            problem.append(f"schemat: {namn} skiljer sig från det migreringarna skapar")
    return problem


def kontroll(reg: Register) -> list[str]:
    """Problem i registret: SQLites egna kontroller, schemat och registrets invarianter."""
    with sqlfel(reg.sokvag):
        problem = [
            f"integritet: {r[0]}"
            for r in reg.conn.execute("PRAGMA integrity_check")
            if r[0] != "ok"
        ]
        problem += [
            f"främmande nyckel: rad {r[1]} i {r[0]} pekar på en saknad rad i {r[2]}"
            for r in reg.conn.execute("PRAGMA foreign_key_check")
        ]
        if not problem:
            problem += schemaavvikelser(reg.conn)
            # Invarianterna frågar tabellerna: bara när de är som i schemat.
            vantat = vantat_schema()
            if all(v == schemat(reg.conn).get(k) for k, v in vantat.items() if k[0] == "table"):
                problem += invarianter(reg.conn)
    return problem


def antal_avtal(reg: Register) -> int:
    (antal,) = reg.rader("SELECT count(*) FROM avtal")[0]
    return int(antal)


def _tomt(conn: sqlite3.Connection) -> bool:
    return not any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tabeller())


# SQLites primära felkoder för en skrivning som disken inte tar emot.
_SQLITE_SKRIVFEL = {
    getattr(sqlite3, "SQLITE_FULL", 13): errno.ENOSPC,
    getattr(sqlite3, "SQLITE_IOERR", 10): errno.EIO,
}


def _kopians_fel(mal: Path, e: sqlite3.Error) -> RegisterFel:
    """Ett SQLite-fel när säkerhetskopian skrivs: full disk och I/O-fel som när en annan fil
    inte går att skriva (`kommando.skrivkod`), annat som registrets fel."""
    kod = _SQLITE_SKRIVFEL.get(getattr(e, "sqlite_errorcode", 0) & 0xFF)
    if kod is None:
        return RegisterFel(fel_text(mal, e))
    from partner_cli.kommando import skrivkod

    systemets = OSError(kod, os.strerror(kod), str(mal))
    return RegisterFel(
        f"kan inte skriva säkerhetskopian {mal}: {systemfel.text(systemets)}", skrivkod(systemets)
    )


def sakerhetskopiera(reg: Register, mal: Path) -> None:
    """Kopierar registret med SQLites backup-API, konsekvent även medan andra skriver, till
    en ny fil (`filer.skriv_fil`): aldrig över en befintlig fil och aldrig genom en länk."""
    from partner_cli.filer import skriv_fil

    if os.path.lexists(mal):
        raise RegisterFel(f"{mal} finns redan; välj en ny fil för säkerhetskopian", 2)
    try:
        with skriv_fil(mal, ny=True) as tillfallig:
            try:
                ut = sqlite3.connect(tillfallig)
            except sqlite3.Error as e:
                raise RegisterFel(fel_text(mal, e)) from None
            try:
                try:
                    reg.conn.backup(ut)
                    fel = [r[0] for r in ut.execute("PRAGMA integrity_check")]
                except sqlite3.Error as e:
                    raise _kopians_fel(mal, e) from None
                if fel != ["ok"]:
                    raise RegisterFel(f"säkerhetskopian {mal} blev inte hel: {fel[0]}")
            finally:
                ut.close()
    except FileExistsError:
        raise RegisterFel(f"{mal} finns redan; välj en ny fil för säkerhetskopian", 2) from None
    except OSError as e:
        from partner_cli.kommando import skrivkod

        raise RegisterFel(
            f"kan inte skriva säkerhetskopian {mal}: {systemfel.text(e)}", skrivkod(e)
        ) from None


def aterstall(reg: Register, kalla: Register, fran: str, *, ersatt: bool) -> int:
    """Ersätter registrets innehåll med säkerhetskopians, i en transaktion under skrivlåset:
    prövningen av att registret är tomt och ersättningen sker i samma ögonblick, så en
    skrivning som hann före syns i prövningen och en som kommer efter läggs ovanpå. Raderna
    kopieras, inte sidorna: registret behåller sitt eget schema, sin sidstorlek och sitt
    journalläge. Återställningen loggas i registerfilens logg (`underhall`)."""
    with reg.transaktion() as db, kalla.ogonblick() as fran_conn:
        conn = db.conn
        if not ersatt and not _tomt(conn):
            raise RegisterFel(
                f"registret {reg.sokvag} har innehåll; ange --ersätt för att ersätta det "
                "med säkerhetskopian (ta gärna en backup först)",
                2,
            )
        # Loggens triggrar som migreringarna skrev dem: borta bara inne i transaktionen.
        triggrar = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'handelse'"
        ).fetchall()
        for namn, _ in triggrar:
            conn.execute(f"DROP TRIGGER {namn}")
        for tabell in reversed(list(tabeller())):
            conn.execute(f"DELETE FROM {tabell}")
        for tabell, kolumner in tabeller().items():
            namn = ", ".join(k.namn for k in kolumner)
            conn.executemany(
                f"INSERT INTO {tabell} ({namn}) VALUES ({', '.join('?' * len(kolumner))})",
                fran_conn.execute(f"SELECT {namn} FROM {tabell} ORDER BY rowid"),
            )
        for _, sql in triggrar:
            conn.execute(sql)
        antal = int(conn.execute("SELECT count(*) FROM avtal").fetchone()[0])
        kedja.logga_underhall(conn, nu(), anvandare(), "återställd", {"fran": fran, "avtal": antal})
    return antal
