"""Ett förslagsarkiv från `partner init`, och exakt det som dess CI-konfiguration kör.

Stegen läses ur den genererade arbetsflödesfilen (GitHub) och `.gitlab-ci.yml` (GitLab)
och körs med bash i ett riktigt git-arkiv. Bara installationen (`pip install`,
`apt-get`) hoppas över; pushen går till ett lokalt `origin` (GitLabs adress till servern
skrivs om till det med git:s `insteadOf`). Rapporterna prövas: SARIF mot det officiella
schemat, GitLab Code Quality mot de fält GitLab kräver, JUnit som XML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from cijobb import (
    GITHUB_HOPPAS_OVER,
    GITLAB_HOPPAS_OVER,
    UNDERKANT,
    git,
    github_steg,
    gitlab_jobb,
    gitlab_miljo,
    kor_github_jobb,
    kor_jobb,
    kor_skript,
    med_origin,
    miljo,
    ny_motpart,
    nytt_arkiv,
    registrera,
    registrerade,
    registreringsmiljo,
    starta_registrering,
)
from conftest import ROT, kor
from fientlig_text import (
    STRANGAR,
    fientliga_beslut,
    fientligt_forslag,
    rader_borjar_med,
    radstarter,
    rata_styrtecken,
    skapa_arkiv,
)
from forslagsarkiv import rad_med
from registerhjalp import orgnr

SARIF_SCHEMA = ROT / "tests" / "schemas" / "sarif-schema-2.1.0.json"


def test_github_granskar_och_registrerar(tmp_path: Path) -> None:
    arkiv = nytt_arkiv(tmp_path, "github")
    origin = med_origin(tmp_path, arkiv)
    sammanfattning = tmp_path / "sammanfattning.md"
    env = miljo(
        arkiv,
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(arkiv),
        GITHUB_STEP_SUMMARY=str(sammanfattning),
        PARTNER_SANKTIONERAD_AV="Näringslivsdirektören",
        PARTNER_ANVANDARE="github-actions",
        GITHUB_REF_NAME="main",
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
    # partner check i arkivet: förslagen och besluten.
    assert len(fall) == len(list(arkiv.glob("forslag/*.yaml")) + list(arkiv.glob("beslut/*.yaml")))
    assert len(junit.findall(".//testcase/failure")) == (1 if med_underkant else 0)


def test_gitlab_registrerar_pa_huvudgrenen(tmp_path: Path) -> None:
    arkiv = nytt_arkiv(tmp_path, "gitlab")
    origin = med_origin(tmp_path, arkiv)
    jobb = gitlab_jobb(arkiv)["registrera"]
    assert jobb["resource_group"]
    env = gitlab_miljo(tmp_path, arkiv, origin)
    p = kor_skript(arkiv, "\n".join(jobb["script"]), env, GITLAB_HOPPAS_OVER)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (arkiv / "register" / "export").exists()
    assert git(origin, "log", "-1", "--format=%s", "main").startswith(
        "Registret uppdaterat av partner"
    )
    assert registrerade(arkiv) == {"NL-2014-001", "NL-2014-002", "NL-2014-003", "NL-2015-004"}


def test_exemplet_fran_init_granskas_inte_och_registreras_aldrig(tmp_path: Path) -> None:
    arkiv = tmp_path / "forslagsarkiv"
    assert kor("init", str(arkiv), "--ci", "github").returncode == 0
    assert (arkiv / "exempel" / "forslag.yaml").is_file()
    git(arkiv, "init", "-q", "-b", "main")
    git(arkiv, "add", ".")
    git(arkiv, "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-qm", "Ny")
    origin = med_origin(tmp_path, arkiv)
    env = miljo(arkiv, PARTNER_SANKTIONERAD_AV="Näringslivsdirektören", GITHUB_REF_NAME="main")
    assert (
        "0 filer granskade"
        in kor_github_jobb(arkiv, "granska", env) + kor("check", cwd=arkiv).stderr
    )
    kor_github_jobb(arkiv, "registrera", env)
    assert not (arkiv / "register" / "partnerskap.db").exists()
    assert git(origin, "rev-list", "--count", "main") == "1\n"


def bevakningens_installation(arkiv: Path) -> str:
    arbetsflode = yaml.safe_load(
        (arkiv / ".github/workflows/partner-bevaka.yml").read_text("utf-8")
    )
    (steg,) = [
        s for s in arbetsflode["jobs"]["bevaka"]["steps"] if "pip install" in s.get("run", "")
    ]
    return str(steg["run"])


INSTALLATION = {
    "github": lambda arkiv: github_steg(arkiv, "granska")[0]["run"],
    "github-bevaka": bevakningens_installation,
    "gitlab": lambda arkiv: "\n".join(gitlab_jobb(arkiv)["default"]["before_script"]),
}


@pytest.mark.parametrize("ci", list(INSTALLATION))
@pytest.mark.parametrize(
    ("paket", "installeras"),
    [
        ("partner-cli==0.1.0", True),
        (f"git+https://git.example.invalid/partner.git@{'0123456789abcdef' * 2}01234567", True),
        ("partner-cli", False),
        ("partner-cli>=0.1", False),
        ("git+https://git.example.invalid/partner.git", False),
        ("git+https://git.example.invalid/partner.git@main", False),
        ("", False),
    ],
)
def test_paketet_installeras_bara_med_fast_version(
    tmp_path: Path, ci: str, paket: str, installeras: bool
) -> None:
    arkiv = tmp_path / "arkiv"
    assert kor("init", str(arkiv), "--ci", ci.split("-")[0]).returncode == 0
    # pip ersätts av en som bara skriver ut vad den skulle installera.
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "pip").write_text('#!/bin/sh\necho "pip $*"\n', encoding="utf-8")
    (bin_ / "pip").chmod(0o755)
    env = miljo(arkiv, PARTNER_PAKET=paket)
    env["PATH"] = f"{bin_}{os.pathsep}{env['PATH']}"
    p = kor_skript(arkiv, INSTALLATION[ci](arkiv), env, ())
    assert (p.returncode == 0) == installeras, p.stdout + p.stderr
    assert (f"pip install {paket}" in p.stdout) == installeras


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_tva_registreringar_samtidigt_blir_bada_grona(tmp_path: Path, ci: str) -> None:
    arkiv = nytt_arkiv(tmp_path, ci)
    origin = med_origin(tmp_path, arkiv)
    # Två sammanslagningar tätt efter varandra: var sitt jobb, var sin utcheckning.
    commits = []
    for id_, nummer, namn in (
        ("NL-2016-010", orgnr(10), "Karlslunds Verkstäder AB"),
        ("NL-2016-011", orgnr(11), "Närkes Mekaniska AB"),
    ):
        (arkiv / "forslag" / f"{id_.lower()}.yaml").write_text(
            ny_motpart(id_, nummer, namn), encoding="utf-8"
        )
        git(arkiv, "add", ".")
        git(arkiv, "commit", "-q", "-m", f"Förslag {id_}")
        git(arkiv, "push", "-q", "origin", "main")
        commits.append(git(arkiv, "rev-parse", "HEAD").strip())
    jobb = []
    for i, commit in enumerate(commits):
        utcheckning = tmp_path / f"jobb{i}"
        subprocess.run(["git", "clone", "-q", str(origin), str(utcheckning)], check=True)
        git(utcheckning, "checkout", "-q", "-B", "main", commit)
        env = registreringsmiljo(tmp_path / f"jobb{i}-konfig", utcheckning, origin, ci)
        jobb.append(starta_registrering(utcheckning, ci, env))
    for p in jobb:
        ut, fel = p.communicate(timeout=120)
        assert p.returncode == 0, ut + fel
        assert "Traceback" not in fel
    slut = tmp_path / "slut"
    subprocess.run(["git", "clone", "-q", str(origin), str(slut)], check=True)
    assert kor("register", "import", "register/export", cwd=slut).returncode == 0
    assert {"NL-2016-010", "NL-2016-011", "NL-2014-001"} <= registrerade(slut)
    assert kor("register", "kontroll", cwd=slut).returncode == 0


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_rattelse_ar_ingen_andring_och_budget_kraver_beslut(tmp_path: Path, ci: str) -> None:
    arkiv = nytt_arkiv(tmp_path, ci)
    origin = med_origin(tmp_path, arkiv)
    assert registrera(tmp_path, arkiv, origin, ci).returncode == 0
    commits = git(origin, "rev-list", "--count", "main")
    forslag = arkiv / "forslag" / "nl-2014-001-logistik.yaml"

    def pusha(meddelande: str) -> None:
        git(arkiv, "add", ".")
        git(arkiv, "commit", "-q", "-m", meddelande)
        git(arkiv, "push", "-q", str(origin), "HEAD:main")

    # En rättad kommentar och ett belopp skrivet på annat sätt: ingen ny commit.
    text = forslag.read_text(encoding="utf-8")
    forslag.write_text(
        text.replace("# Påhittat", "# Rättat och påhittat").replace("400 000 kr", "400000 kr"),
        encoding="utf-8",
    )
    pusha("Rättad kommentar")
    p = registrera(tmp_path, arkiv, origin, ci)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "stämmer redan med arkivet" in p.stdout
    assert git(origin, "rev-list", "--count", "main") == str(int(commits) + 1) + "\n"

    # En ändrad budget utan beslut om ändring: jobbet fälls och inget checkas in.
    forslag.write_text(
        forslag.read_text(encoding="utf-8").replace("400000 kr", "450 000 kr"), encoding="utf-8"
    )
    pusha("Ny budget")
    p = registrera(tmp_path, arkiv, origin, ci)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "NL-2014-001" in p.stdout and "ändring" in p.stdout
    assert git(origin, "rev-list", "--count", "main") == str(int(commits) + 2) + "\n"

    # Med beslutet registreras ändringen och exporten checkas in.
    (arkiv / "beslut" / "ks-2015-77.yaml").write_text(
        "typ: ändring\nreferens: KS 2015/77 § 12\ndatum: 2015-02-10\n"
        "beslutat_av: Kommunstyrelsen\nmotivering: Insatsen ökas.\navtal: NL-2014-001\n",
        encoding="utf-8",
    )
    pusha("Beslut om ändring")
    p = registrera(tmp_path, arkiv, origin, ci)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "enligt beslut KS 2015/77 § 12" in p.stdout
    assert git(origin, "log", "-1", "--format=%s", "main").startswith(
        "Registret uppdaterat av partner"
    )
    assert kor("register", "kontroll", cwd=arkiv).returncode == 0


# Arbetsflödeskommandon som partner själv skriver: annoteringar för arkivets filer.
PARTNERS_KOMMANDON = tuple(
    f"::{niva} file={katalog}/"
    for niva in ("error", "warning", "notice")
    for katalog in ("forslag", "beslut")
)


def _frammande_kommandon(logg: str) -> list[str]:
    """Loggens rader (delade som den strängaste läsaren delar dem) som börjar ett
    arbetsflödeskommando partner inte skrev."""
    return [
        r
        for r in radstarter(logg)
        if (r.startswith("::") and not r.startswith(PARTNERS_KOMMANDON)) or r.startswith("##[")
    ]


def fientligt_arkiv(tmp_path: Path, ci: str, med_fientliga_filnamn: bool) -> tuple[Path, Path]:
    """Ett arkiv med ett fientligt förslag per sträng i katalogen och besluten som ger deras
    undantag (och, med fientliga filnamn, förslagen med strängarna i namnen, vars undantag
    saknar beslut); (arkivet, dess origin)."""
    arkiv = nytt_arkiv(tmp_path, ci)
    for i, s in enumerate(STRANGAR):
        (arkiv / "forslag" / f"f{i:02}.yaml").write_text(fientligt_forslag(i, s), "utf-8")
        for namn, text in fientliga_beslut(i, s).items():
            (arkiv / "beslut" / namn).write_text(text, encoding="utf-8")
    if med_fientliga_filnamn:
        skapa_arkiv(tmp_path / "fientligt")
        shutil.copytree(tmp_path / "fientligt", arkiv, dirs_exist_ok=True)
    git(arkiv, "add", ".")
    git(arkiv, "commit", "-q", "-m", "Fientliga förslag")
    return arkiv, med_origin(tmp_path, arkiv)


@pytest.mark.parametrize("med_fientliga_filnamn", [False, True], ids=["text", "filnamn"])
def test_github_jobben_med_fientliga_forslag(tmp_path: Path, med_fientliga_filnamn: bool) -> None:
    """Fientlig text i förslagen (och i filnamnen) startar inget arbetsflödeskommando i
    jobbens logg, och jobben ger rätt utfall: förslag vars undantag har beslut godkänns och
    registreras; förslag med fientliga namn utan beslut för sina undantag stoppar båda."""
    arkiv, origin = fientligt_arkiv(tmp_path, "github", med_fientliga_filnamn)
    env = miljo(
        arkiv,
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(arkiv),
        GITHUB_STEP_SUMMARY=str(tmp_path / "sammanfattning.md"),
        PARTNER_SANKTIONERAD_AV="Näringslivsdirektören",
        PARTNER_ANVANDARE="github-actions",
        GITHUB_REF_NAME="main",
    )
    kod, logg = kor_jobb(arkiv, "github", "granska", env)
    assert _frammande_kommandon(logg) == []
    assert "::notice file=forslag/f00.yaml" in logg  # de beslutade undantagen
    fore = git(origin, "rev-list", "--count", "main")
    registrering, registreringslogg = kor_jobb(arkiv, "github", "registrera", env)
    assert _frammande_kommandon(registreringslogg) == []
    if med_fientliga_filnamn:
        assert (kod, registrering) == (1, 1), logg + registreringslogg
        assert "::error file=forslag/" in logg
        assert git(origin, "rev-list", "--count", "main") == fore
    else:
        assert (kod, registrering) == (0, 0), logg + registreringslogg
        assert {f"F-{i}" for i in range(len(STRANGAR))} <= registrerade(arkiv)
        assert "Registret uppdaterat av partner" in git(origin, "log", "--format=%s", "main")


# Det GitLab läser i en jobblogg: ANSI-sekvenser (färger, radradering) och sektionsmarkeringar
# (`section_start:TID:NAMN`, `section_end:…`) först på en rad, också efter en vagnretur.
SEKTIONER = ("section_start:", "section_end:")
# Elementen och attributen i partners JUnit-rapport; inga andra kan komma ur en fil.
JUNIT_ELEMENT = frozenset(
    ["testsuites", "testsuite", "properties", "property", "testcase", "failure", "system-out"]
)
JUNIT_ATTRIBUT = frozenset(
    [
        "name",
        "value",
        "tests",
        "failures",
        "errors",
        "skipped",
        "time",
        "classname",
        "file",
        "message",
        "type",
    ]
)


def _gitlab_logg_ar_inert(logg: str) -> None:
    assert rata_styrtecken(logg) == [], logg  # ingen ESC, ingen vagnretur, inget C1
    assert [r for r in radstarter(logg) if r.lstrip().startswith(SEKTIONER)] == []


@pytest.mark.parametrize("med_fientliga_filnamn", [False, True], ids=["text", "filnamn"])
def test_gitlab_jobben_med_fientliga_forslag(tmp_path: Path, med_fientliga_filnamn: bool) -> None:
    """Fientlig text i förslagen (och i filnamnen) når GitLabs jobblogg utan ANSI-sekvenser,
    styrtecken eller sektionsmarkeringar; Code Quality-rapporten och JUnit-rapporten förblir
    giltiga och bär inga råa styrtecken eller egna element; jobben ger samma utfall som på
    GitHub."""
    arkiv, origin = fientligt_arkiv(tmp_path, "gitlab", med_fientliga_filnamn)
    env = miljo(arkiv, CI_PROJECT_DIR=str(arkiv), CI_PIPELINE_SOURCE="merge_request_event")
    kod, logg = kor_jobb(arkiv, "gitlab", "granska", env)
    _gitlab_logg_ar_inert(logg)
    assert "section_start:1700000000:falsk\\r\\x1b[0K" in logg  # synlig, inte tolkad

    text = (arkiv / "gl-code-quality-report.json").read_text(encoding="utf-8")
    assert rata_styrtecken(text) == []
    assert rader_borjar_med(text, ("{", "}", "[", "]", " ")) == []
    kvalitet = json.loads(text)
    for fynd in kvalitet:
        # Regelns id och ett fingeravtryck, aldrig text ur en fil.
        assert re.fullmatch(r"[a-zåäö_]+", fynd["check_name"]), fynd
        assert re.fullmatch(r"[0-9a-f]{64}", fynd["fingerprint"]), fynd
        assert fynd["location"]["path"].startswith(("forslag/", "beslut/")), fynd
        assert fynd["severity"] in {"info", "minor", "major", "critical"}, fynd
    assert any(f["severity"] == "info" for f in kvalitet)  # de beslutade undantagen

    xml = (arkiv / "partner-junit.xml").read_text(encoding="utf-8")
    assert rata_styrtecken(xml) == []
    junit = ET.fromstring(xml)
    assert {e.tag for e in junit.iter()} <= JUNIT_ELEMENT
    assert {a for e in junit.iter() for a in e.attrib} <= JUNIT_ATTRIBUT

    fore = git(origin, "rev-list", "--count", "main")
    registrering, registreringslogg = kor_jobb(
        arkiv, "gitlab", "registrera", gitlab_miljo(tmp_path, arkiv, origin)
    )
    _gitlab_logg_ar_inert(registreringslogg)
    if med_fientliga_filnamn:
        assert (kod, registrering) == (1, 1), logg + registreringslogg
        assert len(junit.findall(".//failure")) == len(STRANGAR) + 1
        assert git(origin, "rev-list", "--count", "main") == fore
    else:
        assert (kod, registrering) == (0, 0), logg + registreringslogg
        assert {f"F-{i}" for i in range(len(STRANGAR))} <= registrerade(arkiv)
        assert "Registret uppdaterat av partner" in git(origin, "log", "--format=%s", "main")
