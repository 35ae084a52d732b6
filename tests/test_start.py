"""Snabb start: kommandoradsmodulen drar inte in rich, yaml eller sqlite_utils."""

from __future__ import annotations

import subprocess
import sys

from conftest import kor

TUNGA = ("rich", "yaml", "sqlite_utils")
# Laddas först när de anropas (cli._LATA), inte ens för `partner --help`.
LATA = ("partner_cli.register_cli", "partner_cli.rapport_cli")


def test_cli_importerar_inga_tunga_bibliotek() -> None:
    kod = f"import sys, partner_cli.cli; print(','.join(m for m in {TUNGA!r} if m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True)
    assert p.stdout.strip() == ""


def test_hjalpen_importerar_inga_tunga_bibliotek() -> None:
    # Hela kommandoträdet byggs för --help; inget kommando får importera tungt på modulnivå.
    kod = (
        "import sys\n"
        "from partner_cli.cli import main\n"
        "sys.argv = ['partner', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('LADDADE:' + ','.join(m for m in {TUNGA + LATA!r} if m in sys.modules))"
    )
    p = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True)
    assert p.stdout.splitlines()[-1] == "LADDADE:"


def test_lata_kommandons_beskrivning_ar_kommandots_egen() -> None:
    import typer

    from partner_cli import cli

    for namn, (_, _, hjalp) in cli._LATA.items():
        kommando = cli._Huvudgrupp.get_command(typer.main.get_command(cli.app), None, namn)
        assert kommando.help.strip().startswith(hjalp), namn


def test_partner_help() -> None:
    p = kor("--help")
    assert p.returncode == 0
    assert p.stdout.startswith("Användning: partner")
    for kommando in ("check", "regler", "schema", "ny", "init", "register", "report"):
        assert f"  {kommando} " in p.stdout
    p = kor("check", "--help")
    assert p.returncode == 0
    assert "--format" in p.stdout
    assert "--strikt" in p.stdout
    assert "Flaggor:" in p.stdout
    # Argumentet visas med sitt metavar, utan Pythontypen efter.
    assert "SÖKVÄG" in p.stdout
    assert "list[str]" not in p.stdout
