"""GitLab Code Quality: obligatoriska fält, 1-baserade rader och fingeravtryck som består."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import kor, rendera
from forslagsarkiv import rad_med, skapa

ALLVARLIGHETER = {"info", "minor", "major", "critical", "blocker"}


def gitlab(arkiv: Path) -> list[dict[str, Any]]:
    rapport: list[dict[str, Any]] = json.loads(rendera("gitlab", "forslag", cwd=arkiv))
    return rapport


def test_varje_fynd_har_code_quality_falten(tmp_path: Path) -> None:
    skapa(tmp_path)
    rapport = gitlab(tmp_path)
    assert rapport
    for fynd in rapport:
        for falt in ("description", "check_name", "fingerprint", "severity"):
            assert isinstance(fynd[falt], str) and fynd[falt], (falt, fynd)
        assert fynd["severity"] in ALLVARLIGHETER
        assert isinstance(fynd["location"]["path"], str)
        assert isinstance(fynd["location"]["lines"]["begin"], int)
        assert fynd["location"]["lines"]["begin"] >= 1
    avtryck = [f["fingerprint"] for f in rapport]
    assert len(set(avtryck)) == len(avtryck)


def test_sokvag_relativ_till_roten_och_rad_1_baserad(tmp_path: Path) -> None:
    mapp = skapa(tmp_path)
    rapport = gitlab(tmp_path)
    (medfin,) = [
        f
        for f in rapport
        if f["check_name"] == "medfinansiering" and f["location"]["path"].endswith("underkand.yaml")
    ]
    assert medfin["location"]["path"] == "forslag/underkand.yaml"
    assert medfin["location"]["lines"]["begin"] == rad_med(mapp / "underkand.yaml", "finansiering:")
    assert medfin["severity"] == "major"
    assert "46,4 %" in medfin["description"]


def test_allvarlighet_per_niva(tmp_path: Path) -> None:
    skapa(tmp_path)
    per_fil = {(f["location"]["path"].split("/")[-1], f["check_name"]): f for f in gitlab(tmp_path)}
    assert per_fil[("ogiltig.yaml", "format")]["severity"] == "critical"
    assert per_fil[("undantag.yaml", "medfinansiering")]["severity"] == "info"
    assert "KS 2014/123 § 45" in per_fil[("undantag.yaml", "medfinansiering")]["description"]
    assert per_fil[("undantag.yaml", "undantag")]["severity"] == "minor"
    assert per_fil[("utanfor.yaml", "tillämpning")]["severity"] == "major"


def test_fingeravtrycket_bestar_nar_rader_flyttas(tmp_path: Path) -> None:
    mapp = skapa(tmp_path)
    fore = {f["fingerprint"]: f for f in gitlab(tmp_path)}
    fil = mapp / "underkand.yaml"
    fil.write_text("# Ny kommentar\n# och en till\n\n" + fil.read_text(encoding="utf-8"))
    efter = {f["fingerprint"]: f for f in gitlab(tmp_path)}
    assert set(efter) == set(fore)
    flyttade = [a for a, f in efter.items() if f["location"]["path"] == "forslag/underkand.yaml"]
    assert flyttade
    for a in flyttade:
        assert efter[a]["location"]["lines"]["begin"] == fore[a]["location"]["lines"]["begin"] + 3


def test_fingeravtrycket_andras_med_fyndet(tmp_path: Path) -> None:
    mapp = skapa(tmp_path)
    fore = {f["fingerprint"] for f in gitlab(tmp_path)}
    fil = mapp / "underkand.yaml"
    fil.write_text(fil.read_text(encoding="utf-8").replace("900 000 kr", "950 000 kr"))
    assert fore - {f["fingerprint"] for f in gitlab(tmp_path)}


def test_rot_fran_ci_project_dir(tmp_path: Path) -> None:
    arkiv = tmp_path / "arkiv"
    skapa(arkiv)
    utdata = rendera(
        "gitlab", str(arkiv / "forslag"), cwd=tmp_path, env={"CI_PROJECT_DIR": str(arkiv)}
    )
    sokvagar = {f["location"]["path"] for f in json.loads(utdata)}
    assert sokvagar == {
        f"forslag/{n}.yaml" for n in ("underkand", "undantag", "ogiltig", "utanfor")
    }


def test_till_fil_med_sammanfattningen_i_terminalen(tmp_path: Path) -> None:
    skapa(tmp_path)
    svar = kor("check", "-f", "gitlab", "-o", "gl-code-quality.json", "forslag", cwd=tmp_path)
    assert svar.returncode == 1
    assert svar.stdout == ""
    assert "5 filer granskade: 2 godkänd, 1 underkänd, 1 ej tillämplig, 1 ogiltig" in svar.stderr
    assert json.loads((tmp_path / "gl-code-quality.json").read_text(encoding="utf-8"))
