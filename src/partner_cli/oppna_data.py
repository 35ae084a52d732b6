"""Öppna data om årets avtal: CSV och JSON med dokumenterade kolumner, ett 360Giving-paket och
en katalogpost enligt DCAT-AP-SE. Modulen bygger och kontrollerar; kommandot skriver.

- **360Giving Data Standard**: ett bidrag per avtal. `id` är utgivarens 360Giving-prefix och
  avtalets id; mottagaren och kommunen identifieras med `SE-ON-` och organisationsnumret utan
  bindestreck (org-id.guide: Bolagsverket); belopp i SEK som tal; avtalstiden som planerade
  datum; strategin som bidragsprogram.
- **DCAT-AP-SE**: en `dcat:Dataset` med utgivare, kontaktpunkt, tid, nyckelord och en
  `dcat:Distribution` per fil (åtkomstadress, nedladdningsadress, format och licens), som
  JSON-LD.
- **Självkontrollen** (`kontrollera`) gör det 360Giving:s datakvalitetsverktyg gör med de
  obligatoriska delarna: fälten finns, identifierarna är välformade (prefix, tio siffror med
  rätt kontrollsiffra), datumen är riktiga och i ordning, beloppen är tal ≥ 0 i SEK och inget
  id förekommer två gånger. Kommandot skriver ingenting när den hittar något.

En enskild firmas nummer är ägarens personnummer: det publiceras aldrig, och mottagaren får
i stället ett id under utgivarens prefix (`…-IND-avtalets id`). Namnet döljs när partner.toml
säger det (`publicering`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from partner_cli import publicering
from partner_cli.jsontext import KODA, med_listans_rader, strang
from partner_cli.register.lasning import Publicerat as Avtal
from partner_cli.varden import ar_personnummer, decimal_kronor, kronor, luhn_giltig

if TYPE_CHECKING:
    from partner_cli.modell import Kommun

VERSION = 1
VERSION_360 = "1.3"
STRATEGI = (
    "Strategi för partnerskap med näringslivet och andra aktörer inom näringslivsområdet "
    "(kommunstyrelsen 2014-04-22 § 93)"
)
STRATEGINS_KOD = "KS-2014-04-22-93"
_SE_ON = re.compile(r"SE-ON-\d{10}")
_PREFIX = re.compile(r"360G-[A-Za-z0-9-]+")
_BELOPP = re.compile(r"-?\d+\.\d{2}")

# Kolumnerna i CSV- och JSON-filen, i ordning, med sin betydelse (README: Öppna data).
KOLUMNER: dict[str, str] = {
    "id": "Avtalets id i kommunens register",
    "titel": "Avtalets titel",
    "typ": "projekt, verksamhetsstöd eller samarbetsavtal",
    "diarienummer": "Kommunens diarienummer, tomt om det saknas",
    "organisation": "Motpartens namn (Enskild firma när partner.toml döljer namnet)",
    "organisationsnummer": "Motpartens organisationsnummer; tomt för en enskild firma",
    "organisations_id": "Motpartens identifierare: SE-ON- och numret, eller utgivarens id",
    "kategori": "Motpartens kategori i förslaget",
    "period_start": "Avtalets första dag, ÅÅÅÅ-MM-DD",
    "period_slut": "Avtalets sista dag, ÅÅÅÅ-MM-DD",
    "ny": "ja om avtalet började under året",
    "initiativ": "näringslivet, kommunen eller gemensamt",
    "kommunen_kontant": "Kommunens kontanta bidrag, kronor med två decimaler",
    "kommunen_in_kind": "Kommunens bidrag i annat än pengar, värderat, kronor",
    "medfinansiering": "Andra parters bidrag, kronor",
    "garanterad": "Den garanterade delen av andra parters bidrag, kronor",
    "naringsliv": "Näringslivets del av andra parters bidrag, kronor",
    "total": "Hela budgeten, kronor",
}


@dataclass(frozen=True, slots=True)
class Utgivare:
    namn: str  # kommunen i [kommun]; tomt när partner.toml saknar den
    organisationsnummer: str
    prefix: str  # 360Giving-prefixet, till exempel 360G-orebrokommun
    licens: str
    kontakt_epost: str
    adress: str  # där filerna publiceras (åtkomstadress)
    dolj_enskild_firmas_namn: bool

    @classmethod
    def ur(cls, publicera: Mapping[str, Any], kommun: Kommun | None) -> Utgivare:
        return cls(
            namn=kommun.namn if kommun is not None else "",
            organisationsnummer=kommun.organisationsnummer if kommun is not None else "",
            prefix=publicera["bidragsprefix"],
            licens=publicera["licens"],
            kontakt_epost=publicera["kontakt_epost"],
            adress=publicera["adress"],
            dolj_enskild_firmas_namn=publicera["dölj_enskild_firmas_namn"],
        )


def se_on(organisationsnummer: str) -> str:
    return "SE-ON-" + organisationsnummer.replace("-", "")


def organisations_id(avtal_id: str, nummer: str | None, u: Utgivare) -> str:
    """Motpartens id ur numret som får publiceras (`publicering.nummer`): utgivarens id för
    en enskild firma, vars nummer är None."""
    return se_on(nummer) if nummer is not None else f"{u.prefix}-IND-{avtal_id}"


def _en_gang(formatera: Callable[[int], str]) -> Callable[[int], str]:
    """Formateringen av ett belopp med varje belopp formaterat en gång: i tiotusentals avtal
    upprepas beloppen (avrundade budgetar, samma stöd), och en uppslagning är billigare än
    ett anrop."""
    return functools.cache(formatera)


def rader(avtal: Sequence[Avtal], ar: int, u: Utgivare) -> list[tuple[str, ...]]:
    """Kolumnerna i `KOLUMNER`, i ordning, per avtal, som text: belopp i kronor med två
    decimaler."""
    ut: list[tuple[str, ...]] = []
    forsta_dagen = f"{ar:04d}-01-01"
    dolj = u.dolj_enskild_firmas_namn
    belopp = _en_gang(decimal_kronor)
    for a in avtal:
        nummer = publicering.nummer(a.organisationsnummer)
        ut.append(
            (
                a.id,
                a.titel,
                a.typ,
                a.diarienummer or "",
                publicering.namn(a.organisation, a.organisationsnummer, dolj),
                nummer or "",
                organisations_id(a.id, nummer, u),
                a.kategori,
                a.period_start,
                a.period_slut,
                "ja" if a.period_start >= forsta_dagen else "nej",  # aktivt under året
                a.initiativ,
                belopp(a.kommunen_kontant),
                belopp(a.kommunen_in_kind),
                belopp(a.medfinansiering),
                belopp(a.garanterad),
                belopp(a.naringsliv),
                belopp(a.total),
            )
        )
    return ut


# Platserna i en rad ur `rader`.
_ORGANISATION, _ORGANISATIONS_ID = (
    list(KOLUMNER).index(k) for k in ("organisation", "organisations_id")
)


class Bidrag(NamedTuple):
    """Ett bidrag i 360Giving-paketet: det som skiljer bidragen åt. Valutan, kommunen som
    finansiär och strategin som program är desamma i varje bidrag och står i `Paket360`."""

    id: str
    title: str
    description: str
    amount_awarded: str  # kronor som exakt decimaltext; skrivs som JSON-tal, aldrig flyttal
    award_date: str
    start_date: str  # plannedDates
    end_date: str
    mottagare_id: str  # recipientOrganization
    mottagare_namn: str


class Paket360(NamedTuple):
    """Ett 360Giving-paket: huvudet, det som är gemensamt för bidragen och bidragen."""

    huvud: dict[str, Any]
    currency: str
    finansiar: dict[str, str]  # fundingOrganization
    program: dict[str, str]  # grantProgramme
    bidrag: tuple[Bidrag, ...]


def paket_360(
    avtal: Sequence[Avtal],
    publicerade: Sequence[Sequence[str]],
    ar: int,
    u: Utgivare,
    idag: dt.date,
) -> Paket360:
    """Ett 360Giving-paket med ett bidrag per avtal (`publicerade` är avtalens `rader`):
    kommunens bidrag som beviljat belopp."""
    kommunen = {"id": se_on(u.organisationsnummer), "name": u.namn}
    program = {
        "code": STRATEGINS_KOD,
        "title": STRATEGI,
        "description": "Kommunens partnerskap med näringslivet: minst hälften av budgeten "
        "garanteras av andra parter, insyn, bedömd ekonomi, mål och utvärdering.",
    }
    bidrag = []
    svenska, belopp = _en_gang(kronor), _en_gang(decimal_kronor)
    for r, a in zip(publicerade, avtal, strict=True):
        kommunens = a.kommunen_kontant + a.kommunen_in_kind
        bidrag.append(
            Bidrag(
                f"{u.prefix}-{a.id}",
                a.titel,
                f"{a.typ.capitalize()} med {r[_ORGANISATION]}: kommunens bidrag "
                f"{svenska(kommunens)} av en budget på {svenska(a.total)}, varav "
                f"{svenska(a.garanterad)} garanterat av andra parter.",
                belopp(kommunens),
                a.registrerad,
                a.period_start,
                a.period_slut,
                r[_ORGANISATIONS_ID],
                r[_ORGANISATION],
            )
        )
    huvud = {
        "version": VERSION_360,
        "title": f"{u.namn}: partnerskap med näringslivet {ar}",
        "identifier": f"{u.prefix}-partnerskap-{ar}",
        "issued": idag.isoformat(),
        "publisher": {"identifier": kommunen["id"], "name": u.namn},
        "license": u.licens,
    }
    return Paket360(huvud, "SEK", kommunen, program, tuple(bidrag))


def json_text(paket: Paket360) -> str:
    """Paketet som JSON, ett bidrag per rad med fälten i standardens ordning, där belopp står
    som tal med exakt sin decimaltext, aldrig genom ett flyttal. Det gemensamma kodas en gång."""
    valuta = f'"currency": {strang(paket.currency)}'
    svans = (
        f'"fundingOrganization": {KODA([paket.finansiar])}, '
        f'"grantProgramme": {KODA([paket.program])}}}'
    )
    return med_listans_rader(
        paket.huvud,
        "grants",
        (
            f'{{"id": {strang(b.id)}, "title": {strang(b.title)}, '
            f'"description": {strang(b.description)}, {valuta}, '
            f'"amountAwarded": {b.amount_awarded}, "awardDate": {strang(b.award_date)}, '
            f'"plannedDates": [{{"startDate": {strang(b.start_date)}, '
            f'"endDate": {strang(b.end_date)}}}], "recipientOrganization": '
            f'[{{"id": {strang(b.mottagare_id)}, "name": {strang(b.mottagare_namn)}}}], {svans}'
            for b in paket.bidrag
        ),
    )


def filnamn(ar: int) -> dict[str, str]:
    """Filerna som publiceras, efter slag."""
    return {
        "csv": f"partnerskap-{ar}.csv",
        "json": f"partnerskap-{ar}.json",
        "360giving": f"partnerskap-{ar}-360giving.json",
        "dcat": f"partnerskap-{ar}-dcat.jsonld",
    }


_FORMAT = {
    "csv": ("text/csv", "http://publications.europa.eu/resource/authority/file-type/CSV"),
    "json": ("application/json", "http://publications.europa.eu/resource/authority/file-type/JSON"),
    "360giving": (
        "application/json",
        "http://publications.europa.eu/resource/authority/file-type/JSON",
    ),
}


def katalogpost(ar: int, u: Utgivare, idag: dt.date) -> dict[str, Any]:
    """Datamängden som en DCAT-AP-SE-post i JSON-LD, med en distribution per datafil."""
    bas = u.adress.rstrip("/") + "/"
    filer = filnamn(ar)
    titlar = {
        "csv": "Årets avtal som CSV",
        "json": "Årets avtal som JSON",
        "360giving": "Årets avtal enligt 360Giving Data Standard",
    }
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": f"{bas}{filer['dcat']}#datamangd",
        "@type": "dcat:Dataset",
        "dct:title": {"@value": f"Partnerskap med näringslivet {ar}", "@language": "sv"},
        "dct:description": {
            "@value": f"{u.namn}s avtal om partnerskap med näringslivet som var aktiva under "
            f"{ar}: motpart, avtalstid, kommunens bidrag och medfinansieringen, enligt "
            f"{STRATEGI}.",
            "@language": "sv",
        },
        "dct:publisher": {
            "@id": f"http://org-id.guide/list/SE-ON#{se_on(u.organisationsnummer)}",
            "@type": "foaf:Agent",
            "foaf:name": u.namn,
        },
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": u.namn,
            "vcard:hasEmail": {"@id": f"mailto:{u.kontakt_epost}"},
        },
        "dcat:keyword": [
            {"@value": ord_, "@language": "sv"}
            for ord_ in ("partnerskap", "näringsliv", "medfinansiering", "bidrag")
        ],
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{ar}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{ar}-12-31", "@type": "xsd:date"},
        },
        "dct:issued": {"@value": idag.isoformat(), "@type": "xsd:date"},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/SWE"},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": {"@value": titlar[slag], "@language": "sv"},
                "dcat:accessURL": {"@id": bas},
                "dcat:downloadURL": {"@id": bas + filer[slag]},
                "dcat:mediaType": {
                    "@id": f"https://www.iana.org/assignments/media-types/{_FORMAT[slag][0]}"
                },
                "dct:format": {"@id": _FORMAT[slag][1]},
                "dct:license": {"@id": u.licens},
            }
            for slag in ("csv", "json", "360giving")
        ],
    }


@functools.cache
def _datum(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@functools.cache
def _se_on_giltigt(identifierare: str) -> bool:
    return bool(_SE_ON.fullmatch(identifierare)) and luhn_giltig(identifierare[6:])


@functools.cache
def _se_on_fel(identifierare: str) -> str | None:
    """Det som är fel med ett SE-ON-id, eller None: en gång per id, som mottagare i många
    bidrag."""
    if not _se_on_giltigt(identifierare):
        return "är inget giltigt SE-ON-id"
    if ar_personnummer(identifierare[6:]):
        return "är ett personnummer"
    return None


def _organisationens_fel(roll: str, oid: str, onamn: str, u: Utgivare) -> list[str]:
    fel = []
    if not onamn:
        fel.append(f"{roll} saknar namn")
    if oid.startswith("SE-ON-"):
        if (felet := _se_on_fel(oid)) is not None:
            fel.append(f"{roll} {oid!r} {felet}")
    elif not oid.startswith(u.prefix + "-IND-"):
        fel.append(f"{roll} {oid!r} är varken SE-ON- eller utgivarens id")
    return fel


def utgivarens_fel(u: Utgivare) -> list[str]:
    """Det som saknas eller är fel i inställningarna för utgivaren ([publicera] och [kommun] i
    partner.toml), ett fel per rad: ett konfigurationsfel, inte ett fel i registrets data."""
    fel: list[str] = []
    if not _PREFIX.fullmatch(u.prefix):
        fel.append(
            f"publicera.bidragsprefix {u.prefix!r}: ett 360Giving-prefix börjar med 360G- "
            "och har bara bokstäver, siffror och bindestreck"
        )
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", u.kontakt_epost):
        fel.append("publicera.kontakt_epost saknas eller är ingen e-postadress (DCAT-AP-SE)")
    if not re.fullmatch(r"https?://\S+", u.adress):
        fel.append("publicera.adress saknas eller är ingen http(s)-adress (DCAT-AP-SE)")
    if not u.organisationsnummer:
        fel.append("[kommun] saknas: kommunen i den (namn och organisationsnummer) är utgivaren")
    elif not _se_on_giltigt(se_on(u.organisationsnummer)):
        fel.append(f"kommun.organisationsnummer {u.organisationsnummer}: ogiltigt")
    return fel


def kontrollera(paket: Paket360, u: Utgivare) -> list[str]:
    """Det som gör paketet ogiltigt att publicera, ett fel per rad; tomt när allt håller.

    Varje bidrag prövas fält för fält som det skrivs; det som är gemensamt för bidragen
    (valutan, kommunen som finansiär) prövas en gång, och dess fel visas för varje bidrag."""
    fel = utgivarens_fel(u)
    valutan = [] if paket.currency == "SEK" else [f"valutan ska vara SEK, inte {paket.currency!r}"]
    finansiaren = _organisationens_fel(
        "fundingOrganization", paket.finansiar.get("id", ""), paket.finansiar.get("name", ""), u
    )
    prefix = u.prefix + "-"
    sedda: set[str] = set()
    for i, b in enumerate(paket.bidrag):
        egna: list[str] = []  # bidragets fel, utan bidragets namn
        if not (b.id and b.title and b.description and paket.currency and b.amount_awarded):
            for falt, varde in (
                ("id", b.id),
                ("title", b.title),
                ("description", b.description),
                ("currency", paket.currency),
                ("amountAwarded", b.amount_awarded),
            ):
                if not varde:
                    egna.append(f"{falt} saknas")
        if not b.award_date:
            egna.append("awardDate saknas")
        if b.id in sedda:
            egna.append("id:t finns redan i paketet")
        sedda.add(b.id)
        if b.id and not (b.id.startswith(prefix) and len(b.id) > len(prefix)):
            egna.append(f"id:t börjar inte med utgivarens prefix {prefix}")
        egna += valutan
        if not _BELOPP.fullmatch(b.amount_awarded) or b.amount_awarded.startswith("-"):
            egna.append("amountAwarded är inget belopp ≥ 0 i kronor")
        if b.award_date and _datum(b.award_date) is None:
            egna.append(f"awardDate {b.award_date!r} är inget datum (ÅÅÅÅ-MM-DD)")
        start, slut = _datum(b.start_date), _datum(b.end_date)
        if start is None or slut is None:
            egna.append("plannedDates har ett datum som inte är ÅÅÅÅ-MM-DD")
        elif slut < start:
            egna.append(f"plannedDates slutar {slut} före starten {start}")
        egna += _organisationens_fel("recipientOrganization", b.mottagare_id, b.mottagare_namn, u)
        egna += finansiaren
        if egna:
            fel += [f"bidrag {i + 1} ({b.id}): {f}" for f in egna]
    return fel


@dataclass(frozen=True)
class Publicering:
    """Det som publiceras för ett år, räknat en gång; renderarna skriver var sin fil av det."""

    ar: int
    avtal: tuple[Avtal, ...]
    utgivare: Utgivare
    idag: dt.date
    rader: tuple[tuple[str, ...], ...]  # kolumnerna i `KOLUMNER`

    @classmethod
    def bygg(cls, ar: int, avtal: tuple[Avtal, ...], u: Utgivare, idag: dt.date) -> Publicering:
        return cls(ar, avtal, u, idag, tuple(rader(avtal, ar, u)))

    @functools.cached_property
    def paket(self) -> Paket360:
        """360Giving-paketet, när det behövs: självkontrollen och paketets fil görs i en annan
        process än CSV- och JSON-filen, som bara behöver raderna."""
        return paket_360(self.avtal, self.rader, self.ar, self.utgivare, self.idag)

    def kontrollera(self) -> list[str]:
        if not self.avtal:
            return [
                f"inga avtal var aktiva under {self.ar}: ett 360Giving-paket har minst ett bidrag"
            ]
        return kontrollera(self.paket, self.utgivare)


def csv_(p: Publicering, ut: Any) -> None:
    import csv

    from partner_cli.saker import kalkylrader

    skrivare = csv.writer(ut, lineterminator="\n")
    skrivare.writerow(KOLUMNER)
    skrivare.writerows(kalkylrader(p.rader))


def json_(p: Publicering, ut: Any) -> None:
    from partner_cli.saker import json_dokument

    huvud = {
        "version": VERSION,
        "år": p.ar,
        "utgivare": {"namn": p.utgivare.namn, "id": se_on(p.utgivare.organisationsnummer)},
        "licens": p.utgivare.licens,
        "kolumner": KOLUMNER,
    }
    # En post som `KODA` skriver ett objekt med kolumnerna: samma text, utan en ordbok per rad.
    mall = "{{" + ", ".join(f"{strang(k)}: {{}}" for k in KOLUMNER) + "}}"
    poster = (mall.format(*map(strang, r)) for r in p.rader)
    ut.write(json_dokument(med_listans_rader(huvud, "avtal", poster)))


def giving360(p: Publicering, ut: Any) -> None:
    from partner_cli.saker import json_dokument

    ut.write(json_dokument(json_text(p.paket)))


def dcat(p: Publicering, ut: Any) -> None:
    ut.write(json.dumps(katalogpost(p.ar, p.utgivare, p.idag), ensure_ascii=False, indent=2))
    ut.write("\n")
