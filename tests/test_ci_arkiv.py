"""Ett förslagsarkiv från `partner init`, och exakt det som dess CI-konfiguration kör.

Stegen läses ur den genererade arbetsflödesfilen (GitHub) och `.gitlab-ci.yml` (GitLab)
och körs med bash i ett riktigt git-arkiv. Bara installationen (`pip install`,
`apt-get`) och GitLabs push till servern hoppas över; GitHubs push går till ett lokalt
`origin`. Rapporterna prövas: SARIF mot det officiella schemat, GitLab Code Quality mot
de fält GitLab kräver, JUnit som XML.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import ROT, kor
from forslagsarkiv import rad_med

EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
UNDERKANT = ROT / "exempel" / "avvisade" / "nl-2014-005-matkluster.yaml"
SARIF_SCHEMA = ROT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
# Installationen hoppas över (partner är redan installerat); GitLabs push går till servern.
GITHUB_HOPPAS_OVER = ("pip install",)
GITLAB_HOPPAS_OVER = ("pip install", "apt-get", "git push")


def git(arkiv: Path, *argument: str) -> str:
    return subprocess.run(
        ["git", *argument], cwd=arkiv, check=True, capture_output=True, text=True
    ).stdout


def nytt_arkiv(tmp_path: Path, ci: str) -> Path:
    arkiv = tmp_path / "forslagsarkiv"
    assert kor("init", str(arkiv), "--ci", ci).returncode == 0
    (arkiv / "forslag" / "exempel.yaml").unlink()
    for fil in EXEMPEL:
        shutil.copy(fil, arkiv / "forslag" / fil.name)
    git(arkiv, "init", "-q", "-b", "main")
    git(arkiv, "config", "user.name", "Testa Testsson")
    git(arkiv, "config", "user.email", "testa@example.invalid")
    git(arkiv, "add", ".")
    git(arkiv, "commit", "-q", "-m", "Förslagsarkiv")
    return arkiv


def miljo(arkiv: Path, **extra: str) -> dict[str, str]:
    bort = {"GITHUB_ACTIONS", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY", "CI_PROJECT_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in bort and not k.startswith("PARTNER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def kor_skript(
    arkiv: Path, skript: str, env: dict[str, str], hoppa_over: tuple[str, ...]
) -> subprocess.CompletedProcess[str]:
    rader = [r for r in skript.splitlines() if not any(h in r for h in hoppa_over)]
    p = subprocess.run(
        ["bash", "-e", "-c", "\n".join(rader)],
        cwd=arkiv,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in p.stderr, p.stderr
    return p


def github_steg(arkiv: Path, jobb: str) -> list[dict[str, Any]]:
    arbetsflode = yaml.safe_load((arkiv / ".github/workflows/partner.yml").read_text("utf-8"))
    return [s for s in arbetsflode["jobs"][jobb]["steps"] if "run" in s]


def kor_github_jobb(arkiv: Path, jobb: str, env: dict[str, str]) -> str:
    ut = []
    for steg in github_steg(arkiv, jobb):
        p = kor_skript(arkiv, steg["run"], env, GITHUB_HOPPAS_OVER)
        ut.append(p.stdout)
        if p.returncode:
            raise AssertionError(f"{steg.get('name')}: {p.returncode}\n{p.stdout}\n{p.stderr}")
    return "".join(ut)


def test_github_granskar_och_registrerar(tmp_path: Path) -> None:
    arkiv = nytt_arkiv(tmp_path, "github")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git(arkiv, "remote", "add", "origin", str(origin))
    git(arkiv, "push", "-q", "-u", "origin", "main")
    sammanfattning = tmp_path / "sammanfattning.md"
    env = miljo(
        arkiv,
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(arkiv),
        GITHUB_STEP_SUMMARY=str(sammanfattning),
        PARTNER_SANKTIONERAD_AV="Näringslivsdirektören",
        PARTNER_ANVANDARE="github-actions",
    )

    ut = kor_github_jobb(arkiv, "granska", env)
    rad = rad_med(ROT / "exempel/forslag/nl-2014-002-foretagarna.yaml", "offentlig_finansiering:")
    assert f"::warning file=forslag/nl-2014-002-foretagarna.yaml,line={rad}" in ut
    assert "::notice file=forslag/nl-2014-003-besoksnaring.yaml" in ut  # beslutat undantag
    sarif = json.loads((arkiv / "partner.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"ekonomi", "medfinansiering"}
    assert "| forslag/nl-2014-002-foretagarna.yaml" in sammanfattning.read_text(encoding="utf-8")

    kor_github_jobb(arkiv, "registrera", env)
    export = arkiv / "register" / "export"
    assert export.exists()
    assert "Registret uppdaterat av partner" in git(origin, "log", "--format=%s", "main")
    commits = git(origin, "rev-list", "--count", "main")

    # Nästa push på huvudgrenen: en ny maskin utan databas, samma förslag. Inget ändras.
    (arkiv / "register" / "partnerskap.db").unlink()
    kor_github_jobb(arkiv, "registrera", env)
    assert git(origin, "rev-list", "--count", "main") == commits


def test_github_underkant_forslag_stoppar_granskningen(tmp_path: Path) -> None:
    arkiv = nytt_arkiv(tmp_path, "github")
    shutil.copy(UNDERKANT, arkiv / "forslag" / UNDERKANT.name)
    env = miljo(arkiv, GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(arkiv))
    p = kor_skript(arkiv, github_steg(arkiv, "granska")[-1]["run"], env, GITHUB_HOPPAS_OVER)
    assert p.returncode == 1
    rad = rad_med(UNDERKANT, "finansiering:")
    assert f"::error file=forslag/nl-2014-005-matkluster.yaml,line={rad},col=1" in p.stdout


def gitlab_jobb(arkiv: Path) -> dict[str, Any]:
    konfig: dict[str, Any] = yaml.safe_load((arkiv / ".gitlab-ci.yml").read_text("utf-8"))
    return konfig


@pytest.mark.parametrize("med_underkant", [False, True])
def test_gitlab_code_quality_och_junit(tmp_path: Path, med_underkant: bool) -> None:
    arkiv = nytt_arkiv(tmp_path, "gitlab")
    if med_underkant:
        shutil.copy(UNDERKANT, arkiv / "forslag" / UNDERKANT.name)
    konfig = gitlab_jobb(arkiv)
    env = miljo(arkiv, CI_PROJECT_DIR=str(arkiv))
    p = kor_skript(arkiv, "\n".join(konfig["granska"]["script"]), env, GITLAB_HOPPAS_OVER)
    assert p.returncode == (1 if med_underkant else 0), p.stdout + p.stderr
    for rapport in konfig["granska"]["artifacts"]["reports"].values():
        assert (arkiv / rapport).is_file(), rapport

    kvalitet = json.loads((arkiv / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert isinstance(kvalitet, list) and kvalitet
    for fynd in kvalitet:
        assert isinstance(fynd["description"], str) and fynd["description"]
        assert isinstance(fynd["check_name"], str) and fynd["check_name"]
        assert isinstance(fynd["fingerprint"], str) and fynd["fingerprint"]
        assert fynd["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert fynd["location"]["path"].startswith("forslag/")
        assert fynd["location"]["lines"]["begin"] >= 1
    assert len({f["fingerprint"] for f in kvalitet}) == len(kvalitet)
    allvarliga = [f for f in kvalitet if f["severity"] == "major"]
    assert bool(allvarliga) == med_underkant

    junit = ET.parse(arkiv / "partner-junit.xml").getroot()
    fall = junit.findall(".//testcase")
    assert len(fall) == len(list((arkiv / "forslag").glob("*.yaml")))
    assert len(junit.findall(".//testcase/failure")) == (1 if med_underkant else 0)


def test_gitlab_registrerar_pa_huvudgrenen(tmp_path: Path) -> None:
    arkiv = nytt_arkiv(tmp_path, "gitlab")
    konfig = gitlab_jobb(arkiv)
    jobb = konfig["registrera"]
    env = miljo(
        arkiv,
        CI_PROJECT_DIR=str(arkiv),
        CI_SERVER_HOST="gitlab.example.invalid",
        PARTNER_SANKTIONERAD_AV="Näringslivsdirektören",
        PARTNER_ANVANDARE=jobb["variables"]["PARTNER_ANVANDARE"].replace(
            "$GITLAB_USER_LOGIN", "kalle"
        ),
    )
    p = kor_skript(arkiv, "\n".join(jobb["script"]), env, GITLAB_HOPPAS_OVER)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (arkiv / "register" / "export").exists()
    assert git(arkiv, "log", "-1", "--format=%s").startswith("Registret uppdaterat av partner")
    visa = kor("register", "list", "--format", "json", cwd=arkiv)
    assert {a["id"] for a in json.loads(visa.stdout)} == {
        "NL-2014-001",
        "NL-2014-002",
        "NL-2014-003",
        "NL-2015-004",
    }
