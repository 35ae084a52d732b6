"""Årsrapporten som html att publicera: ett avslutat års sida ändras inte, diagrammen har
textalternativ, utskriften och den smala skärmen fungerar, och en enskild firmas
personnummer visas aldrig."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import webblasare
from conftest import ROT, kor
from registerhjalp import miljo, skriv_forslag

EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
PERSONNUMMER = "811218-9876"  # ett personnummer som Skatteverket använder i exempel
FIRMA = "Svenssons Konsult"


def registrera(db: Path, *filer: Path) -> None:
    p = kor("register", "add", *map(str, filer), "--sanktionerad-av", "N", env=miljo(db))
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("html")
    db = katalog / "partnerskap.db"
    firma = skriv_forslag(
        katalog,
        "nl-2014-020.yaml",
        id_="NL-2014-020",
        org=PERSONNUMMER,
        agare="Anna Lind",
        start="2014-03-01",
        slut="2015-02-28",
        titel="Konsultstöd",
    )
    text = firma.read_text(encoding="utf-8").replace(
        "  namn: Örebro Logistikpartner AB\n", f"  namn: {FIRMA}\n", 1
    )
    firma.write_text(text, encoding="utf-8")
    registrera(db, *EXEMPEL, firma)
    return db


def html(db: Path, *argument: str, ar: str = "2014", cwd: Path | None = None) -> str:
    p = kor(
        "report",
        "--år",
        ar,
        "--per",
        "2016-06-01",
        "--format",
        "html",
        *argument,
        env=miljo(db),
        cwd=cwd,
    )
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_ett_avslutat_ars_sida_andras_inte_av_senare_avtal(tmp_path: Path) -> None:
    db = tmp_path / "partnerskap.db"
    registrera(db, *EXEMPEL)
    fore = html(db)
    senare = skriv_forslag(
        tmp_path,
        "nl-2017.yaml",
        id_="NL-2017-001",
        org="556912-3457",
        agare="Maria Holm",
        start="2017-01-01",
        slut="2018-12-31",
    )
    senare.write_text(
        senare.read_text(encoding="utf-8").replace("räkenskapsår: 2013", "räkenskapsår: 2016"),
        encoding="utf-8",
    )
    registrera(db, senare)
    assert html(db) == fore
    # Årets egen diagramdata slutar med året; senare år finns i senare års rapporter.
    assert ">2014</td>" in fore and ">2015</td>" not in fore
    assert ">2017</td>" in html(db, ar="2017")


def test_varje_diagram_har_ett_textalternativ(register: Path) -> None:
    sida = html(register, ar="2015")
    svg = re.findall(r"<svg.*?</svg>", sida, re.S)
    assert len(svg) == 2
    for diagram in svg:
        assert "<title " in diagram and "<desc " in diagram
        assert re.search(r'aria-labelledby="\S+-titel \S+-beskrivning"', diagram)
    assert "NL-2014-001: 66,1 %" in svg[0]  # stapelns värde i beskrivningen
    assert "2014 (" in svg[1] and "2015 (" in svg[1]
    assert "<summary>Diagrammets data</summary>" in sida
    tabell = sida[sida.index("<summary>Diagrammets data") :]
    assert re.search(r'data-rubrik="År">2014</td>', tabell)


def test_utskriften_bryter_aldrig_datum_eller_id(register: Path) -> None:
    sida = html(register)
    assert "@media print" in sida and "thead{display:table-header-group}" in sida
    assert "@page{size:A4" in sida
    # En period i en fri kolumn: datumen hålls hela var för sig.
    assert '<span class="hel">2014-03-01</span> – <span class="hel">2015-02-28</span>' in sida
    # Id och datum i fasta kolumner bryts inte alls.
    assert '<td class="fast" data-rubrik="Id">NL-2014-001</td>' in sida
    assert "td.fast,.hel{white-space:nowrap}" in sida


def test_smal_skarm_far_kort_med_kolumnrubriker(register: Path) -> None:
    sida = html(register)
    assert "@media (max-width:40rem)" in sida
    assert "table.data td::before{content:attr(data-rubrik)" in sida
    assert '<table class="data">' in sida


def test_enskild_firmas_personnummer_visas_aldrig(register: Path, tmp_path: Path) -> None:
    for argument in ((), ("--publik",)):
        sida = html(register, *argument)
        assert "NL-2014-020" in sida
        assert PERSONNUMMER not in sida and PERSONNUMMER.replace("-", "") not in sida
        assert FIRMA in sida  # namnet visas som standard
    assert "enskild firma (personnummer visas inte)" in html(register)
    # --publik gäller varje format.
    for format_ in ("json", "markdown", "text"):
        p = kor("report", "--år", "2014", "--publik", "-f", format_, env=miljo(register))
        assert p.returncode == 0, p.stderr
        assert PERSONNUMMER not in p.stdout, format_
    # Och med partner.toml döljs namnet också.
    (tmp_path / "partner.toml").write_text(
        '[publicera]\n"dölj_enskild_firmas_namn" = true\n', encoding="utf-8"
    )
    sida = html(register, cwd=tmp_path)
    assert FIRMA not in sida and PERSONNUMMER not in sida
    assert "Enskild firma" in sida


def test_publik_rapport_har_ingen_risktabell(register: Path) -> None:
    assert 'id="risker"' in html(register)
    publik = html(register, "--publik")
    assert 'id="risker"' not in publik and "Risker" not in publik
    p = kor("report", "--år", "2014", "--publik", "-f", "json", env=miljo(register))
    assert '"risker"' not in p.stdout


@webblasare.finns
def test_i_webblasaren_ryms_sidan_vid_varje_bredd_och_skrivs_ut(
    register: Path, tmp_path: Path
) -> None:
    sida = html(register, ar="2015")
    for bredd in webblasare.BREDDER:
        uppmatt = webblasare.sidans_bredd(sida, bredd, tmp_path)
        assert uppmatt <= bredd, f"sidan är {uppmatt} px bred i ett fönster om {bredd} px"
    fil = tmp_path / "rapport.html"
    fil.write_text(sida, encoding="utf-8")
    webblasare.fotografera_och_skriv_ut(fil, tmp_path)
