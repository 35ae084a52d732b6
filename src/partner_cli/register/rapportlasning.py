"""Årsrapportens läsningar: en namngiven fråga per avsnitt, med typade rader, samlade i ett
`Underlag` ur samma ögonblick av registret.

Varje summa räknas i SQL på heltal i öre; andelar blir exakta bråk i raderna, aldrig flyttal.
Rapporten (`partner_cli.rapport`) får raderna i ett `Underlag` och räknar inte i SQL själv.
Beloppen för året står i `arsbelopp`, uppföljningen i `uppfoljning`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from fractions import Fraction
from typing import NamedTuple

from partner_cli.register import versioner
from partner_cli.register.anslutning import Bredvid, Register
from partner_cli.register.arsbelopp import (
    Indikatorer,
    Partnerskap,
    Utvecklingsomrade,
    indikatorer,
    indikatorer_per_ar,
    partnerskap,
    utvecklingsomraden,
)
from partner_cli.register.lasning import AKTIVA_UNDER_ARET, aret, gallande, sista_dag
from partner_cli.register.uppfoljning import (
    Planerad,
    Slutande,
    planerade,
    slutar_utan_slututvardering,
)


def _datum(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class GallandeUndantag(NamedTuple):
    """Ett beslutat undantag som gäller ett av årets avtal till dess slut."""

    avtal_id: str
    regel: str
    beslut: str
    beslutsdatum: dt.date | None
    motivering: str
    giltigt_till: dt.date | None


def undantag(reg: Register, ar: int) -> tuple[GallandeUndantag, ...]:
    """Beslutade undantag som gäller för årets avtal (giltiga till avtalets slut)."""
    return tuple(
        GallandeUndantag(id_, regel, beslut, _datum(beslutat), motivering, _datum(giltigt))
        for id_, regel, beslut, beslutat, motivering, giltigt in reg.rader(
            f"""SELECT u.avtal_id, u.regel, u.beslut, u.beslutsdatum, u.motivering,
                    u.giltigt_till
                FROM undantag u JOIN avtal a ON a.id = u.avtal_id
                WHERE {AKTIVA_UNDER_ARET}
                    AND (u.giltigt_till IS NULL OR u.giltigt_till >= {sista_dag()})
                ORDER BY u.avtal_id, u.nr""",
            aret(ar),
        )
    )


class Organisation(NamedTuple):
    organisation: str
    organisationsnummer: str
    avtalsagare_namn: str
    avtalsagare_enhet: str | None
    avtal: tuple[str, ...]  # avtal aktiva under året

    @property
    def flera(self) -> bool:
        return len(self.avtal) > 1


def organisationer(reg: Register, ar: int) -> tuple[Organisation, ...]:
    return tuple(
        Organisation._make((*r[:4], tuple(sorted(r[4].split("\x1f")))))
        for r in reg.rader(
            f"""SELECT o.namn, o.organisationsnummer, o.avtalsagare_namn, o.avtalsagare_enhet,
                    group_concat(a.id, char(31))
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                WHERE {AKTIVA_UNDER_ARET}
                GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer""",
            aret(ar),
        )
    )


class Malutfall(NamedTuple):
    """Utfallet för ett mål enligt avtalets senaste utvärdering."""

    avtal_id: str
    utvardering_datum: dt.date
    mal_nr: int
    beskrivning: str | None
    malvarde: str | None
    utfall: str
    maluppfyllelse: Fraction | None  # utfall / målvärde när båda är tal


def malutfall(reg: Register, ar: int, brytdag: dt.date) -> tuple[Malutfall, ...]:
    """Målutfallen enligt den senaste utvärderingen per brytdagen, för årets aktiva avtal,
    mot målen som utvärderingen mättes mot: avtalets version (`registrerad`, `ersatt`) när
    utvärderingen registrerades, inte ett mål som ett senare beslut om ändring gav. Ett
    register från före målens plats i händelserna har bara de nuvarande målen."""
    return tuple(
        Malutfall._make(
            (r[0], dt.date.fromisoformat(r[1]), *r[2:6], Fraction(r[6]) if r[6] else None)
        )
        for r in reg.rader(
            f"""WITH senaste AS (
                    SELECT u.id, u.avtal_id, u.datum, row_number() OVER (
                        PARTITION BY u.avtal_id ORDER BY u.datum DESC, u.id DESC) AS k
                    FROM genomford_utvardering u JOIN avtal a ON a.id = u.avtal_id
                    WHERE u.datum <= :brytdag AND {gallande()} AND {AKTIVA_UNDER_ARET}
                )
                , matt AS (
                    SELECT s.id, s.avtal_id, s.datum, (
                        SELECT json_extract(v.efter, '$.mal') FROM handelse v
                        WHERE v.avtal_id = s.avtal_id AND v.vad IN ('registrerad', 'ersatt')
                            AND v.id < (
                                SELECT e.id FROM handelse e
                                WHERE e.avtal_id = s.avtal_id AND e.vad = 'utvärdering'
                                    AND json_extract(e.efter, '$.id') = s.id)
                        ORDER BY v.id DESC LIMIT 1) AS mal
                    FROM senaste s WHERE s.k = 1
                )
                SELECT s.avtal_id, s.datum, um.mal_nr,
                    coalesce(json_extract(g.value, '$.beskrivning'), m.beskrivning),
                    coalesce(json_extract(g.value, '$.malvarde'), m.malvarde),
                    um.utfall, um.maluppfyllelse
                FROM matt s JOIN genomford_utvardering_mal um
                    ON um.genomford_utvardering_id = s.id
                    JOIN mal m ON m.avtal_id = s.avtal_id AND m.nr = um.mal_nr
                    LEFT JOIN json_each(s.mal) g ON json_extract(g.value, '$.nr') = um.mal_nr
                ORDER BY s.avtal_id, um.mal_nr""",
            {**aret(ar), "brytdag": brytdag.isoformat()},
        )
    )


class Ekonomi(NamedTuple):
    """Ekonomin i en organisations senaste avtal under året, när den visar en risk."""

    organisation: str
    organisationsnummer: str
    avtal_id: str
    omsattning: int | None
    resultat: int | None
    eget_kapital: int | None
    offentlig: int | None
    ar: int | None


def ekonomiska_risker(reg: Register, ar: int, max_offentlig_andel: Fraction) -> tuple[Ekonomi, ...]:
    return tuple(
        Ekonomi._make(r)
        for r in reg.rader(
            f"""WITH senaste AS (
                    -- Organisationens senaste avtal under året. SQLite tar kolumnerna utan
                    -- aggregat från raden med max(); start har fast längd, så det är
                    -- (start, id) som jämförs.
                    SELECT a.*, max(a.period_start || a.id) FROM avtal a
                    WHERE {AKTIVA_UNDER_ARET} GROUP BY a.organisationsnummer
                )
                SELECT o.namn, s.organisationsnummer, s.id, s.ekonomi_omsattning,
                    s.ekonomi_resultat, s.ekonomi_eget_kapital, s.ekonomi_offentlig_finansiering,
                    s.ekonomi_rakenskapsar
                FROM senaste s JOIN organisation o USING (organisationsnummer)
                -- Bara organisationer med en risk; gränsen jämförs exakt i heltal.
                WHERE (s.ekonomi_eget_kapital < 0 OR s.ekonomi_resultat < 0
                    OR s.ekonomi_offentlig_finansiering * :gn > :gt * s.ekonomi_omsattning)
                ORDER BY o.namn, s.organisationsnummer""",
            {
                **aret(ar),
                "gt": max_offentlig_andel.numerator,
                "gn": max_offentlig_andel.denominator,
            },
        )
    )


class Underlag(NamedTuple):
    """Allt årsrapporten räknar på, läst ur samma ögonblick av registret."""

    ar: int
    brytdag: dt.date
    partnerskap: tuple[Partnerskap, ...]
    organisationer: tuple[Organisation, ...]
    undantag: tuple[GallandeUndantag, ...]
    indikatorer: Indikatorer
    foregaende: Indikatorer
    planerade: tuple[Planerad, ...]
    malutfall: tuple[Malutfall, ...]
    ekonomi: tuple[Ekonomi, ...]
    slutande: tuple[Slutande, ...]
    historik: tuple[Indikatorer, ...]  # registrets år till och med rapportens, för diagrammen
    utvecklingsomraden: tuple[Utvecklingsomrade, ...] = ()


class AretsBelopp(NamedTuple):
    """Underlagets delar som räknar årets belopp."""

    indikatorer: Indikatorer
    foregaende: Indikatorer
    historik: tuple[Indikatorer, ...]
    utvecklingsomraden: tuple[Utvecklingsomrade, ...]


def _arets_belopp(reg: Register, ar: int, med_historik: bool) -> AretsBelopp:
    return AretsBelopp(
        indikatorer(reg, ar),
        indikatorer(reg, ar - 1),
        indikatorer_per_ar(reg, ar) if med_historik else (),
        utvecklingsomraden(reg, ar),
    )


def _per(reg: Register, per: dt.date | None) -> contextlib.AbstractContextManager[None]:
    return versioner.per(reg, per) if per else contextlib.nullcontext()


def underlag(
    reg: Register,
    ar: int,
    brytdag: dt.date,
    *,
    max_offentlig_andel: Fraction,
    dagar_efter_aret: int,
    med_historik: bool = False,
    per: dt.date | None = None,
) -> Underlag:
    """Årsrapportens underlag; med `per` avtalen och organisationerna som de stod per dagen
    (`versioner`), annars som de står."""
    with (
        reg.ogonblick(),
        _per(reg, per),
        # Årets belopp är rapportens tyngsta frågor och ger få rader: de räknas bredvid
        # resten av underlaget, på en egen anslutning.
        Bredvid(
            reg, lambda r: _arets_belopp(r, ar, med_historik), forbered=lambda r: _per(r, per)
        ) as bredvid,
    ):
        # Argumenten räknas i ordning: årets belopp hämtas sist, när resten är läst.
        return Underlag(
            ar=ar,
            brytdag=brytdag,
            partnerskap=partnerskap(reg, ar),
            organisationer=organisationer(reg, ar),
            undantag=undantag(reg, ar),
            planerade=planerade(reg, ar, brytdag),
            malutfall=malutfall(reg, ar, brytdag),
            ekonomi=ekonomiska_risker(reg, ar, max_offentlig_andel),
            slutande=slutar_utan_slututvardering(reg, ar, dagar_efter_aret, brytdag),
            **bredvid.resultat()._asdict(),
        )
