"""Standard ut som inte går att skriva: ett stängt rör, en full disk och en teckenkodning som
inte är UTF-8 ger var sin dokumenterade kod och högst en rad på stderr, aldrig en traceback
och aldrig 1 (som betyder "underkänd"). Både den snabba vägen (`check`) och Typer-vägen."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from conftest import PARTNER, ROT
from partner_cli.kommando import blockvis

GODKANDA = str(ROT / "exempel" / "forslag")
# Den snabba vägen utan Typer, och ett kommando som går genom Typer.
KOMMANDON = [("check", GODKANDA), ("regler",), ("check", GODKANDA, "--format", "sarif")]
# Med och utan Pythons buffert för standard ut (PYTHONUNBUFFERED, som i många CI-behållare).
BUFFERT = pytest.mark.parametrize(
    "buffert", [{"PYTHONUNBUFFERED": ""}, {"PYTHONUNBUFFERED": "1"}], ids=["buffrad", "obuffrad"]
)


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


@BUFFERT
@pytest.mark.parametrize("argument", KOMMANDON, ids=" ".join)
def test_stangt_ror_ger_141_utan_text(argument: tuple[str, ...], buffert: dict[str, str]) -> None:
    las, skriv = os.pipe()
    os.close(las)
    try:
        kod, fel = _kor(argument, skriv, buffert)
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


@BUFFERT
@pytest.mark.parametrize("argument", KOMMANDON, ids=" ".join)
def test_full_disk_ger_3_och_en_rad(argument: tuple[str, ...], buffert: dict[str, str]) -> None:
    with open("/dev/full", "wb") as full:
        kod, fel = _kor(argument, full.fileno(), buffert)
    assert kod == 3
    assert fel.splitlines()[-1] == "partner: utdatan kan inte skrivas: disken är full"
    assert len([r for r in fel.splitlines() if r.startswith("partner:")]) == 1


@BUFFERT
@pytest.mark.parametrize("kodning", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize("argument", KOMMANDON, ids=" ".join)
def test_utdata_som_inte_kan_kodas_ger_4(
    argument: tuple[str, ...], kodning: str, buffert: dict[str, str], tmp_path: Path
) -> None:
    with (tmp_path / "ut").open("wb") as ut:
        kod, fel = _kor(argument, ut.fileno(), {"PYTHONIOENCODING": kodning, **buffert})
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


def test_meddelandet_syns_fast_standard_ut_inte_gar_att_skriva(tmp_path: Path) -> None:
    """`register add` med ett ogiltigt förslag skriver granskningen till standard ut och
    avslutar med ett meddelande: på en full disk syns meddelandet, och sedan felet i utdatan."""
    fil = tmp_path / "trasig.yaml"
    fil.write_text("id: [\n", encoding="utf-8")
    env = {"PARTNER_REGISTER": str(tmp_path / "r.db"), "PYTHONUNBUFFERED": ""}
    with open("/dev/full", "wb") as full:
        kod, fel = _kor(
            ("register", "add", str(fil), "--sanktionerad-av", "Karin Ek"), full.fileno(), env
        )
    assert kod == 3
    assert fel.splitlines() == [
        "partner: inget registrerades: varje förslag måste vara godkänt",
        "partner: utdatan kan inte skrivas: disken är full",
    ]
    assert not (tmp_path / "r.db").exists()


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


@BUFFERT
def test_granskningen_ger_samma_utdata_med_och_utan_buffert(
    buffert: dict[str, str], tmp_path: Path
) -> None:
    argument = ("check", GODKANDA, "--format", "json")
    with (tmp_path / "med").open("wb") as med:
        assert _kor(argument, med.fileno(), {"PYTHONUNBUFFERED": ""}) == (0, "")
    with (tmp_path / "ut").open("wb") as ut:
        assert _kor(argument, ut.fileno(), buffert) == (0, "")
    assert (tmp_path / "ut").read_bytes() == (tmp_path / "med").read_bytes()


def test_blockvis_skriver_en_strom_utan_buffert_i_block() -> None:
    class Obuffrad(io.StringIO):
        write_through = True
        skrivningar = 0

        def write(self, text: str) -> int:
            self.skrivningar += 1
            return super().write(text)

    strom = Obuffrad()
    rader = [f"rad {i} {'x' * 60}\n" for i in range(10_000)]
    with blockvis(strom) as ut:
        for rad in rader:
            ut.write(rad)
    assert strom.getvalue() == "".join(rader)
    assert strom.skrivningar <= len(strom.getvalue()) // (1 << 16) + 1
    # En ström med buffert, eller en terminal, används som den är.
    buffrad = io.StringIO()
    with blockvis(buffrad) as ut:
        assert ut is buffrad
