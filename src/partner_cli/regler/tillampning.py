"""Tillämpning: strategin gäller bara näringslivet och dess främjande organisationer.

Motparter i kategorierna `civilsamhälle`, `kommunalt_bolag` och `offentlig`, förslag med
`upphandling: ja` och organisationsnummer vars gruppsiffra är 2 (stat, regioner och
kommuner) ligger utanför strategin. Förslaget får utfallet `ej_tillämplig` och övriga regler
prövas inte. Regeln kan inte undantas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from partner_cli.modell import Forslag
from partner_cli.regler.bas import Exempel, Kontext, Problem

ID = "tillämpning"
GRUND = "Avgränsning"
CITAT = (
    "Denna strategi är endast tillämpbar i kommunens relation med näringslivet och andra "
    "aktörer inom näringslivsområdet såsom företags- och andra tillväxtfrämjande organisationer. "
    "Strategin är inte tillämpbar i relation till det civila samhället, vid kommunala "
    "upphandlingar, för de kommunala bolagen eller i relation med andra offentliga organisationer."
)
NIVA = "fel"
KONF: dict[str, type] = {}
STANDARD: dict[str, Any] = {}
EXEMPEL_GODKANT = """\
motpart:
  namn: Örebro Logistikpartner AB
  organisationsnummer: 556781-2341
  kategori: företag
"""
EXEMPEL_UNDERKANT = """\
motpart:
  namn: Idrottsföreningen Örebro
  organisationsnummer: 802400-2340
  kategori: civilsamhälle
"""

_KATEGORIER = {
    "civilsamhälle": "motparten tillhör det civila samhället",
    "kommunalt_bolag": "motparten är ett kommunalt bolag",
    "offentlig": "motparten är en offentlig organisation",
}


TOLKNINGAR: tuple[Exempel, ...] = ()


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    motpart = forslag.motpart
    if motpart.kategori in _KATEGORIER:
        yield Problem(
            "motpart.kategori", f"Strategin är inte tillämplig: {_KATEGORIER[motpart.kategori]}"
        )
    elif motpart.organisationsnummer.startswith("2"):
        yield Problem(
            "motpart.organisationsnummer",
            "Strategin är inte tillämplig: organisationsnumret börjar med 2, som stat, regioner "
            "och kommuner har (en offentlig organisation)",
        )
    if forslag.upphandling:
        yield Problem("upphandling", "Strategin är inte tillämplig: det är en kommunal upphandling")
