"""Varje kommando som skriver en fil eller katalog som användaren anger: en sökväg som inte går
att skriva (under en vanlig fil) är ett fel i anropet, kod 2; en full disk eller ett I/O-fel
är kod 3, som när standard ut inte går att skriva. Alltid en rad på svenska, aldrig 1 (som
betyder fynd) och aldrig en traceback.

Den fulla disken är processens gräns för filstorlek (RLIMIT_FSIZE, med SIGXFSZ ignorerad):
skrivningen får EFBIG som på ett fullt filsystem, i vilken katalog som helst, utan att
testet behöver montera något eller skriva till /dev/full (som partner skulle ersätta med en
fil när den skriver genom en tillfällig fil och byter namn)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import PARTNER, ROT, kor
from partner_cli.oppna_data import filnamn
from registerhjalp import UTGIVARE_TOML, miljo

EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))

# Kommandona som skriver, med MÅL där sökvägen står; {forslag} och {konfig} fylls i.
# Kommandon som också har fynd (bevaka, check, underlag) ger ändå 2 och 3.
KOMMANDON = {
    "check --output": ["check", "{forslag}", "--format", "json", "--output", "MÅL"],
    "ny": ["ny", "MÅL"],
    "ny --utvardering": ["ny", "--utvardering", "MÅL"],
    "init": ["init", "MÅL", "--ci", "github"],
    "report --ut": ["report", "--år", "2015", "--ut", "MÅL"],
    "report csv --ut": ["report", "--år", "2015", "--format", "csv", "--ut", "MÅL"],
    "bevaka --ut": ["bevaka", "--per", "2015-06-01", "--format", "ics", "--ut", "MÅL"],
    "publicera --ut": ["publicera", "--år", "2015", "--ut", "MÅL", "--config", "{konfig}"],
    "underlag --ut": ["underlag", "{forslag}", "--format", "markdown", "--ut", "MÅL"],
    "register list --ut": ["register", "list", "--format", "csv", "--ut", "MÅL"],
    "register ägare --ut": ["register", "ägare", "--format", "json", "--ut", "MÅL"],
    "register historik --ut": ["register", "historik", "--format", "json", "--ut", "MÅL"],
    "register export --ut": ["register", "export", "--ut", "MÅL"],
    "register export csv --ut": ["register", "export", "--format", "csv", "--ut", "MÅL"],
    "register backup": ["register", "backup", "MÅL"],
}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("skrivfel")
    db = katalog / "partnerskap.db"
    p = kor("register", "add", *map(str, EXEMPEL), "--sanktionerad-av", "N", env=miljo(db))
    assert p.returncode == 0, p.stdout + p.stderr
    # Utan WAL: en läsare skapar då ingen -shm-fil, som gränsen för filstorlek inte släpper.
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    (katalog / "publicera.toml").write_text(UTGIVARE_TOML, encoding="utf-8")
    return db


def _argument(namn: str, register: Path, mal: Path) -> list[str]:
    ersatt = {
        "{forslag}": str(EXEMPEL[0]),
        "{konfig}": str(register.parent / "publicera.toml"),
        "MÅL": str(mal),
    }
    return [ersatt.get(a, a) for a in KOMMANDON[namn]]


def _full_disk() -> None:
    # Barnet: varje fil får vara högst 1 byte; skrivningen därutöver ger EFBIG.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))


def _kor_med_full_disk(argument: list[str], env: dict[str, str], cwd: Path) -> Any:
    miljo_ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    p = subprocess.run(
        [PARTNER, *argument],
        capture_output=True,
        text=True,
        env={**miljo_, **env, "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=cwd,
        preexec_fn=_full_disk,
        timeout=60,
    )
    assert "Traceback" not in p.stderr, p.stderr
    return p


@pytest.mark.parametrize("namn", sorted(KOMMANDON))
def test_en_sokvag_under_en_fil_ar_ett_anvandningsfel(
    register: Path, tmp_path: Path, namn: str
) -> None:
    fil = tmp_path / "fil"
    fil.write_text("en vanlig fil\n", encoding="utf-8")
    p = kor(*_argument(namn, register, fil / "ut"), cwd=tmp_path, env=miljo(register))
    assert p.returncode == 2, p.stdout + p.stderr
    assert p.stderr.strip().splitlines()[-1].startswith("partner: "), p.stderr
    # partner ny säger själv att katalogen den skulle skapa är en fil.
    assert any(
        t in p.stderr for t in ("en del av sökvägen är ingen katalog", "det finns en fil med det")
    ), p.stderr


@pytest.mark.parametrize("namn", sorted(KOMMANDON))
def test_en_full_disk_ger_kod_3(register: Path, tmp_path: Path, namn: str) -> None:
    mal = tmp_path / "ut"
    p = _kor_med_full_disk(_argument(namn, register, mal), miljo(register), tmp_path)
    assert p.returncode == 3, p.stdout + p.stderr
    assert p.stderr.strip().splitlines()[-1].startswith("partner: "), p.stderr
    # SQLite säger inte vilket systemfel säkerhetskopian fick, bara att skrivningen inte gick.
    felet = "in- eller utmatningsfel" if namn == "register backup" else "filen blir för stor"
    assert felet in p.stderr, p.stderr
    shutil.rmtree(mal, ignore_errors=True)


# Filerna som kommandona skriver, relativt MÅL ("" när MÅL är filen själv).
FILER = {
    "check --output": ("",),
    "report --ut": ("",),
    "report csv --ut": ("partnerskap.csv",),
    "bevaka --ut": ("",),
    "publicera --ut": tuple(filnamn(2015).values()),
    "underlag --ut": ("",),
    "register list --ut": ("",),
    "register ägare --ut": ("",),
    "register historik --ut": ("",),
    "register export --ut": ("register.json",),
}


def _filerna(namn: str, mal: Path) -> list[Path]:
    if FILER[namn] == ("",):
        return [mal]
    mal.mkdir()
    return [mal / f for f in FILER[namn]]


@pytest.mark.parametrize("namn", sorted(FILER))
def test_en_lank_pa_filens_plats_byts_ut_och_foljs_aldrig(
    register: Path, tmp_path: Path, namn: str
) -> None:
    annanstans = tmp_path / "annanstans.txt"
    annanstans.write_text("annans fil\n", encoding="utf-8")
    mal = tmp_path / "ut"
    filer = _filerna(namn, mal)
    for fil in filer:
        fil.symlink_to(annanstans)
    p = kor(*_argument(namn, register, mal), cwd=tmp_path, env=miljo(register))
    assert p.returncode in (0, 1), p.stdout + p.stderr  # 1: bevaka och check har fynd
    assert annanstans.read_text(encoding="utf-8") == "annans fil\n"
    for fil in filer:
        assert fil.is_file() and not fil.is_symlink(), fil
    assert not [f for f in filer[0].parent.iterdir() if f.name.startswith(".")]


@pytest.mark.parametrize("namn", sorted(FILER))
def test_en_full_disk_lamnar_de_gamla_filerna_hela(
    register: Path, tmp_path: Path, namn: str
) -> None:
    mal = tmp_path / "ut"
    filer = _filerna(namn, mal)
    for fil in filer:
        fil.write_text("gammal\n", encoding="utf-8")
    p = _kor_med_full_disk(_argument(namn, register, mal), miljo(register), tmp_path)
    assert p.returncode == 3, p.stdout + p.stderr
    for fil in filer:
        assert fil.read_text(encoding="utf-8") == "gammal\n", fil
    assert not [f for f in filer[0].parent.iterdir() if f.name.startswith(".")]
