"""`partner init` och mallarna som följer med: ett nytt förslagsarkiv som går igenom direkt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from partner_cli.initiering import partner_toml

ROT = Path(__file__).parents[1]
PARTNER = str(Path(sys.executable).parent / "partner")


def kor(*argument: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PARTNER, *argument], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("fil", ["mallar/partner.toml", "exempel/partner.toml"])
def test_utskrivna_partner_toml_foljer_reglernas_standardvarden(fil: str) -> None:
    assert (ROT / fil).read_text(encoding="utf-8") == partner_toml()


@pytest.mark.parametrize(
    ("ci", "konfigfil"), [("github", ".github/workflows/partner.yml"), ("gitlab", ".gitlab-ci.yml")]
)
def test_init_lagger_upp_ett_arkiv_som_gar_igenom(tmp_path: Path, ci: str, konfigfil: str) -> None:
    svar = kor("init", str(tmp_path / "arkiv"), "--ci", ci, cwd=tmp_path)
    assert svar.returncode == 0, svar.stderr
    arkiv = tmp_path / "arkiv"
    for namn in (
        "partner.toml",
        "exempel/forslag.yaml",
        "forslag/README.md",
        "beslut/README.md",
        "utvarderingar/README.md",
        "register/README.md",
        "register/.gitignore",
        "CODEOWNERS",
    ):
        assert (arkiv / namn).is_file(), namn
    assert yaml.safe_load((arkiv / konfigfil).read_text(encoding="utf-8"))
    # Ett nytt arkiv går igenom: inga förslag ännu, och exemplet ligger utanför forslag/.
    granskning = kor("check", cwd=arkiv)
    assert granskning.returncode == 0, granskning.stdout + granskning.stderr
    assert "0 filer granskade" in granskning.stdout
    # Den skrivna partner.toml läses av partner och exemplet går igenom med den.
    granskning = kor("check", "exempel", cwd=arkiv)
    assert granskning.returncode == 0, granskning.stdout + granskning.stderr


def test_codeowners_kraver_den_sanktionerande_funktionen_for_beslut_och_register(
    tmp_path: Path,
) -> None:
    assert kor("init", "--ci", "github", cwd=tmp_path).returncode == 0
    agare = {}
    for rad in (tmp_path / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if rad.strip() and not rad.startswith("#"):
            monster, *vem = rad.split()
            agare[monster] = vem
    for skyddat in ("/beslut/", "/partner.toml", "/register/", "/CODEOWNERS", "/.github/"):
        assert agare[skyddat] == ["@kommunen/sanktionerande"], skyddat
    assert "/forslag/" not in agare  # förslag granskas av CI, inte av kodägarna


def test_init_skriver_aldrig_over(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text("# min egen\n", encoding="utf-8")
    svar = kor("init", "--ci", "github", cwd=tmp_path)
    assert svar.returncode == 0
    assert "finns redan, lämnades orörd: partner.toml" in svar.stdout
    assert (tmp_path / "partner.toml").read_text(encoding="utf-8") == "# min egen\n"
    assert (tmp_path / ".github/workflows/partner.yml").is_file()


def test_init_okand_ci_ar_anvandningsfel(tmp_path: Path) -> None:
    svar = kor("init", "--ci", "jenkins", cwd=tmp_path)
    assert svar.returncode == 2
    assert "okänd CI 'jenkins'" in svar.stderr
    assert not (tmp_path / "partner.toml").exists()


def test_andrad_grans_i_skriven_partner_toml_andrar_utfallet(tmp_path: Path) -> None:
    kor("init", cwd=tmp_path)
    toml = tmp_path / "partner.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("min_andel = 0.5", "min_andel = 0.7"))
    svar = kor("check", "exempel", cwd=tmp_path)
    assert svar.returncode == 1
    assert "minst 70 % krävs" in svar.stdout
