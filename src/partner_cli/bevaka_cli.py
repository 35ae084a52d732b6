"""`partner bevaka` som Typer-kommando, byggt ur `bevakningsvy`:s deklaration av flaggorna."""

from __future__ import annotations

from partner_cli import bevakningsvy
from partner_cli.cli import Kommando, kommando_ur, ny_app

bevaka_app = ny_app()
bevaka_app.command("bevaka", cls=Kommando)(kommando_ur(bevakningsvy.bevaka, bevakningsvy.BEVAKA))
