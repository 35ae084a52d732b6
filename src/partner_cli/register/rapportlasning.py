"""Årsrapportens läsningar: en namngiven fråga per avsnitt, med typade rader.

Varje summa räknas i SQL på heltal i öre; andelar blir exakta bråk i raderna, aldrig flyttal.
Rapporten (`partner_cli.rapport`) får raderna i ett `Underlag` och räknar inte i SQL själv.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from fractions import Fraction
from typing import Any, NamedTuple

from partner_cli.modell import Period, arets_ore
from partner_cli.register import versioner
from partner_cli.register.anslutning import Register
from partner_cli.register.lasning import aktiva, giltigt, sista_dag

_AKTIVA = aktiva(":start", ":slut")


def _aret(ar: int) -> dict[str, str]:
    return {"start": f"{ar}-01-01", "slut": f"{ar}-12-31"}


def _datum(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class Arsdel(NamedTuple):
    """Ett avtals del av ett år: beloppen jämnt över periodens dagar i hela öre (största rest,
    så att åren summerar till beloppet), kommunens kontanta bidrag ur utbetalningsplanen när
    avtalet har en. Aldrig hela budgeten varje år avtalet löper. Ett avtal som avslutats i
    förtid har beloppen per dag som förut, till och med sin sista dag: delen av beloppet som
    hör till dagarna det löpte (nedåt i hela öre), fördelad över de dagarna; ur planen
    räknas åren till och med avslutets."""

    ar: int
    dagar: tuple[int, ...]  # dagarna per kalenderår som avtalet löper (`Period.dagar_per_ar`)
    i: int  # årets plats bland periodens år
    kontant: int
    plan: dict[int, int] | None
    avtalade_dagar: int | None = None  # hela periodens dagar, när avtalet avslutats i förtid

    def av(self, belopp: int, *, med_kontant: bool = False) -> int:
        """Årets del av beloppet; `med_kontant`: beloppet rymmer kommunens kontanta bidrag,
        som följer planen medan resten fördelas jämnt."""
        if self.plan is None or not med_kontant:
            return arets_ore(self._lopt(belopp), self.dagar, self.i)
        jamnt = arets_ore(self._lopt(belopp - self.kontant), self.dagar, self.i)
        return jamnt + self.plan.get(self.ar, 0)

    def _lopt(self, belopp: int) -> int:
        """Delen av beloppet för dagarna som avtalet löpte."""
        if self.avtalade_dagar is None:
            return belopp
        return belopp * sum(self.dagar) // self.avtalade_dagar


def arsdelar(reg: Register, ar: int) -> dict[str, Arsdel]:
    """Årets del för varje avtal som är aktivt under året."""
    planer: dict[str, dict[int, int]] = {}
    for id_, planar, belopp in reg.rader(
        f"""SELECT u.avtal_id, u.ar, u.belopp FROM utbetalning u JOIN avtal a ON a.id = u.avtal_id
            WHERE {_AKTIVA}""",
        _aret(ar),
    ):
        planer.setdefault(id_, {})[planar] = belopp
    fromiso = dt.date.fromisoformat
    # Dagarna per år en gång per period: många avtal har samma.
    perioder: dict[tuple[str, str], tuple[int, ...]] = {}
    delar = {}

    def dagar_per_ar(start: str, slut: str) -> tuple[int, ...]:
        dagar = perioder.get((start, slut))
        if dagar is None:
            period = Period(fromiso(start), fromiso(slut))
            dagar = perioder[start, slut] = tuple(period.dagar_per_ar().values())
        return dagar

    for id_, start, slut, avslutat, kontant in reg.rader(
        f"SELECT a.id, a.period_start, a.period_slut, a.avslutat_datum, a.kommunen_kontant "
        f"FROM avtal a WHERE {_AKTIVA}",
        _aret(ar),
    ):
        i = ar - int(start[:4])
        if avslutat is None:
            delar[id_] = Arsdel(ar, dagar_per_ar(start, slut), i, kontant, planer.get(id_))
        else:
            delar[id_] = Arsdel(
                ar,
                dagar_per_ar(start, avslutat),
                i,
                kontant,
                planer.get(id_),
                sum(dagar_per_ar(start, slut)),
            )
    return delar


class Partnerskap(NamedTuple):
    """Ett avtal som är aktivt under året: kommunens bidrag är årets del (`Arsdel`), andelarna
    hela avtalets, som regeln medfinansiering prövar och ett beslutat undantag gäller."""

    id: str
    organisation: str
    organisationsnummer: str
    typ: str
    period_start: dt.date
    period_slut: dt.date
    initiativ: str
    kommunen: int
    andel: Fraction  # garanterad medfinansiering av avtalets budget
    naringslivsandel: Fraction
    ny: bool  # började under året


def partnerskap(
    reg: Register, ar: int, delar: dict[str, Arsdel] | None = None
) -> tuple[Partnerskap, ...]:
    fromiso = dt.date.fromisoformat
    delar = arsdelar(reg, ar) if delar is None else delar

    def rad(r: tuple[Any, ...]) -> Partnerskap:
        d = delar[r[0]]
        return Partnerskap._make(
            (
                *r[:4],
                fromiso(r[4]),
                fromiso(r[5]),
                r[6],
                d.av(r[7], med_kontant=True),
                Fraction(r[8], r[10]),
                Fraction(r[9], r[10]),
                r[4] >= f"{ar}-01-01",
            )
        )

    return tuple(
        rad(r)
        for r in reg.rader(
            f"""SELECT a.id, o.namn, a.organisationsnummer, a.typ, a.period_start,
                    {sista_dag()}, a.initiativ, a.kommunen_kontant + a.kommunen_in_kind,
                    a.garanterad, a.naringsliv, a.total
                FROM avtal a JOIN organisation o USING (organisationsnummer)
                WHERE {_AKTIVA} ORDER BY a.period_start, a.id""",
            _aret(ar),
        )
    )


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
                WHERE {_AKTIVA}
                    AND (u.giltigt_till IS NULL OR u.giltigt_till >= {sista_dag()})
                ORDER BY u.avtal_id, u.nr""",
            _aret(ar),
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
                WHERE {_AKTIVA}
                GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer""",
            _aret(ar),
        )
    )


class Indikatorer(NamedTuple):
    """Strategins indikatorer för ett år."""

    ar: int
    aktiva: int
    nya: int
    garanterad: int
    naringsliv: int
    total: int
    initiativ_naringslivet: int
    initiativ_gemensamt: int
    initiativ_kommunen: int
    organisationer: int = 0  # aktiva organisationer: strategin vill helst ett avtal per dem
    offentliga: int = 0  # garanterade bidrag från andra offentliga aktörer

    @property
    def medfinansieringsandel(self) -> Fraction | None:
        """Andelen garanterad medfinansiering, viktad med budget."""
        return Fraction(self.garanterad, self.total) if self.total else None

    @property
    def naringslivsandel(self) -> Fraction | None:
        """Näringslivets andel av den totala finansieringen (jämbördighet)."""
        return Fraction(self.naringsliv, self.total) if self.total else None

    @property
    def offentlig_andel(self) -> Fraction | None:
        """Andra offentliga aktörers andel av den totala finansieringen, bredvid näringslivets."""
        return Fraction(self.offentliga, self.total) if self.total else None

    @property
    def andel_naringslivets_initiativ(self) -> Fraction | None:
        return Fraction(self.initiativ_naringslivet, self.aktiva) if self.aktiva else None

    @property
    def andel_gemensamt_initiativ(self) -> Fraction | None:
        return Fraction(self.initiativ_gemensamt, self.aktiva) if self.aktiva else None


def indikatorer(reg: Register, ar: int, delar: dict[str, Arsdel] | None = None) -> Indikatorer:
    """Årets indikatorer; beloppen är avtalens del av året (`Arsdel`)."""
    delar = arsdelar(reg, ar) if delar is None else delar
    ((aktiva_, nya, initiativ_n, initiativ_g, initiativ_k, organisationer_),) = reg.rader(
        f"""SELECT count(*), count(*) FILTER (WHERE a.period_start >= :start),
                count(*) FILTER (WHERE a.initiativ = 'näringslivet'),
                count(*) FILTER (WHERE a.initiativ = 'gemensamt'),
                count(*) FILTER (WHERE a.initiativ = 'kommunen'),
                count(DISTINCT a.organisationsnummer)
            FROM avtal a WHERE {_AKTIVA}""",
        _aret(ar),
    )
    summor = [0, 0, 0, 0]  # garanterad, näringsliv, total, andra offentliga
    for id_, garanterad, naringsliv, total, offentliga in reg.rader(
        f"""SELECT a.id, a.garanterad, a.naringsliv, a.total,
                -- Avtal från före schemaversion 4 saknar fördelningen: ur finansiärerna.
                coalesce(a.fordelning_offentliga, (
                    SELECT coalesce(sum(f.kontant + f.in_kind), 0) FROM finansiar f
                    WHERE f.avtal_id = a.id AND f.garanterad AND f.kategori = 'offentlig'))
            FROM avtal a WHERE {_AKTIVA}""",
        _aret(ar),
    ):
        d = delar[id_]
        summor[0] += d.av(garanterad)
        summor[1] += d.av(naringsliv)
        summor[2] += d.av(total, med_kontant=True)
        summor[3] += d.av(offentliga)
    return Indikatorer(
        ar,
        aktiva_,
        nya,
        summor[0],
        summor[1],
        summor[2],
        initiativ_n,
        initiativ_g,
        initiativ_k,
        organisationer_,
        summor[3],
    )


def indikatorer_per_ar(reg: Register, till_ar: int) -> tuple[Indikatorer, ...]:
    """Indikatorerna för registrets första år till och med `till_ar`, aldrig senare: sidan för
    ett avslutat år ändras inte när avtal för senare år läggs till."""
    ((forsta,),) = reg.rader(
        f"SELECT min(substr(period_start, 1, 4)) FROM avtal a WHERE {giltigt()}"
    )
    if forsta is None:
        return ()
    return tuple(indikatorer(reg, ar) for ar in range(int(forsta), till_ar + 1))


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
    reg: Register, start: dt.date, slut: dt.date, brytdag: dt.date, *, bara_ej_utforda: bool = False
) -> list[tuple[str, str, str, str, str, int, int]]:
    """`planerade_mellan` som registrets rader, i `Planerad`:s ordning med datumet som text
    och utförd som 0 eller 1: för bevakningen, som gör egna poster av tiotusentals rader."""
    # Platsen bland avtalets planerade av typen i ordningen (datum, nr) och antalet gjorda av
    # typen per brytdagen, i korrelerade delfrågor (index på avtal_id); platsen räknas bara när
    # något av typen är gjort, eftersom den alltid är minst 1. En CTE med fönsterfunktion
    # materialiserades och fick ett automatiskt index vid varje körning.
    utford = """EXISTS (SELECT 1 FROM genomford_utvardering u
            WHERE u.avtal_id = p.avtal_id AND u.typ = p.typ AND u.datum <= :brytdag)
        AND (SELECT count(*) FROM planerad_utvardering q
            WHERE q.avtal_id = p.avtal_id AND q.typ IS p.typ AND (
                q.datum IS NULL OR q.datum < p.datum OR (q.datum = p.datum AND q.nr <= p.nr)))
        <= (SELECT count(*) FROM genomford_utvardering u
            WHERE u.avtal_id = p.avtal_id AND u.typ = p.typ AND u.datum <= :brytdag)"""
    # Uttrycket räknas en gång per rad: i villkoret när bara de ej utförda väljs, annars som
    # kolumn.
    kolumn, villkor = ("0", f"AND NOT ({utford})") if bara_ej_utforda else (utford, "")
    return reg.rader(
        f"""SELECT p.avtal_id, o.namn, a.organisationsnummer, p.datum, p.typ, {kolumn}, p.nr
            FROM planerad_utvardering p JOIN avtal a ON a.id = p.avtal_id
                JOIN organisation o USING (organisationsnummer)
            WHERE p.datum BETWEEN :start AND :slut AND {giltigt()} {villkor}
            ORDER BY p.datum, p.avtal_id, p.nr""",
        {"start": start.isoformat(), "slut": slut.isoformat(), "brytdag": brytdag.isoformat()},
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
    """Målutfallen enligt den senaste utvärderingen per brytdagen, för årets aktiva avtal."""
    return tuple(
        Malutfall._make(
            (r[0], dt.date.fromisoformat(r[1]), *r[2:6], Fraction(r[6]) if r[6] else None)
        )
        for r in reg.rader(
            f"""WITH senaste AS (
                    SELECT u.id, u.avtal_id, u.datum, row_number() OVER (
                        PARTITION BY u.avtal_id ORDER BY u.datum DESC, u.id DESC) AS k
                    FROM genomford_utvardering u JOIN avtal a ON a.id = u.avtal_id
                    WHERE u.datum <= :brytdag AND {_AKTIVA}
                )
                SELECT s.avtal_id, s.datum, um.mal_nr, m.beskrivning, m.malvarde, um.utfall,
                    um.maluppfyllelse
                FROM senaste s JOIN genomford_utvardering_mal um
                    ON um.genomford_utvardering_id = s.id
                    JOIN mal m ON m.avtal_id = s.avtal_id AND m.nr = um.mal_nr
                WHERE s.k = 1 ORDER BY s.avtal_id, um.mal_nr""",
            {**_aret(ar), "brytdag": brytdag.isoformat()},
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
                    WHERE {_AKTIVA} GROUP BY a.organisationsnummer
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
                **_aret(ar),
                "gt": max_offentlig_andel.numerator,
                "gn": max_offentlig_andel.denominator,
            },
        )
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
                            AND u.datum <= :brytdag)
                ORDER BY 4, a.id""",
            {"slut": f"{ar}-12-31", "grans": grans.isoformat(), "brytdag": brytdag.isoformat()},
        )
    )


