"""Förslagsformatet: en deklarativ beskrivning som både granskar filer och blir JSON Schema.

`tolka()` går igenom trädet från `laddning` och ger antingen ett `Forslag` eller formatfel
med rad och kolumn. Alla fel samlas; granskningen stannar inte vid det första. Deklarationen
översätts en gång per process till läsare (funktioner per fält, i `tolkning`); JSON Schema
byggs ur samma deklaration.
"""

from __future__ import annotations

from typing import Any

from partner_cli import modell, varden
from partner_cli.laddning import Nod
from partner_cli.tolkning import ID_RE, Typ, narmast, tolka_karta
from partner_cli.tolkning import Falt as Falt
from partner_cli.tolkning import Formatfel as Formatfel
from partner_cli.tolkning import Tolkning as Tolkning

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


def tolka(rot: Nod, omraden: tuple[str, ...] | None = None) -> modell.Forslag | list[Formatfel]:
    """Förslaget ur trädet, eller formatfelen. `omraden`: kommunens utvecklingsområden ur
    partner.toml, som förslagets `utvecklingsområden` prövas mot (None: prövas inte)."""
    varden_, fel, platser = tolka_karta(rot, FALT, "Ett förslag")
    period = varden_.get("period") if varden_ else None
    if isinstance(period, modell.Period) and period.slut <= period.start:
        rad, kolumn = platser["period.slut"]
        fel.append(Formatfel("period.slut ska vara efter period.start", rad, kolumn, "period.slut"))
    if isinstance(period, modell.Period) and varden_ is not None:
        fel.extend(_utbetalningsfel(varden_["finansiering"], period, platser))
    if omraden is not None and varden_ is not None:
        fel.extend(_okanda_omraden(varden_["utvecklingsomraden"], omraden, platser))
    if fel or varden_ is None:
        return fel
    return modell.Forslag(**varden_, platser=platser)


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
            forslag = narmast(namn, kanda, n=1)
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
