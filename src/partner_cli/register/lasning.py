"""Registrets läsningar för registerkommandona och granskningen: en namngiven fråga per behov,
med typade rader (NamedTuple) i frågans kolumnordning. Bara sqlite3, inte sqlite-utils.

Kolumnnamnen är registrets; `rad._asdict()` ger dem som de står i registret (json och csv).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from partner_cli.register.anslutning import Register, RegisterFel


def sista_dag(alias: str = "a") -> str:
    """Avtalets sista dag i SQL: dagen det avslutades i förtid, annars periodens slut."""
    return f"coalesce({alias}.avslutat_datum, {alias}.period_slut)"


def giltigt(alias: str = "a") -> str:
    """Avtalet är inte makulerat: det räknas (en makulering står bara i historiken)."""
    return f"{alias}.makulerat_beslut IS NULL"


def gallande(alias: str = "u") -> str:
    """Den gjorda utvärderingen `alias` är varken ersatt av en rättelse eller makulerad: den
    räknas (en upphävd står bara i registret och historiken)."""
    return f"{alias}.ersatt_av IS NULL AND {alias}.makulerad_av IS NULL"


def aktiva(start: str, slut: str, alias: str = "a") -> str:
    """`Period.overlappar` i SQL: avtalet `alias` löper någon dag mellan start och slut
    (parametrarnas namn eller `?`) till sin sista dag, och är inte makulerat."""
    return f"{alias}.period_start <= {slut} AND {sista_dag(alias)} >= {start} AND {giltigt(alias)}"


# Avtalen aktiva under ett år, med parametrarna ur `aret`.
AKTIVA_UNDER_ARET = aktiva(":start", ":slut")


def aret(ar: int) -> dict[str, str]:
    """Parametrarna :start och :slut för året."""
    return {"start": f"{ar}-01-01", "slut": f"{ar}-12-31"}


class Avtalsrad(NamedTuple):
    """En rad i `register list`."""

    id: str
    titel: str
    typ: str
    organisation: str
    organisationsnummer: str
    period_start: str
    period_slut: str
    initiativ: str
    kommunen_kontant: int
    kommunen_in_kind: int
    garanterad: int
    naringsliv: int
    total: int
    avtalsagare_namn: str
    sanktionerad_av: str
    avslutat_datum: str | None  # avslutat i förtid: den sista dagen
    makulerat_beslut: str | None  # makulerat: beslutet


class Urval(NamedTuple):
    """Vilka avtal `register list` visar: de som uppfyller alla angivna villkor."""

    ar: int | None = None  # löper någon dag under året
    aktiva_per: dt.date | None = None  # löper den dagen
    organisationsnummer: str | None = None
    organisation: str | None = None  # en del av organisationens namn, utan hänsyn till skiftläge
    agare: str | None = None  # en del av avtalsägarens namn, utan hänsyn till skiftläge
    typ: str | None = None
    utvecklingsomrade: str | None = None  # ett av avtalets utvecklingsområden, hela namnet
    giltiga: bool = False  # bara avtal som inte är makulerade (med --år och --aktiva-per alltid)


def lista(reg: Register, urval: Urval | None = None) -> list[Avtalsrad]:
    urval = urval or Urval()
    villkor: list[str] = []
    parametrar: list[str] = []
    if urval.ar is not None:
        villkor.append(aktiva("?", "?"))
        parametrar += [f"{urval.ar}-12-31", f"{urval.ar}-01-01"]
    if urval.aktiva_per is not None:
        villkor.append(aktiva("?", "?"))
        parametrar += [urval.aktiva_per.isoformat()] * 2
    for kolumn, varde in (
        ("a.organisationsnummer", urval.organisationsnummer),
        ("a.typ", urval.typ),
    ):
        if varde is not None:
            villkor.append(f"{kolumn} = ?")
            parametrar.append(varde)
    for kolumn, del_ in (("o.namn", urval.organisation), ("o.avtalsagare_namn", urval.agare)):
        if del_ is not None:
            # SQLites lower() känner bara ASCII: Örebro och örebro ska vara samma.
            villkor.append(f"instr(casefold({kolumn}), ?) > 0")
            parametrar.append(del_.casefold())
    if urval.giltiga:
        villkor.append(giltigt())
    if urval.utvecklingsomrade is not None:
        villkor.append(
            "EXISTS (SELECT 1 FROM utvecklingsomrade u WHERE u.avtal_id = a.id "
            "AND casefold(u.namn) = ?)"
        )
        parametrar.append(urval.utvecklingsomrade.casefold())
    reg.conn.create_function("casefold", 1, str.casefold, deterministic=True)
    return [
        Avtalsrad._make(r)
        for r in reg.rader(
            f"""SELECT a.id, a.titel, a.typ, o.namn, a.organisationsnummer, a.period_start,
                    a.period_slut, a.initiativ, a.kommunen_kontant, a.kommunen_in_kind,
                    a.garanterad, a.naringsliv, a.total, o.avtalsagare_namn, a.sanktionerad_av,
                    a.avslutat_datum, a.makulerat_beslut
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                {"WHERE " + " AND ".join(villkor) if villkor else ""}
                ORDER BY a.period_start, a.id""",
            parametrar,
        )
    ]


class Finansiar(NamedTuple):
    avtal_id: str
    nr: int
    namn: str
    kategori: str
    kontant: int
    in_kind: int
    garanterad: int
    underlag: str | None
    organisationsnummer: str | None


class Mal(NamedTuple):
    avtal_id: str
    nr: int
    beskrivning: str | None
    indikator: str | None
    malvarde: str | None
    overenskommet: int | None


class PlaneradUtvardering(NamedTuple):
    avtal_id: str
    nr: int
    datum: str | None
    typ: str | None


class Undantag(NamedTuple):
    avtal_id: str
    nr: int
    regel: str
    beslut: str
    beslutsdatum: str | None
    motivering: str
    giltigt_till: str | None


class Utfall(NamedTuple):
    """Utfallet för ett mål i en genomförd utvärdering."""

    genomford_utvardering_id: int
    avtal_id: str
    mal_nr: int
    utfall: str
    kommentar: str | None
    maluppfyllelse: str | None


class GenomfordUtvardering(NamedTuple):
    id: int
    avtal_id: str
    datum: str
    typ: str
    utford_av: str
    fil: str
    sha256: str
    registrerad: str
    registrerad_av: str
    ersatt_av: int | None
    makulerad_av: str | None
    makulerad_datum: str | None
    makulerad_motivering: str | None
    mal: tuple[Utfall, ...]


class Avtal(NamedTuple):
    """Allt om ett avtal (`register show`): raden, organisationen och avtalets delar."""

    id: str
    organisationsnummer: str
    titel: str
    typ: str
    initiativ: str
    diarienummer: str | None
    period_start: str
    period_slut: str
    upphandling: int
    kommunen_kontant: int
    kommunen_in_kind: int
    medfinansiering: int
    garanterad: int
    naringsliv: int
    total: int
    insyn_ratt_till_insyn: int | None
    insyn_redovisning: str | None
    ekonomi_rakenskapsar: int | None
    ekonomi_omsattning: int | None
    ekonomi_resultat: int | None
    ekonomi_eget_kapital: int | None
    ekonomi_offentlig_finansiering: int | None
    ekonomi_kalla: str | None
    langsiktighet_efter_avtalstiden: str | None
    fil: str
    sha256: str
    registrerad: str
    registrerad_av: str
    sanktionerad_av: str
    avslutat_datum: str | None
    avslutat_orsak: str | None
    avslutat_beslut: str | None
    makulerat_beslut: str | None
    namn: str
    kategori: str
    avtalsagare_namn: str
    avtalsagare_enhet: str | None
    finansiarer: tuple[Finansiar, ...]
    mal: tuple[Mal, ...]
    planerade_utvarderingar: tuple[PlaneradUtvardering, ...]
    undantag: tuple[Undantag, ...]
    utvarderingar: tuple[GenomfordUtvardering, ...]


_AVTALETS_KOLUMNER = ", ".join(
    f"o.{k}" if k in ("namn", "kategori", "avtalsagare_namn", "avtalsagare_enhet") else f"a.{k}"
    for k in Avtal._fields[: Avtal._fields.index("finansiarer")]
)


def avtal(reg: Register, id_: str) -> Avtal:
    with reg.ogonblick() as conn:
        rad = conn.execute(
            f"""SELECT {_AVTALETS_KOLUMNER} FROM avtal a JOIN organisation o
                USING (organisationsnummer) WHERE a.id = ?""",
            [id_],
        ).fetchone()
        if rad is None:
            raise RegisterFel(f"avtalet {id_!r} finns inte i registret {reg.sokvag}")

        def delar(tabell: str, ordning: str = "nr") -> list[tuple[object, ...]]:
            return conn.execute(
                f"SELECT * FROM {tabell} WHERE avtal_id = ? ORDER BY {ordning}", [id_]
            ).fetchall()

        utvarderingar = tuple(
            GenomfordUtvardering._make(
                (
                    *u,
                    tuple(
                        Utfall._make(m)
                        for m in conn.execute(
                            "SELECT * FROM genomford_utvardering_mal "
                            "WHERE genomford_utvardering_id = ? ORDER BY mal_nr",
                            [u[0]],
                        )
                    ),
                )
            )
            for u in delar("genomford_utvardering", "datum, id")
        )
        return Avtal._make(
            (
                *rad,
                tuple(Finansiar._make(r) for r in delar("finansiar")),
                tuple(Mal._make(r) for r in delar("mal")),
                tuple(PlaneradUtvardering._make(r) for r in delar("planerad_utvardering")),
                tuple(Undantag._make(r) for r in delar("undantag")),
                utvarderingar,
            )
        )


class Agarrad(NamedTuple):
    """En rad i `register ägare`."""

    organisation: str
    organisationsnummer: str
    avtalsagare_namn: str
    avtalsagare_enhet: str | None
    antal_avtal: int
    aktiva_avtal: int


def agare(reg: Register, idag: dt.date | None = None) -> list[Agarrad]:
    dag = (idag or dt.date.today()).isoformat()
    return [
        Agarrad._make(r)
        for r in reg.rader(
            f"""SELECT o.namn, o.organisationsnummer, o.avtalsagare_namn, o.avtalsagare_enhet,
                    count(a.id) FILTER (WHERE {giltigt()}),
                    count(a.id) FILTER (WHERE {aktiva("?", "?")})
                FROM organisation o LEFT JOIN avtal a USING (organisationsnummer)
                GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer""",
            [dag, dag],
        )
    ]


class Handelse(NamedTuple):
    """En rad i händelseloggen (`register historik`); före och efter är JSON-text."""

    id: int
    tid: str
    vem: str
    vad: str
    organisationsnummer: str | None
    avtal_id: str | None
    fore: str | None
    efter: str | None


def historik(reg: Register, nyckel: str | None = None) -> list[Handelse]:
    kolumner = ", ".join(Handelse._fields)
    if nyckel is None:
        return [
            Handelse._make(r) for r in reg.rader(f"SELECT {kolumner} FROM handelse ORDER BY id")
        ]
    rader = [
        Handelse._make(r)
        for r in reg.rader(
            f"SELECT {kolumner} FROM handelse WHERE organisationsnummer = ? OR avtal_id = ? "
            "ORDER BY id",
            [nyckel, nyckel],
        )
    ]
    if not rader:
        raise RegisterFel(
            f"{nyckel!r} är varken ett avtals id eller ett organisationsnummer i registret"
        )
    return rader


# Kolumnerna med belopp (heltal i öre) och datum (ÅÅÅÅ-MM-DD) per slags rad. I json, csv och
# xlsx blir belopp kronor och datum datum; öre står bara i den förlustfria exporten.
_BELOPP = ("kommunen_kontant", "kommunen_in_kind", "garanterad", "naringsliv", "total")
BELOPP: dict[type, frozenset[str]] = {
    Avtalsrad: frozenset(_BELOPP),
    Avtal: frozenset(
        (
            *_BELOPP,
            "medfinansiering",
            "ekonomi_omsattning",
            "ekonomi_resultat",
            "ekonomi_eget_kapital",
            "ekonomi_offentlig_finansiering",
        )
    ),
    Finansiar: frozenset(("kontant", "in_kind")),
}
DATUM: dict[type, frozenset[str]] = {
    Avtalsrad: frozenset(("period_start", "period_slut", "avslutat_datum")),
    Avtal: frozenset(("period_start", "period_slut", "avslutat_datum")),
    PlaneradUtvardering: frozenset(("datum",)),
    Undantag: frozenset(("beslutsdatum", "giltigt_till")),
    GenomfordUtvardering: frozenset(("datum",)),
}


class Publicerat(NamedTuple):
    """Ett avtal aktivt under året, med det som `partner publicera` lägger ut."""

    id: str
    titel: str
    typ: str
    diarienummer: str | None
    organisation: str
    organisationsnummer: str
    kategori: str
    period_start: str  # ÅÅÅÅ-MM-DD, som registret har dem
    period_slut: str
    initiativ: str
    kommunen_kontant: int  # öre
    kommunen_in_kind: int
    medfinansiering: int
    garanterad: int
    naringsliv: int
    total: int
    registrerad: str  # dagen då avtalet registrerades, efter sanktioneringen


def publiceras(reg: Register, ar: int) -> tuple[Publicerat, ...]:
    return tuple(
        Publicerat._make(r)
        for r in reg.rader(
            f"""SELECT a.id, a.titel, a.typ, a.diarienummer, o.namn, a.organisationsnummer,
                    o.kategori, a.period_start, {sista_dag()}, a.initiativ, a.kommunen_kontant,
                    a.kommunen_in_kind, a.medfinansiering, a.garanterad, a.naringsliv, a.total,
                    substr(a.registrerad, 1, 10)
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                WHERE {aktiva("?", "?")} ORDER BY a.period_start, a.id""",
            [f"{ar}-12-31", f"{ar}-01-01"],
        )
    )


def organisationerna(reg: Register) -> dict[str, tuple[str, str, str | None]]:
    """Organisationsnummer → (namn, avtalsägare, enhet) för varje organisation."""
    return {
        r[0]: r[1:]
        for r in reg.rader(
            "SELECT organisationsnummer, namn, avtalsagare_namn, avtalsagare_enhet "
            "FROM organisation"
        )
    }
