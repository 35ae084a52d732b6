"""Årsrapportens belopp: avtalens del av året, partnerskapen med kommunens bidrag under året,
indikatorerna och utvecklingsområdena. Heltal i öre rakt igenom; andelar är exakta bråk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from partner_cli.register.anslutning import Register
from partner_cli.register.lasning import AKTIVA_UNDER_ARET, aret, giltigt, sista_dag


class Belopp(NamedTuple):
    """Ett belopp att dela på året: namnet i frågan, uttrycket över avtalet `a` och om det
    rymmer kommunens kontanta bidrag (`med_kontant`), som följer utbetalningsplanen."""

    namn: str
    uttryck: str
    med_kontant: bool = False


def arsdelar(
    belopp: Sequence[Belopp], villkor: str = "", med: Mapping[str, str] | None = None
) -> str:
    """WITH-satsen `arsdel(id, namn …)`: varje avtal aktivt under året (parametrarna :start,
    :slut och :ar) med årets del av varje belopp, i SQL och i hela öre.

    Beloppen fördelas jämnt över periodens dagar per kalenderår, nedåt i hela öre, och de öre
    som då fattas går ett i taget till åren med störst rest (vid lika rest det tidigare året),
    så att åren summerar exakt till beloppet: aldrig hela budgeten varje år avtalet löper.
    Kommunens kontanta bidrag följer utbetalningsplanen när avtalet har en (planens belopp för
    året, resten jämnt). Ett avtal som avslutats i förtid har beloppen per dag som förut, till
    och med sin sista dag: delen av beloppet som hör till dagarna det löpte (nedåt i hela
    öre), fördelad över de dagarna; ur planen räknas åren till och med avslutets.

    Heltal rakt igenom: dagarna räknas ur `unixepoch` (heltal sekunder), beloppen är
    heltal och aldrig negativa (registrets CHECK), så SQLites heltalsdivision är nedåt.
    `villkor` begränsar avtalen ytterligare (ett SQL-villkor över `a`); `med` är fler
    kolumner i `arsdel` (namn → uttryck över `a`)."""
    med = med or {}
    extra = "".join(f", {uttryck} AS {namn}" for namn, uttryck in med.items())
    fora = "".join(f", {namn}" for namn in med)
    dag = "unixepoch({}) / 86400"
    kolumner = "".join(f", {b.uttryck} AS b_{b.namn}" for b in belopp)

    def spridd(b: Belopp) -> str:
        # Med en plan följer det kontanta bidraget planen och bara resten fördelas jämnt.
        jamnt = f"(b_{b.namn} - kontant * har_plan)" if b.med_kontant else f"b_{b.namn}"
        return (
            f", CASE WHEN avtalade IS NULL THEN {jamnt} ELSE {jamnt} * dagar / avtalade END "
            f"AS x_{b.namn}, {'plan' if b.med_kontant else '0'} AS p_{b.namn}"
        )

    def andel(b: Belopp) -> str:
        # Årets rest mot varje års: året får ett öre till när färre år än de öre som fattas
        # går före det (större rest, eller lika rest och tidigare år).
        x = f"x.x_{b.namn}"
        dagar = "(min(x.d1, z.s) - max(x.d0, z.f) + 1)"  # avtalets dagar år z
        rest, arets = f"({x} * {dagar} % x.dagar)", f"({x} * x.arets % x.dagar)"
        fore = f"{rest} > {arets} OR ({rest} = {arets} AND z.k < :ar)"
        return (
            f", {x} * x.arets / x.dagar + (sum({fore}) < sum({rest}) / x.dagar) "
            f"+ x.p_{b.namn} AS {b.namn}"
        )

    return f"""arsdel_avtal AS MATERIALIZED (
            SELECT *, d1 - d0 + 1 AS dagar,
                min(d1, {dag.format(":slut")}) - max(d0, {dag.format(":start")}) + 1 AS arets
            FROM (SELECT a.id, {dag.format("a.period_start")} AS d0,
                    {dag.format(sista_dag())} AS d1,
                    CASE WHEN a.avslutat_datum IS NOT NULL THEN
                        {dag.format("a.period_slut")} - {dag.format("a.period_start")} + 1
                    END AS avtalade,
                    EXISTS (SELECT 1 FROM utbetalning u WHERE u.avtal_id = a.id) AS har_plan,
                    coalesce((SELECT u.belopp FROM utbetalning u
                        WHERE u.avtal_id = a.id AND u.ar = :ar), 0) AS plan,
                    a.kommunen_kontant AS kontant{kolumner}{extra}
                FROM avtal a WHERE {AKTIVA_UNDER_ARET} {villkor})
        ),
        arsdel_spridd AS MATERIALIZED (
            SELECT id, d0, d1, dagar, arets{fora}{"".join(map(spridd, belopp))}
            FROM arsdel_avtal
        ),
        -- Kalenderåren som avtalen löper, med första och sista dagen.
        arsdel_ar(k, f, s) AS (
            SELECT k, {dag.format("printf('%04d-01-01', k)")},
                {dag.format("printf('%04d-12-31', k)")}
            FROM (SELECT CAST(strftime('%Y', min(d0) * 86400, 'unixepoch') AS INTEGER) AS k
                FROM arsdel_avtal)
            UNION ALL
            SELECT k + 1, {dag.format("printf('%04d-01-01', k + 1)")},
                {dag.format("printf('%04d-12-31', k + 1)")}
            FROM arsdel_ar WHERE s < (SELECT max(d1) FROM arsdel_avtal)
        ),
        arsdel AS (
            SELECT x.id{"".join(f", x.{namn}" for namn in med)}{"".join(map(andel, belopp))}
            FROM arsdel_spridd x JOIN arsdel_ar z ON z.f <= x.d1 AND z.s >= x.d0
            GROUP BY x.id
        )"""


class Partnerskap(NamedTuple):
    """Ett avtal som är aktivt under året: kommunens bidrag är årets del (`arsdelar`), andelarna
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


