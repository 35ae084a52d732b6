"""Årsrapporten: strategins uppföljning för ett år, räknad ur registret.

Varje siffra räknas i SQL på heltal i öre eller som exakta bråk; inget flyttal. Modulen
skriver inte ut något: formaten i `rapport/` får den färdiga `Arsrapport`.

Statusen för planerade utvärderingar räknas per `brytdag`, som är årets sista dag eller
rapportdagen om den infaller tidigare. Rapporten för ett år ändras alltså inte av
utvärderingar som registreras efter årets slut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

# Registrets läsfråga: SQL med namngivna parametrar, rader som dict.
Fraga = Callable[[str, Mapping[str, Any] | Sequence[Any]], list[dict[str, Any]]]
Status = Literal["utförd", "försenad", "kommande"]
# Avtal som slutar inom så här många dagar efter årets slut utan slututvärdering är en risk.
DAGAR_EFTER_ARET = 90


@dataclass(frozen=True, slots=True)
class Avtal:
    id: str
    organisation: str
    organisationsnummer: str
    typ: str
    period_start: dt.date
    period_slut: dt.date
    initiativ: str
    kommunen: int
    garanterad: int
    naringsliv: int
    total: int
    ny: bool

    @property
    def andel(self) -> Fraction:
        return Fraction(self.garanterad, self.total)

    @property
    def naringslivsandel(self) -> Fraction:
        return Fraction(self.naringsliv, self.total)


@dataclass(frozen=True, slots=True)
class Organisation:
    organisation: str
    organisationsnummer: str
    avtalsagare_namn: str
    avtalsagare_enhet: str | None
    avtal: tuple[str, ...]  # avtal aktiva under året

    @property
    def flera(self) -> bool:
        return len(self.avtal) > 1


@dataclass(frozen=True, slots=True)
class Undantag:
    avtal_id: str
    regel: str
    beslut: str
    beslutsdatum: dt.date | None
    motivering: str
    giltigt_till: dt.date | None


@dataclass(frozen=True, slots=True)
class Indikatorer:
    ar: int
    aktiva: int
    nya: int
    garanterad: int
    naringsliv: int
    total: int
    initiativ_naringslivet: int
    initiativ_gemensamt: int
    initiativ_kommunen: int

    @property
    def medfinansieringsandel(self) -> Fraction | None:
        """Andelen garanterad medfinansiering, viktad med budget."""
        return Fraction(self.garanterad, self.total) if self.total else None

    @property
    def naringslivsandel(self) -> Fraction | None:
        """Näringslivets andel av den totala finansieringen (jämbördighet)."""
        return Fraction(self.naringsliv, self.total) if self.total else None

    @property
    def andel_naringslivets_initiativ(self) -> Fraction | None:
        return Fraction(self.initiativ_naringslivet, self.aktiva) if self.aktiva else None

    @property
    def andel_gemensamt_initiativ(self) -> Fraction | None:
        return Fraction(self.initiativ_gemensamt, self.aktiva) if self.aktiva else None


@dataclass(frozen=True, slots=True)
class PlaneradUtvardering:
    avtal_id: str
    organisation: str
    organisationsnummer: str
    datum: dt.date
    typ: str
    status: Status


@dataclass(frozen=True, slots=True)
class Maluppfyllelse:
    avtal_id: str
    utvardering_datum: dt.date
    mal_nr: int
    beskrivning: str | None
    malvarde: str | None
    utfall: str
    maluppfyllelse: Fraction | None  # utfall / målvärde när båda är tal


@dataclass(frozen=True, slots=True)
class Risk:
    organisation: str
    organisationsnummer: str
    avtal_id: str | None
    risk: str


@dataclass(frozen=True, slots=True)
class Arsrapport:
    ar: int
    brytdag: dt.date
    min_andel: Fraction
    partnerskap: tuple[Avtal, ...]
    organisationer: tuple[Organisation, ...]
    undantag: tuple[Undantag, ...]
    indikatorer: Indikatorer
    foregaende: Indikatorer
    uppfoljning: tuple[PlaneradUtvardering, ...]
    maluppfyllelse: tuple[Maluppfyllelse, ...]
    risker: tuple[Risk, ...]
    historik: tuple[Indikatorer, ...]  # registrets år till och med rapportens, för diagrammen
    utan_risker: bool = False  # den publika rapporten (`--publik`) har ingen risktabell

    def publik(self, *, dolj_enskild_firmas_namn: bool, med_risker: bool) -> Arsrapport:
        """Rapporten att publicera: en enskild firmas personnummer visas aldrig, dess namn inte
        när partner.toml säger det, och risktabellen (organisationers förluster) kan utelämnas."""
        from dataclasses import replace

        from partner_cli import publicering

        def namn(organisation: str, nummer: str) -> str:
            return publicering.namn(organisation, nummer, dolj_enskild_firmas_namn)

        return replace(
            self,
            partnerskap=tuple(
                replace(
                    a,
                    organisation=namn(a.organisation, a.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(a.organisationsnummer),
                )
                for a in self.partnerskap
            ),
            organisationer=tuple(
                replace(
                    o,
                    organisation=namn(o.organisation, o.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(o.organisationsnummer),
                )
                for o in self.organisationer
            ),
            uppfoljning=tuple(
                replace(
                    u,
                    organisation=namn(u.organisation, u.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(u.organisationsnummer),
                )
                for u in self.uppfoljning
            ),
            risker=tuple(
                replace(
                    k,
                    organisation=namn(k.organisation, k.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(k.organisationsnummer),
                )
                for k in self.risker
            )
            if med_risker
            else (),
            utan_risker=not med_risker,
        )

    def undantagen(self, regel: str) -> frozenset[str]:
        """Avtalen där ett beslut undantar regeln."""
        return frozenset(u.avtal_id for u in self.undantag if u.regel == regel)


def _datum(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _aret(ar: int) -> tuple[str, str]:
    return f"{ar}-01-01", f"{ar}-12-31"


_AKTIVA = "a.period_start <= :slut AND a.period_slut >= :start"


def partnerskap(fraga: Fraga, ar: int) -> tuple[Avtal, ...]:
    start, slut = _aret(ar)
    rader = fraga(
        f"""SELECT a.id, o.namn AS organisation, a.organisationsnummer, a.typ, a.period_start,
                a.period_slut, a.initiativ, a.kommunen_kontant + a.kommunen_in_kind AS kommunen,
                a.garanterad, a.naringsliv, a.total
            FROM avtal a JOIN organisation o USING (organisationsnummer)
            WHERE {_AKTIVA} ORDER BY a.period_start, a.id""",
        {"start": start, "slut": slut},
    )
    return tuple(
        Avtal(
            **{
                **r,
                "period_start": _datum(r["period_start"]),
                "period_slut": _datum(r["period_slut"]),
            },
            ny=r["period_start"] >= start,
        )
        for r in rader
    )


def undantag(fraga: Fraga, ar: int) -> tuple[Undantag, ...]:
    """Beslutade undantag som gäller för årets avtal (giltiga till avtalets slut)."""
    start, slut = _aret(ar)
    rader = fraga(
        f"""SELECT u.avtal_id, u.regel, u.beslut, u.beslutsdatum, u.motivering, u.giltigt_till
            FROM undantag u JOIN avtal a ON a.id = u.avtal_id
            WHERE {_AKTIVA} AND (u.giltigt_till IS NULL OR u.giltigt_till >= a.period_slut)
            ORDER BY u.avtal_id, u.nr""",
        {"start": start, "slut": slut},
    )
    return tuple(
        Undantag(
            **{
                **r,
                "beslutsdatum": _datum(r["beslutsdatum"]) if r["beslutsdatum"] else None,
                "giltigt_till": _datum(r["giltigt_till"]) if r["giltigt_till"] else None,
            }
        )
        for r in rader
    )


def organisationer(fraga: Fraga, ar: int) -> tuple[Organisation, ...]:
    start, slut = _aret(ar)
    rader = fraga(
        f"""SELECT o.namn AS organisation, o.organisationsnummer, o.avtalsagare_namn,
                o.avtalsagare_enhet, group_concat(a.id, char(31)) AS avtal
            FROM avtal a JOIN organisation o USING (organisationsnummer)
            WHERE {_AKTIVA}
            GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer""",
        {"start": start, "slut": slut},
    )
    return tuple(
        Organisation(**{**r, "avtal": tuple(sorted(r["avtal"].split("\x1f")))}) for r in rader
    )


def indikatorer(fraga: Fraga, ar: int) -> Indikatorer:
    start, slut = _aret(ar)
    (rad,) = fraga(
        f"""SELECT count(*) AS aktiva,
                count(*) FILTER (WHERE a.period_start >= :start) AS nya,
                coalesce(sum(a.garanterad), 0) AS garanterad,
                coalesce(sum(a.naringsliv), 0) AS naringsliv,
                coalesce(sum(a.total), 0) AS total,
                count(*) FILTER (WHERE a.initiativ = 'näringslivet') AS initiativ_naringslivet,
                count(*) FILTER (WHERE a.initiativ = 'gemensamt') AS initiativ_gemensamt,
                count(*) FILTER (WHERE a.initiativ = 'kommunen') AS initiativ_kommunen
            FROM avtal a WHERE {_AKTIVA}""",
        {"start": start, "slut": slut},
    )
    return Indikatorer(ar=ar, **rad)


def uppfoljning(fraga: Fraga, ar: int, brytdag: dt.date) -> tuple[PlaneradUtvardering, ...]:
    """Planerade utvärderingar under året. Den k:te planerade utvärderingen av en typ för ett
    avtal räknas som utförd när minst k utvärderingar av den typen är registrerade per brytdagen."""
    start, slut = _aret(ar)
    rader = fraga(
        """WITH p AS (
                SELECT avtal_id, nr, datum, typ, row_number() OVER (
                    PARTITION BY avtal_id, typ ORDER BY datum, nr) AS k
                FROM planerad_utvardering
                WHERE avtal_id IN (
                    SELECT avtal_id FROM planerad_utvardering WHERE datum BETWEEN :start AND :slut)
            ), u AS (
                SELECT avtal_id, typ, count(*) AS n FROM utvardering
                WHERE datum <= :brytdag GROUP BY avtal_id, typ
            )
            SELECT p.avtal_id, o.namn AS organisation, a.organisationsnummer, p.datum, p.typ,
                p.k <= coalesce(u.n, 0) AS utford
            FROM p JOIN avtal a ON a.id = p.avtal_id
                JOIN organisation o USING (organisationsnummer)
                LEFT JOIN u ON u.avtal_id = p.avtal_id AND u.typ = p.typ
            WHERE p.datum BETWEEN :start AND :slut
            ORDER BY p.datum, p.avtal_id, p.nr""",
        {"start": start, "slut": slut, "brytdag": brytdag.isoformat()},
    )
    ut = []
    for r in rader:
        datum = _datum(r["datum"])
        status: Status = "utförd" if r["utford"] else "försenad" if datum <= brytdag else "kommande"
        ut.append(
            PlaneradUtvardering(
                r["avtal_id"], r["organisation"], r["organisationsnummer"], datum, r["typ"], status
            )
        )
    return tuple(ut)


def maluppfyllelse(fraga: Fraga, ar: int, brytdag: dt.date) -> tuple[Maluppfyllelse, ...]:
    """Måluppfyllelsen enligt den senaste utvärderingen per brytdagen, för årets aktiva avtal."""
    start, slut = _aret(ar)
    rader = fraga(
        f"""WITH senaste AS (
                SELECT u.id, u.avtal_id, u.datum, row_number() OVER (
                    PARTITION BY u.avtal_id ORDER BY u.datum DESC, u.id DESC) AS k
                FROM utvardering u JOIN avtal a ON a.id = u.avtal_id
                WHERE u.datum <= :brytdag AND {_AKTIVA}
            )
            SELECT s.avtal_id, s.datum AS utvardering_datum, um.mal_nr, m.beskrivning,
                m.malvarde, um.utfall, um.maluppfyllelse
            FROM senaste s JOIN utvardering_mal um ON um.utvardering_id = s.id
                JOIN mal m ON m.avtal_id = s.avtal_id AND m.nr = um.mal_nr
            WHERE s.k = 1 ORDER BY s.avtal_id, um.mal_nr""",
        {"start": start, "slut": slut, "brytdag": brytdag.isoformat()},
    )
    return tuple(
        Maluppfyllelse(
            **{
                **r,
                "utvardering_datum": _datum(r["utvardering_datum"]),
                "maluppfyllelse": Fraction(r["maluppfyllelse"]) if r["maluppfyllelse"] else None,
            }
        )
        for r in rader
    )


def risker(fraga: Fraga, ar: int, max_offentlig_andel: Fraction) -> tuple[Risk, ...]:
    start, slut = _aret(ar)
    grans = dt.date.fromisoformat(slut) + dt.timedelta(days=DAGAR_EFTER_ARET)
    ekonomi = fraga(
        f"""WITH senaste AS (
                -- Organisationens senaste avtal under året. SQLite tar kolumnerna utan aggregat
                -- från raden med max(); start har fast längd, så det är (start, id) som jämförs.
                SELECT a.*, max(a.period_start || a.id) FROM avtal a
                WHERE {_AKTIVA} GROUP BY a.organisationsnummer
            )
            SELECT o.namn AS organisation, s.organisationsnummer, s.id,
                s.ekonomi_omsattning AS omsattning, s.ekonomi_resultat AS resultat,
                s.ekonomi_eget_kapital AS eget_kapital,
                s.ekonomi_offentlig_finansiering AS offentlig, s.ekonomi_rakenskapsar AS ar
            FROM senaste s JOIN organisation o USING (organisationsnummer)
            -- Bara organisationer med en risk; gränsen jämförs exakt i heltal (täljare/nämnare).
            WHERE (s.ekonomi_eget_kapital < 0 OR s.ekonomi_resultat < 0
                OR s.ekonomi_offentlig_finansiering * :gn > :gt * s.ekonomi_omsattning)
            ORDER BY o.namn, s.organisationsnummer""",
        {
            "start": start,
            "slut": slut,
            "gt": max_offentlig_andel.numerator,
            "gn": max_offentlig_andel.denominator,
        },
    )
    from partner_cli.varden import kronor, procent, procentsats

    ut: list[Risk] = []
    for r in ekonomi:

        def risk(text: str, r: dict[str, Any] = r) -> None:
            ut.append(Risk(r["organisation"], r["organisationsnummer"], r["id"], text))

        if r["omsattning"] and r["offentlig"] is not None:
            beroende = Fraction(r["offentlig"], r["omsattning"])
            if beroende > max_offentlig_andel:
                visad = procent(beroende, max_offentlig_andel, strikt=True)
                risk(
                    f"offentligt beroende: {visad} av omsättningen {r['ar']} "
                    f"(gräns {procentsats(max_offentlig_andel)})"
                )
        if r["eget_kapital"] is not None and r["eget_kapital"] < 0:
            risk(f"negativt eget kapital {r['ar']}: {kronor(r['eget_kapital'])}")
        if r["resultat"] is not None and r["resultat"] < 0:
            risk(f"förlust {r['ar']}: {kronor(r['resultat'])}")
    for r in fraga(
        """SELECT o.namn AS organisation, a.organisationsnummer, a.id, a.period_slut
            FROM avtal a JOIN organisation o USING (organisationsnummer)
            WHERE a.period_slut > :slut AND a.period_slut <= :grans
                AND NOT EXISTS (SELECT 1 FROM utvardering u
                    WHERE u.avtal_id = a.id AND u.typ = 'slututvärdering')
            ORDER BY a.period_slut, a.id""",
        {"slut": slut, "grans": grans.isoformat()},
    ):
        ut.append(
            Risk(
                r["organisation"],
                r["organisationsnummer"],
                r["id"],
                f"slutar {r['period_slut']} utan registrerad slututvärdering",
            )
        )
    return tuple(ut)


def historik(fraga: Fraga, till_ar: int) -> tuple[Indikatorer, ...]:
    """Indikatorerna för registrets första år till och med `till_ar`, aldrig senare: sidan för
    ett avslutat år ändras inte när avtal för senare år läggs till."""
    (rad,) = fraga("SELECT min(substr(period_start, 1, 4)) AS forsta FROM avtal", ())
    if rad["forsta"] is None:
        return ()
    return tuple(indikatorer(fraga, ar) for ar in range(int(rad["forsta"]), till_ar + 1))


def berakna(
    fraga: Fraga,
    ar: int,
    *,
    idag: dt.date,
    min_andel: Fraction,
    max_offentlig_andel: Fraction,
    med_historik: bool = False,
) -> Arsrapport:
    brytdag = min(idag, dt.date(ar, 12, 31))
    return Arsrapport(
        ar=ar,
        brytdag=brytdag,
        min_andel=min_andel,
        partnerskap=partnerskap(fraga, ar),
        organisationer=organisationer(fraga, ar),
        undantag=undantag(fraga, ar),
        indikatorer=indikatorer(fraga, ar),
        foregaende=indikatorer(fraga, ar - 1),
        uppfoljning=uppfoljning(fraga, ar, brytdag),
        maluppfyllelse=maluppfyllelse(fraga, ar, brytdag),
        risker=risker(fraga, ar, max_offentlig_andel),
        historik=historik(fraga, ar) if med_historik else (),
    )
