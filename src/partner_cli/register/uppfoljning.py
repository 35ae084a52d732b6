"""Uppföljningens läsningar: planerade utvärderingar och om de är gjorda, avtal som slutar
utan slututvärdering och undantag som går ut. För årsrapporten och bevakningen."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from partner_cli.register.anslutning import Register
from partner_cli.register.lasning import gallande, giltigt, sista_dag


class Planerad(NamedTuple):
    """En planerad utvärdering, och om den räknas som utförd per brytdagen."""

    avtal_id: str
    organisation: str
    organisationsnummer: str
    datum: dt.date
    typ: str
    utford: bool
    nr: int  # utvärderingens nummer i avtalets plan


def planerade(reg: Register, ar: int, brytdag: dt.date) -> tuple[Planerad, ...]:
    """Planerade utvärderingar under året (se `planerade_mellan`)."""
    return planerade_mellan(reg, dt.date(ar, 1, 1), dt.date(ar, 12, 31), brytdag)


def planerade_mellan(
    reg: Register, start: dt.date, slut: dt.date, brytdag: dt.date, *, bara_ej_utforda: bool = False
) -> tuple[Planerad, ...]:
    """Planerade utvärderingar från start till slut (med `bara_ej_utforda` bara de som inte är
    utförda). Den k:te planerade utvärderingen av en typ för ett avtal räknas som utförd när
    minst k utvärderingar av den typen är registrerade per brytdagen."""
    return tuple(
        Planerad(id_, org, orgnr, dt.date.fromisoformat(datum), typ, bool(gjord), nr)
        for id_, org, orgnr, datum, typ, gjord, nr in planerade_rader(
            reg, start, slut, brytdag, bara_ej_utforda=bara_ej_utforda
        )
    )


def planerade_rader(
    reg: Register,
    start: dt.date,
    slut: dt.date,
    brytdag: dt.date,
    *,
    bara_ej_utforda: bool = False,
    med_organisationens_namn: bool = True,
) -> list[tuple[str, str, str, str, str, int, int]]:
    """`planerade_mellan` som registrets rader, i `Planerad`:s ordning med datumet som text
    och utförd som 0 eller 1: för bevakningen, som gör egna poster av tiotusentals rader.
    Utan `med_organisationens_namn` är namnet tomt och organisationerna läses inte: den som
    redan har dem slipper en uppslagning per rad (omkring en femtedel av frågan)."""
    # Platsen bland avtalets planerade av typen i ordningen (datum, nr) och antalet gjorda av
    # typen per brytdagen, i korrelerade delfrågor (index på avtal_id); platsen räknas bara när
    # något av typen är gjort, eftersom den alltid är minst 1. En CTE med fönsterfunktion
    # materialiserades och fick ett automatiskt index vid varje körning.
    utford = f"""EXISTS (SELECT 1 FROM genomford_utvardering u
            WHERE u.avtal_id = p.avtal_id AND u.typ = p.typ AND u.datum <= :brytdag
                AND {gallande()})
        AND (SELECT count(*) FROM planerad_utvardering q
            WHERE q.avtal_id = p.avtal_id AND q.typ IS p.typ AND (
                q.datum IS NULL OR q.datum < p.datum OR (q.datum = p.datum AND q.nr <= p.nr)))
        <= (SELECT count(*) FROM genomford_utvardering u
            WHERE u.avtal_id = p.avtal_id AND u.typ = p.typ AND u.datum <= :brytdag
                AND {gallande()})"""
    # Uttrycket räknas en gång per rad: i villkoret när bara de ej utförda väljs, annars som
    # kolumn.
    kolumn, villkor = ("0", f"AND NOT ({utford})") if bara_ej_utforda else (utford, "")
    namn, organisation = (
        ("o.namn", "JOIN organisation o USING (organisationsnummer)")
        if med_organisationens_namn
        else ("''", "")
    )
    return reg.rader(
        f"""SELECT p.avtal_id, {namn}, a.organisationsnummer, p.datum, p.typ, {kolumn}, p.nr
            FROM planerad_utvardering p JOIN avtal a ON a.id = p.avtal_id {organisation}
            WHERE p.datum BETWEEN :start AND :slut AND {giltigt()} {villkor}
            ORDER BY p.datum, p.avtal_id, p.nr""",
        {"start": start.isoformat(), "slut": slut.isoformat(), "brytdag": brytdag.isoformat()},
    )


class Slutande(NamedTuple):
    """Ett avtal som slutar strax efter året utan registrerad slututvärdering."""

    organisation: str
    organisationsnummer: str
    avtal_id: str
    period_slut: str


def slutar_utan_slututvardering(
    reg: Register, ar: int, dagar: int, brytdag: dt.date
) -> tuple[Slutande, ...]:
    """Avtal som slutar inom `dagar` efter årets slut utan en slututvärdering gjord senast
    brytdagen: en utvärdering daterad senare ändrar inte rapporten för ett avslutat år."""
    grans = dt.date(ar, 12, 31) + dt.timedelta(days=dagar)
    return tuple(
        Slutande._make(r)
        for r in reg.rader(
            f"""SELECT o.namn, a.organisationsnummer, a.id, {sista_dag()}
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                WHERE {sista_dag()} > :slut AND {sista_dag()} <= :grans AND {giltigt()}
                    AND NOT EXISTS (SELECT 1 FROM genomford_utvardering u
                        WHERE u.avtal_id = a.id AND u.typ = 'slututvärdering'
                            AND u.datum <= :brytdag AND {gallande()})
                ORDER BY 4, a.id""",
            {"slut": f"{ar}-12-31", "grans": grans.isoformat(), "brytdag": brytdag.isoformat()},
        )
    )


class Bevakat(NamedTuple):
    """Ett avtal som slutar senast bevakningens sista dag, med det `partner bevaka` behöver."""

    id: str
    titel: str
    organisation: str
    organisationsnummer: str
    avtalsagare_namn: str
    avtalsagare_enhet: str | None
    period_slut: dt.date
    rakenskapsar: int | None  # motpartens senaste årsredovisning i avtalet
    slututvardering_planerad: bool
    slututvardering_gjord: bool


def bevakade_avtal(reg: Register, idag: dt.date, till: dt.date) -> tuple[Bevakat, ...]:
    """Avtal som slutar från i dag till `till`, och avtal som har slutat eller slutar senast
    `till` utan både planerad och gjord slututvärdering."""
    return tuple(
        Bevakat._make((*r[:6], dt.date.fromisoformat(r[6]), r[7], bool(r[8]), bool(r[9])))
        for r in reg.rader(
            f"""SELECT * FROM (
                SELECT a.id, a.titel, o.namn, a.organisationsnummer, o.avtalsagare_namn,
                    o.avtalsagare_enhet, {sista_dag()} AS period_slut, a.ekonomi_rakenskapsar,
                    EXISTS (SELECT 1 FROM planerad_utvardering p
                        WHERE p.avtal_id = a.id AND p.typ = 'slututvärdering') AS planerad,
                    EXISTS (SELECT 1 FROM genomford_utvardering u
                        WHERE u.avtal_id = a.id AND u.typ = 'slututvärdering'
                            AND {gallande()}) AS gjord
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                WHERE {sista_dag()} <= :till AND {giltigt()})
            WHERE period_slut >= :idag OR NOT (planerad OR gjord)
            ORDER BY period_slut, id""",
            {"idag": idag.isoformat(), "till": till.isoformat()},
        )
    )


class UtgaendeUndantag(NamedTuple):
    """Ett beslutat undantag som går ut senast `till`, för ett avtal som ännu löper."""

    avtal_id: str
    nr: int
    organisation: str
    avtalsagare_namn: str
    avtalsagare_enhet: str | None
    regel: str
    beslut: str
    giltigt_till: dt.date
    period_slut: dt.date


def utgaende_undantag(reg: Register, idag: dt.date, till: dt.date) -> tuple[UtgaendeUndantag, ...]:
    return tuple(
        UtgaendeUndantag._make((*r[:7], dt.date.fromisoformat(r[7]), dt.date.fromisoformat(r[8])))
        for r in reg.rader(
            f"""SELECT u.avtal_id, u.nr, o.namn, o.avtalsagare_namn, o.avtalsagare_enhet,
                    u.regel, u.beslut, u.giltigt_till, {sista_dag()}
                FROM undantag u JOIN avtal a ON a.id = u.avtal_id
                    JOIN organisation o USING (organisationsnummer)
                WHERE u.giltigt_till <= :till AND {sista_dag()} >= :idag AND {giltigt()}
                ORDER BY u.giltigt_till, u.avtal_id, u.nr""",
            {"idag": idag.isoformat(), "till": till.isoformat()},
        )
    )
