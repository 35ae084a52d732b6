"""Utvärdering: minst en utvärdering planeras, inom avtalstiden.

Varje datum ska ligga från `period.start` till `period.slut` plus `max_dagar_efter_slut`
dagar, så att en slututvärdering hinner göras efter avtalets sista dag.

Inställningar: `max_dagar_efter_slut` (standard 365).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler.bas import Kontext, Problem

ID = "utvärdering"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 4"
CITAT = "Varje partnerskap skall utvärderas utifrån gemensamt överenskomna mål."
NIVA = "fel"
KONF: dict[str, type] = {"max_dagar_efter_slut": int}
STANDARD: dict[str, Any] = {"max_dagar_efter_slut": 365}
EXEMPEL_GODKANT = """\
utvärdering:
  - {datum: 2015-09-01, typ: delutvärdering}
  - {datum: 2016-09-30, typ: slututvärdering}
"""
EXEMPEL_UNDERKANT = """\
utvärdering:
  - {datum: 2018-09-30, typ: slututvärdering}
"""


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    if not forslag.utvardering:
        yield Problem(
            "utvärdering",
            "Ingen utvärdering planerad: partnerskapet ska utvärderas mot de överenskomna målen",
        )
    period = forslag.period
    dagar: int = inst["max_dagar_efter_slut"]
    sista = period.slut + dt.timedelta(days=dagar)
    for i, u in enumerate(forslag.utvardering):
        if u.datum is None:
            yield Problem(f"utvärdering[{i}].datum", f"Utvärdering {i + 1} saknar datum")
        elif not period.start <= u.datum <= sista:
            yield Problem(
                f"utvärdering[{i}].datum",
                f"Utvärderingen {u.datum} ligger utanför avtalstiden {period.start}–{period.slut} "
                f"och {dagar} dagar därefter (senast {sista})",
            )
