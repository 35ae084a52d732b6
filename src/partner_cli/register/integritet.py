"""Registrets integritet: kontrollen (`register kontroll`), invarianterna som schemat inte
ensamt kan hålla, och säkerhetskopiorna (SQLites backup-API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from partner_cli.register.anslutning import Register, RegisterFel, fel_text, sqlfel
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


def tomt(reg: Register) -> bool:
    with sqlfel(reg.sokvag):
        return not any(
            reg.conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tabeller()
        )


def sakerhetskopiera(reg: Register, mal: Path) -> None:
    """Kopierar registret med SQLites backup-API, konsekvent även medan andra skriver."""
    if mal.exists():
        raise RegisterFel(f"{mal} finns redan; välj en ny fil för säkerhetskopian", 2)
    try:
        ut = sqlite3.connect(mal)
    except sqlite3.Error as e:
        raise RegisterFel(fel_text(mal, e)) from None
    try:
        with sqlfel(mal):
            reg.conn.backup(ut)
            fel = [r[0] for r in ut.execute("PRAGMA integrity_check")]
        if fel != ["ok"]:
            raise RegisterFel(f"säkerhetskopian {mal} blev inte hel: {fel[0]}")
    except BaseException:
        ut.close()
        mal.unlink(missing_ok=True)
        raise
    ut.close()


def aterstall_fran(reg: Register, kalla: Register) -> None:
    """Ersätter hela registret med en säkerhetskopia, i ett steg under skrivlåset."""
    with sqlfel(reg.sokvag):
        kalla.conn.backup(reg.conn)
