"""Gjorda utvärderingar prövas mot sitt avtal, med rad och kolumn och strategins stycke:
datumet inom avtalstiden och högst `max_dagar_efter_slut` dagar efter dess slut, inte efter i
dag, och utfall för just det gällande avtalets mål. Genom det installerade skriptet."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import kor
from registerhjalp import bygg, innehall, miljo, skriv_forslag

# Avtalet NL-1 ur mallen löper 2014-09-01–2016-08-31 och har ett mål.
UTVARDERING = """\
datum: 2015-09-15
typ: delutvärdering
utförd_av: Anna Lind
mål:
  - mål: 1
    utfall: 12
"""
GRUND = "Förhållningsregler för framtida partnerskap, punkt 4"


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    register = tmp_path / "register" / "partnerskap.db"
    bygg(register, skriv_forslag(tmp_path, "a.yaml"))
    return register


def utvardera(tmp_path: Path, reg: Path, text: str, *extra: str) -> tuple[int, str, Path]:
    fil = tmp_path / "u.yaml"
    fil.write_text(text, encoding="utf-8")
    p = kor("register", "utvärdera", "NL-1", str(fil), *extra, env=miljo(reg))
    assert "Traceback" not in p.stderr
    return p.returncode, p.stdout + p.stderr, fil


@pytest.mark.parametrize(
    ("text", "plats", "meddelande"),
    [
        # Ett och ett halvt år före avtalets start.
        (
            UTVARDERING.replace("2015-09-15", "2013-03-01"),
            "1:8",
            "Utvärderingen 2013-03-01 ligger före avtalet NL-1s start 2014-09-01",
        ),
        (
            UTVARDERING.replace("2015-09-15", "2030-06-01"),
            "1:8",
            "ligger mer än 365 dagar efter avtalet NL-1s slut 2016-08-31 (senast 2017-08-31",
        ),
        (
            UTVARDERING.replace("2015-09-15", "2017-09-01"),
            "1:8",
            "ligger mer än 365 dagar efter avtalet NL-1s slut 2016-08-31",
        ),
        (
            UTVARDERING.replace("mål: 1", "mål: 2"),
            "5:10",
            "Avtalet NL-1 har inget mål nummer 2 i sin gällande version (det har mål 1–1",
        ),
        (
            UTVARDERING + "  - mål: 3\n    utfall: 1\n",
            "7:10",
            "Avtalet NL-1 har inget mål nummer 3",
        ),
    ],
)
def test_utvardering_som_inte_passar_avtalet_underkanns_med_plats(
    tmp_path: Path, reg: Path, text: str, plats: str, meddelande: str
) -> None:
    fore = innehall(reg)
    kod, ut, fil = utvardera(tmp_path, reg, text)
    assert kod == 1, ut
    rader = [r for r in ut.splitlines() if r.startswith(f"{fil}:{plats}: fel [utvärdering] ")]
    assert rader and meddelande in rader[0], ut
    assert "utvärderingen registrerades inte" in ut
    assert innehall(reg) == fore


def test_sista_tillatna_dagen_och_installningen(tmp_path: Path, reg: Path) -> None:
    kod, ut, _ = utvardera(tmp_path, reg, UTVARDERING.replace("2015-09-15", "2017-08-31"))
    assert kod == 0, ut
    # Gränsen är regeln utvärderings inställning i partner.toml, samma som för planerade.
    toml = tmp_path / "partner.toml"
    toml.write_text('[regler."utvärdering"]\nmax_dagar_efter_slut = 30\n', encoding="utf-8")
    kod, ut, fil = utvardera(
        tmp_path, reg, UTVARDERING.replace("2015-09-15", "2016-10-01"), "--config", str(toml)
    )
    assert kod == 1
    assert f"{fil}:1:8: fel [utvärdering] Utvärderingen 2016-10-01 ligger mer än 30 dagar" in ut


def test_utvardering_daterad_efter_i_dag(tmp_path: Path) -> None:
    import datetime as dt

    reg = tmp_path / "register" / "partnerskap.db"
    idag = dt.date.today()
    forslag = skriv_forslag(
        tmp_path, "a.yaml", start=f"{idag.year - 1}-01-01", slut=f"{idag.year + 2}-12-31"
    )
    text = forslag.read_text(encoding="utf-8")
    forslag.write_text(text.replace("räkenskapsår: 2013", f"räkenskapsår: {idag.year - 2}"))
    bygg(reg, forslag)
    imorgon = idag + dt.timedelta(days=1)
    kod, ut, fil = utvardera(tmp_path, reg, UTVARDERING.replace("2015-09-15", str(imorgon)))
    assert kod == 1, ut
    assert f"{fil}:1:8: fel [utvärdering] Utvärderingen {imorgon} ligger efter i dag ({idag})" in ut
    kod, ut, _ = utvardera(tmp_path, reg, UTVARDERING.replace("2015-09-15", str(idag)))
    assert kod == 0, ut


def test_saknat_utfall_visas_vid_malen(tmp_path: Path, reg: Path) -> None:
    tva = skriv_forslag(tmp_path, "b.yaml", id_="NL-2")
    text = tva.read_text(encoding="utf-8").replace(
        "    överenskommet: ja\n",
        "    överenskommet: ja\n"
        "  - {beskrivning: B, indikator: C, målvärde: 4, överenskommet: ja}\n",
    )
    tva.write_text(text, encoding="utf-8")
    bygg(reg, tva)
    fil = tmp_path / "u.yaml"
    fil.write_text(UTVARDERING, encoding="utf-8")
    p = kor("register", "utvärdera", "NL-2", str(fil), env=miljo(reg))
    assert p.returncode == 1
    assert f"{fil}:4:1: fel [utvärdering] Utfall saknas för mål 2 i avtalet NL-2" in p.stdout


def test_ofylld_mall_gar_aldrig_igenom(tmp_path: Path, reg: Path) -> None:
    mall = tmp_path / "ny.yaml"
    assert kor("ny", "--utvardering", str(mall)).returncode == 0
    fore = innehall(reg)
    p = kor("register", "utvärdera", "NL-1", str(mall), env=miljo(reg))
    assert p.returncode == 1
    assert "'(utvärderarens namn)' står kvar från mallen" in p.stdout
    assert innehall(reg) == fore


def test_fyndet_citerar_strategins_stycke() -> None:
    p = kor("regler", "utvärdering")
    assert GRUND in p.stdout
    assert "Varje partnerskap skall utvärderas utifrån gemensamt överenskomna mål." in p.stdout


def test_rattelse_och_makulering_genom_kommandot(tmp_path: Path, reg: Path) -> None:
    def registrera(namn: str, text: str) -> tuple[subprocess.CompletedProcess[str], Path]:
        fil = tmp_path / namn
        fil.write_text(text, encoding="utf-8")
        return kor("register", "utvärdera", "NL-1", str(fil), env=miljo(reg)), fil

    p, forsta = registrera("forsta.yaml", UTVARDERING)
    assert p.returncode == 0
    rattelse_text = UTVARDERING.replace("utfall: 12", "utfall: 14") + "ersätter: forsta.yaml\n"
    p, rattelse = registrera("rattelse.yaml", rattelse_text)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"{rattelse}: utvärderingen av NL-1 registrerad; den ersätter forsta.yaml" in p.stdout
    # Samma rättelse igen ändrar inget; en andra rättelse av den ersatta vägras med platsen.
    p, _ = registrera("rattelse.yaml", rattelse_text)
    assert p.returncode == 0 and "redan registrerad" in p.stdout
    fore = innehall(reg)
    p, andra = registrera(
        "andra.yaml", UTVARDERING.replace("utfall: 12", "utfall: 15") + "ersätter: forsta.yaml\n"
    )
    assert p.returncode == 1
    assert f"{andra}:7:11: fel [utvärdering] utvärderingen av NL-1 från {forsta}" in p.stdout
    assert "är redan ersatt; en utvärdering upphävs en gång" in p.stdout
    assert innehall(reg) == fore

    makulering_text = "makulerar: rattelse.yaml\ndatum: 2015-10-01\nmotivering: Fel projekt.\n"
    p, makulering = registrera("makulering.yaml", makulering_text)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"utvärderingen av NL-1 från {rattelse} (2015-09-15) makulerad" in p.stdout
    p, _ = registrera("makulering.yaml", makulering_text)
    assert p.returncode == 0 and "makuleringen är redan registrerad" in p.stdout
    # En registrerad makulering pekar inte om.
    p, _ = registrera("makulering.yaml", makulering_text.replace("rattelse.yaml", "forsta.yaml"))
    assert p.returncode == 1
    assert f"{makulering}:1:12: fel [utvärdering] {makulering} har redan makulerat" in p.stdout
    visa = kor("register", "show", "NL-1", env=miljo(reg)).stdout
    assert f"nej, ersatt av {rattelse}" in visa
    assert f"nej, makulerad 2015-10-01 av {makulering}: Fel projekt." in visa
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0


@pytest.mark.parametrize(
    ("text", "meddelande"),
    [
        ("makulerar: a.yaml\ndatum: 2015-10-01\n", "1:1: fel [format] Nyckeln 'motivering' saknas"),
        (
            "makulerar: a.yaml\ndatum: 2015-10-01\nmotivering: X.\nmål: []\n",
            "4:1: fel [format] ",
        ),
        (UTVARDERING + "ersätter: [a.yaml]\n", "7:11: fel [format] "),
    ],
)
def test_makulering_och_rattelse_har_sitt_format(
    tmp_path: Path, reg: Path, text: str, meddelande: str
) -> None:
    fore = innehall(reg)
    kod, ut, fil = utvardera(tmp_path, reg, text)
    assert kod == 1, ut
    assert f"{fil}:{meddelande}" in ut
    assert innehall(reg) == fore
