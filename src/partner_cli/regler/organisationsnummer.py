"""Organisationsnummer: vad numrets gruppsiffra säger om organisationen stämmer med kategorin.

Den första siffran i ett organisationsnummer (gruppsiffran) anger organisationens juridiska
form: 1 dödsbon, 2 stat, regioner, kommuner och församlingar, 3 utländska företag, 5
aktiebolag, 6 enkla bolag, 7 ekonomiska föreningar, 8 ideella föreningar och stiftelser,
9 handels- och kommanditbolag; 0 och 4 tilldelas inte. Kategorin avgör om strategin gäller
(Avgränsning), så en kategori som numret motsäger är en varning: grupp 8 (ideell förening,
stiftelse) som `företag`, eller grupp 7 (ekonomisk förening) som `civilsamhälle`. Dödsbon och
grupperna 3, 0 och 4 namnges. Ett personnummer (en enskild firmas nummer) godtas som
`företag` men är en personuppgift, som inte ska publiceras: varningen säger det.

En medfinansiär med organisationsnummer i grupp 2 räknas som offentlig vad kategorin än
säger; en annan kategori är en motsägelse och en varning.

Inställningar: inga utöver nivån (standard varning).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler import tillampning
from partner_cli.regler.bas import Exempel, Kontext, Problem, finansiering, motpart, regionen
from partner_cli.varden import ar_personnummer

ID = "organisationsnummer"
GRUND = "Avgränsning"
# Samma stycke som regeln tillämpning: numret säger vilken sorts aktör motparten är.
CITAT = tillampning.CITAT
NIVA = "varning"
KONF: dict[str, type] = {}
STANDARD: dict[str, Any] = {}
EXEMPEL_GODKANT = tillampning.EXEMPEL_GODKANT
EXEMPEL_UNDERKANT = """\
motpart:
  namn: Stiftelsen Örebro Logistik
  organisationsnummer: 802467-8917
  kategori: företag
"""

TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "gruppsiffran",
        "Gruppsiffran mot kategorin: en ideell förening eller stiftelse (grupp 8) som företag, "
        "eller en ekonomisk förening (grupp 7) som civilsamhälle, är en motsägelse.",
        """\
motpart:
  namn: Örebro Logistikpartner AB
  organisationsnummer: 556781-2341
  kategori: företag
""",
        """\
motpart:
  namn: Stiftelsen Örebro Logistik
  organisationsnummer: 802467-8917
  kategori: företag
""",
    ),
    Exempel(
        "dödsbon och grupperna 0, 3 och 4",
        "Gruppsiffror som inte hör till en part i ett partnerskap namnges: 1 dödsbon, 3 utländska "
        "företag, 0 och 4 tilldelas inte.",
        """\
motpart:
  namn: Örebro Logistikpartner AB
  organisationsnummer: 556781-2341
  kategori: företag
""",
        """\
motpart:
  namn: Dödsbo efter Per Berg
  organisationsnummer: 169876-5433
  kategori: företag
""",
    ),
    Exempel(
        "personnummer",
        "Ett personnummer godtas som en enskild firmas organisationsnummer (kategori företag) men "
        "är en personuppgift, som publiceringen utelämnar: en varning.",
        """\
motpart:
  namn: Örebro Logistikpartner AB
  organisationsnummer: 556781-2341
  kategori: företag
""",
        """\
motpart:
  namn: Bergs Logistik
  organisationsnummer: 640823-3234
  kategori: företag
""",
    ),
    Exempel(
        "medfinansiärens gruppsiffra 2",
        "En medfinansiär med gruppsiffran 2 räknas som offentlig; en annan kategori är en "
        "motsägelse.",
        finansiering("500 000 kr", motpart("300 000 kr"), regionen("200 000 kr")),
        finansiering("500 000 kr", motpart("300 000 kr"), regionen("200 000 kr", "övrig")),
        """\
[kommun]
namn = "Örebro kommun"
organisationsnummer = "212000-1967"
bolag = ["556912-3457"]
""",
    ),
)


GRUPPER = {
    "0": "en gruppsiffra som inte tilldelas",
    "1": "dödsbon",
    "2": "stat, regioner, kommuner och församlingar",
    "3": "utländska företag med verksamhet eller fastighet i Sverige",
    "4": "en gruppsiffra som inte tilldelas",
    "5": "aktiebolag",
    "6": "enkla bolag",
    "7": "ekonomiska föreningar",
    "8": "ideella föreningar och stiftelser",
    "9": "handelsbolag och kommanditbolag",
}
# Personnummer: en enskild firma, som bara kan vara ett företag.
ENSKILD_FIRMA = "p"
# Gruppsiffrorna som varje motpartskategori kan ha; 1, 0 och 4 passar ingen.
MOJLIGA_GRUPPER = {
    "företag": "35679" + ENSKILD_FIRMA,
    "företagsorganisation": "5789",
    "tillväxtfrämjande": "578",
    "civilsamhälle": "28",
    "kommunalt_bolag": "578",
    "offentlig": "258",
}

_NAMNGIVNA = {
    "0": "den tilldelas inte; kontrollera numret",
    "1": "ett dödsbo, som inte är en part för ett partnerskap; kontrollera numret",
    "3": (
        "ett utländskt företag med verksamhet eller fastighet i Sverige; kontrollera att "
        "ekonomin och underlagen gäller den svenska verksamheten"
    ),
    "4": "den tilldelas inte; kontrollera numret",
}


def grupp(nummer: str) -> str:
    """Gruppsiffran, eller `p` för ett personnummer."""
    return ENSKILD_FIRMA if ar_personnummer(nummer) else nummer[0]


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    motpart = forslag.motpart
    g = grupp(motpart.organisationsnummer)
    sokvag = "motpart.organisationsnummer"
    if g == ENSKILD_FIRMA:
        yield Problem(
            sokvag,
            "Numret är ett personnummer (en enskild firmas organisationsnummer): det är en "
            "personuppgift och ska inte publiceras som det står",
        )
    elif g in _NAMNGIVNA:
        yield Problem(sokvag, f"Organisationsnumret har gruppsiffran {g}: {_NAMNGIVNA[g]}")
    if g not in MOJLIGA_GRUPPER[motpart.kategori] and g not in "014":  # 1, 0, 4: sagt ovan
        vad = "ett personnummer (enskild firma)" if g == ENSKILD_FIRMA else GRUPPER[g]
        yield Problem(
            "motpart.kategori",
            f"Kategorin {motpart.kategori} stämmer inte med organisationsnumret, som hör till "
            f"{vad}; kategorin avgör om strategin gäller, så kontrollera den",
        )
    for i, m in enumerate(forslag.finansiering.motparter):
        nummer = m.organisationsnummer
        if nummer is not None and nummer.startswith("2") and m.kategori != "offentlig":
            yield Problem(
                f"finansiering.motparter[{i}].kategori",
                f"{m.namn} har ett organisationsnummer i grupp 2 ({GRUPPER['2']}) men "
                f"kategorin {m.kategori}: bidraget räknas som offentligt",
            )
