"""Tabeller och fynd i en riktig pseudoterminal, 80 och 200 tecken bred: ingen kolumn
försvinner, inget id eller datum kortas, fritext radbryts, och under en bredd där tabellen
inte ryms blir varje rad en post. Fyndraderna (`FIL:RAD:KOLUMN: …`) bryts aldrig av Rich."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROT, kor, kor_i_terminal
from partner_cli import terminal
from registerhjalp import miljo

EXEMPEL = ROT / "exempel"
ID = re.compile(r"NL-\d{4}-\d{3}")
DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


@pytest.fixture(scope="module")
def registret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Som arkivets arbetsflöde: de godkända förslagen registreras med sanktionen.
    db = tmp_path_factory.mktemp("terminal") / "partnerskap.db"
    p = kor(
        "register", "add", str(EXEMPEL / "forslag"), "--sanktionerad-av", "Karin Ek",
        env=miljo(db),
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    return db


def synligt(text: str) -> list[str]:
    return [ANSI.sub("", r).rstrip() for r in text.splitlines()]


KOMMANDON = {
    "list": (("register", "list"), ["Id", "Titel", "Organisation", "Typ", "Period",
                                    "Kommunen", "Medfinansiering", "Ägare"]),
    "ägare": (("register", "ägare"), ["Organisation", "Organisationsnummer", "Avtalsägare",
                                      "Enhet", "Antal avtal", "Aktiva"]),
    "report": (("report", "--år", "2015", "--per", "2016-06-01"),
               ["Id", "Organisation", "Typ", "Period", "Ny", "Kommunen", "Garanterat",
                "Näringsliv", "Initiativ", "Organisationsnummer", "Avtalsägare", "Enhet",
                "Avtal 2015", "Beslut", "Beslutsdatum", "Motivering", "Giltigt till",
                "Indikator", "Riktning", "Planerad", "Status", "Risk"]),
}  # fmt: skip


@pytest.mark.parametrize("bredd", [80, 200])
@pytest.mark.parametrize("namn", list(KOMMANDON))
def test_ingen_kolumn_forsvinner_och_inget_kortas(registret: Path, namn: str, bredd: int) -> None:
    argument, rubriker = KOMMANDON[namn]
    fil = kor(*argument, env=miljo(registret))  # utan terminal: en rad per post, allt med
    p = kor_i_terminal(*argument, env=miljo(registret), bredd=bredd)
    assert p.returncode == 0, p.stderr
    rader = synligt(p.stdout)
    text = "\n".join(rader)
    assert "…" not in text
    # Staplarna och noterna under tabellerna är egna rader; tabellerna ryms i bredden.
    tabellrader = [r for r in rader if "█" not in r and not r.endswith(".")]
    assert max(map(len, tabellrader)) <= bredd
    ord_ = set(text.split())
    for rubrik in rubriker:
        assert set(rubrik.split()) <= ord_, rubrik
    # Varje id och datum står helt, lika många gånger som utan terminal.
    for monster in (ID, DATUM):
        assert sorted(monster.findall(text)) == sorted(monster.findall(fil.stdout))
    # Varje cell finns kvar: alla ord utan terminal finns i terminalen, med bindestreck,
    # procent och belopp.
    assert set(fil.stdout.split()) - {"-" * n for n in range(200)} - {"*"} <= ord_


def test_200_tecken_ger_en_rad_per_avtal(registret: Path) -> None:
    p = kor_i_terminal("register", "list", env=miljo(registret), bredd=200)
    (rad,) = [r for r in synligt(p.stdout) if r.startswith("NL-2014-001")]
    for cell in ("Logistikregionens etableringsprojekt", "2014-03-01 – 2016-02-29",
                 "400 000 kr", "66,1 %", "Karin Ek"):  # fmt: skip
        assert cell in rad
    assert "Medfinansiering  Ägare" in "\n".join(synligt(p.stdout))


def test_80_tecken_ger_en_post_per_avtal(registret: Path) -> None:
    p = kor_i_terminal("register", "list", env=miljo(registret), bredd=80)
    rader = synligt(p.stdout)
    i = rader.index("  Id               NL-2014-001")
    falt = dict(re.split(r"\s{2,}", r.strip(), maxsplit=1) for r in rader[i : i + 8])
    assert falt["Titel"] == "Logistikregionens etableringsprojekt"
    assert falt["Kommunen"] == "400 000 kr"
    assert falt["Period"] == "2014-03-01 – 2016-02-29"
    assert falt["Medfinansiering"] == "66,1 %"
    assert falt["Ägare"] == "Karin Ek"


def test_en_tabell_som_ryms_bryter_fritext_mellan_ord(registret: Path) -> None:
    # 120 tecken: listan ryms om titlar och namn bryts, och gör det mellan orden.
    p = kor_i_terminal("register", "list", env=miljo(registret), bredd=120)
    rader = synligt(p.stdout)
    (forsta,) = [r for r in rader if r.startswith("NL-2014-001")]
    assert "Logistikregionens " in forsta and "etableringsprojekt" not in forsta
    assert "etableringsprojekt" in rader[rader.index(forsta) + 1]
    assert max(map(len, rader)) <= 120


@pytest.mark.parametrize("bredd", [80, 200])
def test_fyndrader_bryts_aldrig(bredd: int) -> None:
    fil = kor("check", "exempel/avvisade", cwd=ROT)
    p = kor_i_terminal("check", "exempel/avvisade", cwd=ROT, bredd=bredd)
    assert p.returncode == 1
    assert "\x1b[" in p.stdout
    fynd = [r for r in fil.stdout.splitlines() if re.match(r"[^:]+:\d+:\d+: ", r)]
    assert any(len(r) > 200 for r in fynd)  # meddelandet om medfinansieringen är långt
    assert synligt(p.stdout) == fil.stdout.splitlines()


def test_kolumnbredder() -> None:
    kolumner = ["Id", "Text", "Belopp"]
    rader = [["NL-2014-001", "ett två tre fyra fem sex", "1 200 000 kr"]]
    fri = [False, True, False]
    assert terminal.kolumnbredder(kolumner, rader, fri, 200) == [11, 24, 12]
    # Trångt: id och belopp behåller sin bredd, texten får resten.
    assert terminal.kolumnbredder(kolumner, rader, fri, 40) == [11, 13, 12]
    # Under det minsta (längsta ordet i texten) ryms ingen tabell.
    assert terminal.kolumnbredder(kolumner, rader, fri, 11 + 4 + 12 + 4) == [11, 4, 12]
    assert terminal.kolumnbredder(kolumner, rader, fri, 11 + 4 + 12 + 3) is None
    # En rubrik som inte är fritext bryts mellan ord hellre än att tabellen ger upp.
    rubrik = (["Antal avtal", "T"], [["1", "a"]], [False, True])
    assert terminal.kolumnbredder(*rubrik, 8) == [5, 1]
    assert terminal.kolumnbredder(*rubrik, 7) is None


def test_register_show_delar_aldrig_belopp_och_datum(registret: Path) -> None:
    fil = kor("register", "show", "NL-2014-001", env=miljo(registret))
    p = kor_i_terminal("register", "show", "NL-2014-001", env=miljo(registret), bredd=60)
    assert p.returncode == 0, p.stderr
    text = "\n".join(synligt(p.stdout))
    for belopp in ("300 000 kr", "480 000 kr"):
        assert belopp in text
    assert sorted(DATUM.findall(text)) == sorted(DATUM.findall(fil.stdout))
