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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from partner_cli import publicering
from partner_cli.jsontext import med_lista
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
_BELOPP = re.compile(r"\u0000belopp:(-?\d+\.\d{2})\u0000")

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


def organisations_id(a: Avtal, u: Utgivare) -> str:
    if ar_personnummer(a.organisationsnummer):
        return f"{u.prefix}-IND-{a.id}"
    return se_on(a.organisationsnummer)


def rader(avtal: Sequence[Avtal], ar: int, u: Utgivare) -> list[dict[str, str]]:
    """Kolumnerna i `KOLUMNER` per avtal, som text: belopp i kronor med två decimaler."""
    ut = []
    for a in avtal:
        ut.append(
            {
                "id": a.id,
                "titel": a.titel,
                "typ": a.typ,
                "diarienummer": a.diarienummer or "",
                "organisation": publicering.namn(
                    a.organisation, a.organisationsnummer, u.dolj_enskild_firmas_namn
                ),
                "organisationsnummer": publicering.nummer(a.organisationsnummer) or "",
                "organisations_id": organisations_id(a, u),
                "kategori": a.kategori,
                "period_start": a.period_start.isoformat(),
                "period_slut": a.period_slut.isoformat(),
                "ny": "ja" if a.period_start.year == ar else "nej",
                "initiativ": a.initiativ,
                "kommunen_kontant": decimal_kronor(a.kommunen_kontant),
                "kommunen_in_kind": decimal_kronor(a.kommunen_in_kind),
                "medfinansiering": decimal_kronor(a.medfinansiering),
                "garanterad": decimal_kronor(a.garanterad),
                "naringsliv": decimal_kronor(a.naringsliv),
                "total": decimal_kronor(a.total),
            }
        )
    return ut


def _belopp(ore: int) -> str:
    """Ett belopp som ska bli ett JSON-tal med exakt sin decimaltext (`json_text`)."""
    return f"\u0000belopp:{decimal_kronor(ore)}\u0000"


def json_text(paket: Mapping[str, Any]) -> str:
    """Paketet som JSON, ett bidrag per rad, där belopp står som tal med exakt sin
    decimaltext, aldrig genom ett flyttal."""
    huvud = {k: v for k, v in paket.items() if k != "grants"}
    text = med_lista(huvud, "grants", paket["grants"])
    return re.sub(r'"\\u0000belopp:(-?\d+\.\d{2})\\u0000"', r"\1", text)


def paket_360(
    avtal: Sequence[Avtal],
    publicerade: Sequence[Mapping[str, str]],
    ar: int,
    u: Utgivare,
    idag: dt.date,
) -> dict[str, Any]:
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
    for r, a in zip(publicerade, avtal, strict=True):
        bidrag.append(
            {
                "id": f"{u.prefix}-{a.id}",
                "title": a.titel,
                "description": f"{a.typ.capitalize()} med {r['organisation']}: kommunens "
                f"bidrag {kronor(a.kommunen_kontant + a.kommunen_in_kind)} av en budget på "
                f"{kronor(a.total)}, varav {kronor(a.garanterad)} garanterat av andra parter.",
                "currency": "SEK",
                "amountAwarded": _belopp(a.kommunen_kontant + a.kommunen_in_kind),
                "awardDate": a.registrerad.isoformat(),
                "plannedDates": [
                    {"startDate": a.period_start.isoformat(), "endDate": a.period_slut.isoformat()}
                ],
                "recipientOrganization": [{"id": r["organisations_id"], "name": r["organisation"]}],
                "fundingOrganization": [kommunen],
                "grantProgramme": [program],
            }
        )
    return {
        "version": VERSION_360,
        "title": f"{u.namn}: partnerskap med näringslivet {ar}",
        "identifier": f"{u.prefix}-partnerskap-{ar}",
        "issued": idag.isoformat(),
        "publisher": {"identifier": kommunen["id"], "name": u.namn},
        "license": u.licens,
        "grants": bidrag,
    }


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


def _datum(text: Any) -> dt.date | None:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@functools.cache
def _se_on_giltigt(identifierare: str) -> bool:
    return bool(_SE_ON.fullmatch(identifierare)) and luhn_giltig(identifierare[6:])


