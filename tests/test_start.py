"""Snabb start: kommandoradsmodulen drar inte in rich, yaml eller sqlite_utils."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MALLTEXT, PARTNER, andrad_mall, kor

TUNGA = ("rich", "yaml", "sqlite_utils", "docx")
# Laddas först när de anropas (cli._LATA), inte ens för `partner --help`.
LATA = (
    "partner_cli.register_cli",
    "partner_cli.register_underhall",
    "partner_cli.rapport_cli",
    "partner_cli.underlag_cli",
    "partner_cli.publicera_cli",
    "partner_cli.bevaka_cli",
)


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
    for kommando in (
        "check",
        "regler",
        "schema",
        "ny",
        "init",
        "register",
        "report",
        "underlag",
        "publicera",
        "bevaka",
    ):
        assert f"  {kommando} " in p.stdout
    p = kor("check", "--help")
    assert p.returncode == 0
    assert "--format" in p.stdout
    assert "--strikt" in p.stdout
    assert "Flaggor:" in p.stdout
    # Argumentet visas med sitt metavar, utan Pythontypen efter.
    assert "SÖKVÄG" in p.stdout
    assert "list[str]" not in p.stdout


@pytest.fixture
def arkiv(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "godkand.yaml").write_text(MALLTEXT, encoding="utf-8")
    text = andrad_mall(("NL-2014-007", "NL-2"), ("garanterad: ja", "garanterad: nej"))
    (tmp_path / "a" / "underkand.yml").write_text(text, encoding="utf-8")
    return tmp_path


# Samma anrop genom Typer-kommandot, förbi den snabba vägen i kommando.main.
_TYPER = "import sys\nfrom partner_cli.cli import main\nsys.argv[0] = 'partner'\nmain()\n"


def _med_typer(*argument: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _TYPER, *argument], cwd=cwd, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "argument",
    [
        ("check", "godkand.yaml"),
        ("check", "godkand.yaml", "-f", "json", "--strikt"),
        ("check", "--format=json", ".", "--", "a/underkand.yml"),
        ("check", "-f", "json", "-f", "text", "-o", "ut.json", "."),
        ("check", "-f", "xml", "."),
        ("check", "-o", "a.json", "-o", "b.json", "godkand.yaml"),
        ("check", "finns_inte.yaml"),
        ("check", "--config", "saknas.toml", "godkand.yaml"),
        ("check",),
        ("check", "--help"),
        ("check", "-h"),
        ("check", "--format"),
        ("check", "--format", "--strikt", "godkand.yaml"),
        ("check", "--strikt=ja", "godkand.yaml"),
        ("check", "--okand", "godkand.yaml"),
        ("check", "-fjson", "godkand.yaml"),
        ("check", "--format=", "godkand.yaml"),
        ("check", "--version"),
        ("check", "--show-completion", "bash", "godkand.yaml"),
    ],
)
def test_check_utan_typer_ar_samma_som_med(arkiv: Path, argument: tuple[str, ...]) -> None:
    # Den snabba vägen och Typer-kommandot byggs ur samma deklaration (granskning.PARAMETRAR);
    # hjälp, fel och avslutningskod ska vara desamma.
    snabb = kor(*argument, cwd=arkiv)
    typer_ = _med_typer(*argument, cwd=arkiv)
    assert (snabb.stdout, snabb.stderr, snabb.returncode) == (
        typer_.stdout,
        typer_.stderr,
        typer_.returncode,
    )


def test_check_av_en_fil_importerar_inte_typer(arkiv: Path) -> None:
    kod = (
        "import sys\n"
        "from partner_cli.kommando import main\n"
        "sys.argv = ['partner', 'check', 'godkand.yaml']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LADDADE:' + ','.join(m for m in ('typer', 'dataclasses', 'inspect', "
        "'difflib', 'rich', 'sqlite3') if m in sys.modules))"
    )
    p = subprocess.run([sys.executable, "-c", kod], cwd=arkiv, capture_output=True, text=True)
    assert p.stdout.splitlines()[-1] == "LADDADE:"


def test_tolka_argv_som_typer() -> None:
    from partner_cli.granskning import PARAMETRAR
    from partner_cli.kommando import tolka_argv

    assert tolka_argv(PARAMETRAR, ["a", "-f", "json", "--output=u", "--strikt", "b"]) == {
        "sokvagar": ["a", "b"],
        "format_": ["json"],
        "output": [Path("u")],
        "strikt": True,
        "config": None,
    }
    assert tolka_argv(PARAMETRAR, ["-h"]) is None
    # Utan sökväg: förslagsarkivet (kommandot prövar att partner.toml finns).
    assert tolka_argv(PARAMETRAR, [])["sokvagar"] == []  # type: ignore[index]


@pytest.fixture
def registerarkiv(tmp_path: Path) -> Path:
    from registerhjalp import bygg, orgnr, skriv_forslag

    bygg(
        tmp_path / "register.db",
        skriv_forslag(tmp_path, "a.yaml"),
        skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2)),
    )
    return tmp_path


@pytest.mark.parametrize(
    "argument",
    [
        (),
        ("-f", "json"),
        ("--format=csv", "--csv-stil", "excel"),
        ("--csv-stil", "excel"),
        ("--csv-stil", "fel"),
        ("-f", "xml"),
        ("--ut", "agare.txt"),
        ("--register", "saknas.db"),
        ("--config", "saknas.toml"),
        ("--format",),
        ("extra",),
        ("--okand",),
        ("-h",),
        ("--help",),
    ],
)
def test_register_agare_utan_typer_ar_samma_som_med(
    registerarkiv: Path, argument: tuple[str, ...]
) -> None:
    # Som check: den snabba vägen och Typer-kommandot byggs ur samma deklaration
    # (registervy.AGARE).
    anrop = ("register", "ägare", *argument)
    if "--register" not in argument:
        anrop += ("--register", "register.db")
    utfil = registerarkiv / "agare.txt"
    ut = []
    # Byte för byte (csv har CRLF), med samma miljö för båda vägarna.
    for kommando in ([PARTNER], [sys.executable, "-c", _TYPER]):
        p = subprocess.run(
            [*kommando, *anrop], cwd=registerarkiv, capture_output=True, stdin=subprocess.DEVNULL
        )
        ut.append((p.stdout, p.stderr, p.returncode, utfil.read_bytes() if utfil.exists() else b""))
        utfil.unlink(missing_ok=True)
    assert ut[0] == ut[1]


def test_register_agare_importerar_inte_typer(registerarkiv: Path) -> None:
    kod = (
        "import sys\n"
        "from partner_cli.kommando import main\n"
        "sys.argv = ['partner', 'register', 'ägare', '--register', 'register.db']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print('LADDADE:' + ','.join(m for m in ('typer', 'rich', 'sqlite_utils') "
        "if m in sys.modules))"
    )
    p = subprocess.run(
        [sys.executable, "-c", kod], cwd=registerarkiv, capture_output=True, text=True
    )
    assert p.stdout.splitlines()[-1] == "LADDADE:", p.stderr


def test_tolka_argv_med_standard_och_val() -> None:
    from partner_cli.kommando import tolka_argv
    from partner_cli.registervy import AGARE

    assert tolka_argv(AGARE, []) == {
        "format_": "text",
        "csv_stil": "standard",
        "ut": None,
        "register": None,
        "config": None,
    }
    assert tolka_argv(AGARE, ["--csv-stil", "excel"])["csv_stil"] == "excel"  # type: ignore[index]
    # Ett värde utanför valen och ett argument till ett kommando utan argument: Typers fel.
    assert tolka_argv(AGARE, ["--csv-stil", "fel"]) is None
    assert tolka_argv(AGARE, ["extra"]) is None


@pytest.mark.parametrize(
    "argument",
    [
        (),
        ("--år", "2015"),
        ("--ar=2015", "-f", "json"),
        ("--år", "tjugo"),
        ("--år", "1800"),
        ("--år",),
        ("--år", "2015", "--per", "2015-06-01"),
        ("--år", "2015", "--per", "igår"),
        ("--år", "2015", "--publik"),
        ("--år", "2015", "--publik=ja"),
        ("--år", "2015", "-f", "markdown", "--ut", "rapport.txt"),
        ("--år", "2015", "--format", "csv", "--ut", "rapport"),
        ("--år", "2015", "--format=csv", "--csv-stil", "excel", "--ut", "rapport"),
        ("--format", "csv"),
        ("--csv-stil", "excel"),
        ("-f", "xml"),
        ("--register", "saknas.db"),
        ("--config", "saknas.toml"),
        ("extra",),
        ("--okand",),
        ("-h",),
        ("--help",),
    ],
)
def test_report_utan_typer_ar_samma_som_med(registerarkiv: Path, argument: tuple[str, ...]) -> None:
    # Som register ägare: den snabba vägen och Typer-kommandot byggs ur samma deklaration
    # (rapportvy.RAPPORT); utdata, filerna, fel och avslutningskod ska vara desamma.
    anrop = ("report", *argument)
    if "--register" not in argument:
        anrop += ("--register", "register.db")
    utfil, utkatalog = registerarkiv / "rapport.txt", registerarkiv / "rapport"
    ut = []
    for kommando in ([PARTNER], [sys.executable, "-c", _TYPER]):
        p = subprocess.run(
            [*kommando, *anrop], cwd=registerarkiv, capture_output=True, stdin=subprocess.DEVNULL
        )
        filer = {f.name: f.read_bytes() for f in sorted(utkatalog.glob("*"))}
        ut.append(
            (p.stdout, p.stderr, p.returncode, utfil.read_bytes() if utfil.exists() else b"", filer)
        )
        utfil.unlink(missing_ok=True)
        shutil.rmtree(utkatalog, ignore_errors=True)
    assert ut[0] == ut[1]


def test_report_importerar_inte_typer(registerarkiv: Path) -> None:
    kod = (
        "import sys\n"
        "from partner_cli.kommando import main\n"
        "sys.argv = ['partner', 'report', '--år', '2015', '--register', 'register.db']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print('LADDADE:' + ','.join(m for m in ('typer', 'rich', 'sqlite_utils') "
        "if m in sys.modules))"
    )
    p = subprocess.run(
        [sys.executable, "-c", kod], cwd=registerarkiv, capture_output=True, text=True
    )
    assert "Årsrapport 2015" in p.stdout
    assert p.stdout.splitlines()[-1] == "LADDADE:", p.stderr


@pytest.fixture
def bevakningsarkiv(registerarkiv: Path) -> Path:
    (registerarkiv / "publicera.toml").write_text(
        '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n\n'
        '[publicera]\nbidragsprefix = "360G-test"\nkontakt_epost = "a@example.se"\n'
        'adress = "https://example.se/data/"\n',
        encoding="utf-8",
    )
    return registerarkiv


def _samma_med_och_utan_typer(arkiv: Path, anrop: tuple[str, ...], utfil: Path) -> None:
    """Utdata, den skrivna filen eller katalogen, fel och avslutningskod, byte för byte."""
    ut = []
    for kommando in ([PARTNER], [sys.executable, "-c", _TYPER]):
        p = subprocess.run(
            [*kommando, *anrop], cwd=arkiv, capture_output=True, stdin=subprocess.DEVNULL
        )
        filer = (
            {f.name: f.read_bytes() for f in sorted(utfil.glob("*"))}
            if utfil.is_dir()
            else (utfil.read_bytes() if utfil.exists() else b"")
        )
        ut.append((p.stdout, p.stderr, p.returncode, filer))
        shutil.rmtree(utfil) if utfil.is_dir() else utfil.unlink(missing_ok=True)
    assert ut[0] == ut[1]


@pytest.mark.parametrize(
    "argument",
    [
        (),
        ("--per", "2015-06-01"),
        ("--per=2016-09-01", "-f", "json"),
        ("--per", "2015-06-01", "--dagar", "400", "--format", "ics", "-o", "b.ics"),
        ("--per", "2015-06-01", "--ut", "b.ics", "-f", "markdown"),
        ("--dagar", "tio"),
        ("--dagar", "9999"),
        ("--per", "igår"),
        ("-f", "xml"),
        ("--format",),
        ("--register", "saknas.db"),
        ("--config", "saknas.toml"),
        ("--config", "publicera.toml", "--per", "2015-06-01", "-f", "ics"),
        ("extra",),
        ("--okand",),
        ("-h",),
        ("--help",),
    ],
)
def test_bevaka_utan_typer_ar_samma_som_med(
    bevakningsarkiv: Path, argument: tuple[str, ...]
) -> None:
    # Som report: den snabba vägen och Typer-kommandot byggs ur samma deklaration
    # (bevakningsvy.BEVAKA).
    anrop = ("bevaka", *argument)
    if "--register" not in argument:
        anrop += ("--register", "register.db")
    _samma_med_och_utan_typer(bevakningsarkiv, anrop, bevakningsarkiv / "b.ics")


@pytest.mark.parametrize(
    "argument",
    [
        ("--år", "2015", "--ut", "data"),
        ("--ar=2015", "--ut=data", "-f", "csv", "--format", "dcat"),
        ("--år", "2015", "--ut", "data", "-f", "xml"),
        ("--år", "tjugo", "--ut", "data"),
        ("--år", "1800", "--ut", "data"),
        ("--ut", "data"),
        ("--år", "2015"),
        ("--år",),
        (),
        ("--år", "2015", "--ut", "data", "--register", "saknas.db"),
        ("--år", "2015", "--ut", "data", "--config", "saknas.toml"),
        ("--år", "2015", "--ut", "data", "extra"),
        ("--okand",),
        ("-h",),
        ("--help",),
    ],
)
def test_publicera_utan_typer_ar_samma_som_med(
    bevakningsarkiv: Path, argument: tuple[str, ...]
) -> None:
    # (publiceringsvy.PUBLICERA); utan --config är [kommun] och [publicera] inte ifyllda.
    anrop = ("publicera", *argument)
    if "--register" not in argument:
        anrop += ("--register", "register.db")
    if "--config" not in argument:
        anrop += ("--config", "publicera.toml")
    _samma_med_och_utan_typer(bevakningsarkiv, anrop, bevakningsarkiv / "data")


@pytest.mark.parametrize(
    "anrop",
    [
        ("bevaka", "--per", "2015-06-01", "--register", "register.db"),
        ("publicera", "--år", "2015", "--ut", "data", "--register", "register.db",
         "--config", "publicera.toml"),
    ],
)  # fmt: skip
def test_bevaka_och_publicera_importerar_inte_typer(
    bevakningsarkiv: Path, anrop: tuple[str, ...]
) -> None:
    kod = (
        "import sys\n"
        "from partner_cli.kommando import main\n"
        f"sys.argv = ['partner', *{anrop!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, 1), e.code\n"
        "print('LADDADE:' + ','.join(m for m in ('typer', 'rich', 'sqlite_utils') "
        "if m in sys.modules))"
    )
    p = subprocess.run(
        [sys.executable, "-c", kod], cwd=bevakningsarkiv, capture_output=True, text=True
    )
    assert p.stdout.splitlines()[-1] == "LADDADE:", p.stderr
