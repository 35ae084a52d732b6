"""Tjänstemannens år på exemplen: exempel/ är ett förslagsarkiv, registret byggs ur det med
`partner register sync` i ett riktigt git-arkiv, och varje kommando för bevakning,
beslutsunderlag, Excel och öppna data körs genom det installerade `partner` med filerna
lästa tillbaka med sina bibliotek."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROT, kor

FORSLAG = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
# Det som kommunen fyller i: utgivarens inställningar och kommunen själv.
IFYLLT = (
    ('bidragsprefix = ""', 'bidragsprefix = "360G-orebrokommun"'),
    ('kontakt_epost = ""', 'kontakt_epost = "naringsliv@example.se"'),
    ('adress = ""', 'adress = "https://example.se/oppna-data/partnerskap"'),
    ("# [kommun]\n# namn", "[kommun]\nnamn"),
    ("# organisationsnummer", "organisationsnummer"),
)


def git(katalog: Path, *argument: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=t@example.se", *argument],
        cwd=katalog,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def arkiv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("exempel") / "arkiv"
    shutil.copytree(ROT / "exempel", katalog, ignore=shutil.ignore_patterns("*.db*"))
    toml = katalog / "partner.toml"
    text = toml.read_text(encoding="utf-8")
    for fore, efter in IFYLLT:
        assert fore in text, fore
        text = text.replace(fore, efter, 1)
    toml.write_text(text, encoding="utf-8")
    git(katalog, "init", "-q", "-b", "main")
    git(katalog, "add", "-A")
    git(katalog, "commit", "-q", "-m", "Exemplen")
    p = kor("register", "sync", "--sanktionerad-av", "Näringslivsdirektören", cwd=katalog)
    assert p.returncode == 0, p.stderr
    assert p.stdout.count(" registrerad") == len(FORSLAG), p.stdout
    assert kor("register", "kontroll", cwd=katalog).returncode == 0
    return katalog


def test_bevakningen_i_varje_format(arkiv: Path, tmp_path: Path) -> None:
    import icalendar

    per = ("--per", "2015-02-01", "--dagar", "60")
    data = json.loads(kor("bevaka", *per, "-f", "json", cwd=arkiv).stdout)
    assert data["bevakningar"], data
    text = kor("bevaka", *per, cwd=arkiv)
    assert text.returncode == (1 if data["försenade"] else 0)
    for b in data["bevakningar"]:
        assert b["avtal"] in text.stdout and b["avtalsägare"] in text.stdout
    markdown = kor("bevaka", *per, "-f", "markdown", cwd=arkiv).stdout
    assert markdown.startswith("# Bevakning per 2015-02-01")
    filer = [tmp_path / "a.ics", tmp_path / "b.ics"]
    for fil in filer:
        assert kor("bevaka", *per, "-f", "ics", "--ut", str(fil), cwd=arkiv).returncode in (0, 1)
    kalendrar = [icalendar.Calendar.from_ical(f.read_bytes()) for f in filer]
    handelser = [[h for h in k.walk("VEVENT")] for k in kalendrar]
    assert len(handelser[0]) == len(data["bevakningar"])
    # Samma bevakningar ger samma UID: en ny import uppdaterar i stället för att dubblera.
    uid = [str(h["UID"]) for h in handelser[0]]
    assert uid == [str(h["UID"]) for h in handelser[1]] == [b["uid"] for b in data["bevakningar"]]


@pytest.mark.parametrize("fil", FORSLAG, ids=lambda f: f.stem)
def test_beslutsunderlaget_som_docx_html_och_markdown(
    arkiv: Path, tmp_path: Path, fil: Path
) -> None:
    import docx

    forslag = f"forslag/{fil.name}"
    ut = tmp_path / "underlag.docx"
    assert kor("underlag", forslag, "-f", "docx", "--ut", str(ut), cwd=arkiv).returncode == 0
    dokument = docx.Document(str(ut))
    rubriker = [s.text for s in dokument.paragraphs if s.style.name.startswith("Heading")]
    assert {
        "Sammanfattning",
        "Motpart",
        "Finansiering",
        "Prövning mot strategin",
        "Kommunens engagemang i organisationen",
    } <= set(rubriker), rubriker
    celler = {c.text for t in dokument.tables for r in t.rows for c in r.cells}
    assert {"Näringslivet", "Andra offentliga", "Kommunen"} <= celler
    markdown = kor("underlag", forslag, "-f", "markdown", cwd=arkiv).stdout
    assert "## Sammanfattning" in markdown and "| Näringslivet |" in markdown
    # Registret, byggt ur arkivet, ger organisationens avtalsägare och övriga avtal.
    rader = fil.read_text(encoding="utf-8").splitlines()
    agare = rader[rader.index("avtalsägare:") + 1].split("namn:", 1)[1].strip()
    engagemang = markdown.split("## Kommunens engagemang i organisationen", 1)[1].split("##")[0]
    assert f"avtalsägare enligt registret: {agare}." in engagemang, engagemang
    html = kor("underlag", forslag, "-f", "html", cwd=arkiv).stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html


def test_excel_och_svensk_csv(arkiv: Path, tmp_path: Path) -> None:
    import openpyxl

    bok = tmp_path / "rapport.xlsx"
    p = kor("report", "--år", "2015", "-f", "xlsx", "--ut", str(bok), cwd=arkiv)
    assert p.returncode == 0, p.stderr
    blad = openpyxl.load_workbook(bok)
    assert "partnerskap" in blad.sheetnames
    partnerskap = blad["partnerskap"]
    rubriker = [c.value for c in partnerskap[1]]
    kommunen = [r[rubriker.index("kommunen")] for r in partnerskap.iter_rows(min_row=2)]
    assert kommunen and all(not isinstance(c.value, str) for c in kommunen)
    assert all("kr" in c.number_format for c in kommunen)
    assert partnerskap.freeze_panes == "A2"
    csv_ = kor("register", "list", "-f", "csv", "--csv-stil", "excel", cwd=arkiv).stdout
    assert csv_.startswith("\ufeff") and ";" in csv_.splitlines()[0]
    assert all(f"{f.stem[:11].upper()}" in csv_ for f in FORSLAG)


def test_oppna_data(arkiv: Path, tmp_path: Path) -> None:
    ut = tmp_path / "data"
    p = kor("publicera", "--år", "2015", "--ut", str(ut), cwd=arkiv)
    assert p.returncode == 0, p.stderr
    filer = {f.name: f for f in ut.iterdir()}
    paket = json.loads(next(f for n, f in filer.items() if "360" in n).read_text("utf-8"))
    mottagare = {o["id"] for g in paket["grants"] for o in g["recipientOrganization"]}
    assert mottagare and all(m.startswith("SE-ON-") for m in mottagare)
    assert {g["fundingOrganization"][0]["id"] for g in paket["grants"]} == {"SE-ON-2120001967"}
