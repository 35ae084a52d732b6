"""Ett registrerat avtals livscykel efter registreringen, var och en enligt ett beslut:
förlängning, avslut i förtid och makulering. `register sync` (beslut i beslut/) och
kommandona `register förläng`, `avsluta` och `makulera` anropar samma funktioner, så att
varje tillståndsändring har en enda implementation och loggas på ett sätt.

Varje ändring är en ny version av avtalet i händelseloggen: hela avtalet före och efter,
och i efter beslutets referens (`beslut`), dess datum (`beslutsdatum`) och, i ett
förslagsarkiv i git, `commit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from partner_cli.register.anslutning import Register, RegisterFel, anvandare, nu
from partner_cli.register.kedja import AVTALETS_DELAR, avtal_i_historiken, handelse_rad, lanka

if TYPE_CHECKING:
    from sqlite_utils import Database

# Kolumnerna i `avtal` som beslut efter registreringen sätter, inte förslagsfilen.
LIVSCYKELNS_FALT = ("avslutat_datum", "avslutat_orsak", "avslutat_beslut", "makulerat_beslut")
# Händelsen som varje beslutstyp ger.
HANDELSER = {"förlängning": "förlängd", "avslut": "avslutad", "makulering": "makulerad"}


class Beslutsgrund(NamedTuple):
    """Beslutet som en ändring följer: referensen, datumet och (i git) arkivets commit."""

    referens: str
    datum: dt.date
    commit: str | None = None

    def kalla(self) -> dict[str, str]:
        """Nycklarna i händelsens efter: `beslut`, `beslutsdatum` och `commit`."""
        ut = {"beslut": self.referens, "beslutsdatum": self.datum.isoformat()}
        return ut | ({"commit": self.commit} if self.commit else {})


def las_rad(db: Database, tabell: str, nyckel: Any) -> dict[str, Any] | None:
    """Raden med primärnyckeln `nyckel` (sqlite-utils `table.get`), None när den saknas."""
    from sqlite_utils.db import NotFoundError

    try:
        return dict(db.table(tabell).get(nyckel))
    except NotFoundError:
        return None


def avtal_json(db: Database, id_: str) -> dict[str, Any]:
    """Hela avtalet som det står i registret."""
    delar = {}
    for tabell in AVTALETS_DELAR:
        cur = db.execute(f"SELECT * FROM {tabell} WHERE avtal_id = ? ORDER BY nr", [id_])
        namn = [d[0] for d in cur.description]
        delar[tabell] = [dict(zip(namn, r, strict=True)) for r in cur]
    return avtal_i_historiken(las_rad(db, "avtal", id_) or {}, delar)


def tillampat(db: Database, vad: str, referens: str, *, avtal: str = "", orgnr: str = "") -> bool:
    """Om beslutet redan står i avtalets (eller organisationens) historik som händelsen `vad`."""
    return bool(
        db.execute(
            "SELECT 1 FROM handelse WHERE vad = ? AND (avtal_id = ? OR "
            "(avtal_id IS NULL AND organisationsnummer = ?)) "
            "AND json_extract(efter, '$.beslut') = ?",
            [vad, avtal, orgnr, referens],
        ).fetchone()
    )


def tillstand(avtal: Mapping[str, Any]) -> str | None:
    """Varför avtalet inte längre kan ändras av ett beslut (makulerat, avslutat), eller None."""
    if avtal.get("makulerat_beslut"):
        return f"är makulerat (beslut {avtal['makulerat_beslut']})"
    if avtal.get("avslutat_datum"):
        return f"är avslutat {avtal['avslutat_datum']} (beslut {avtal['avslutat_beslut']})"
    return None


def _andra(
    reg: Register,
    id_: str,
    typ: str,
    grund: Beslutsgrund,
    andring: Any,
    vem: str | None,
) -> dict[str, Any]:
    """Gemensamt för varje beslut: avtalet läses, `andring(avtalet)` ger kolumnerna som ändras
    (eller `RegisterFel`), och raden och händelsen skrivs i samma transaktion."""
    with reg.transaktion() as db:
        if las_rad(db, "avtal", id_) is None:
            raise RegisterFel(f"avtalet {id_!r} finns inte i registret {reg.sokvag}")
        fore = avtal_json(db, id_)
        kolumner: dict[str, Any] = andring(fore)
        db.table("avtal").update(id_, kolumner)
        efter = {**avtal_json(db, id_), **grund.kalla()}
        handelse = handelse_rad(
            nu(),
            vem or anvandare(),
            HANDELSER[typ],
            fore["organisationsnummer"],
            id_,
            fore,
            efter,
        )
        lanka(db.conn, [handelse])
        db.table("handelse").insert(handelse)
    return efter


def forlang(
    reg: Register, id_: str, slut: dt.date, grund: Beslutsgrund, vem: str | None = None
) -> dict[str, Any]:
    """Avtalets period förlängs till `slut`, som ska vara senare än dess nuvarande slut."""

    def andring(avtal: Mapping[str, Any]) -> dict[str, Any]:
        if (hinder := tillstand(avtal)) is not None:
            raise RegisterFel(f"avtalet {id_} {hinder} och kan inte förlängas")
        if slut.isoformat() <= avtal["period_slut"]:
            raise RegisterFel(
                f"avtalet {id_} slutar {avtal['period_slut']}; en förlängning ska ge en senare "
                f"sista dag än den, inte {slut.isoformat()}"
            )
        return {"period_slut": slut.isoformat()}

    return _andra(reg, id_, "förlängning", grund, andring, vem)


def avsluta(
    reg: Register,
    id_: str,
    slut: dt.date,
    orsak: str,
    grund: Beslutsgrund,
    vem: str | None = None,
) -> dict[str, Any]:
    """Avtalet avslutas i förtid: `slut` är dess sista dag, från periodens start till före
    dess avtalade slut."""
    if not orsak.strip():
        raise RegisterFel("orsaken till avslutet får inte vara tom", 2)

    def andring(avtal: Mapping[str, Any]) -> dict[str, Any]:
        if (hinder := tillstand(avtal)) is not None:
            raise RegisterFel(f"avtalet {id_} {hinder} och kan inte avslutas igen")
        if not avtal["period_start"] <= slut.isoformat() < avtal["period_slut"]:
            raise RegisterFel(
                f"avtalet {id_} löper {avtal['period_start']}–{avtal['period_slut']}; ett avslut "
                f"i förtid ska ha en sista dag från start till före slutet, inte {slut}"
            )
        return {
            "avslutat_datum": slut.isoformat(),
            "avslutat_orsak": orsak.strip(),
            "avslutat_beslut": grund.referens,
        }

    return _andra(reg, id_, "avslut", grund, andring, vem)


def makulera(
    reg: Register, id_: str, grund: Beslutsgrund, vem: str | None = None
) -> dict[str, Any]:
    """Registreringen skulle aldrig ha gjorts: avtalet står kvar med sin historik, men räknas
    i ingen rapport."""

    def andring(avtal: Mapping[str, Any]) -> dict[str, Any]:
        if avtal.get("makulerat_beslut"):
            raise RegisterFel(
                f"avtalet {id_} är redan makulerat (beslut {avtal['makulerat_beslut']})"
            )
        return {"makulerat_beslut": grund.referens}

    return _andra(reg, id_, "makulering", grund, andring, vem)
