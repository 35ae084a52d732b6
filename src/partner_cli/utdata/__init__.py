"""Rapportformat: ett modul per format, alla matade med samma färdiga `Kontrollresultat`.

Modulerna importeras först när formatet används: en granskning i text ska inte betala för
XML-biblioteket som junit behöver.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from partner_cli.modell import Kontrollresultat

Rapportor = Callable[[Kontrollresultat, TextIO], None]

# Formatets namn är också dess moduls namn i partner_cli.utdata.
FORMAT: tuple[str, ...] = ("text", "json", "github", "gitlab", "sarif", "junit")


def rapportor(namn: str) -> Rapportor:
    if namn not in FORMAT:
        raise KeyError(namn)
    render: Rapportor = importlib.import_module(f"partner_cli.utdata.{namn}").render
    return render
