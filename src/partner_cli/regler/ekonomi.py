"""Ekonomi: motpartens ekonomi granskas och vägs in.

Avsnittet `ekonomi` ska finnas med alla sex fält. `räkenskapsår` får inte ligga efter
avtalets startår och inte mer än `max_ålder_år` år före det. Varningar (inte fel) ges för
förlust, negativt eget kapital och beroende av offentliga medel: offentlig finansiering
delad med omsättningen över `max_offentlig_andel` (strategins "Utmaningar"), före avtalet
eller med avtalets årliga stöd från kommunen lagt till både de offentliga medlen och
omsättningen. Det årliga stödet är det största årets kontanta bidrag: ur
`finansiering.kommunen.utbetalningar` när planen finns, annars kontanten fördelad jämnt över
periodens dagar. Omsättningen 0 är alltid en varning: med offentliga medel är organisationen
helt beroende av dem.

Inställningar: `max_ålder_år` (standard 2), `max_offentlig_andel` (standard 0.50).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.namn import attributnamn
from partner_cli.regler.bas import Exempel, Kontext, Problem
from partner_cli.varden import jamfor_andel, kronor, procent, procentsats

ID = "ekonomi"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 3"
CITAT = (
    "Vid bedömning av framtida projekt och partnerskapsavtal kommer respektive organisations "
    "ekonomi att granskas och vägas in i beslut."
)
NIVA = "fel"
KONF: dict[str, type] = {"max_ålder_år": int, "max_offentlig_andel": Fraction}
STANDARD: dict[str, Any] = {"max_ålder_år": 2, "max_offentlig_andel": Fraction(1, 2)}
EXEMPEL_GODKANT = """\
ekonomi:
  räkenskapsår: 2013
  omsättning: 2 400 000 kr
  resultat: 120 000
  eget_kapital: 600 000
  offentlig_finansiering: 240 000
  källa: Årsredovisning 2013
"""
EXEMPEL_UNDERKANT = """\
ekonomi:
  räkenskapsår: 2010
  omsättning: 2 400 000 kr
  resultat: 120 000
  eget_kapital: 600 000
  offentlig_finansiering: 240 000
  källa: Årsredovisning 2010
"""
_FALT = (
    "räkenskapsår",
    "omsättning",
    "resultat",
    "eget_kapital",
    "offentlig_finansiering",
    "källa",
)
_ATTRIBUT = tuple((nyckel, attributnamn(nyckel)) for nyckel in _FALT)


TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "max_ålder_år",
        "Hur många år före startåret årsredovisningen högst får vara (standard 2).",
        """\
ekonomi:
  räkenskapsår: 2013
""",
        """\
ekonomi:
  räkenskapsår: 2012
""",
        """\
[regler.ekonomi]
"max_ålder_år" = 1
""",
    ),
    Exempel(
        "max_offentlig_andel",
        "Den andel offentliga medel av omsättningen som ger en varning för beroende (standard "
        "0.50), räknad med avtalets årliga stöd från kommunen.",
        """\
ekonomi:
  offentlig_finansiering: 240 000 kr
""",
        """\
ekonomi:
  offentlig_finansiering: 600 000 kr
""",
        """\
[regler.ekonomi]
max_offentlig_andel = 0.3
""",
        niva="varning",
    ),
    Exempel(
        "beroende efter avtalet",
        '"Risk att dessa organisationer blir beroende av offentliga medel": andelen räknas också '
        "med avtalets årliga kontanta stöd från kommunen lagt till de offentliga medlen och "
        "omsättningen, så att ett avtal som gör organisationen beroende varnar.",
        """\
ekonomi:
  offentlig_finansiering: 900 000 kr
""",
        """\
ekonomi:
  offentlig_finansiering: 1 150 000 kr
""",
        niva="varning",
    ),
    Exempel(
        "omsättning 0",
        "En organisation utan omsättning är alltid en varning, med offentliga medel helt beroende.",
        """\
ekonomi:
  omsättning: 2 400 000 kr
""",
        """\
ekonomi:
  omsättning: 0 kr
  offentlig_finansiering: 0 kr