class Utvecklingsomrade(NamedTuple):
    """Årets avtal som tjänar ett av kommunens utvecklingsområden."""

    namn: str
    avtal: int
    kommunen: int  # kommunens bidrag, med dess egna bolag som medfinansiärer
    medfinansiering: int  # garanterad medfinansiering från andra parter
    total: int

    @property
    def andel(self) -> Fraction | None:
        return Fraction(self.medfinansiering, self.total) if self.total else None


def utvecklingsomraden(
    reg: Register, ar: int, delar: dict[str, Arsdel] | None = None
) -> tuple[Utvecklingsomrade, ...]:
    """Per utvecklingsområde: avtal, kommunens pengar och medfinansiering, årets del
    (`Arsdel`; ett avtal som tjänar flera områden räknas i vart och ett)."""
    delar = arsdelar(reg, ar) if delar is None else delar
    omraden: dict[str, list[int]] = {}
    for namn, id_, kommunen, medfinansiering, total in reg.rader(
        f"""SELECT u.namn, a.id,
                coalesce(a.fordelning_kommunen, a.kommunen_kontant + a.kommunen_in_kind),
                coalesce(a.fordelning_naringslivet + a.fordelning_offentliga
                    + a.fordelning_ovriga, a.garanterad),
                a.total
            FROM utvecklingsomrade u JOIN avtal a ON a.id = u.avtal_id
            WHERE {_AKTIVA} ORDER BY u.namn""",
        _aret(ar),
    ):
        d = delar[id_]
        summor = omraden.setdefault(namn, [0, 0, 0, 0])
        summor[0] += 1
        summor[1] += d.av(kommunen, med_kontant=True)
        summor[2] += d.av(medfinansiering)
        summor[3] += d.av(total, med_kontant=True)
    return tuple(Utvecklingsomrade(namn, *summor) for namn, summor in omraden.items())


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
    with reg.ogonblick(), versioner.per(reg, per) if per else contextlib.nullcontext():
        # Årets delar en gång för partnerskapen, indikatorerna och utvecklingsområdena.
        delar = arsdelar(reg, ar)
        return Underlag(
            ar=ar,
            brytdag=brytdag,
            partnerskap=partnerskap(reg, ar, delar),
            organisationer=organisationer(reg, ar),
            undantag=undantag(reg, ar),
            indikatorer=indikatorer(reg, ar, delar),
            foregaende=indikatorer(reg, ar - 1),
            planerade=planerade(reg, ar, brytdag),
            malutfall=malutfall(reg, ar, brytdag),
            ekonomi=ekonomiska_risker(reg, ar, max_offentlig_andel),
            slutande=slutar_utan_slututvardering(reg, ar, dagar_efter_aret, brytdag),
            historik=indikatorer_per_ar(reg, ar) if med_historik else (),
            utvecklingsomraden=utvecklingsomraden(reg, ar, delar),
        )
