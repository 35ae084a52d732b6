"""Granskningens rapportformat: ett modul per format, alla matade med samma färdiga
`Kontrollresultat`. Ett nytt format är en rad här och en modul med `render(resultat, ut)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, TypeAlias

from partner_cli.formatregister import Format, Formatregister

if TYPE_CHECKING:
    from partner_cli.modell import Kontrollresultat

Rapportor: TypeAlias = "Callable[[Kontrollresultat, TextIO], None]"

FORMAT: Formatregister[Rapportor] = Formatregister(
    Format("text", "", "partner_cli.utdata.text"),
    Format("json", "", "partner_cli.utdata.json", per_fil="fil_rad"),
    Format("github", "annoteringar i GitHub Actions", "partner_cli.utdata.github"),
    Format("gitlab", "Code Quality", "partner_cli.utdata.gitlab"),
    Format("sarif", "", "partner_cli.utdata.sarif"),
    Format("junit", "", "partner_cli.utdata.junit"),
)