def kontrollera(paket: Mapping[str, Any], u: Utgivare) -> list[str]:
    """Det som gör paketet ogiltigt att publicera, ett fel per rad; tomt när allt håller."""
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
    sedda: set[str] = set()
    for i, b in enumerate(paket.get("grants", [])):
        namn = f"bidrag {i + 1} ({b.get('id', 'utan id')})"
        for falt in (
            "id",
            "title",
            "description",
            "currency",
            "amountAwarded",
            "awardDate",
            "recipientOrganization",
            "fundingOrganization",
        ):
            if b.get(falt) in (None, "", []):
                fel.append(f"{namn}: {falt} saknas")
        gid = b.get("id", "")
        if gid in sedda:
            fel.append(f"{namn}: id:t finns redan i paketet")
        sedda.add(gid)
        if gid and not (gid.startswith(u.prefix + "-") and len(gid) > len(u.prefix) + 1):
            fel.append(f"{namn}: id:t börjar inte med utgivarens prefix {u.prefix}-")
        if b.get("currency") != "SEK":
            fel.append(f"{namn}: valutan ska vara SEK, inte {b.get('currency')!r}")
        belopp = _BELOPP.fullmatch(str(b.get("amountAwarded", "")))
        if belopp is None or belopp[1].startswith("-"):
            fel.append(f"{namn}: amountAwarded är inget belopp ≥ 0 i kronor")
        if b.get("awardDate") and _datum(b["awardDate"]) is None:
            fel.append(f"{namn}: awardDate {b['awardDate']!r} är inget datum (ÅÅÅÅ-MM-DD)")
        for d in b.get("plannedDates", []):
            start, slut = _datum(d.get("startDate")), _datum(d.get("endDate"))
            if start is None or slut is None:
                fel.append(f"{namn}: plannedDates har ett datum som inte är ÅÅÅÅ-MM-DD")
            elif slut < start:
                fel.append(f"{namn}: plannedDates slutar {slut} före starten {start}")
        for roll in ("recipientOrganization", "fundingOrganization"):
            for org in b.get(roll, []):
                oid, onamn = org.get("id", ""), org.get("name", "")
                if not onamn:
                    fel.append(f"{namn}: {roll} saknar namn")
                if oid.startswith("SE-ON-"):
                    if not _se_on_giltigt(oid):
                        fel.append(f"{namn}: {roll} {oid!r} är inget giltigt SE-ON-id")
                    elif ar_personnummer(oid[6:]):
                        fel.append(f"{namn}: {roll} {oid!r} är ett personnummer")
                elif not oid.startswith(u.prefix + "-IND-"):
                    fel.append(f"{namn}: {roll} {oid!r} är varken SE-ON- eller utgivarens id")
    return fel


@dataclass(frozen=True, slots=True)
class Publicering:
    """Det som publiceras för ett år, räknat en gång; renderarna skriver var sin fil av det."""

    ar: int
    avtal: tuple[Avtal, ...]
    utgivare: Utgivare
    idag: dt.date
    rader: tuple[dict[str, str], ...]
    paket: dict[str, Any]

    @classmethod
    def bygg(cls, ar: int, avtal: tuple[Avtal, ...], u: Utgivare, idag: dt.date) -> Publicering:
        publicerade = tuple(rader(avtal, ar, u))
        return cls(ar, avtal, u, idag, publicerade, paket_360(avtal, publicerade, ar, u, idag))

    def kontrollera(self) -> list[str]:
        if not self.avtal:
            return [
                f"inga avtal var aktiva under {self.ar}: ett 360Giving-paket har minst ett bidrag"
            ]
        return kontrollera(self.paket, self.utgivare)


def csv_(p: Publicering, ut: Any) -> None:
    import csv

    from partner_cli.saker import kalkylcell

    skrivare = csv.writer(ut, lineterminator="\n")
    skrivare.writerow(KOLUMNER)
    for r in p.rader:
        skrivare.writerow(kalkylcell(v) for v in r.values())


def json_(p: Publicering, ut: Any) -> None:
    from partner_cli.saker import json_dokument

    huvud = {
        "version": VERSION,
        "år": p.ar,
        "utgivare": {"namn": p.utgivare.namn, "id": se_on(p.utgivare.organisationsnummer)},
        "licens": p.utgivare.licens,
        "kolumner": KOLUMNER,
    }
    ut.write(json_dokument(med_lista(huvud, "avtal", p.rader)))


def giving360(p: Publicering, ut: Any) -> None:
    from partner_cli.saker import json_dokument

    ut.write(json_dokument(json_text(p.paket)))


def dcat(p: Publicering, ut: Any) -> None:
    ut.write(json.dumps(katalogpost(p.ar, p.utgivare, p.idag), ensure_ascii=False, indent=2))
    ut.write("\n")
