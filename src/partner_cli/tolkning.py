"""Tolkningen av en deklaration (`Falt`): läsare per fält som går igenom trädet från
`laddning` och samlar formatfel med rad och kolumn. Förslagsformatet (`schema`) och
utvärderingsfilen (`utvarderingsfil`) är deklarationer som tolkas här.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from partner_cli import varden
from partner_cli.laddning import Karta, Lista, Nod, Skalar
from partner_cli.namn import attributnamn

# Mallarnas platshållare (`partner ny`, mallar/utvardering.yaml): ett värde som står kvar är
# ett formatfel, så att en ofylld mall aldrig går igenom eller registreras.
PLATSHALLARE = frozenset(
    (
        "(förslagets id)",
        "(motpartens namn)",
        "(motpartens organisationsnummer)",
        "(avtalsägarens namn)",
        "(utvärderarens namn)",
        "(avtalets id)",
    )
)
# Ett id: bokstäver, siffror, . _ -, högst 64 tecken (också i JSON Schema).
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
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
    forslag = narmast(text, KAN_UNDANTAS, n=1)
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


def narmast(text: str, mojliga: Any, n: int = 1, cutoff: float = 0.6) -> list[str]:
    # Bara när något är fel: en godkänd granskning slipper importen.
    import difflib

    return difflib.get_close_matches(text, mojliga, n=n, cutoff=cutoff)


class Formatfel(NamedTuple):
    meddelande: str
    rad: int
    kolumn: int
    sokvag: str


def slag(nod: Nod) -> str:
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


class Tolkad(NamedTuple):
    """En fils fält efter attributnamn (None vid fel), felen och platserna."""

    varden: dict[str, Any] | None
    fel: list[Formatfel]
    platser: dict[str, tuple[int, int]]


def tolka_karta(rot: Nod, falt: tuple[Falt, ...], vad: str) -> Tolkad:
    """En fil i ett format deklarerat med `Falt` (förslag, beslut, utvärderingar): alla fel
    med rad och kolumn. `vad` namnger filens slag när roten inte är en karta ("Ett beslut")."""
    t = Tolkning()
    if not isinstance(rot, Karta):
        return Tolkad(
            None, [Formatfel(f"{vad} ska vara en karta, inte {slag(rot)}", rot.rad, 1, "")], {}
        )
    t.platser[""] = (rot.rad, rot.kolumn)
    varden_ = t.karta(rot, falt, "")
    if t.utelamnade:
        forsta = t.utelamnade[0]
        t.fel.append(
            forsta._replace(
                meddelande=f"… och {len(t.utelamnade)} fel till; rätta de ovanstående först"
            )
        )
    return Tolkad(varden_, t.fel, t.platser)


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
            t.fel_vid(nod, sokvag, inte + slag(nod))
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
    klass: Any = f.klass
    assert klass is not None, f.nyckel
    en_av = tuple(tuple(attributnamn(k) for k in g) for g in f.en_av)
    former = "Ange exakt en av formerna: " + " eller ".join(" och ".join(g) for g in f.en_av)

    # En NamedTuple vars första fält är kartans, i samma ordning, byggs ur värdena som de
    # kommer (med klassens standardvärden för resten): med nyckelord kostar det flera gånger
    # mer, och ett förslag har ett tjugotal sådana objekt.
    attr = tuple(u.attr for u in f.under)
    falt_ = getattr(klass, "_fields", ())
    standard = getattr(klass, "_field_defaults", {})
    direkt = falt_[: len(attr)] == attr and all(n in standard for n in falt_[len(attr) :])
    resten = tuple(standard[n] for n in falt_[len(attr) :]) if direkt else ()

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
        if direkt:
            # Kartläsaren ger varje fält ett värde, i fältens ordning.
            return _tupel(klass, (*varden_.values(), *resten))
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
        t.fel_vid(nod, sokvag, inte + slag(nod))
        return _FEL

    return karta


def _kompilera_lista(f: Falt) -> Lasare:
    objekt = _kompilera_objekt(f)
    inte = f"{f.nyckel!r} ska vara en lista, inte "
    post_fel = f"Varje post i {f.nyckel!r} ska vara en karta"

    def lista(t: Tolkning, nod: Nod, sokvag: str) -> Any:
        if type(nod) is not Lista:
            t.fel_vid(nod, sokvag, inte + slag(nod))
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
            t.fel_vid(nod, sokvag, inte + slag(nod))
            return _FEL
        t.platser[sokvag] = (nod.rad, nod.kolumn)
        if nod.text in PLATSHALLARE:
            t.fel_vid(nod, sokvag, f"{sokvag}: {nod.text!r} står kvar från mallen; fyll i det")
            return _FEL
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
                forslag = narmast(text, f.val, n=1)
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
_tupel = tuple.__new__  # NamedTuples egen __new__ är en Python-funktion


def _led(sokvag: str, nyckel: str) -> str:
    return f"{sokvag}.{nyckel}" if sokvag else nyckel


def _okand_nyckel(nyckel: str, kanda: dict[str, Falt]) -> str:
    if nyckel == "<<":
        return "Sammanslagningsnycklar (<<) används inte i förslag; skriv ut värdena"
    forslag = narmast(nyckel, list(kanda), n=1, cutoff=0.6)
    tips = f" (menade du {forslag[0]!r}?)" if forslag else ""
    return f"Okänd nyckel {nyckel!r}{tips}"
