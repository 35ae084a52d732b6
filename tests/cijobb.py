"""Ett förslagsarkiv från `partner init` i ett riktigt git-arkiv, och exakt det som dess
CI-konfiguration kör.

Stegen läses ur den genererade arbetsflödesfilen (GitHub) och `.gitlab-ci.yml` (GitLab)
och körs med bash. Bara installationen (`pip install`, `apt-get`) hoppas över: partner är
redan installerat, och git finns. Pushen går till ett lokalt bart `origin` (GitLabs adress
till servern skrivs om till det med git:s `insteadOf`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from conftest import ROT, kor

EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
BESLUT = sorted((ROT / "exempel" / "beslut").glob("*.yaml"))
UNDERKANT = ROT / "exempel" / "avvisade" / "nl-2014-005-matkluster.yaml"
GITHUB_HOPPAS_OVER = ("pip install",)
GITLAB_HOPPAS_OVER = ("pip install", "apt-get")
HOPPAS_OVER = {"github": GITHUB_HOPPAS_OVER, "gitlab": GITLAB_HOPPAS_OVER}
PAKET = "partner-cli==0.1.0"
GITLAB_SERVER = "gitlab.example.invalid"
SANKTIONERAD_AV = "Näringslivsdirektören"


def git(arkiv: Path, *argument: str) -> str:
    return subprocess.run(
        ["git", *argument], cwd=arkiv, check=True, capture_output=True, text=True
    ).stdout


def git_arkiv(arkiv: Path, meddelande: str) -> None:
    """Gör katalogen till ett git-arkiv med allt i en första commit på `main`."""
    git(arkiv, "init", "-q", "-b", "main")
    git(arkiv, "config", "user.name", "Testa Testsson")
    git(arkiv, "config", "user.email", "testa@example.invalid")
    git(arkiv, "add", ".")
    git(arkiv, "commit", "-q", "-m", meddelande)


def nytt_arkiv(tmp_path: Path, ci: str) -> Path:
    """Ett arkiv från `partner init` med de medföljande exemplens förslag och beslut."""
    arkiv = tmp_path / "forslagsarkiv"
    assert kor("init", str(arkiv), "--ci", ci).returncode == 0
    for fil in EXEMPEL:
        shutil.copy(fil, arkiv / "forslag" / fil.name)
    for fil in BESLUT:
        shutil.copy(fil, arkiv / "beslut" / fil.name)
    git_arkiv(arkiv, "Förslagsarkiv")
    return arkiv


def miljo(arkiv: Path, **extra: str) -> dict[str, str]:
    bort = {"GITHUB_ACTIONS", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY", "CI_PROJECT_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in bort and not k.startswith("PARTNER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PARTNER_PAKET"] = PAKET
    env.update(extra)
    return env


def utan_installation(skript: str, hoppa_over: tuple[str, ...]) -> str:
    return "\n".join(r for r in skript.splitlines() if not any(h in r for h in hoppa_over))


def kor_skript(
    arkiv: Path, skript: str, env: dict[str, str], hoppa_over: tuple[str, ...]
) -> subprocess.CompletedProcess[str]:
    p = subprocess.run(
        ["bash", "-e", "-c", utan_installation(skript, hoppa_over)],
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


def gitlab_jobb(arkiv: Path) -> dict[str, Any]:
    konfig: dict[str, Any] = yaml.safe_load((arkiv / ".gitlab-ci.yml").read_text("utf-8"))
    return konfig


def jobbets_skript(arkiv: Path, ci: str, jobb: str) -> list[str]:
    """Jobbets skalskript i ordning, som de står i arkivets CI-konfiguration: GitHubs
    `run`-steg, eller GitLabs `before_script` och `script` (som körs i samma skal)."""
    if ci == "github":
        return [s["run"] for s in github_steg(arkiv, jobb)]
    konfig = gitlab_jobb(arkiv)
    fore = konfig[jobb].get("before_script", konfig["default"]["before_script"])
    return ["\n".join([*fore, *konfig[jobb]["script"]])]


def kor_jobb(arkiv: Path, ci: str, jobb: str, env: dict[str, str]) -> tuple[int, str]:
    """Jobbets skript i ordning tills ett misslyckas: (dess kod, allt skripten skrev på
    stdout och stderr, som jobbets logg)."""
    ut = []
    for skript in jobbets_skript(arkiv, ci, jobb):
        p = kor_skript(arkiv, skript, env, HOPPAS_OVER[ci])
        ut += [p.stdout, p.stderr]
        if p.returncode:
            return p.returncode, "".join(ut)
    return 0, "".join(ut)


def kor_github_jobb(arkiv: Path, jobb: str, env: dict[str, str]) -> str:
    """GitHub-jobbets steg, som ska lyckas; ger deras standard ut."""
    ut = []
    for steg in github_steg(arkiv, jobb):
        p = kor_skript(arkiv, steg["run"], env, GITHUB_HOPPAS_OVER)
        ut.append(p.stdout)
        if p.returncode:
            raise AssertionError(f"{steg.get('name')}: {p.returncode}\n{p.stdout}\n{p.stderr}")
    return "".join(ut)


def med_origin(tmp_path: Path, arkiv: Path) -> Path:
    """Ett lokalt bart `origin` med arkivets huvudgren."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    git(arkiv, "remote", "add", "origin", str(origin))
    git(arkiv, "push", "-q", "-u", "origin", "main")
    return origin


def registrerade(arkiv: Path) -> set[str]:
    visa = kor("register", "list", "--format", "json", cwd=arkiv)
    assert visa.returncode == 0, visa.stderr
    return {a["id"] for a in json.loads(visa.stdout)}


