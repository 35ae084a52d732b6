"""De gjorda utvärderingarna i registret: en ny registreras, en registrerad ersätts av en
nyare eller makuleras. `register utvärdera` och `register sync` anropar samma funktioner.

En registrerad utvärdering ändras aldrig (schemats trigger håller det): en rättelse är en ny
utvärdering som ersätter den, och en makulering säger att den inte ska räknas. Den upphävda
står kvar med sin historik; händelsen `utvärdering ersatt` eller `utvärdering makulerad` bär
den före och efter, som händelserna om ett avtal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from partner_cli import modell
from partner_cli.register.anslutning import Register, RegisterFel, anvandare, nu
from partner_cli.register.kedja import handelse_rad, lanka
from partner_cli.register.livscykel import las_rad
from partner_cli.saker import filnamn
from partner_cli.varden import maluppfyllelse

if TYPE_CHECKING:
    from sqlite_utils import Database

    from partner_cli.utvarderingsfil import Makulering, Utvardering

# Händelserna som sätter en gjord utvärderings rad, med raden och dess utfall i `efter`.
HANDELSER = ("utvärdering", "utvärdering ersatt", "utvärdering makulerad")


class UtvarderingPassarInte(RegisterFel):
    """Utvärderingen passar inte sitt avtal (`utvarderingsfil.prova`): fynden med rad och
    kolumn i filen."""

    def __init__(self, fil: str, fynd: Sequence[modell.Fynd]) -> None:
        self.fil = fil
        self.fynd = tuple(fynd)
        self.rader = tuple(
            f"{fil}:{f.rad}:{f.kolumn}: fel [{f.regel}] {f.meddelande}" for f in fynd
        )
        super().__init__("\n".join(self.rader))


def utvardering_json(db: Database, uid: int) -> dict[str, Any]:
    """Utvärderingen som den står i registret, med utfallen under `mal`: händelsernas form."""
    cur = db.execute(
        "SELECT * FROM genomford_utvardering_mal WHERE genomford_utvardering_id = ? "
        "ORDER BY mal_nr",
        [uid],
    )
    namn = [d[0] for d in cur.description]
    mal = [dict(zip(namn, r, strict=True)) for r in cur]
    return {**(las_rad(db, "genomford_utvardering", uid) or {}), "mal": mal}


def _avtalet(db: Database, reg: Register, id_: str) -> tuple[Any, ...]:
    avtal = db.execute(
        "SELECT organisationsnummer, period_start, period_slut FROM avtal WHERE id = ?", [id_]
    ).fetchone()
    if avtal is None:
        raise RegisterFel(f"avtalet {id_!r} finns inte i registret {reg.sokvag}")
    return tuple(avtal)


def _fel(fil: str, utv: Utvardering | Makulering, sokvag: str, text: str) -> RegisterFel:
    """Ett fel i filen med nyckelns plats: ett fynd som `check` och `sync` visar."""
    from partner_cli.regler import utvardering as regeln

    rad, kolumn = utv.platser.get(sokvag, (1, 1))
    return UtvarderingPassarInte(
        filnamn(fil), [modell.Fynd(regeln.ID, "fel", text, rad, kolumn, sokvag, regeln.GRUND)]
    )


def _den_upphavda(
    db: Database, id_: str, namn: str, fil: str, utv: Utvardering | Makulering, nyckel: str
) -> int:
    """Id:t för avtalets registrerade utvärdering som `ersätter:`/`makulerar:` (`nyckel`)
    anger med `namn`: filen som den registrerades från, eller bara filens namn när det är
    entydigt. Den ska gälla, inte redan vara ersatt eller makulerad."""
    from partner_cli.utvarderingsfil import filens_namn

    rader = db.execute(
        "SELECT id, datum, fil, ersatt_av, makulerad_av FROM genomford_utvardering "
        "WHERE avtal_id = ? ORDER BY id",
        [id_],
    ).fetchall()
    traffar = _fran_filen(rader, namn)
    if not traffar:
        har = ", ".join(f"{r[2]} ({r[1]})" for r in rader) or "inga"
        raise _fel(
            fil,
            utv,
            nyckel,
            f"avtalet {id_} har ingen registrerad utvärdering från filen {namn!r} (registrerade: "
            f"{har}; se `partner register show {id_}`)",
        )
    if len(traffar) > 1:
        raise _fel(
            fil,
            utv,
            nyckel,
            f"avtalet {id_} har {len(traffar)} registrerade utvärderingar från filer som heter "
            f"{filens_namn(namn)!r} ({', '.join(r[2] for r in traffar)}); ange filen som den "
            "står i `partner register show`",
        )
    uid, datum, registrerad_fil, ersatt_av, makulerad_av = traffar[0]
    if ersatt_av is not None or makulerad_av is not None:
        hur = "ersatt" if ersatt_av is not None else f"makulerad av {makulerad_av}"
        raise _fel(
            fil,
            utv,
            nyckel,
            f"utvärderingen av {id_} från {registrerad_fil} ({datum}) är redan {hur}; en "
            "utvärdering upphävs en gång",
        )
    return int(uid)


def _logga(
    db: Database, vem: str, tid: str, vad: str, orgnr: str, id_: str, fore: Any, efter: Any
) -> None:
    handelse = handelse_rad(tid, vem, vad, orgnr, id_, fore, efter)
    lanka(db.conn, [handelse])
    db.table("handelse").insert(handelse)


def _samma_fil_annat_innehall(db: Database, id_: str, fil: str, sha: str) -> str | None:
    """Datumet för avtalets registrerade utvärdering från samma fil i arkivet med ett annat
    innehåll, eller None. Sökvägarna jämförs utan `.` och `..`: arkivet kan ha granskats
    eller synkats från en underkatalog."""

    def i_arkivet(sokvag: str) -> tuple[str, ...]:
        return tuple(d for d in PurePosixPath(sokvag).parts if d not in (".", ".."))

    for registrerad, datum in db.execute(
        "SELECT fil, datum FROM genomford_utvardering WHERE avtal_id = ? AND sha256 <> ?",
        [id_, sha],
    ):
        if i_arkivet(registrerad) == i_arkivet(filnamn(fil)):
            return str(datum)
    return None


def utvardera(
    reg: Register,
    id_: str,
    utv: Utvardering,
    fil: str,
    sha: str,
    installningar: Mapping[str, Any],
    vem: str | None = None,
    kalla: Mapping[str, str] | None = None,
    idag: dt.date | None = None,
    *,
    i_arkivet: bool = False,
) -> list[dict[str, Any]] | None:
    """Registrerar en genomförd utvärdering, och med `ersätter:` upphävs den som den ersätter;
    None när samma fil, eller en utvärdering med samma innehåll (datum, typ, utförare och
    utfall), redan är registrerad. En utvärdering som inte passar avtalets gällande version
    (regeln `utvärdering`s `installningar`) är `UtvarderingPassarInte`. `i_arkivet`: filen är
    förslagsarkivets, och en registrerad fil som fått ett annat innehåll är en rättelse som ska
    skrivas som en ny fil. `kalla` (commit) följer med i händelsernas efter."""
    from partner_cli.utvarderingsfil import filens_namn, prova

    vem = vem or anvandare()
    tid = nu()
    with reg.transaktion() as db:
        orgnr, start, slut = _avtalet(db, reg, id_)
        if db.execute(
            "SELECT 1 FROM genomford_utvardering WHERE avtal_id = ? AND sha256 = ?", [id_, sha]
        ).fetchone():
            return None
        samma = _samma_utvarderingar(db, id_, utv)
        # En rättelse med samma innehåll som den redan registrerade rättelsen är den; samma
        # innehåll som den den ersätter är en rättelse av något annat (datumet i en annan fil).
        if samma and (utv.ersatter is None or _ersatt_av(db, id_, utv.ersatter) in samma):
            return None
        if i_arkivet and (datum := _samma_fil_annat_innehall(db, id_, fil, sha)) is not None:
            raise _fel(
                fil,
                utv,
                "datum",
                f"{filnamn(fil)} är registrerad som utvärderingen av {id_} {datum} och har "
                "fått ett annat innehåll; en registrerad utvärdering ändras inte: låt filen stå "
                f"kvar och skriv rättelsen i en ny fil med `ersätter: {filens_namn(fil)}`",
            )
        mal = {
            r[0]: r[1]
            for r in db.execute("SELECT nr, malvarde FROM mal WHERE avtal_id = ? ", [id_])
        }
        period = modell.Period(dt.date.fromisoformat(start), dt.date.fromisoformat(slut))
        fynd = prova(utv, id_, period, mal, installningar, idag or dt.date.today())
        if fynd:
            raise UtvarderingPassarInte(filnamn(fil), fynd)
        ersatt = (
            None
            if utv.ersatter is None
            else _den_upphavda(db, id_, utv.ersatter, fil, utv, "ersätter")
        )
        uid = (
            db.table("genomford_utvardering")
            .insert(
                {
                    "avtal_id": id_,
                    "datum": utv.datum.isoformat(),
                    "typ": utv.typ,
                    "utford_av": utv.utford_av,
                    "fil": filnamn(fil),
                    "sha256": sha,
                    "registrerad": tid,
                    "registrerad_av": vem,
                }
            )
            .last_pk
        )
        assert isinstance(uid, int)  # INTEGER PRIMARY KEY
        rader = [
            {
                "genomford_utvardering_id": uid,
                "avtal_id": id_,
                "mal_nr": m.mal,
                "utfall": m.utfall,
                "kommentar": m.kommentar,
                "maluppfyllelse": maluppfyllelse(m.utfall, mal[m.mal]),
            }
            for m in sorted(utv.mal, key=lambda m: m.mal)
        ]
        db.table("genomford_utvardering_mal").insert_all(rader)
        efter = {**utvardering_json(db, uid), **(kalla or {})}
        _logga(db, vem, tid, "utvärdering", orgnr, id_, None, efter)
        if ersatt is not None:
            fore = utvardering_json(db, ersatt)
            db.table("genomford_utvardering").update(ersatt, {"ersatt_av": uid})
            efter = {**utvardering_json(db, ersatt), **(kalla or {})}
            _logga(db, vem, tid, "utvärdering ersatt", orgnr, id_, fore, efter)
    return rader


def makulera(
    reg: Register,
    id_: str,
    mak: Makulering,
    fil: str,
    vem: str | None = None,
    kalla: Mapping[str, str] | None = None,
    idag: dt.date | None = None,
) -> dict[str, Any] | None:
    """Makulerar avtalets registrerade utvärdering som `mak` anger; None när den redan är
    makulerad av samma fil."""
    vem = vem or anvandare()
    with reg.transaktion() as db:
        orgnr, *_ = _avtalet(db, reg, id_)
        redan = db.execute(
            "SELECT id, datum, fil FROM genomford_utvardering WHERE avtal_id = ? "
            "AND makulerad_av = ?",
            [id_, filnamn(fil)],
        ).fetchall()
        if redan:
            if _fran_filen(redan, mak.makulerar):
                return None
            raise _fel(
                fil,
                mak,
                "makulerar",
                f"{filnamn(fil)} har redan makulerat utvärderingen av {id_} från {redan[0][2]} "
                f"({redan[0][1]}); en registrerad makulering ändras inte",
            )
        if mak.datum > (idag or dt.date.today()):
            raise _fel(
                fil,
                mak,
                "datum",
                f"makuleringen {mak.datum} ligger efter i dag; den gäller från när den bestämdes",
            )
        uid = _den_upphavda(db, id_, mak.makulerar, fil, mak, "makulerar")
        fore = utvardering_json(db, uid)
        db.table("genomford_utvardering").update(
            uid,
            {
                "makulerad_av": filnamn(fil),
                "makulerad_datum": mak.datum.isoformat(),
                "makulerad_motivering": mak.motivering,
            },
        )
        efter = {**utvardering_json(db, uid), **(kalla or {})}
        _logga(db, vem, nu(), "utvärdering makulerad", orgnr, id_, fore, efter)
    return efter


def _fran_filen(rader: list[Any], namn: str) -> list[Any]:
    """Raderna (med `fil` tredje) vars fil är `namn` som den står i registret, eller när ingen
    är det de vars filnamn är detsamma."""
    from partner_cli.utvarderingsfil import filens_namn

    namn = filnamn(namn)  # med styrtecken synliga, som filen står i registret
    return [r for r in rader if r[2] == namn] or [
        r for r in rader if filens_namn(r[2]) == filens_namn(namn)
    ]


def _ersatt_av(db: Database, id_: str, namn: str) -> int | None:
    """Rättelsen av avtalets utvärdering från filen `namn`, när den är ersatt."""
    rader = db.execute(
        "SELECT id, ersatt_av, fil FROM genomford_utvardering WHERE avtal_id = ? "
        "AND ersatt_av IS NOT NULL ORDER BY id",
        [id_],
    ).fetchall()
    traffar = _fran_filen(rader, namn)
    return int(traffar[0][1]) if traffar else None


def _samma_utvarderingar(db: Database, id_: str, utv: Utvardering) -> list[int]:
    """Avtalets utvärderingar med samma datum, typ, utförare och utfall: en fil som bara fått
    en rättad kommentar eller en annan ordning är samma utvärdering."""
    utfall = sorted((m.mal, m.utfall, m.kommentar) for m in utv.mal)
    samma = []
    for (uid,) in db.execute(
        "SELECT id FROM genomford_utvardering WHERE avtal_id = ? AND datum = ? AND typ = ? "
        "AND utford_av = ?",
        [id_, utv.datum.isoformat(), utv.typ, utv.utford_av],
    ).fetchall():
        registrerat = db.execute(
            "SELECT mal_nr, utfall, kommentar FROM genomford_utvardering_mal "
            "WHERE genomford_utvardering_id = ? ORDER BY mal_nr",
            [uid],
        ).fetchall()
        if [tuple(r) for r in registrerat] == utfall:
            samma.append(int(uid))
    return samma
