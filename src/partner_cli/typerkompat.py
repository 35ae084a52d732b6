"""Det enda stället som rör Typers inre delar.

Typer 0.27 och 0.28 bär med sig sin egen kopia av Click (`typer._click`) och kastar dess
undantag; `main()` fångar dem för att ge svenska meddelanden och rätt avslutningskod, och
`partner --help` kortar de lata kommandonas beskrivning som Click gör. Skalkompletteringen
(`--show-completion`, `--install-completion`) använder Typers skript och installation med
svenska flaggor och meddelanden, och `TyperChoice` ger en flagga fasta val. Typer
exporterar inget av detta; ändras det vid en uppgradering är det här det syns.
"""

from __future__ import annotations

from typer._click.exceptions import (
    BadParameter,
    ClickException,
    NoArgsIsHelpError,
    UsageError,
)
from typer._click.utils import make_default_short_help
from typer._completion_classes import completion_init
from typer._completion_shared import get_completion_script, install
from typer._types import TyperChoice

__all__ = [
    "BadParameter",
    "ClickException",
    "NoArgsIsHelpError",
    "TyperChoice",
    "UsageError",
    "completion_init",
    "get_completion_script",
    "install",
    "make_default_short_help",
]
