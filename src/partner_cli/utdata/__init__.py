"""Rapportformat: ett modul per format, alla matade med samma färdiga `Kontrollresultat`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from partner_cli.modell import Kontrollresultat
from partner_cli.utdata import github, gitlab, json, junit, sarif, text

Rapportor = Callable[[Kontrollresultat, TextIO], None]

FORMAT: dict[str, Rapportor] = {
    "text": text.render,
    "json": json.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "sarif": sarif.render,
    "junit": junit.render,
}
