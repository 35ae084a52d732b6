"""Det enda stället som rör Typers inre delar.

Typer 0.27 och 0.28 bär med sig sin egen kopia av Click (`typer._click`) och kastar dess
undantag; `main()` fångar dem för att ge svenska meddelanden och rätt avslutningskod, och
`partner --help` kortar de lata kommandonas beskrivning som Click gör. Typer exporterar
varken undantagen eller förkortningen; ändras det vid en uppgradering är det här det syns.
"""

from __future__ import annotations

from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.utils import make_default_short_help

__all__ = ["ClickException", "NoArgsIsHelpError", "UsageError", "make_default_short_help"]
