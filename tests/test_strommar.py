"""Standard ut som inte går att skriva: ett stängt rör, en full disk och en teckenkodning som
inte är UTF-8 ger var sin dokumenterade kod och högst en rad på stderr, aldrig en traceback
och aldrig 1 (som betyder "underkänd"). Både den snabba vägen (`check`) och Typer-vägen."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import PARTNER, ROT

GODKANDA = str(ROT / "exempel" / "forslag")
# Den snabba vägen utan Typer, och ett kommando som går genom Typer.
KOMMANDON = [("check", GODKANDA), ("regler",), ("check", GODKANDA, "--format", "sarif")]


def _kor(
    argument: tuple[str, ...], stdout: int, env: dict[str, str] | None = None
) -> tuple[int, str]:
    p = subprocess.run(
        [PARTNER, *argument],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        timeout=60,
    )
    fel = p.stderr.decode("utf-8", "replace")
    assert "Traceback" not in fel and "Exception ignored" not in fel, fel
    return p.returncode, fel


@pytest.mark.parametrize("argument", KOMMANDON, ids=" ".join)
def test_stangt_ror_ger_141_utan_text(argument: tuple[str, ...]) -> None:
    las, skriv = os.pipe()
    os.close(las)
    try:
        kod, fel = _kor(argument, skriv)
    finally:
        os.close(skriv)
    assert (kod, fel) == (141, "")


def test_head_pa_godkanda_forslag_ger_aldrig_1() -> None:
    p = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"'{PARTNER}' check '{GODKANDA}' | head -1"],
        capture_output=True,
        timeout=60,
    )
    assert p.returncode in (0, 141), p.stderr
    assert p.stderr == b""


@pytest.mark.parametrize("argument", KOMMANDON, ids=" ".join)
def test_full_disk_ger_3_och_en_rad(argument: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        kod, fel = _kor(argument, full.fileno())
    assert kod == 3
    assert fel.splitlines()[-1] == "partner: utdatan kan inte skrivas: disken är full"
    assert len([r for r in fel.splitlines() if r.startswith("partner:")]) == 1


@pytest.mark.parametrize("kodning", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize("argument", KOMMANDON, ids=" ".join)
def test_utdata_som_inte_kan_kodas_ger_4(
    argument: tuple[str, ...], kodning: str, tmp_path: Path
) -> None:
    with (tmp_path / "ut").open("wb") as ut:
        kod, fel = _kor(argument, ut.fileno(), {"PYTHONIOENCODING": kodning})
    if argument[0] == "regler" and kod == 0:
        # Click skriver själv UTF-8 när standard ut är felinställd; det är inget fel.
        return
    assert kod == 4, fel
    (rad,) = fel.splitlines()
    assert rad.startswith("partner: utdatan kan inte skrivas med teckenkodningen ")


def test_c_lokal_ger_utf8(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    p = subprocess.run(
        [PARTNER, "check", GODKANDA],
        capture_output=True,
        env={**env, "LANG": "C", "LC_ALL": "C"},
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert "godkänd" in p.stdout.decode("utf-8")


# Registrets och rapportens kommandon, som skriver till standard ut i stället för till --ut.
REGISTERKOMMANDON = [
    ("register", "export"),
    ("register", "export", "--format", "json"),
    ("register", "list", "--format", "csv"),
    ("register", "show", "NL-2014-001", "--format", "json"),
    ("report", "--år", "2014", "--format", "json"),
    ("underlag", str(ROT / "exempel" / "forslag" / "nl-2014-001-logistik.yaml")),
]


@pytest.fixture(scope="module")
def registermiljo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    register = tmp_path_factory.mktemp("register") / "partnerskap.db"
    env = {"PARTNER_REGISTER": str(register), "PARTNER_ANVANDARE": "Testa Testsson"}
    kod, fel = _kor(
        ("register", "add", GODKANDA, "--sanktionerad-av", "Karin Ek"), subprocess.DEVNULL, env
    )
    assert kod == 0, fel
    return env


@pytest.mark.parametrize("argument", REGISTERKOMMANDON, ids=" ".join)
def test_registrets_kommandon_i_ett_stangt_ror_ger_141_utan_text(
    argument: tuple[str, ...], registermiljo: dict[str, str]
) -> None:
    las, skriv = os.pipe()
    os.close(las)
    try:
        kod, fel = _kor(argument, skriv, registermiljo)
    finally:
        os.close(skriv)
    assert (kod, fel) == (141, "")


@pytest.mark.parametrize("argument", REGISTERKOMMANDON, ids=" ".join)
def test_registrets_kommandon_pa_full_disk_ger_3(
    argument: tuple[str, ...], registermiljo: dict[str, str]
) -> None:
    with open("/dev/full", "wb") as full:
        kod, fel = _kor(argument, full.fileno(), registermiljo)
    assert (kod, fel) == (3, "partner: utdatan kan inte skrivas: disken är full\n")


def test_init_och_rapportens_filer_i_ett_stangt_ror_ger_141(
    tmp_path: Path, registermiljo: dict[str, str]
) -> None:
    for argument in [
        ("init", str(tmp_path / "arkiv")),
        ("report", "--år", "2014", "--format", "csv", "--ut", str(tmp_path / "rapport")),
    ]:
        las, skriv = os.pipe()
        os.close(las)
        try:
            kod, fel = _kor(argument, skriv, registermiljo)
        finally:
            os.close(skriv)
        assert (kod, fel) == (141, ""), argument