def gitlab_miljo(tmp_path: Path, arkiv: Path, origin: Path) -> dict[str, str]:
    """GitLabs variabler på huvudgrenen; pushadressen till servern skrivs om till det lokala
    `origin`."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.parent.mkdir(exist_ok=True)
    server = f"https://oauth2:hemlig@{GITLAB_SERVER}/kommunen/forslag.git"
    gitconfig.write_text(f'[url "{origin}"]\n\tinsteadOf = {server}\n', encoding="utf-8")
    login = gitlab_jobb(arkiv)["registrera"]["variables"]["PARTNER_ANVANDARE"]
    return miljo(
        arkiv,
        CI_PROJECT_DIR=str(arkiv),
        CI_SERVER_HOST=GITLAB_SERVER,
        CI_PROJECT_PATH="kommunen/forslag",
        CI_COMMIT_BRANCH="main",
        CI_DEFAULT_BRANCH="main",
        CI_PIPELINE_SOURCE="push",
        PARTNER_PUSH_TOKEN="hemlig",
        PARTNER_SANKTIONERAD_AV=SANKTIONERAD_AV,
        PARTNER_ANVANDARE=login.replace("$GITLAB_USER_LOGIN", "kalle"),
        GIT_CONFIG_GLOBAL=str(gitconfig),
    )


def registreringsmiljo(tmp_path: Path, arkiv: Path, origin: Path, ci: str) -> dict[str, str]:
    """Registreringsjobbets miljö efter en push till huvudgrenen."""
    if ci == "github":
        return miljo(
            arkiv,
            GITHUB_ACTIONS="true",
            GITHUB_WORKSPACE=str(arkiv),
            GITHUB_EVENT_NAME="push",
            GITHUB_REF_NAME="main",
            PARTNER_SANKTIONERAD_AV=SANKTIONERAD_AV,
            PARTNER_ANVANDARE="github-actions",
        )
    return gitlab_miljo(tmp_path, arkiv, origin)


def granskningsmiljo(tmp_path: Path, arkiv: Path, ci: str, gren: str) -> dict[str, str]:
    """Granskningsjobbets miljö i en pull request (GitHub) eller merge request (GitLab)."""
    if ci == "github":
        return miljo(
            arkiv,
            GITHUB_ACTIONS="true",
            GITHUB_WORKSPACE=str(arkiv),
            GITHUB_STEP_SUMMARY=str(tmp_path / "sammanfattning.md"),
            GITHUB_EVENT_NAME="pull_request",
            GITHUB_HEAD_REF=gren,
        )
    return miljo(
        arkiv,
        CI_PROJECT_DIR=str(arkiv),
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=gren,
        CI_DEFAULT_BRANCH="main",
    )


def starta_registrering(arkiv: Path, ci: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Registreringsjobbets skript (det som kör `sync`) i bakgrunden, för registreringar som
    kapplöper."""
    (skript,) = [s for s in jobbets_skript(arkiv, ci, "registrera") if "register sync" in s]
    return subprocess.Popen(
        ["bash", "-e", "-c", utan_installation(skript, HOPPAS_OVER[ci])],
        cwd=arkiv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def registrera(
    tmp_path: Path, arkiv: Path, origin: Path, ci: str
) -> subprocess.CompletedProcess[str]:
    """Registreringsjobbets sista skript som det står i arkivets CI-konfiguration."""
    env = registreringsmiljo(tmp_path, arkiv, origin, ci)
    return kor_skript(arkiv, jobbets_skript(arkiv, ci, "registrera")[-1], env, HOPPAS_OVER[ci])


def ny_motpart(id_: str, orgnr: str, namn: str) -> str:
    """Det medföljande exemplet NL-2014-001 med eget id och egen motpart."""
    return (
        (ROT / "exempel" / "forslag" / "nl-2014-001-logistik.yaml")
        .read_text(encoding="utf-8")
        .replace("id: NL-2014-001", f"id: {id_}")
        .replace("556781-2341", orgnr)
        .replace("Örebro Logistikpartner AB", namn)
    )


# Registret i ett förslagsarkiv, genom det installerade `partner`.
SANKTIONERAD = ("--sanktionerad-av", SANKTIONERAD_AV)
LOGISTIK = "forslag/nl-2014-001-logistik.yaml"  # exemplets förslag i arkivet från init


def sync(arkiv: Path, *extra: str) -> tuple[int, str]:
    p = kor("register", "sync", *SANKTIONERAD, *extra, cwd=arkiv)
    return p.returncode, p.stdout + p.stderr


def helt(arkiv: Path) -> None:
    p = kor("register", "kontroll", cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr


def export(arkiv: Path) -> str:
    p = kor("register", "export", cwd=arkiv)
    assert p.returncode == 0, p.stderr
    return p.stdout


def historik(arkiv: Path, id_: str) -> list[dict[str, object]]:
    p = kor("register", "historik", id_, "--format", "json", cwd=arkiv)
    assert p.returncode == 0, p.stderr
    rader: list[dict[str, object]] = json.loads(p.stdout)
    return rader


def andra(arkiv: Path, fil: str, fore: str, efter: str) -> None:
    sokvag = arkiv / fil
    text = sokvag.read_text(encoding="utf-8")
    assert fore in text
    sokvag.write_text(text.replace(fore, efter), encoding="utf-8")


def commit(arkiv: Path, meddelande: str) -> str:
    git(arkiv, "add", ".")
    git(arkiv, "commit", "-q", "-m", meddelande)
    return git(arkiv, "rev-parse", "HEAD").strip()
