"""`partner publicera` som Typer-kommando, byggt ur `publiceringsvy`:s deklaration av
flaggorna."""

from __future__ import annotations

from partner_cli import publiceringsvy
from partner_cli.cli import Kommando, kommando_ur, ny_app

publicera_app = ny_app()
publicera_app.command("publicera", cls=Kommando)(
    kommando_ur(publiceringsvy.publicera, publiceringsvy.PUBLICERA)
)
