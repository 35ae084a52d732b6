"""Händelseloggens kedja: varje händelse bär SHA-256 av den föregående händelsen och av sitt
eget innehåll, så att en borttagen, ändrad eller omflyttad händelse syns i `kontroll`.

Innehållet serialiseras kanoniskt som en JSON-lista (ASCII, utan mellanrum) av kolumnerna i
`INNEHALL` följda av den föregående händelsens hash (`null` för den första). Serialiseringen
ändras aldrig: migreringen som räknade kedjan för äldre register använder samma funktion.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

INNEHALL = ("id", "tid", "vem", "vad", "organisationsnummer", "avtal_id", "fore", "efter")
KOLUMNER = (*INNEHALL, "foregaende", "sha256")
# Tabellerna som tillsammans med raden i `avtal` är ett avtal, i händelsernas före och efter.
AVTALETS_DELAR = (
    "finansiar",
    "mal",
    "planerad_utvardering",
    "undantag",
    "utvecklingsomrade",
    "utbetalning",
)

# Vad en händelse kom ur: beslutets referens och datum, och i ett förslagsarkiv commit. De
# står i händelsens efter bredvid avtalet, men är inte en del av det.
KALLA = ("beslut", "beslutsdatum", "commit")


# Samma text som json.dumps(…, ensure_ascii=True, separators=(",", ":")), med en kodare för
# alla händelser i stället för en ny per anrop.
_KANONISK = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def sha256(innehall: Sequence[Any], foregaende: str | None) -> str:
    """Händelsens hash ur dess innehåll (värdena i `INNEHALL`) och föregående händelses hash."""
    return hashlib.sha256(_KANONISK([*innehall, foregaende]).encode("ascii")).hexdigest()


def lanka(conn: sqlite3.Connection, handelser: Iterable[dict[str, Any]]) -> None:
    """Ger nya händelser (med kolumnerna i `INNEHALL` utom id) sina id och sin plats i kedjan,
    efter registrets sista händelse. Anropas under skrivlåset, strax innan de skrivs."""
    sista = conn.execute("SELECT id, sha256 FROM handelse ORDER BY id DESC LIMIT 1").fetchone()
    kedja(handelser, 1, None) if sista is None else kedja(handelser, sista[0] + 1, sista[1])


def kedja(handelser: Iterable[dict[str, Any]], forsta_id: int, foregaende: str | None) -> None:
    """Ger händelserna löpnummer från `forsta_id` och kedjar dem efter `foregaende`."""
    for nasta, h in enumerate(handelser, forsta_id):
        h["id"] = nasta
        h["foregaende"] = foregaende
        h["sha256"] = foregaende = sha256([h[k] for k in INNEHALL], foregaende)


def brott(rader: Iterable[Sequence[Any]], grans: int = 10) -> list[str]:
    """Var kedjan inte håller, för händelserna (kolumnerna i `KOLUMNER`) i id-ordning."""
    problem: list[str] = []
    antal = 0
    foregaende: str | None = None
    for rad in rader:
        id_, lagrad_foregaende, lagrad = rad[0], rad[-2], rad[-1]
        if lagrad_foregaende != foregaende:
            antal += 1
            if len(problem) < grans:
                problem.append(
                    f"händelseloggen: händelse {id_} följer inte på händelsen före den "
                    "(en händelse har tagits bort, lagts till eller ändrats)"
                )
        elif lagrad != sha256(rad[: len(INNEHALL)], foregaende):
            antal += 1
            if len(problem) < grans:
                problem.append(f"händelseloggen: händelse {id_} har ändrats efter att den skrevs")
        foregaende = lagrad
    if antal > len(problem):
        problem.append(f"händelseloggen: ytterligare {antal - len(problem)} brott i kedjan")
    return problem


def som_loggat(nu: dict[str, Any], loggat: dict[str, Any]) -> dict[str, Any]:
    """Avtalet som det står i registret (`avtal_i_historiken`), utan de fält en äldre händelse
    inte kunde bära: en kolumn eller en del som en senare migrering lade till är tom (NULL,
    inga rader) i avtal som registrerades före den."""
    # Det vanliga fallet, utan en kopia: händelsen har varje fält och varje rads fält.
    ut = (
        nu
        if nu.keys() <= loggat.keys()
        else {k: v for k, v in nu.items() if k in loggat or v not in (None, [])}
    )
    # Bara delarna är listor (`avtal_i_historiken`); raden har SQLites värden.
    for k in AVTALETS_DELAR:
        rader, loggade = ut.get(k), loggat.get(k)
        if (
            isinstance(rader, list)
            and isinstance(loggade, list)
            and len(rader) == len(loggade)
            and not all(
                isinstance(lr, dict) and r.keys() <= lr.keys()
                for r, lr in zip(rader, loggade, strict=True)
            )
        ):
            if ut is nu:
                ut = dict(nu)
            ut[k] = [
                {f: v for f, v in r.items() if f in lr or v is not None}
                if isinstance(lr, dict)
                else r
                for r, lr in zip(rader, loggade, strict=True)
            ]
    return ut


def avtal_i_historiken(
    avtal: dict[str, Any], delar: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """Hela avtalet som händelserna bär det: raden och dess delar utan avtal_id (en rad som
    redan är utan avtal_id tas som den är)."""
    ut = dict(avtal)
    for tabell in AVTALETS_DELAR:
        ut[tabell] = [
            {k: v for k, v in r.items() if k != "avtal_id"} if "avtal_id" in r else r
            for r in delar[tabell]
        ]
    return ut


# Samma text som json.dumps(…, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
# med en kodare för alla händelser.
_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def handelse_rad(
    tid: str,
    vem: str,
    vad: str,
    orgnr: str | None,
    avtal_id: str | None,
    fore: Any,
    efter: Any,
) -> dict[str, Any]:
    """En ny händelse, med före och efter som JSON; `lanka` ger den id och plats i kedjan."""
    return {
        "tid": tid,
        "vem": vem,
        "vad": vad,
        "organisationsnummer": orgnr,
        "avtal_id": avtal_id,
        "fore": None if fore is None else _json(fore),
        "efter": None if efter is None else _json(efter),
    }


def logga_underhall(
    conn: sqlite3.Connection, tid: str, vem: str, vad: str, efter: dict[str, Any]
) -> None:
    """Skriver en import eller återställning i registerfilens logg (`underhall`), med
    avtalshistorikens sista hash: historiken själv är exportens och ändras inte av att flyttas."""
    sista = conn.execute("SELECT sha256 FROM handelse ORDER BY id DESC LIMIT 1").fetchone()
    conn.execute(
        "INSERT INTO underhall (tid, vem, vad, efter, kedjans_sha256) VALUES (?, ?, ?, ?, ?)",
        (tid, vem, vad, json.dumps(efter, ensure_ascii=False, sort_keys=True), sista and sista[0]),
    )
