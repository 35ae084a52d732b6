"""Värdetyperna i förslagsformatet: belopp, tal, sanningsvärden, datum och organisationsnummer.

Allt läses ur skalärens egen text, aldrig via YAML 1.1:s implicita typning (som gör
`450.000` till 450.0). Belopp blir heltal i öre; andelar är `Fraction`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from decimal import Decimal
from fractions import Fraction


class VardeFel(ValueError):
    """Ett värde som inte går att tolka; meddelandet är på svenska och riktat till användaren."""


_UTAN_MELLANRUM = str.maketrans("", "", " \u00a0\u202f")
# re.ASCII: \d skulle annars godta arabiska och andra siffror ("٤٠٠" som 400 kr).
_TAL = re.compile(
    r"(?P<heltal>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:(?P<tecken>[.,])(?P<decimaler>\d+))?",
    re.ASCII,
)
ENHETER = {
    "": 1,
    "kr": 1,
    "sek": 1,
    ":-": 1,
    "tkr": 1_000,
    "mnkr": 1_000_000,
    "mkr": 1_000_000,
    "msek": 1_000_000,
}
_SUFFIX_RE = re.compile(r"\s*(kr|sek|:-|tkr|mnkr|mkr|msek)?", re.IGNORECASE)
# Tolv siffror kronor räcker till varje kommunal budget och håller summor långt under SQLites int64.
MAX_KRONOR = 10**12
BOOL_ORD = {"ja": True, "true": True, "nej": False, "false": False}


def _tal(text: str, *, negativ: bool, exempel: str) -> tuple[bool, str, str, str]:
    """Tolkar ett tal med tusentalsavgränsare och decimalkomma: (minus, heltalets siffror,
    högst två decimaler, resten av texten)."""
    s = text.strip()
    minus = s[:1] in ("-", "\u2212")
    if minus:
        if not negativ:
            raise VardeFel(f"negativa värden är inte tillåtna här: {text!r}")
        s = s[1:].lstrip()
    m = _TAL.match(s)
    if not m:
        raise VardeFel(f"{text!r} är inget belopp; skriv till exempel {exempel}")
    heltal = m["heltal"].translate(_UTAN_MELLANRUM)
    if len(heltal) > 1 and heltal.startswith("0"):
        raise VardeFel(f"{text!r}: inledande nollor är tvetydiga (oktalt i YAML 1.1)")
    decimaler = m["decimaler"] or ""
    if len(decimaler) == 3:
        raise VardeFel(
            f"{text!r} är tvetydigt: tusentalsavgränsare eller tre decimaler? "
            "Skriv tusental med mellanslag (450 000) och högst två decimaler"
        )
    if len(decimaler) > 2:
        raise VardeFel(f"{text!r} har fler än två decimaler")
    return minus, heltal, decimaler, s[m.end() :]


def belopp(text: str, *, negativ: bool = False) -> int:
    """Ett belopp i kronor som text (`400 000 kr`, `1,5 mnkr`, `12 500:-`) till heltal i öre."""
    minus, heltal, decimaler, rest = _tal(
        text, negativ=negativ, exempel="400 000 kr, 1,5 mnkr eller 12500"
    )
    m = _SUFFIX_RE.fullmatch(rest)
    if not m:
        # `1e6`, `0x10`, `1_000` är YAML 1.1-tal; säg det i stället för att bara nämna enheten.
        tips = " (exponent, hex och _ i tal tolkas inte)" if any(c.isdigit() for c in rest) else ""
        raise VardeFel(
            f"{text!r}: okänd enhet {rest.strip()!r}{tips}; tillåtna är kr, SEK, :-, tkr och mnkr"
        )
    # Högst två decimaler och hela enheter: alltid ett helt antal öre, räknat i heltal.
    ore = int(heltal + decimaler.ljust(2, "0")) * ENHETER[(m[1] or "").lower()]
    if ore >= MAX_KRONOR * 100:
        raise VardeFel(f"{text!r} är orimligt stort (högst {MAX_KRONOR:,} kr)".replace(",", " "))
    return -ore if minus else ore


def tal(text: str) -> Decimal:
    """Ett icke-negativt tal med högst två decimaler (timmar)."""
    _, heltal, decimaler, rest = _tal(text, negativ=False, exempel="800 eller 12,5")
    if rest.strip():
        raise VardeFel(f"{text!r} är inget tal; skriv till exempel 800 eller 12,5")
    varde = Decimal(f"{heltal}.{decimaler or '0'}")
    if varde >= MAX_KRONOR:
        raise VardeFel(f"{text!r} är orimligt stort")
    return varde


def heltal(text: str) -> int:
    """Ett heltal utan tecken (räkenskapsår)."""
    if not re.fullmatch(r"\d{1,9}", text.strip(), re.ASCII):
        raise VardeFel(f"{text!r} är inget heltal")
    return int(text)


def sanning(text: str) -> bool:
    try:
        return BOOL_ORD[text.strip().lower()]
    except KeyError:
        raise VardeFel(f"{text!r} är inget sanningsvärde; skriv ja eller nej") from None


_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def datum(text: str) -> dt.date:
    s = text.strip()
    if not _DATUM.fullmatch(s):
        raise VardeFel(f"{text!r} är inget datum; skriv ÅÅÅÅ-MM-DD, till exempel 2014-09-01")
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise VardeFel(f"{text!r} är inget giltigt datum i kalendern") from None


_ORGNR = re.compile(r"(\d{6})-?(\d{4})", re.ASCII)


def organisationsnummer(text: str) -> str:
    """Normaliserar till NNNNNN-NNNN och kontrollerar Luhn-siffran.

    Ett organisationsnummer har tredje siffran minst 2; ett personnummer har 0 eller 1 där
    (månaden). Ett personnummer godtas, eftersom en enskild firmas organisationsnummer är
    ägarens personnummer; regeln `organisationsnummer` påpekar att det är en personuppgift.
    """
    m = _ORGNR.fullmatch(text.strip())
    if not m:
        raise VardeFel(f"{text!r} är inget organisationsnummer; skriv NNNNNN-NNNN")
    siffror = m[1] + m[2]
    if not luhn_giltig(siffror):
        raise VardeFel(f"{text!r}: kontrollsiffran stämmer inte (Luhn)")
    nummer = f"{m[1]}-{m[2]}"
    if siffror[2] in "01" and not ar_personnummer(nummer):
        raise VardeFel(
            f"{text!r} är inget organisationsnummer: tredje siffran är alltid minst 2, och som "
            "personnummer (enskild firma) är de sex första siffrorna inget datum"
        )
    return nummer


# Organisationsnumrets första siffra (Bolagsverket, SCB): vilken sorts juridisk person det är.
_JURIDISK_FORM = {
    "1": "dödsbo",
    "2": "stat, region, kommun eller församling",
    "3": "utländskt företag",
    "5": "aktiebolag",
    "6": "enkelt bolag",
    "7": "ekonomisk förening, bostadsrättsförening eller samfällighet",
    "8": "ideell förening eller stiftelse",
    "9": "handelsbolag eller kommanditbolag",
}
ENSKILD_FIRMA = "enskild firma (numret är ägarens personnummer)"


def ar_personnummer(organisationsnummer: str) -> bool:
    """En enskild firma har ägarens personnummer: tredje och fjärde siffran är en månad (01–12),
    femte och sjätte en dag (01–31, eller 61–91 i ett samordningsnummer).

    En juridisk persons nummer har där 20 eller mer, så att de aldrig kan förväxlas."""
    manad, dag = int(organisationsnummer[2:4]), int(organisationsnummer[4:6])
    return 1 <= manad <= 12 and (1 <= dag <= 31 or 61 <= dag <= 91)


def juridisk_form(organisationsnummer: str) -> str:
    """Den juridiska formen som numret visar, eller en enskild firma när det är ett personnummer."""
    if ar_personnummer(organisationsnummer):
        return ENSKILD_FIRMA
    return _JURIDISK_FORM.get(organisationsnummer[0], "okänd (ovanlig första siffra)")


# Siffersumman av en dubblad siffra, efter siffran: tiotusentals nummer i en publicering.
_DUBBLAD = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_giltig(siffror: str) -> bool:
    """Luhn: varannan siffra, från den första, dubblas."""
    dubblade = sum(map(_DUBBLAD.__getitem__, map(int, siffror[::2])))
    return (dubblade + sum(map(int, siffror[1::2]))) % 10 == 0


def kronor(ore: int) -> str:
    """Svenskt format: `1 300 000 kr`, med öre bara när de finns: `12 500,50 kr`."""
    tecken = "−" if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    text = f"{kr:,}".replace(",", " ")
    return f"{tecken}{text},{rest:02d} kr" if rest else f"{tecken}{text} kr"


def decimal_kronor(ore: int) -> str:
    """Maskinläsbart och exakt: `600000.00`."""
    return f"{'-' if ore < 0 else ''}{abs(ore) // 100}.{abs(ore) % 100:02d}"


def _avkorta(andel: Fraction, decimaler: int) -> Decimal:
    # Heltal och text: exakt för alla antal decimaler, utan Decimal-kontextens 28 siffror.
    return Decimal(f"{math.floor(andel * 10**decimaler)}E-{decimaler}")


# En andel som inte prövas mot någon gräns avkortas mot 0: till så många decimaler som begärs.
INGEN_GRANS = Fraction(0)


def jamfor_andel(taljare: int, namnare: int, grans: Fraction) -> int:
    """Andelen taljare / namnare (namnare > 0) mot gränsen: -1 under, 0 lika, 1 över. I
    heltal: reglerna prövar sina gränser för varje granskad fil, och bara fynden behöver bråket."""
    skillnad = taljare * grans.denominator - grans.numerator * namnare
    return (skillnad > 0) - (skillnad < 0)


def andel_decimal(
    andel: Fraction, grans: Fraction, decimaler: int = 1, *, strikt: bool = False
) -> Decimal:
    """Andelen avkortad till så få decimaler som går utan att motsäga jämförelsen med gränsen.

    49,996 % mot gränsen 50 % visas som 49,9 %, aldrig 50,0 %; avkortning nedåt håller
    godkända andelar på rätt sida, och fler decimaler tas bara till när gränsen själv har fler.
    `strikt`: jämförelsen är `andel > gräns` (50,001 % över 50 % visas inte som 50,0 %).
    """
    return Decimal(andel_decimaltext(andel.numerator, andel.denominator, grans, decimaler, strikt))


def andel_decimaltext(
    taljare: int,
    namnare: int,
    grans: Fraction = INGEN_GRANS,
    decimaler: int = 4,
    strikt: bool = False,
) -> str:
    """Andelen taljare / namnare som `andel_decimal`, som text med punkt (`0.4612`, aldrig
    `1E-7`), räknad i heltal: granskningens JSON har sju andelar per fil."""
    if not grans and not strikt and taljare >= 0:
        # Mot ingen gräns är varje andel på rätt sida: avkortad till de begärda decimalerna.
        return _decimaltext(taljare * 10**decimaler // namnare, decimaler, ".")
    visad, decimaler = _avkortad(
        taljare, namnare, grans.numerator, grans.denominator, decimaler, strikt
    )
    return _decimaltext(visad, decimaler, ".")


def _decimaltext(visad: int, decimaler: int, tecken: str) -> str:
    """Heltalet `visad` med `decimaler` decimaler efter decimaltecknet."""
    heltal, rest = divmod(abs(visad), 10**decimaler)
    return f"{'-' if visad < 0 else ''}{heltal}{tecken}{rest:0{decimaler}d}"


def _avkortad(
    taljare: int, namnare: int, gt: int, gn: int, decimaler: int, strikt: bool
) -> tuple[int, int]:
    """Andelen taljare / namnare mot gränsen gt / gn, avkortad: (heltalet, antal decimaler)."""

    # Bara heltal: rapporter visar tiotusentals andelar, och Fraction-objekt kostar.
    def over(t: int, n: int) -> bool:
        return t * gn > gt * n if strikt else t * gn >= gt * n

    uppfylld = over(taljare, namnare)
    while True:
        skala = 10**decimaler
        visad = taljare * skala // namnare
        # Taket nås bara när andelen är lika med en gräns utan ändlig decimalutveckling (1/3);
        # gränser ur partner.toml och andelar av öre-belopp avgörs långt före.
        if decimaler >= 40 or over(visad, skala) == uppfylld:
            return visad, decimaler
        decimaler += 1


def procent(andel: Fraction, grans: Fraction, *, strikt: bool = False) -> str:
    """`46,1 %`, avkortad så att den visade siffran aldrig motsäger jämförelsen med gränsen."""
    visad, decimaler = _avkortad(
        andel.numerator * 100, andel.denominator, grans.numerator * 100, grans.denominator, 1,
        strikt,
    )  # fmt: skip
    return f"{_decimaltext(visad, decimaler, ',')} %"


def andel_text(andel: Fraction) -> str:
    """`41,9 %`: en andel som inte prövas mot någon gräns, avkortad som de som gör det, så att
    samma belopp aldrig visas med två olika andelar i ett dokument."""
    # Promille nedåt i heltal, som `_avkorta(andel * 100, 1)`: rapporter visar tiotusentals.
    return f"{_decimaltext(andel.numerator * 1000 // andel.denominator, 1, ',')} %"


@functools.cache  # gränserna ur partner.toml, några stycken; varningarna nämner dem per fil
def procentsats(andel: Fraction) -> str:
    """En gräns som den står i partner.toml: 0.5 → `50 %`, 0.335 → `33,5 %`.

    Exakt, med alla gränsens decimaler: en avkortad gräns kunde se ut att uppfyllas av en
    visad andel som inte uppfyller den (12,34566 % mot "minst 12,3456 %").
    """
    procent = andel * 100
    decimaler = next((n for n in range(41) if (procent * 10**n).denominator == 1), 4)
    return f"{_avkorta(procent, decimaler).normalize():f} %".replace(".", ",")


def inledande_tal(text: str | None) -> Decimal | None:
    """Talet som en text börjar med (`12 000 besökare` → 12000), med beloppens
    tusentalsavgränsare och decimaltecken; None när texten inte börjar med ett tal."""
    m = _TAL.match((text or "").lstrip())
    if m is None:
        return None
    return Decimal(f"{m['heltal'].translate(_UTAN_MELLANRUM)}.{m['decimaler'] or '0'}")


def maluppfyllelse(utfall: str, malvarde: str | None) -> str | None:
    """Utfall / målvärde som exakt decimaltal avkortat till fyra decimaler (`0.6000`), när
    båda börjar med ett tal och målvärdet inte är noll; annars None."""
    u, m = inledande_tal(utfall), inledande_tal(malvarde)
    if u is None or m is None or m == 0:
        return None
    return str(_avkorta(Fraction(u) / Fraction(m), 4))
