"""Förslaget som typade värden, och fynd och resultat från en granskning.

Oföränderliga NamedTuple: billiga att skapa vid import och att skicka mellan processerna
när tusentals filer granskas parallellt.

Fältnamnen är YAML-nycklarna translittererade (å, ä → a, ö → o): samma ord från fil till
modell, databaskolumn och rapportrubrik.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from partner_cli.varden import andel_text

# `undantag`: ett fynd som ett beslutat undantag täcker; det gör inte förslaget underkänt.
Niva = Literal["fel", "varning", "undantag"]
Utfall = Literal["godkänd", "underkänd", "ej_tillämplig", "ogiltig"]
UTFALL: tuple[Utfall, ...] = ("godkänd", "underkänd", "ej_tillämplig", "ogiltig")


class Motpart(NamedTuple):
    namn: str
    organisationsnummer: str
    kategori: str


class Avtalsagare(NamedTuple):
    namn: str | None = None
    enhet: str | None = None


class Period(NamedTuple):
    start: dt.date
    slut: dt.date

    def overlappar(self, start: dt.date, slut: dt.date) -> bool:
        return self.start <= slut and start <= self.slut

    def dagar_per_ar(self) -> dict[int, int]:
        """Periodens dagar per kalenderår."""
        return {
            ar: (min(self.slut, dt.date(ar, 12, 31)) - max(self.start, dt.date(ar, 1, 1))).days + 1
            for ar in range(self.start.year, self.slut.year + 1)
        }

    def per_ar(self, belopp: int) -> dict[int, Fraction]:
        """Beloppet (öre) fördelat jämnt över periodens dagar, per kalenderår: exakta bråk
        som summerar till beloppet, aldrig hela beloppet varje år."""
        dagar = (self.slut - self.start).days + 1
        return {ar: Fraction(belopp * d, dagar) for ar, d in self.dagar_per_ar().items()}


IN_KIND_SLAG = ("personal", "lokaler", "utrustning", "övrigt")


class InKind(NamedTuple):
    beskrivning: str | None = None
    timmar: Decimal | None = None
    timpris: int | None = None
    belopp: int | None = None
    slag: str | None = None

    @property
    def slaget(self) -> str:
        """Det angivna slaget, annars personal för timmar × timpris och övrigt för ett belopp."""
        if self.slag is not None:
            return self.slag
        return "övrigt" if self.belopp is not None else "personal"

    @property
    def varde(self) -> int:
        """Värdet i öre: angivet belopp, eller timmar × timpris avrundat till helt öre."""
        if self.belopp is not None:
            return self.belopp
        if self.timmar is None or self.timpris is None:
            return 0
        return int((self.timmar * self.timpris).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _summa(kontant: int, in_kind: tuple[InKind, ...]) -> int:
    return kontant + sum(i.varde for i in in_kind)


class Utbetalning(NamedTuple):
    """En post i kommunens utbetalningsplan: det kontanta bidraget ett år."""

    ar: int
    belopp: int


class Bidrag(NamedTuple):
    kontant: int = 0
    in_kind: tuple[InKind, ...] = ()
    # Kommunens kontanta bidrag per år; tom: bidraget fördelas jämnt över periodens dagar.
    utbetalningar: tuple[Utbetalning, ...] = ()

    @property
    def summa(self) -> int:
        return _summa(self.kontant, self.in_kind)


class Medfinansiar(NamedTuple):
    namn: str
    kategori: str
    garanterad: bool
    kontant: int = 0
    in_kind: tuple[InKind, ...] = ()
    underlag: str | None = None
    organisationsnummer: str | None = None

    @property
    def summa(self) -> int:
        return _summa(self.kontant, self.in_kind)

    @property
    def offentlig(self) -> bool:
        """Offentlig enligt kategorin eller enligt numret (gruppsiffran 2: stat, regioner,
        kommuner), vad kategorin än säger."""
        nummer = self.organisationsnummer
        return self.kategori == "offentlig" or (nummer is not None and nummer.startswith("2"))


class Kommun(NamedTuple):
    """Kommunen själv enligt partner.toml, så att den inte räknas som "annan part"."""

    namn: str
    organisationsnummer: str
    # Kommunens bolag och de organisationer kommunen bestämmer över.
    bolag: tuple[str, ...] = ()
    # Kommunens strategiska utvecklingsområden, som förslag kan ange att de tjänar.
    utvecklingsomraden: tuple[str, ...] = ()

    def ar_egen(self, m: Medfinansiar) -> bool:
        nummer = m.organisationsnummer
        return nummer is not None and (nummer == self.organisationsnummer or nummer in self.bolag)


class Fordelning(NamedTuple):
    """Budgeten fördelad på vem som bär den (öre): de garanterade bidragen från näringslivet,
    andra offentliga aktörer och övriga, kommunens egna (med dess bolag), och det som inte är
    garanterat. Delarna summerar till budgeten."""

    naringslivet: int
    offentliga: int
    ovriga: int
    kommunen: int
    ej_garanterat: int
    # Garanterade insatser in kind av slag som partner.toml inte räknar som medfinansiering.
    ej_medraknat: int = 0
    # Den del av medfinansieringen som är insatser in kind men inte personal.
    in_kind_ej_personal: int = 0

    @property
    def total(self) -> int:
        return (
            self.naringslivet
            + self.offentliga
            + self.ovriga
            + self.kommunen
            + self.ej_garanterat
            + self.ej_medraknat
        )

    @property
    def medfinansiering(self) -> int:
        """Den garanterade medfinansieringen från annan part."""
        return self.naringslivet + self.offentliga + self.ovriga

    def andel(self, del_: int) -> Fraction | None:
        return Fraction(del_, self.total) if self.total else None

    @property
    def delar(self) -> tuple[tuple[str, int], ...]:
        """(namn, belopp): näringslivet, andra offentliga och kommunen alltid, övriga och det
        som inte är garanterat när de finns."""
        delar = (
            ("näringslivet", self.naringslivet),
            ("andra offentliga", self.offentliga),
            ("övriga", self.ovriga),
            ("kommunen", self.kommunen),
            ("ej garanterat", self.ej_garanterat),
            ("in kind som inte räknas", self.ej_medraknat),
        )
        alltid = ("näringslivet", "andra offentliga", "kommunen")
        return tuple((n, b) for n, b in delar if b or n in alltid)

    @property
    def text(self) -> str:
        """`näringslivet 40,0 %, andra offentliga 10,0 %, kommunen 50,0 %`, avkortade andelar
        som alla visade andelar, så att ingen ser ut att nå en gräns den inte når."""
        if not self.total:
            return "budgeten är 0 kr"
        return ", ".join(f"{n} {andel_text(Fraction(b, self.total))}" for n, b in self.delar)


class Finansiering(NamedTuple):
    kommunen: Bidrag
    motparter: tuple[Medfinansiar, ...] = ()

    @property
    def total(self) -> int:
        return self.kommunen.summa + sum(m.summa for m in self.motparter)

    @property
    def garanterad(self) -> int:
        return sum(m.summa for m in self.motparter if m.garanterad)

    @property
    def naringsliv(self) -> int:
        return sum(m.summa for m in self.motparter if m.kategori == "näringsliv")

    def andel(self, del_: int) -> Fraction | None:
        return Fraction(del_, self.total) if self.total else None

    def fordelning(
        self, kommun: Kommun | None, medraknade: frozenset[str] | None = None
    ) -> Fordelning:
        """Budgeten efter vem som bär den; en medfinansiär som är kommunen eller ett av dess
        bolag räknas som kommunen, en med gruppsiffran 2 som offentlig. Garanterade insatser
        in kind av slag utanför `medraknade` (None: alla) är inte medfinansiering."""
        delar = {"näringsliv": 0, "offentlig": 0, "övrig": 0}
        kommunen, ej, ej_medraknat, ej_personal = self.kommunen.summa, 0, 0, 0
        for m in self.motparter:
            if kommun is not None and kommun.ar_egen(m):
                kommunen += m.summa
            elif not m.garanterad:
                ej += m.summa
            else:
                raknas = m.kontant
                for i in m.in_kind:
                    if medraknade is not None and i.slaget not in medraknade:
                        ej_medraknat += i.varde
                        continue
                    raknas += i.varde
                    if i.slaget != "personal":
                        ej_personal += i.varde
                delar["offentlig" if m.offentlig else m.kategori] += raknas
        return Fordelning(
            delar["näringsliv"],
            delar["offentlig"],
            delar["övrig"],
            kommunen,
            ej,
            ej_medraknat,
            ej_personal,
        )


class Insyn(NamedTuple):
    ratt_till_insyn: bool | None = None
    redovisning: str | None = None


class Ekonomi(NamedTuple):
    rakenskapsar: int | None = None
    omsattning: int | None = None
    resultat: int | None = None
    eget_kapital: int | None = None
    offentlig_finansiering: int | None = None
    kalla: str | None = None


class Langsiktighet(NamedTuple):
    efter_avtalstiden: str | None = None


class Mal(NamedTuple):
    beskrivning: str | None = None
    indikator: str | None = None
    malvarde: str | None = None
    overenskommet: bool | None = None


class PlaneradUtvardering(NamedTuple):
    datum: dt.date | None = None
    typ: str | None = None


class Undantag(NamedTuple):
    """Ett politiskt beslut om att en regel inte ska tillämpas på förslaget."""

    regel: str
    beslut: str
    motivering: str
    beslutsdatum: dt.date | None = None
    giltigt_till: dt.date | None = None
    # Ett beslut i arkivets beslut/ ger undantaget; förslaget kan inte undanta sig självt.
    beslutat: bool = False

    def galler(self, period: Period) -> bool:
        """Undantaget gäller bara om ett beslut ger det och det täcker hela avtalstiden."""
        return self.beslutat and (self.giltigt_till is None or self.giltigt_till >= period.slut)


UndantagsStatus = Literal["tillämpat", "utgånget", "oanvänt", "obeslutat"]


class Undantagsutfall(NamedTuple):
    """Vad granskningen gjorde med ett undantag, och var i filen det står."""

    undantag: Undantag
    status: UndantagsStatus
    rad: int
    kolumn: int
    sokvag: str


class Forslag(NamedTuple):
    id: str
    titel: str
    typ: str
    initiativ: str
    motpart: Motpart
    period: Period
    finansiering: Finansiering
    diarienummer: str | None = None
    # En lista här är ett fel som regeln `avtalsägare` rapporterar, inte ett formatfel.
    avtalsagare: Avtalsagare | tuple[Avtalsagare, ...] | None = None
    upphandling: bool = False
    insyn: Insyn | None = None
    ekonomi: Ekonomi | None = None
    langsiktighet: Langsiktighet | None = None
    mal: tuple[Mal, ...] = ()
    utvardering: tuple[PlaneradUtvardering, ...] = ()
    undantag: tuple[Undantag, ...] = ()
    utvecklingsomraden: tuple[str, ...] = ()
    # sökväg ("finansiering.motparter[0].kontant") -> (rad, kolumn), 1-baserat
    platser: Mapping[str, tuple[int, int]] = MappingProxyType({})
    # Ur partner.toml, inte ur filen: kärnan sätter dem före reglerna.
    kommun: Kommun | None = None
    medraknade_in_kind: frozenset[str] | None = None  # None: alla slag

    @property
    def fordelning(self) -> Fordelning:
        return self.finansiering.fordelning(self.kommun, self.medraknade_in_kind)

    def kommunens_kontant_per_ar(self) -> dict[int, Fraction]:
        """Kommunens kontanta bidrag per kalenderår (öre): ur utbetalningsplanen när den finns,
        annars jämnt fördelat över periodens dagar."""
        kommunen = self.finansiering.kommunen
        if kommunen.utbetalningar:
            plan = {
                ar: Fraction(0) for ar in range(self.period.start.year, self.period.slut.year + 1)
            }
            for u in kommunen.utbetalningar:
                plan[u.ar] = plan.get(u.ar, Fraction(0)) + u.belopp
            return plan
        return self.period.per_ar(kommunen.kontant)

    def plats(self, sokvag: str) -> tuple[int, int]:
        """Platsen för sökvägen, eller för närmaste förälder som finns i filen."""
        while sokvag:
            if sokvag in self.platser:
                return self.platser[sokvag]
            sokvag = _foralder(sokvag)
        return self.platser.get("", (1, 1))


def _foralder(sokvag: str) -> str:
    if sokvag.endswith("]"):
        return sokvag[: sokvag.rindex("[")]
    return sokvag.rpartition(".")[0]


class Fynd(NamedTuple):
    regel: str
    niva: Niva
    meddelande: str
    rad: int
    kolumn: int
    sokvag: str
    grund: str
    undantag: Undantag | None = None  # beslutet som täcker fyndet när nivån är `undantag`

    @property
    def text(self) -> str:
        """Meddelandet, med beslutet när ett undantag täcker fyndet."""
        if self.undantag is None:
            return self.meddelande
        u = self.undantag
        return f"{self.meddelande} (undantag enligt {u.beslut}: {u.motivering})"


class Medfinansiering(NamedTuple):
    garanterad: int
    total: int
    grans: Fraction  # regelns min_andel, så att visade andelar följer utfallet
    fordelning: Fordelning | None = None
    jamn_grans: Fraction | None = None  # jämbördighetens gräns, när regeln är på

    @property
    def andel(self) -> Fraction:
        return Fraction(self.garanterad, self.total)


class Registerrader(NamedTuple):
    """Ett godkänt förslag som registret sparar det, utan registreringens fält (fil, sha256,
    vem och när): avtalets rad och dess delar per tabell (raderna utan avtal_id)."""

    avtal: dict[str, Any]
    delar: dict[str, list[dict[str, Any]]]


class Filresultat(NamedTuple):
    fil: str
    utfall: Utfall
    fynd: tuple[Fynd, ...]
    id: str | None = None
    id_plats: tuple[int, int] = (1, 1)
    medfinansiering: Medfinansiering | None = None
    # Ett godkänt förslag följer med så att registret kan spara det utan att läsa om filen.
    forslag: Forslag | None = None
    sha256: str | None = None
    undantag: tuple[Undantagsutfall, ...] = ()
    # (organisationsnummer, avtalsägarens namn) för ett tillämpligt förslag med en ägare: det
    # regeln `avtalsägare` prövar mot körningens övriga filer.
    agare: tuple[str, str] | None = None
    # Registrets rader för ett godkänt förslag, byggda där det granskades (`register add`).
    registerrader: Registerrader | None = None

    def antal(self, niva: Niva) -> int:
        return sum(1 for f in self.fynd if f.niva == niva)


class Kontrollresultat(NamedTuple):
    filer: tuple[Filresultat, ...]
    strikt: bool = False
    # format -> varje fils post i det formatet, i filernas ordning, när granskningen skrev dem
    renderat: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    # partner.toml som lästes och det den ändrar (`Konfig.beskrivning`), för rapporternas metadata
    konfiguration: Mapping[str, object] = MappingProxyType({"fil": None, "ändrat": {}})
    # det som de granskade katalogerna innehöll men som inte är förslag: slag → antal
    ej_granskade: Mapping[str, int] = MappingProxyType({})

    def antal(self, utfall: Utfall) -> int:
        return sum(1 for f in self.filer if f.utfall == utfall)

    @property
    def godkant(self) -> bool:
        return all(
            f.utfall == "godkänd" and not (self.strikt and f.antal("varning")) for f in self.filer
        )
