"""Årsrapportens belopp: avtalens del av året, partnerskapen med kommunens bidrag under året,
indikatorerna och utvecklingsområdena. Heltal i öre rakt igenom; andelar är exakta bråk."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any, NamedTuple

from partner_cli.modell import Period, arets_ore
from partner_cli.register.anslutning import Register
from partner_cli.register.lasning import AKTIVA_UNDER_ARET, aret, giltigt, sista_dag


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
            WHERE {AKTIVA_UNDER_ARET}""",
        aret(ar),
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
        f"FROM avtal a WHERE {AKTIVA_UNDER_ARET}",
        aret(ar),
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
                WHERE {AKTIVA_UNDER_ARET} ORDER BY a.period_start, a.id""",
            aret(ar),
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
            FROM avtal a WHERE {AKTIVA_UNDER_ARET}""",
        aret(ar),
    )
    summor = [0, 0, 0, 0]  # garanterad, näringsliv, total, andra offentliga
    for id_, garanterad, naringsliv, total, offentliga in reg.rader(
        f"""SELECT a.id, a.garanterad, a.naringsliv, a.total,
                -- Avtal från före schemaversion 4 saknar fördelningen: ur finansiärerna.
                coalesce(a.fordelning_offentliga, (
                    SELECT coalesce(sum(f.kontant + f.in_kind), 0) FROM finansiar f
                    WHERE f.avtal_id = a.id AND f.garanterad AND f.kategori = 'offentlig'))
            FROM avtal a WHERE {AKTIVA_UNDER_ARET}""",
        aret(ar),
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
            WHERE {AKTIVA_UNDER_ARET} ORDER BY u.namn""",
        aret(ar),
    ):
        d = delar[id_]
        summor = omraden.setdefault(namn, [0, 0, 0, 0])
        summor[0] += 1
        summor[1] += d.av(kommunen, med_kontant=True)
        summor[2] += d.av(medfinansiering)
        summor[3] += d.av(total, med_kontant=True)
    return tuple(Utvecklingsomrade(namn, *summor) for namn, summor in omraden.items())
