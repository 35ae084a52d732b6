"""Insyn: när kommunen finansierar verksamhet eller en betydande del av ett projekt.

Krävs när `typ: verksamhetsstöd`, eller när kommunens bidrag är minst `betydande_andel` av
budgeten. Då ska `insyn.rätt_till_insyn` vara ja och `insyn.redovisning` anges.

Inställningar: `betydande_andel` (standard 0.25).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler.bas import Exempel, Kontext, Problem
from partner_cli.varden import jamfor_andel, procent, procentsats

ID = "insyn"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 2"
CITAT = (
    "När Örebro kommun finansierar delar av en organisations verksamhet eller betydande delar "
    "av ett projekt ska insyn och transparens garanteras."
)
NIVA = "fel"
KONF: dict[str, type] = {"betydande_andel": Fraction}
STANDARD: dict[str, Any] = {"betydande_andel": Fraction(1, 4)}
EXEMPEL_GODKANT = """\
insyn:
  rätt_till_insyn: ja
  redovisning: årlig
"""
EXEMPEL_UNDERKANT = """\
insyn:
  rätt_till_insyn: nej
  redovisning: årlig
"""


TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "betydande_andel",
        "Kommunens andel av budgeten från vilken insyn krävs också för projekt (standard 0.25; "
        "verksamhetsstöd kräver alltid insyn).",
        """\
insyn:
  rätt_till_insyn: nej
""",
        """\
finansiering:
  kommunen: {kontant: 600 000 kr}
insyn:
  rätt_till_insyn: nej
""",
        """\
[regler.insyn]
betydande_andel = 0.4
""",
    ),
)


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    grans: Fraction = inst["betydande_andel"]
    fin = forslag.finansiering
    total, kommunens = fin.total, fin.kommunen.summa
    verksamhet = forslag.typ == "verksamhetsstöd"
    betydande = total > 0 and jamfor_andel(kommunens, total, grans) >= 0
    # De flesta förslag har insyn: skälen behöver bara skrivas när den brister.
    insyn = forslag.insyn
    if not (verksamhet or betydande) or (
        insyn is not None and insyn.ratt_till_insyn is True and insyn.redovisning
    ):
        return
    skal = []
    if verksamhet:
        skal.append("kommunen finansierar verksamhet (typ: verksamhetsstöd)")
    if betydande:
        skal.append(
            f"kommunen står för {procent(Fraction(kommunens, total), grans)} av budgeten "
            f"(betydande del: minst {procentsats(grans)})"
        )
    varfor = " och ".join(skal)
    if insyn is None:
        yield Problem(
            "insyn",
            f"Insyn och transparens ska garanteras eftersom {varfor}: "
            "ange insyn med rätt_till_insyn: ja och redovisning",
        )
        return
    if insyn.ratt_till_insyn is not True:
        yield Problem(
            "insyn.rätt_till_insyn",
            f"Kommunen ska ha rätt till insyn eftersom {varfor} (rätt_till_insyn: ja)",
        )
    if not insyn.redovisning:
        yield Problem(
            "insyn.redovisning",
            f"Ange hur ofta motparten redovisar (insyn.redovisning) eftersom {varfor}",
        )