def parametrar(ar: int) -> dict[str, Any]:
    """Parametrarna för `arsdelar` och `AKTIVA_UNDER_ARET`."""
    return {**aret(ar), "ar": ar}


KOMMUNEN = Belopp("kommunen", "a.kommunen_kontant + a.kommunen_in_kind", med_kontant=True)


def partnerskap(reg: Register, ar: int) -> tuple[Partnerskap, ...]:
    fromiso = dt.date.fromisoformat
    start = f"{ar}-01-01"
    return tuple(
        Partnerskap._make(
            (
                *r[:4],
                fromiso(r[4]),
                fromiso(r[5]),
                r[6],
                r[7],
                Fraction(r[8], r[10]),
                Fraction(r[9], r[10]),
                r[4] >= start,
            )
        )
        for r in reg.rader(
            f"""WITH RECURSIVE {arsdelar([KOMMUNEN])}
                SELECT a.id, o.namn, a.organisationsnummer, a.typ, a.period_start,
                    {sista_dag()}, a.initiativ, d.kommunen, a.garanterad, a.naringsliv, a.total
                FROM arsdel d JOIN avtal a ON a.id = d.id
                    JOIN organisation o USING (organisationsnummer)
                ORDER BY a.period_start, a.id""",
            parametrar(ar),
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


INDIKATORBELOPP = (
    Belopp("garanterad", "a.garanterad"),
    Belopp("naringsliv", "a.naringsliv"),
    Belopp("total", "a.total", med_kontant=True),
    # Avtal från före schemaversion 4 saknar fördelningen: ur finansiärerna.
    Belopp(
        "offentliga",
        """coalesce(a.fordelning_offentliga, (
            SELECT coalesce(sum(f.kontant + f.in_kind), 0) FROM finansiar f
            WHERE f.avtal_id = a.id AND f.garanterad AND f.kategori = 'offentlig'))""",
    ),
)


def indikatorer(reg: Register, ar: int) -> Indikatorer:
    """Årets indikatorer; beloppen är avtalens del av året (`arsdelar`), summerade i SQL."""
    med = {
        "start": "a.period_start",
        "initiativ": "a.initiativ",
        "organisationsnummer": "a.organisationsnummer",
    }
    ((*rad,),) = reg.rader(
        f"""WITH RECURSIVE {arsdelar(INDIKATORBELOPP, med=med)}
            SELECT :ar, count(*), count(*) FILTER (WHERE start >= :start),
                coalesce(sum(garanterad), 0), coalesce(sum(naringsliv), 0),
                coalesce(sum(total), 0),
                count(*) FILTER (WHERE initiativ = 'näringslivet'),
                count(*) FILTER (WHERE initiativ = 'gemensamt'),
                count(*) FILTER (WHERE initiativ = 'kommunen'),
                count(DISTINCT organisationsnummer), coalesce(sum(offentliga), 0)
            FROM arsdel""",
        parametrar(ar),
    )
    return Indikatorer._make(rad)


def indikatorer_per_ar(reg: Register, till_ar: int) -> tuple[Indikatorer, ...]:
    """Indikatorerna för registrets första år till och med `till_ar`, aldrig senare: sidan för
    ett avslutat år ändras inte när avtal för senare år läggs till."""
    ((forsta,),) = reg.rader(
        f"SELECT min(substr(period_start, 1, 4)) FROM avtal a WHERE {giltigt()}"
    )
    if forsta is None:
        return ()
    return tuple(indikatorer(reg, ar) for ar in range(int(forsta), till_ar + 1))


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


OMRADESBELOPP = (
    Belopp(
        "kommunen",
        "coalesce(a.fordelning_kommunen, a.kommunen_kontant + a.kommunen_in_kind)",
        med_kontant=True,
    ),
    Belopp(
        "medfinansiering",
        "coalesce(a.fordelning_naringslivet + a.fordelning_offentliga + a.fordelning_ovriga, "
        "a.garanterad)",
    ),
    Belopp("total", "a.total", med_kontant=True),
)


def utvecklingsomraden(reg: Register, ar: int) -> tuple[Utvecklingsomrade, ...]:
    """Per utvecklingsområde: avtal, kommunens pengar och medfinansiering, årets del
    (`arsdelar`; ett avtal som tjänar flera områden räknas i vart och ett)."""
    villkor = "AND EXISTS (SELECT 1 FROM utvecklingsomrade u WHERE u.avtal_id = a.id)"
    return tuple(
        Utvecklingsomrade._make(r)
        for r in reg.rader(
            f"""WITH RECURSIVE {arsdelar(OMRADESBELOPP, villkor)}
                SELECT u.namn, count(*), sum(d.kommunen), sum(d.medfinansiering), sum(d.total)
                FROM arsdel d JOIN utvecklingsomrade u ON u.avtal_id = d.id
                GROUP BY u.namn ORDER BY u.namn""",
            parametrar(ar),
        )
    )