""",
        niva="varning",
    ),
)


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    e = forslag.ekonomi
    if e is None:
        yield Problem(
            "ekonomi",
            f"Motpartens ekonomi saknas: ange ekonomi med {', '.join(_FALT)}",
        )
        return
    for nyckel, attr in _ATTRIBUT:
        if getattr(e, attr) is None:
            yield Problem(f"ekonomi.{nyckel}", f"ekonomi.{nyckel} saknas")
    startar = forslag.period.start.year
    max_alder: int = inst["max_ålder_år"]
    if e.rakenskapsar is not None:
        if e.rakenskapsar > startar:
            yield Problem(
                "ekonomi.räkenskapsår",
                f"Räkenskapsåret {e.rakenskapsar} ligger efter avtalets startår {startar}",
            )
        elif e.rakenskapsar < startar - max_alder:
            yield Problem(
                "ekonomi.räkenskapsår",
                f"Räkenskapsåret {e.rakenskapsar} är för gammalt: högst {max_alder} år före "
                f"startåret {startar}, alltså {startar - max_alder} eller senare",
            )
    if e.resultat is not None and e.resultat < 0:
        yield Problem(
            "ekonomi.resultat", f"Motparten redovisar förlust ({kronor(e.resultat)})", "varning"
        )
    if e.eget_kapital is not None and e.eget_kapital < 0:
        yield Problem(
            "ekonomi.eget_kapital",
            f"Motparten har negativt eget kapital ({kronor(e.eget_kapital)})",
            "varning",
        )
    yield from _beroende(forslag, inst["max_offentlig_andel"])


def _beroende(forslag: Forslag, grans: Fraction) -> Iterator[Problem]:
    """Offentliga medel av omsättningen före avtalet och med avtalets årliga stöd från kommunen
    (det största årets kontanta bidrag) lagt till både medlen och omsättningen."""
    e = forslag.ekonomi
    assert e is not None
    if e.omsattning is None or e.offentlig_finansiering is None:
        return
    sokvag = "ekonomi.offentlig_finansiering"
    if e.omsattning == 0:
        yield Problem(
            "ekonomi.omsättning",
            f"Motparten har ingen omsättning men {kronor(e.offentlig_finansiering)} i offentliga "
            "medel: organisationen är helt beroende av offentliga medel för sin överlevnad"
            if e.offentlig_finansiering
            else "Motparten har ingen omsättning: beroendet av offentliga medel går inte att "
            "bedöma, och avtalets stöd blir hela intäkten",
            "varning",
        )
        return
    oms, off = e.omsattning, e.offentlig_finansiering
    kontant = forslag.finansiering.kommunen.kontant
    # Andelen växer med stödet när medlen är mindre än omsättningen, och stödet är högst hela
    # kommunens kontanta bidrag: räcker inte ens det över gränsen behövs inga exakta årsdelar
    # (det vanliga fallet).
    if off <= oms and jamfor_andel(off + kontant, oms + kontant, grans) <= 0:
        return
    fore, efter, stod = beroende(forslag, oms, off)
    if efter <= grans:
        return
    risk = "risk att organisationen blir beroende av offentliga medel för sin överlevnad"
    forstatext = f"{procent(fore, grans, strikt=True)} av motpartens omsättning är offentliga medel"
    if not stod:
        yield Problem(sokvag, f"{forstatext} (över {procentsats(grans)}): {risk}", "varning")
        return
    yield Problem(
        sokvag,
        f"{forstatext}, och med avtalets stöd från kommunen ({kronor(ore(stod))} det största "
        f"året) {procent(efter, grans, strikt=True)} (över {procentsats(grans)}): {risk}",
        "varning",
    )


def beroende(
    forslag: Forslag, omsattning: int, offentlig_finansiering: int
) -> tuple[Fraction, Fraction, Fraction]:
    """(före, med avtalets stöd, stödet): offentliga medel delat med omsättningen före avtalet,
    och med avtalets årliga stöd från kommunen (det största årets kontanta bidrag, öre) lagt
    till både medlen och omsättningen. Omsättningen är inte 0."""
    stod = max(forslag.kommunens_kontant_per_ar().values(), default=Fraction(0))
    fore = Fraction(offentlig_finansiering, omsattning)
    return fore, (offentlig_finansiering + stod) / (omsattning + stod), stod


def ore(belopp: Fraction) -> int:
    # Avkortat till helt öre: det visade stödet är aldrig större än det som räknades.
    return belopp.numerator // belopp.denominator
