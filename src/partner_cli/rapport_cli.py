"""`partner report` som Typer-kommando, byggt ur `rapportvy`:s deklaration av flaggorna."""

from __future__ import annotations

from partner_cli import rapportvy
from partner_cli.cli import Kommando, kommando_ur, ny_app

rapport_app = ny_app()
rapport_app.command("report", cls=Kommando)(kommando_ur(rapportvy.report, rapportvy.RAPPORT))
