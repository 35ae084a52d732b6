"""Förslagsformatet: en deklarativ beskrivning som både granskar filer och blir JSON Schema.

`tolka()` går igenom trädet från `laddning` och ger antingen ett `Forslag` eller formatfel
med rad och kolumn. Alla fel samlas; granskningen stannar inte vid det första. Deklarationen
översätts en gång per process till läsare (funktioner per fält); JSON Schema byggs ur samma
deklaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from partner_cli import modell, varden
from partner_cli.laddning import Karta, Lista, Nod, Skalar
from partner_cli.namn import attributnamn

Typ = str  # "text" | "id" | "val" | "belopp" | "belopp±" | "tal" | "heltal" | "bool" | "datum" ...


class Falt(NamedTuple):
    nyckel: str
    typ: Typ
    beskrivning: str
    kravs: bool = False
    val: tuple[str, ...] = ()
    under: tuple[Falt, ...] = ()  # fälten i en karta, eller i varje element i en lista
    klass: Callable[..., Any] | None = None
    standard: Any = None
    en_av: tuple[tuple[str, ...], ...] = ()  # exakt en av dessa grupper ska anges
    lista_tillaten: bool = False  # en lista i stället för en karta lämnas till regeln

    @property
    def attr(self) -> str:
        return attributnamn(self.nyckel)


ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TYPER = ("projekt", "verksamhetsstöd", "samarbetsavtal")
INITIATIV = ("näringslivet", "kommunen", "gemensamt")
MOTPARTSKATEGORIER = (
    "företag",
    "företagsorganisation",
    "tillväxtfrämjande",
    "civilsamhälle",
    "kommunalt_bolag",
    "offentlig",
)
FINANSIARSKATEGORIER = ("näringsliv", "offentlig", "övrig")
REDOVISNING = ("årlig", "halvårsvis", "kvartalsvis", "månadsvis")
UTVARDERINGSTYPER = ("delutvärdering", "slututvärdering")

_IN_KIND = Falt(
    "in_kind",
    "lista",
    "Insatser i annat än pengar (personal, lokaler): timmar × timpris eller ett värderat belopp.",
    klass=modell.InKind,
    standard=(),
    under=(
        Falt("beskrivning", "text", "Vad insatsen är.", kravs=True),
        Falt("timmar", "tal", "Antal timmar."),
        Falt("timpris", "belopp", "Pris per timme."),
        Falt("belopp", "belopp", "Insatsens värde."),
        Falt(
            "slag",
            "val",
            "Slag av insats; utan slag är timmar × timpris personal och ett belopp övrigt.",
            val=modell.IN_KIND_SLAG,
        ),
    ),
    en_av=(("timmar", "timpris"), ("belopp",)),
)

FALT: tuple[Falt, ...] = (
    Falt("id", "id", "Förslagets id, unikt: bokstäver, siffror, . _ - (högst 64 tecken).", True),
    Falt("titel", "text", "Förslagets titel.", True),
    Falt("typ", "val", "Slag av partnerskap.", True, val=TYPER),
    Falt("diarienummer", "text", "Ärendets diarienummer."),
    Falt("initiativ", "val", "Vem som tog initiativet.", True, val=INITIATIV),
    Falt(
        "motpart",
        "karta",
        "Den externa organisationen.",
        True,
        klass=modell.Motpart,
        under=(
            Falt("namn", "text", "Organisationens namn.", True),
            Falt("organisationsnummer", "orgnr", "NNNNNN-NNNN, med giltig kontrollsiffra.", True),
            Falt("kategori", "val", "Slag av organisation.", True, val=MOTPARTSKATEGORIER),
        ),
    ),
    Falt(
        "avtalsägare",
        "karta",
        "Den enda person i kommunen som äger avtalet.",
        klass=modell.Avtalsagare,
        lista_tillaten=True,
        under=(
            Falt("namn", "text", "Avtalsägarens namn."),
            Falt("enhet", "text", "Avtalsägarens enhet."),
        ),
    ),
    Falt(
        "period",
        "karta",
        "Avtalets löptid.",
        True,
        klass=modell.Period,
        under=(
            Falt("start", "datum", "Första dagen, ÅÅÅÅ-MM-DD.", True),
            Falt("slut", "datum", "Sista dagen, ÅÅÅÅ-MM-DD, efter start.", True),
        ),
    ),
    Falt("upphandling", "bool", "Om det är en kommunal upphandling (ja/nej).", standard=False),
    Falt(
        "finansiering",
        "karta",
        "Budgeten: kommunens och motparternas bidrag.",
        True,
        klass=modell.Finansiering,
        under=(
            Falt(
                "kommunen",
                "karta",
                "Kommunens bidrag.",
                True,
                klass=modell.Bidrag,
                under=(
                    Falt("kontant", "belopp", "Pengar.", standard=0),
                    _IN_KIND,
                    Falt(
                        "utbetalningar",
                        "lista",
                        "Kommunens kontanta bidrag per år (summan är kontant).",
                        klass=modell.Utbetalning,
                        standard=(),
                        under=(
                            Falt("år", "heltal", "Kalenderåret, inom avtalstiden.", True),
                            Falt("belopp", "belopp", "Det året utbetalda beloppet.", True),
                        ),
                    ),
                ),
            ),
            Falt(
                "motparter",
                "lista",
                "De andra parternas bidrag (medfinansiering).",
                True,
                klass=modell.Medfinansiar,
                under=(
                    Falt("namn", "text", "Partens namn.", True),
                    Falt(
                        "organisationsnummer",
                        "orgnr",
                        "Partens organisationsnummer, så att kommunen och dess bolag känns igen.",
                    ),
                    Falt("kategori", "val", "Slag av part.", True, val=FINANSIARSKATEGORIER),
                    Falt("kontant", "belopp", "Pengar.", standard=0),
                    _IN_KIND,
                    Falt("garanterad", "bool", "Om bidraget är garanterat (ja/nej).", True),
                    Falt("underlag", "text", "Vad garantin vilar på; krävs när garanterad: ja."),
                ),
            ),
        ),
    ),
    Falt(
        "insyn",
        "karta",
        "Kommunens insyn i verksamheten eller projektet.",
        klass=modell.Insyn,
        under=(
            Falt("rätt_till_insyn", "bool", "Om avtalet ger kommunen rätt till insyn (ja/nej)."),
            Falt("redovisning", "val", "Hur ofta motparten redovisar.", val=REDOVISNING),
        ),
    ),
    Falt(
        "ekonomi",
        "karta",
        "Motpartens ekonomi enligt senaste årsredovisningen.",
        klass=modell.Ekonomi,
        under=(
            Falt("räkenskapsår", "heltal", "Årsredovisningens räkenskapsår."),
            Falt("omsättning", "belopp", "Omsättning."),
            Falt("resultat", "belopp±", "Årets resultat; får vara negativt."),
            Falt("eget_kapital", "belopp±", "Eget kapital; får vara negativt."),
            Falt("offentlig_finansiering", "belopp", "Den del av intäkterna som är offentliga."),
            Falt("källa", "text", "Varifrån uppgifterna kommer."),
        ),
    ),
    Falt(
        "långsiktighet",
        "karta",
        "Hur verksamheten lever vidare efter avtalstiden.",
        klass=modell.Langsiktighet,
        under=(Falt("efter_avtalstiden", "text", "Planen för tiden efter avtalet."),),
    ),
    Falt(
        "mål",
        "lista",
        "Gemensamt överenskomna mål.",
        klass=modell.Mal,
        standard=(),
        under=(
            Falt("beskrivning", "text", "Målet."),
            Falt("indikator", "text", "Hur målet mäts."),
            Falt("målvärde", "text", "Värdet som ska nås."),
            Falt("överenskommet", "bool", "Om målet är överenskommet med motparten (ja/nej)."),
        ),
    ),
    Falt(
        "utvärdering",
        "lista",
        "Planerade utvärderingar.",
        klass=modell.PlaneradUtvardering,
        standard=(),
        under=(
            Falt("datum", "datum", "När utvärderingen görs."),
            Falt("typ", "val", "Slag av utvärdering.", val=UTVARDERINGSTYPER),
        ),
    ),
    Falt(
        "utvecklingsområden",
        "textlista",
        "De av kommunens strategiska utvecklingsområden (partner.toml) som förslaget tjänar.",
        standard=(),
    ),
    Falt(
        "undantag",
        "lista",
        "Beslutade undantag från en regel: fynden rapporteras som undantag, inte fel.",
        klass=modell.Undantag,
        standard=(),
        under=(
            Falt("regel", "regel", "Regeln som undantas (inte tillämpning).", True),
            Falt("beslut", "text", "Beslutets referens, till exempel KS 2014/123 § 45.", True),
            Falt("beslutsdatum", "datum", "Beslutets datum, ÅÅÅÅ-MM-DD."),
            Falt("motivering", "text", "Varför undantaget beslutades.", True),
            Falt("giltigt_till", "datum", "Sista dagen undantaget gäller; ska täcka avtalstiden."),
        ),
    ),
)


def _regel(text: str) -> str:
    # Sen import: regelmodulerna använder själva schema.
    from partner_cli.regler import KAN_UNDANTAS, REGLER

    if text in KAN_UNDANTAS:
        return text
    if text in REGLER:
        raise varden.VardeFel(
            f"regeln {text!r} kan inte undantas: om strategin gäller avgörs av motparten "
            "och avtalets art, inte av ett beslut"
        )
    forslag = _narmast(text, KAN_UNDANTAS, n=1)
    tips = f" (menade du {forslag[0]!r}?)" if forslag else ""
    raise varden.VardeFel(f"okänd regel {text!r}{tips}; kända är {', '.join(KAN_UNDANTAS)}")


_SKALARER: dict[Typ, Callable[[str], Any]] = {
    "belopp": varden.belopp,
    "belopp±": lambda t: varden.belopp(t, negativ=True),
    "tal": varden.tal,
    "heltal": varden.heltal,
    "bool": varden.sanning,
    "datum": varden.datum,
    "orgnr": varden.organisationsnummer,
    "regel": _regel,
}


def _narmast(text: str, mojliga: Any, n: int = 1, cutoff: float = 0.6) -> list[str]:
    # Bara när något är fel: en godkänd granskning slipper importen.
    import difflib

    return difflib.get_close_matches(text, mojliga, n=n, cutoff=cutoff)


class Formatfel(NamedTuple):
    meddelande: str
    rad: int
    kolumn: int
    sokvag: str


def _slag(nod: Nod) -> str:
    return {Skalar: "ett enkelt värde", Karta: "en karta", Lista: "en lista"}[type(nod)]


# En fientlig fil på 1 MB kan ge hundratusentals fel; de första räcker för att rätta filen,
# och utan tak kostar förslagen (difflib) sekunder.
MAX_FORMATFEL = 100


class Tolkning:
    """Felen och platserna från en fil; läsarna nedan fyller dem."""

    def __init__(self) -> None:
        self.fel: list[Formatfel] = []
        self.utelamnade: list[Formatfel] = []
        self.platser: dict[str, tuple[int, int]] = {}

    @property
    def fullt(self) -> bool:
        return len(self.fel) >= MAX_FORMATFEL

    def fel_vid(self, nod: Nod | Skalar, sokvag: str, meddelande: str) -> None:
        fel = Formatfel(meddelande, nod.rad, nod.kolumn, sokvag)
        (self.utelamnade if self.fullt else self.fel).append(fel)

    def karta(self, nod: Karta, falt: tuple[Falt, ...], sokvag: str) -> dict[str, Any] | None:
        """Fältens värden efter attributnamn, eller None när något av dem var fel."""
        return _kartlasare(falt)(self, nod, sokvag)


# Formatet översätts en gång per process till en läsare per fält: en funktion som får en nod
# och ger fältets värde (eller _FEL efter att ha noterat felet). Att tolka deklarationen för
# varje fil var den största enskilda kostnaden i en granskning.
Lasare = Callable[[Tolkning, Nod, str], Any]
Kartlasare = Callable[[Tolkning, Karta, str], "dict[str, Any] | None"]
_KARTLASARE: dict[int, tuple[tuple[Falt, ...], Kartlasare]] = {}


def _kartlasare(falt: tuple[Falt, ...]) -> Kartlasare:
    # Efter identitet: deklarationerna är konstanter, och tupeln hålls vid liv här.
    kompilerad = _KARTLASARE.get(id(falt))
    if kompilerad is None:
        kompilerad = _KARTLASARE[id(falt)] = (falt, _kompilera_karta(falt))
    return kompilerad[1]


def _kompilera_karta(falt: tuple[Falt, ...]) -> Kartlasare:
    kanda = {f.nyckel: f for f in falt}
    steg = [
        (
            f.nyckel,
            f.attr,
            f".{f.nyckel}",
            f.standard,
            f"Nyckeln {f.nyckel!r} saknas eller är tom" if f.kravs else None,
            _tomt_fel(f),
            _kompilera(f),
        )
        for f in falt
    ]

    def las(t: Tolkning, nod: Karta, sokvag: str) -> dict[str, Any] | None:
        poster = nod.poster
        if not poster.keys() <= kanda.keys():
            for nyckel, (knod, _) in poster.items():
                if nyckel not in kanda:
                    text = "" if t.fullt else _okand_nyckel(nyckel, kanda)
                    t.fel_vid(knod, _led(sokvag, nyckel), text)
        platser = t.platser
        ut: dict[str, Any] = {}
        ok = True
        for nyckel, attr, led, standard, saknas, tomt, lasare in steg:
            vsokvag = sokvag + led if sokvag else nyckel
            post = poster.get(nyckel)
            if post is not None:
                knod, vnod = post
                # Även en tom nyckel: en regel som saknar värdet pekar då på nyckeln.
                platser[vsokvag] = (knod.rad, knod.kolumn)
                if type(vnod) is not Skalar or not vnod.tom:
                    varde = lasare(t, vnod, vsokvag)
                    if varde is _FEL:
                        ok = False
                    else:
                        ut[attr] = varde
                    continue
                if tomt is not None and saknas is None:
                    t.fel_vid(knod, vsokvag, tomt)
                    ok = False
                    continue
            if saknas is not None:
                t.fel_vid(nod if post is None else post[0], vsokvag, saknas)
                ok = False
            ut[attr] = standard
        return ut if ok else None

    return las


# Värden som en tom nyckel inte får bli tyst: `kontant:` är ett ofärdigt förslag, inte 0 kr.
_TOMT_AR_FEL = frozenset(("belopp", "belopp±", "tal", "heltal", "bool", "datum", "orgnr"))


def _tomt_fel(f: Falt) -> str | None:
    if f.typ not in _TOMT_AR_FEL:
        return None
    return (
        f"Nyckeln {f.nyckel!r} står utan värde; ange ett värde (0 om det är noll) "
        "eller ta bort nyckeln"
    )


def _kompilera(f: Falt) -> Lasare:
    if f.typ == "karta":
        return _kompilera_kartfalt(f)
    if f.typ == "lista":
        return _kompilera_lista(f)
    if f.typ == "textlista":
        return _kompilera_textlista(f)
    return _kompilera_skalar(f)


def _kompilera_textlista(f: Falt) -> Lasare:
    inte = f"{f.nyckel!r} ska vara en lista med namn, inte "

    def textlista(t: Tolkning, nod: Nod, sokvag: str) -> Any:
        if type(nod) is not Lista:
            t.fel_vid(nod, sokvag, inte + _slag(nod))
            return _FEL
        ut = []
        for i, e in enumerate(nod.element):
            esokvag = f"{sokvag}[{i}]"
            if type(e) is not Skalar or not e.text.strip():
                t.fel_vid(e, esokvag, f"Varje post i {f.nyckel!r} ska vara ett namn")
                return _FEL
            t.platser[esokvag] = (e.rad, e.kolumn)
            ut.append(e.text.strip())
        return tuple(ut)

    return textlista


def _kompilera_objekt(f: Falt) -> Callable[[Tolkning, Karta, str], Any]:
    las_karta = _kompilera_karta(f.under)
    klass = f.klass
    assert klass is not None, f.nyckel
    en_av = tuple(tuple(attributnamn(k) for k in g) for g in f.en_av)
    former = "Ange exakt en av formerna: " + " eller ".join(" och ".join(g) for g in f.en_av)

    def objekt(t: Tolkning, nod: Karta, sokvag: str) -> Any:
        varden_ = las_karta(t, nod, sokvag)
        if varden_ is None:
            return _FEL
        if en_av:
            angivna = [g for g in en_av if any(varden_.get(k) is not None for k in g)]
            hela = [g for g in angivna if all(varden_.get(k) is not None for k in g)]
            if len(angivna) != 1 or len(hela) != 1:
                t.fel_vid(nod, sokvag, former)
                return _FEL
        return klass(**varden_)

    return objekt


def _kompilera_kartfalt(f: Falt) -> Lasare:
    objekt = _kompilera_objekt(f)
    inte = f"{f.nyckel!r} ska vara en karta, inte "

    def karta(t: Tolkning, nod: Nod, sokvag: str) -> Any:
        if type(nod) is Karta:
            return objekt(t, nod, sokvag)
        if type(nod) is Lista and f.lista_tillaten:
            # Varje element som fältet självt; regeln avgör vad en lista betyder.
            element = [karta(t, e, f"{sokvag}[{i}]") for i, e in enumerate(nod.element)]
            return _FEL if _FEL in element else tuple(element)
        t.fel_vid(nod, sokvag, inte + _slag(nod))
        return _FEL

    return karta


def _kompilera_lista(f: Falt) -> Lasare:
    objekt = _kompilera_objekt(f)
    inte = f"{f.nyckel!r} ska vara en lista, inte "
    post_fel = f"Varje post i {f.nyckel!r} ska vara en karta"

    def lista(t: Tolkning, nod: Nod, sokvag: str) -> Any:
        if type(nod) is not Lista:
            t.fel_vid(nod, sokvag, inte + _slag(nod))
            return _FEL
        platser = t.platser
        element = []
        ok = True
        for i, e in enumerate(nod.element):
            esokvag = f"{sokvag}[{i}]"
            platser[esokvag] = (e.rad, e.kolumn)
            if type(e) is not Karta:
                t.fel_vid(e, esokvag, post_fel)
                ok = False
                continue
            varde = objekt(t, e, esokvag)
            if varde is _FEL:
                ok = False
            element.append(varde)
        return tuple(element) if ok else _FEL

    return lista


def _kompilera_skalar(f: Falt) -> Lasare:
    omvandla, prefix = _omvandling(f)
    inte = f"{f.nyckel!r} ska vara ett enkelt värde, inte "

    def skalar(t: Tolkning, nod: Nod, sokvag: str) -> Any:
        if type(nod) is not Skalar:
            t.fel_vid(nod, sokvag, inte + _slag(nod))
            return _FEL
        t.platser[sokvag] = (nod.rad, nod.kolumn)
        try:
            return omvandla(nod.text)
        except varden.VardeFel as e:
            t.fel_vid(nod, sokvag, f"{prefix}{e}")
            return _FEL

    return skalar


def _omvandling(f: Falt) -> tuple[Callable[[str], Any], str]:
    """Skalärens text till värdet; VardeFel med meddelandet efter prefixet."""
    if f.typ == "id":

        def id_(text: str) -> str:
            if not ID_RE.fullmatch(text):
                raise varden.VardeFel(f"Ogiltigt id {text!r}: bokstäver, siffror, . _ -, högst 64")
            return text

        return id_, ""
    if f.typ == "val":
        tillatna = frozenset(f.val)

        def val(text: str) -> str:
            if text not in tillatna:
                forslag = _narmast(text, f.val, n=1)
                tips = f" (menade du {forslag[0]!r}?)" if forslag else ""
                raise varden.VardeFel(
                    f"{text!r} är inte ett tillåtet värde för {f.nyckel!r}{tips}; "
                    f"tillåtna: {', '.join(f.val)}"
                )
            return text

        return val, ""
    if f.typ == "text":
        tom = f"{f.nyckel!r} får inte vara tom"

        def text_(text: str) -> str | None:
            varde = text.strip()
            if not varde and f.kravs:
                raise varden.VardeFel(tom)
            return varde or None

        return text_, ""
    return _SKALARER[f.typ], f"{f.nyckel}: "


_FEL: Any = object()


def _led(sokvag: str, nyckel: str) -> str:
    return f"{sokvag}.{nyckel}" if sokvag else nyckel


def _okand_nyckel(nyckel: str, kanda: dict[str, Falt]) -> str:
    if nyckel == "<<":
        return "Sammanslagningsnycklar (<<) används inte i förslag; skriv ut värdena"
    forslag = _narmast(nyckel, list(kanda), n=1, cutoff=0.6)
    tips = f" (menade du {forslag[0]!r}?)" if forslag else ""
    return f"Okänd nyckel {nyckel!r}{tips}"


def tolka(rot: Nod, omraden: tuple[str, ...] | None = None) -> modell.Forslag | list[Formatfel]:
    """Förslaget ur trädet, eller formatfelen. `omraden`: kommunens utvecklingsområden ur
    partner.toml, som förslagets `utvecklingsområden` prövas mot (None: prövas inte)."""
    t = Tolkning()
    if not isinstance(rot, Karta):
        return [Formatfel(f"Ett förslag ska vara en karta, inte {_slag(rot)}", rot.rad, 1, "")]
    t.platser[""] = (rot.rad, rot.kolumn)
    varden_ = t.karta(rot, FALT, "")
    period = varden_.get("period") if varden_ else None
    if isinstance(period, modell.Period) and period.slut <= period.start:
        rad, kolumn = t.platser["period.slut"]
        fel = "period.slut ska vara efter period.start"
        t.fel.append(Formatfel(fel, rad, kolumn, "period.slut"))
    if isinstance(period, modell.Period) and varden_ is not None:
        t.fel.extend(_utbetalningsfel(varden_["finansiering"], period, t.platser))
    if omraden is not None and varden_ is not None:
        t.fel.extend(_okanda_omraden(varden_["utvecklingsomraden"], omraden, t.platser))
    if t.utelamnade:
        forsta = t.utelamnade[0]
        t.fel.append(
            forsta._replace(
                meddelande=f"… och {len(t.utelamnade)} fel till; rätta de ovanstående först"
            )
        )
    if t.fel or varden_ is None:
        return t.fel
    return modell.Forslag(**varden_, platser=t.platser)


def _okanda_omraden(
    namngivna: tuple[str, ...], kanda: tuple[str, ...], platser: dict[str, tuple[int, int]]
) -> list[Formatfel]:
    fel = []
    for i, namn in enumerate(namngivna):
        if namn in kanda:
            continue
        sokvag = f"utvecklingsområden[{i}]"
        if not kanda:
            text = f"{namn!r}: partner.toml listar inga utvecklingsområden ([kommun])"
        else:
            forslag = _narmast(namn, kanda, n=1)
            tips = f" (menade du {forslag[0]!r}?)" if forslag else ""
            text = f"Okänt utvecklingsområde {namn!r}{tips}; kända är {', '.join(kanda)}"
        fel.append(Formatfel(text, *platser[sokvag], sokvag))
    return fel


def _utbetalningsfel(
    fin: modell.Finansiering, period: modell.Period, platser: dict[str, tuple[int, int]]
) -> list[Formatfel]:
    """Utbetalningsplanen ska täcka kommunens kontanta bidrag, år för år inom avtalstiden."""
    kommunen = fin.kommunen
    if not kommunen.utbetalningar:
        return []
    fel = []
    sokvag = "finansiering.kommunen.utbetalningar"
    sedda: set[int] = set()
    for i, u in enumerate(kommunen.utbetalningar):
        plats = f"{sokvag}[{i}].år"
        if not period.start.year <= u.ar <= period.slut.year:
            text = f"år {u.ar} ligger utanför avtalstiden ({period.start}–{period.slut})"
            fel.append(Formatfel(text, *platser[plats], plats))
        elif u.ar in sedda:
            fel.append(Formatfel(f"år {u.ar} står två gånger i planen", *platser[plats], plats))
        sedda.add(u.ar)
    summa = sum(u.belopp for u in kommunen.utbetalningar)
    if summa != kommunen.kontant:
        text = (
            f"utbetalningarna summerar till {varden.kronor(summa)}, men kommunens kontant är "
            f"{varden.kronor(kommunen.kontant)}"
        )
        fel.append(Formatfel(text, *platser[sokvag], sokvag))
    return fel


# JSON Schema (draft 2020-12) för redigerare via yaml-language-server.
def _skiftlagesfritt(ord_: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in ord_)


# Samma grammatik som varden.belopp: inga inledande nollor, tusental i grupper om tre.
_ENHETER = "|".join(_skiftlagesfritt(e) for e in varden.ENHETER if e)
_TAL_MONSTER = r"(0|[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+|[1-9]\d*)([.,]\d{1,2})?"
_BELOPP_MONSTER = rf"^\s*{_TAL_MONSTER}\s*({_ENHETER})?\s*$"
_BELOPP_MINUS_MONSTER = rf"^\s*([-−]\s*)?{_TAL_MONSTER}\s*({_ENHETER})?\s*$"
_JSON_TYPER: dict[Typ, dict[str, Any]] = {
    "text": {"type": ["string", "number"]},
    "id": {"type": "string", "pattern": f"^{ID_RE.pattern}$"},
    "belopp": {"type": ["integer", "string"], "minimum": 0, "pattern": _BELOPP_MONSTER},
    "belopp±": {"type": ["integer", "string"], "pattern": _BELOPP_MINUS_MONSTER},
    "tal": {"type": ["number", "string"], "minimum": 0},
    "heltal": {"type": ["integer", "string"], "minimum": 0, "pattern": r"^\d{1,9}$"},
    # Som varden.sanning: ja, nej, true och false i valfri skiftläge (ECMA-regex saknar (?i)).
    "bool": {
        "type": ["boolean", "string"],
        "pattern": r"^([Jj][Aa]|[Nn][Ee][Jj]|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$",
    },
    "datum": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "orgnr": {"type": "string", "pattern": r"^\d{6}-?\d{4}$"},
    "textlista": {"type": "array", "items": {"type": "string", "minLength": 1}},
}


def _json_falt(f: Falt) -> dict[str, Any]:
    if f.typ in ("karta", "lista"):
        objekt: dict[str, Any] = {
            "type": "object",
            "properties": {u.nyckel: _json_falt(u) for u in f.under},
            "required": [u.nyckel for u in f.under if u.kravs],
            "additionalProperties": False,
        }
        if f.en_av:
            # Exakt en form: hela gruppen och inget ur de andra (som `objekt()` kräver).
            objekt["oneOf"] = [
                {
                    "required": list(g),
                    "not": {"anyOf": [{"required": [k]} for a in f.en_av if a != g for k in a]},
                }
                for g in f.en_av
            ]
        if f.typ == "lista":
            objekt = {"type": "array", "items": objekt}
        elif f.lista_tillaten:
            objekt = {"anyOf": [objekt, {"type": "array", "items": objekt}]}
        return {"description": f.beskrivning, **objekt}
    if f.typ == "val":
        return {"description": f.beskrivning, "enum": list(f.val)}
    if f.typ == "regel":
        from partner_cli.regler import KAN_UNDANTAS

        return {"description": f.beskrivning, "enum": list(KAN_UNDANTAS)}
    return {"description": f.beskrivning, **_JSON_TYPER[f.typ]}


def json_schema() -> dict[str, Any]:
    rot = Falt("", "karta", "Ett förslag till partnerskap med näringslivet.", under=FALT)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Förslag till partnerskap (partner-cli)",
        **_json_falt(rot),
    }
