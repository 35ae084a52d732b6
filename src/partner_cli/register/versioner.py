"""Registret som det stod en dag: varje avtal och organisation i den version som gällde då.

Händelseloggen bär hela avtalet (och organisationens rad) efter varje händelse som sätter det
(`AVTALETS_HANDELSER`, `ORGANISATIONENS_HANDELSER`). En version gäller från sitt besluts
datum (`beslutsdatum` i händelsens efter) eller, utan beslut (`add --ersätt` för hand), från
dagen då den registrerades; den första registreringen gäller från början. Per en dag gäller
den senaste versionen (i loggens ordning) som gällde den dagen.

`per` lägger, när någon version gäller först efter dagen, tillfälliga tabeller (TEMP) med
samma namn över de berörda tabellerna, med varje avtal och organisation som det stod per
dagen. SQLite slår upp ett namn utan schema i temp först, också på en skrivskyddad anslutning,
så att varje fråga förblir en och samma och ser registret per dagen. Utan sådana versioner
(det vanliga) skapas inget och kostnaden är en genomläsning av loggen. De tillfälliga
tabellerna saknar de härledda kolumnerna (`avtal.andel`), som rapporten inte läser.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from partner_cli.register.anslutning import Register
from partner_cli.register.integritet import AVTALETS_HANDELSER, ORGANISATIONENS_HANDELSER
from partner_cli.register.kedja import AVTALETS_DELAR

# En versions första giltiga dag: beslutets datum, annars dagen då den registrerades.
_GILTIG = "coalesce(json_extract(efter, '$.beslutsdatum'), substr(tid, 1, 10))"


@contextlib.contextmanager
def per(reg: Register, dag: dt.date) -> Iterator[None]:
    """Anslutningens frågor ser avtalen och organisationerna som de stod per `dag`, inom
    `with`; anropas i en läsning (`Register.ogonblick`)."""
    conn = reg.conn
    avtal, organisationer = _senare(conn, dag.isoformat())
    skuggade = [
        *(("avtal", *AVTALETS_DELAR) if avtal else ()),
        *(("organisation",) * bool(organisationer)),
    ]
    if not skuggade:
        yield
        return
    try:
        kolumner = {t: _skugga(conn, t) for t in skuggade}
        for id_, version in _per_dag(conn, "avtal_id", AVTALETS_HANDELSER, avtal, dag):
            for tabell in ("avtal", *AVTALETS_DELAR):
                nyckel = "id" if tabell == "avtal" else "avtal_id"
                conn.execute(f"DELETE FROM temp.{tabell} WHERE {nyckel} = ?", [id_])
            _infoga(conn, "avtal", kolumner["avtal"], [version])
            for tabell in AVTALETS_DELAR:
                rader = [{**r, "avtal_id": id_} for r in version.get(tabell, [])]
                _infoga(conn, tabell, kolumner[tabell], rader)
        for orgnr, version in _per_dag(
            conn, "organisationsnummer", ORGANISATIONENS_HANDELSER, organisationer, dag
        ):
            conn.execute("DELETE FROM temp.organisation WHERE organisationsnummer = ?", [orgnr])
            _infoga(conn, "organisation", kolumner["organisation"], [version])
        yield
    finally:
        for tabell in skuggade:
            conn.execute(f"DROP TABLE IF EXISTS temp.{tabell}")


def _senare(conn: sqlite3.Connection, dag: str) -> tuple[set[str], set[str]]:
    """Avtalen och organisationerna med en version som gäller först efter dagen. En version
    efter den första bär det som gällde före den (`fore`)."""
    platser = ", ".join("?" * (len(AVTALETS_HANDELSER) + len(ORGANISATIONENS_HANDELSER)))
    avtal: set[str] = set()
    organisationer: set[str] = set()
    for vad, avtal_id, orgnr in conn.execute(
        f"""SELECT DISTINCT vad, avtal_id, organisationsnummer FROM handelse
            WHERE fore IS NOT NULL AND vad IN ({platser}) AND {_GILTIG} > ?""",
        [*AVTALETS_HANDELSER, *ORGANISATIONENS_HANDELSER, dag],
    ):
        if vad in AVTALETS_HANDELSER:
            avtal.add(avtal_id)
        else:
            organisationer.add(orgnr)
    return avtal, organisationer


def _per_dag(
    conn: sqlite3.Connection, kolumn: str, handelser: Sequence[str], nycklar: set[str], dag: dt.date
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(nyckel, versionen per dagen) för varje nyckel vars version per dagen inte är den
    senaste, som registrets rader redan är."""
    platser = ", ".join("?" * len(handelser))
    for nyckel in sorted(nycklar):
        versioner = conn.execute(
            f"""SELECT {_GILTIG}, efter FROM handelse WHERE {kolumn} = ? AND vad IN ({platser})
                ORDER BY id""",
            [nyckel, *handelser],
        ).fetchall()
        galler = [i for i, (fran, _) in enumerate(versioner) if i == 0 or fran <= dag.isoformat()]
        if galler and galler[-1] != len(versioner) - 1:
            yield nyckel, json.loads(versioner[galler[-1]][1])


def _skugga(conn: sqlite3.Connection, tabell: str) -> list[str]:
    """En tillfällig tabell med tabellens namn, lagrade kolumner, standardvärden, primärnyckel
    och index, och dess rader; ger kolumnerna."""
    info = [r for r in conn.execute(f"PRAGMA main.table_xinfo({tabell})") if r[6] == 0]
    kolumner = [r[1] for r in info]
    definitioner = [f"{r[1]} DEFAULT {r[4]}" if r[4] is not None else r[1] for r in info]
    nyckel = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    conn.execute(
        f"CREATE TEMP TABLE {tabell} ({', '.join(definitioner)}, PRIMARY KEY ({', '.join(nyckel)}))"
    )
    conn.execute(f"INSERT INTO temp.{tabell} SELECT {', '.join(kolumner)} FROM main.{tabell}")
    for (sql,) in conn.execute(
        "SELECT sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        [tabell],
    ):
        conn.execute(re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX temp.", sql))
    return kolumner


def _infoga(
    conn: sqlite3.Connection, tabell: str, kolumner: list[str], rader: list[dict[str, Any]]
) -> None:
    """Raderna ur en version; en kolumn som versionen inte bär (en senare migrering lade till
    den) får sitt standardvärde."""
    for rad in rader:
        namn = [k for k in kolumner if k in rad]
        conn.execute(
            f"INSERT INTO temp.{tabell} ({', '.join(namn)}) VALUES ({', '.join('?' * len(namn))})",
            [rad[k] for k in namn],
        )
