"""pre-commit-kroken `partner-check` i ett riktigt git-arkiv med förslag."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from forslagsarkiv import skapa

ROT = Path(__file__).parents[1]
MANIFEST = ROT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent
PRE_COMMIT = str(BIN / "pre-commit")


def miljo(tmp_path: Path) -> dict[str, str]:
    # Egen cache för pre-commit; venv:ens bin först så att en lokal krok hittar `partner`.
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }


def git_arkiv(katalog: Path, env: dict[str, str]) -> Path:
    """Ett förslagsarkiv i git, med YAML utanför forslag/ som inte är förslag."""
    skapa(katalog)
    (katalog / ".gitlab-ci.yml").write_text("check:\n  script: [partner check forslag]\n")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=katalog, check=True, env=env)
    subprocess.run([*git, "add", "."], cwd=katalog, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "förslag"], cwd=katalog, check=True, env=env)
    return katalog


def kroken() -> dict[str, Any]:
    (krok,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(krok, dict)
    return krok


def pre_commit(*argument: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRE_COMMIT, *argument], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_manifestet_ar_giltigt(tmp_path: Path) -> None:
    svar = pre_commit("validate-manifest", str(MANIFEST), cwd=ROT, env=miljo(tmp_path))
    assert svar.returncode == 0, svar.stdout + svar.stderr
    krok = kroken()
    assert krok["id"] == "partner-check"
    assert krok["entry"] == "partner check"
    assert (krok["language"], krok["types"], krok["pass_filenames"]) == ("python", ["yaml"], True)


def lokal_konfig(arkiv: Path, **andringar: Any) -> None:
    """Manifestets krok som lokal krok med det installerade `partner`: samma filval, utan nät."""
    krok = {**kroken(), "language": "system", **andringar}
    konfig = {"repos": [{"repo": "local", "hooks": [krok]}]}
    (arkiv / ".pre-commit-config.yaml").write_text(yaml.safe_dump(konfig, allow_unicode=True))


def test_kroken_granskar_forslagen_men_inte_annan_yaml(tmp_path: Path) -> None:
    env = miljo(tmp_path)
    arkiv = git_arkiv(tmp_path / "arkiv", env)
    lokal_konfig(arkiv)
    svar = pre_commit("run", "--all-files", cwd=arkiv, env=env)
    assert svar.returncode == 1, svar.stdout
    assert "forslag/underkand.yaml: underkänd" in svar.stdout
    assert "5 filer granskade" in svar.stdout
    assert ".gitlab-ci.yml" not in svar.stdout
    assert ".pre-commit-config.yaml" not in svar.stdout


def test_kroken_godkanner_godkanda_forslag(tmp_path: Path) -> None:
    env = miljo(tmp_path)
    arkiv = git_arkiv(tmp_path / "arkiv", env)
    lokal_konfig(arkiv)
    svar = pre_commit("run", "--files", "forslag/godkand.yaml", cwd=arkiv, env=env)
    assert svar.returncode == 0, svar.stdout
    assert "Passed" in svar.stdout


def test_filmonstret_kan_andras(tmp_path: Path) -> None:
    env = miljo(tmp_path)
    arkiv = git_arkiv(tmp_path / "arkiv", env)
    subprocess.run(["git", "mv", "forslag", "partnerskap"], cwd=arkiv, check=True, env=env)
    lokal_konfig(arkiv)
    svar = pre_commit("run", "--all-files", cwd=arkiv, env=env)
    assert svar.returncode == 0, svar.stdout
    assert "no files to check" in svar.stdout.lower()
    lokal_konfig(arkiv, files="^partnerskap/")
    svar = pre_commit("run", "--all-files", cwd=arkiv, env=env)
    assert svar.returncode == 1
    assert "partnerskap/underkand.yaml: underkänd" in svar.stdout


@pytest.mark.langsam
def test_try_repo_bygger_kroken_fran_arkivet(tmp_path: Path) -> None:
    """Som en användare: pre-commit installerar paketet från arkivet (PyPI behövs)."""
    env = miljo(tmp_path)
    arkiv = git_arkiv(tmp_path / "arkiv", env)
    svar = pre_commit("try-repo", str(ROT), "partner-check", "--all-files", cwd=arkiv, env=env)
    assert svar.returncode == 1, svar.stdout + svar.stderr
    assert "Traceback" not in svar.stdout
    assert "forslag/underkand.yaml: underkänd" in svar.stdout
    assert "forslag/godkand.yaml: godkänd" in svar.stdout
    assert ".gitlab-ci.yml" not in svar.stdout
