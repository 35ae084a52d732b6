"""GitHub Actions: kodade kommandon, stegsammanfattningen och automatiska annoteringar."""

from __future__ import annotations

from pathlib import Path

from conftest import andrad_mall, kor, rendera
from forslagsarkiv import rad_med, skapa
from partner_cli.saker import github_data, github_egenskap

# Annoteringarnas miljö utan GitHubs egna variabler från en eventuell CI-körning av testerna.
UTAN_ACTIONS = {"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "GITHUB_WORKSPACE": ""}


def kommandon(utdata: str) -> list[str]:
    return [r for r in utdata.splitlines() if r.startswith("::")]


def test_kodning_enligt_reglerna_for_arbetsflodeskommandon() -> None:
    # Radbrytningar ur en fil visas som flyktsekvenser och kan aldrig börja en ny rad.
    assert github_data("50 % klart\r\n::stop-commands::x") == "50 %25 klart\\r\\n::stop-commands::x"
    assert github_egenskap("a,b: c%") == "a%2Cb%3A c%25"
    # % först: annars blir en redan kodad följd dubbelkodad.
    assert github_egenskap("%3A") == "%253A"


def test_annotering_med_titel_relativ_sokvag_och_plats(tmp_path: Path) -> None:
    mapp = skapa(tmp_path)
    (kommando,) = kommandon(rendera("github", "forslag/underkand.yaml", cwd=tmp_path))
    rad = rad_med(mapp / "underkand.yaml", "finansiering:")
    assert kommando.startswith(
        f"::error file=forslag/underkand.yaml,line={rad},col=1,title=partner%3A medfinansiering::"
        f"forslag/underkand.yaml:{rad}:1: Garanterad medfinansiering från andra parter är 46,4 %25"
    )


def test_undantag_blir_notice(tmp_path: Path) -> None:
    skapa(tmp_path)
    utdata = kommandon(rendera("github", "forslag/undantag.yaml", cwd=tmp_path))
    assert [k.split(" ", 1)[0] for k in utdata] == ["::notice", "::warning"]
    assert "undantag enligt KS 2014/123 § 45" in utdata[0]


def test_filnamn_och_meddelande_med_specialtecken(tmp_path: Path) -> None:
    text = andrad_mall(
        ("- namn: Örebro Logistikpartner AB", '- namn: "Bygg, Mark: 100%\\nAB"'),
        ("      underlag: Avsiktsförklaring undertecknad 2014-05-12\n", ""),
    )
    (tmp_path / "a,b:c.yaml").write_text(text, encoding="utf-8")
    (kommando,) = kommandon(rendera("github", "a,b:c.yaml", cwd=tmp_path))
    assert kommando.startswith("::error file=a%2Cb%3Ac.yaml,line=")
    assert "Bidraget från Bygg, Mark: 100%25\\nAB är angivet" in kommando


def test_sokvagar_relativa_till_github_workspace(tmp_path: Path) -> None:
    skapa(tmp_path / "arkiv")
    env = {**UTAN_ACTIONS, "GITHUB_WORKSPACE": str(tmp_path / "arkiv")}
    utdata = rendera("github", "arkiv/forslag/underkand.yaml", cwd=tmp_path, env=env)
    assert kommandon(utdata)[0].startswith("::error file=forslag/underkand.yaml,")


def test_stegsammanfattning_med_varje_fynd(tmp_path: Path) -> None:
    skapa(tmp_path)
    sammanfattning = tmp_path / "steg.md"
    sammanfattning.write_text("Tidigare steg\n", encoding="utf-8")
    env = {**UTAN_ACTIONS, "GITHUB_STEP_SUMMARY": str(sammanfattning)}
    svar = kor("check", "-f", "github", "forslag", cwd=tmp_path, env=env)
    text = sammanfattning.read_text(encoding="utf-8")
    assert text.startswith("Tidigare steg\n## partner check\n")
    fyndrader = [r for r in text.splitlines() if r.startswith("| forslag/") and r.count("|") == 7]
    # Varje annotering har sin rad i tabellen, hur många annoteringar GitHub än visar.
    assert len(fyndrader) == len(kommandon(svar.stdout)) > 1
    assert "| forslag/undantag.yaml | godkänd | 0 | 1 | 1 |" in text


def test_stegsammanfattningens_celler_kodas(tmp_path: Path) -> None:
    text = andrad_mall(
        ("- namn: Örebro Logistikpartner AB", '- namn: "A|B <b>AB</b>"'),
        ("      underlag: Avsiktsförklaring undertecknad 2014-05-12\n", ""),
    )
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    sammanfattning = tmp_path / "steg.md"
    env = {**UTAN_ACTIONS, "GITHUB_STEP_SUMMARY": str(sammanfattning)}
    kor("check", "-f", "github", "a.yaml", cwd=tmp_path, env=env)
    (rad,) = [r for r in sammanfattning.read_text(encoding="utf-8").splitlines() if "Bidraget" in r]
    assert "Bidraget från A\\|B &lt;b&gt;AB&lt;/b&gt; är angivet" in rad
    assert rad.count(" | ") == 5


def test_standardformatet_i_github_actions_ger_ocksa_annoteringar(tmp_path: Path) -> None:
    skapa(tmp_path)
    env = {**UTAN_ACTIONS, "GITHUB_ACTIONS": "true"}
    svar = kor("check", "forslag/underkand.yaml", cwd=tmp_path, env=env)
    assert svar.returncode == 1
    assert "forslag/underkand.yaml: underkänd" in svar.stdout
    assert len(kommandon(svar.stdout)) == 1
    uttryckligt = kor("check", "-f", "text", "forslag/underkand.yaml", cwd=tmp_path, env=env)
    assert kommandon(uttryckligt.stdout) == []
    utanfor = kor("check", "forslag/underkand.yaml", cwd=tmp_path, env=UTAN_ACTIONS)
    assert kommandon(utanfor.stdout) == []


def test_sammanfattning_som_inte_kan_skrivas_blir_en_varning(tmp_path: Path) -> None:
    skapa(tmp_path)
    env = {**UTAN_ACTIONS, "GITHUB_STEP_SUMMARY": str(tmp_path)}  # en katalog
    svar = kor("check", "-f", "github", "forslag/underkand.yaml", cwd=tmp_path, env=env)
    assert svar.returncode == 1
    assert "::warning::Kan inte skriva stegsammanfattningen: det är en katalog" in svar.stdout
