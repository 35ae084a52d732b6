"""`partner check` i en pull request: utan registerfil dömer granskningen mot arkivets
inlämnade export, så att en konflikt med ett registrerat avtal stoppas före sammanslagningen
och inte först när `partner register sync` körs efter den. Genom det installerade skriptet i
ett riktigt git-arkiv."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import cijobb as ci
from conftest import ROT, kor
from forslagsarkiv import rad_med
from registerhjalp import ORGNR, skriv_forslag

EXPORTER = ROT / "tests" / "exporter"


def registrerat_arkiv(tmp_path: Path) -> Path:
    """Ett arkiv med NL-1 (Anna Lind) registrerat och exporterat. Registerfilen finns inte
    kvar, som i en pull request, och inte heller NL-1:s förslag: bara exporten vet om avtalet
    (granskningens korskontroll inom körningen ser det alltså inte)."""
    arkiv = tmp_path / "forslagsarkiv"
    assert kor("init", str(arkiv), "--ci", "github").returncode == 0
    skriv_forslag(arkiv / "forslag", "nl-1.yaml", id_="NL-1", agare="Anna Lind")
    p = kor("register", "sync", *ci.SANKTIONERAD, cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr
    p = kor("register", "export", "--ut", "register/export", cwd=arkiv)
    assert p.returncode == 0, p.stderr
    (arkiv / "register" / "partnerskap.db").unlink()
    (arkiv / "forslag" / "nl-1.yaml").unlink()
    ci.git(arkiv, "init", "-q", "-b", "main")
    ci.git(arkiv, "config", "user.name", "Testa Testsson")
    ci.git(arkiv, "config", "user.email", "testa@example.invalid")
    ci.git(arkiv, "add", ".")
    ci.git(arkiv, "commit", "-q", "-m", "Registrerat avtal")
    assert (arkiv / "register" / "export" / "register.json").is_file()
    assert not (arkiv / "register" / "partnerskap.db").exists()
    return arkiv


def nytt_forslag(arkiv: Path, agare: str) -> Path:
    """NL-2 med samma organisation, efter NL-1:s period (inget överlapp)."""
    fil = skriv_forslag(
        arkiv / "forslag",
        "nl-2.yaml",
        id_="NL-2",
        org=ORGNR,
        agare=agare,
        start="2016-09-01",
        slut="2018-08-31",
    )
    text = fil.read_text(encoding="utf-8")
    assert text.count("räkenskapsår: 2013") == 1
    fil.write_text(text.replace("räkenskapsår: 2013", "räkenskapsår: 2015"), encoding="utf-8")
    return fil


def test_annan_agare_for_registrerad_organisation_stoppas(tmp_path: Path) -> None:
    arkiv = registrerat_arkiv(tmp_path)
    fil = nytt_forslag(arkiv, "Per Berg")
    p = kor("check", "--format", "text", cwd=arkiv)
    assert p.returncode == 1, p.stdout + p.stderr
    rad = rad_med(fil, "namn: Per Berg")
    traff = [r for r in p.stdout.splitlines() if r.startswith(f"forslag/nl-2.yaml:{rad}:")]
    assert traff, p.stdout
    assert any("fel [avtalsägare]" in r and "Anna Lind i registret" in r for r in traff), p.stdout
    # Synkningen efter sammanslagningen ger samma utslag.
    assert kor("register", "sync", *ci.SANKTIONERAD, cwd=arkiv).returncode == 1


def test_registrerad_agare_godkanns(tmp_path: Path) -> None:
    arkiv = registrerat_arkiv(tmp_path)
    nytt_forslag(arkiv, "Anna Lind")
    p = kor("check", "--format", "json", cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr
    filer = {f["fil"]: f for f in json.loads(p.stdout)["filer"]}
    assert filer["forslag/nl-2.yaml"]["utfall"] == "godkänd"


def test_trasig_export_ar_ett_fel(tmp_path: Path) -> None:
    arkiv = registrerat_arkiv(tmp_path)
    nytt_forslag(arkiv, "Anna Lind")
    (arkiv / "register" / "export" / "register.json").write_text("{", encoding="utf-8")
    p = kor("check", cwd=arkiv)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "register/export" in p.stderr and "register.json" in p.stderr, p.stderr


def test_namngivet_register_vinner(tmp_path: Path) -> None:
    arkiv = registrerat_arkiv(tmp_path)
    nytt_forslag(arkiv, "Per Berg")
    tomt = tmp_path / "tomt.db"
    p = kor("check", cwd=arkiv, env={"PARTNER_REGISTER": str(tomt)})
    # Ett namngivet register som saknas är ett fel; exporten tar aldrig dess plats.
    assert p.returncode == 2, p.stdout + p.stderr
    assert str(tomt) in p.stderr


@pytest.mark.parametrize("form", ["json", "csv"])
@pytest.mark.parametrize("version", sorted(p.name for p in EXPORTER.glob("v*")))
def test_aldre_exporter_fors_upp_i_minnet(tmp_path: Path, version: str, form: str) -> None:
    """Exporten i varje schemaversion, JSON eller CSV, läses som `register import` läser den;
    i exporterna har 556781-2341 avtalsägaren Karin Ek."""
    arkiv = tmp_path / "forslagsarkiv"
    assert kor("init", str(arkiv)).returncode == 0
    kalla = EXPORTER / version
    if form == "json":
        (arkiv / "register" / "export").mkdir(parents=True)
        shutil.copy(kalla / "register.json", arkiv / "register" / "export" / "register.json")
    else:
        shutil.copytree(kalla / "csv", arkiv / "register" / "export")
    ci.git(arkiv, "init", "-q", "-b", "main")
    nytt_forslag(arkiv, "Per Berg")
    p = kor("check", "--format", "text", cwd=arkiv)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "Karin Ek i registret" in p.stdout, p.stdout
    assert not (arkiv / "register" / "partnerskap.db").exists()
