"""Utvärdering: utvärderingar planeras inom avtalstiden, och partnerskapet slututvärderas.

Varje datum ska ligga från `period.start` till `period.slut` plus `max_dagar_efter_slut`
dagar, så att en slututvärdering hinner göras efter avtalets sista dag. Minst en planerad
utvärdering ska vara en `slututvärdering` tidigast `slututvärdering_dagar_före_slut` dagar
före `period.slut` (och som alla senast `max_dagar_efter_slut` dagar efter): en enda
utvärdering första dagen mäter inte om målen nåddes.

Inställningar: `max_dagar_efter_slut` (standard 365), `kräv_slututvärdering` (standard
true), `slututvärdering_dagar_före_slut` (standard 90).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler.bas import Exempel, Kontext, Problem

ID = "utvärdering"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 4"
CITAT = "Varje partnerskap skall utvärderas utifrån gemensamt överenskomna mål."
NIVA = "fel"
KONF: dict[str, type] = {
    "max_dagar_efter_slut": int,
    "kräv_slututvärdering": bool,
    "slututvärdering_dagar_före_slut": int,
}
STANDARD: dict[str, Any] = {
    "max_dagar_efter_slut": 365,
    "kräv_slututvärdering": True,
    "slututvärdering_dagar_före_slut": 90,
}
EXEMPEL_GODKANT = """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
  - {datum: 2016-09-30, typ: slututvärdering}
"""
EXEMPEL_UNDERKANT = """\
utvärdering:
  - {datum: 2014-09-01, typ: delutvärdering}
"""


TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "max_dagar_efter_slut",
        "Hur många dagar efter avtalets slut en planerad utvärdering senast får ligga (standard "
        "365).",
        """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
  - {datum: 2016-09-30, typ: slututvärdering}
""",
        """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
  - {datum: 2016-10-01, typ: slututvärdering}
""",
        """\
[regler."utvärdering"]
max_dagar_efter_slut = 30
""",
    ),
    Exempel(
        "slututvärdering_dagar_före_slut",
        "Hur många dagar före avtalets slut slututvärderingen tidigast får ligga (standard 90).",
        """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
  - {datum: 2016-08-01, typ: slututvärdering}
""",
        """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
  - {datum: 2016-07-31, typ: slututvärdering}
""",
        """\
[regler."utvärdering"]
"slututvärdering_dagar_före_slut" = 30
""",
    ),
    Exempel(
        "kräv_slututvärdering",
        '"Varje partnerskap skall utvärderas" läses som att det också utvärderas när det slutar: '
        "minst en slututvärdering krävs (standard true); false stänger av kravet.",
        """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
""",
        """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
""",
        """\
[regler."utvärdering"]
"kräv_slututvärdering" = false
""",
        "",
    ),
)


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    if not forslag.utvardering:
        yield Problem(
            "utvärdering",
            "Ingen utvärdering planerad: partnerskapet ska utvärderas mot de överenskomna målen",
        )
        return
    period = forslag.period
    dagar: int = inst["max_dagar_efter_slut"]
    sista = period.slut + dt.timedelta(days=dagar)
    if inst["kräv_slututvärdering"]:
        fore: int = inst["slututvärdering_dagar_före_slut"]
        tidigast = period.slut - dt.timedelta(days=fore)
        if not any(
            u.typ == "slututvärdering" and u.datum is not None and tidigast <= u.datum <= sista
            for u in forslag.utvardering
        ):
            yield Problem(
                "utvärdering",
                f"Ingen slututvärdering planerad från {tidigast} till {sista} ({fore} dagar "
                f"före avtalets slut {period.slut} till {dagar} dagar efter): partnerskapet "
                "ska utvärderas mot målen när det slutar",
            )
    for i, u in enumerate(forslag.utvardering):
        if u.datum is None:
            yield Problem(f"utvärdering[{i}].datum", f"Utvärdering {i + 1} saknar datum")
        elif not period.start <= u.datum <= sista:
            yield Problem(
                f"utvärdering[{i}].datum",
                f"Utvärderingen {u.datum} ligger utanför avtalstiden {period.start}–{period.slut} "
                f"och {dagar} dagar därefter (senast {sista})",
            )
