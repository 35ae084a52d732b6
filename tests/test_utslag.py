"""Granskningen i en pull request ger det utslag som `partner register sync` ger efter
sammanslagningen: i ett förslagsarkiv med den incheckade registerexporten och ingen databas
underkänner `partner check` (CI-mallens kommando) exakt det som `sync` vägrar, med fil, rad och
kolumn, och godkänner det som `sync` för in. Genom det installerade skriptet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cijobb as ci
from conftest import kor
from registerhjalp import orgnr

BESLUT_OM = """typ: {typ}
referens: KS 2015/77 § 12
datum: 2015-02-10
beslutat_av: Kommunstyrelsen
motivering: Kommunens insats ökas när projektet breddas.
avtal: {avtal}
"""
# NL-2014-001 löper 2014-03-01–2016-02-29 och har två mål.
UTVARDERING = """avtal: NL-2014-001
datum: 2015-03-01
typ: delutvärdering
utförd_av: Eva Berg
mål:
  - {mål: 1, utfall: 12}
  - {mål: 2, utfall: 150}
"""


NYTT = ci.ny_motpart("NL-2016-010", orgnr(10), "Karlslunds Verkstäder AB")
# Samma organisation som NL-2014-001 (ägare Anna Lind) med en annan ägare, efter det avtalet.
FEL_AGARE = (
    ci.ny_motpart("NL-2016-010", "556781-2341", "Örebro Logistikpartner AB")
    .replace("2014-03-01", "2016-03-01")
    .replace("2016-02-29", "2018-02-28")
    .replace("namn: Anna Lind", "namn: Per Holm")
)
BUDGET = (ci.LOGISTIK, "kontant: 400 000 kr", "kontant: 450 000 kr")
ANDRING = ("beslut/ks-2015-77.yaml", BESLUT_OM.format(typ="ändring", avtal="NL-2014-001"))


def _utv(fore: str = "", efter: str = "") -> tuple[str, str]:
    return ("utvarderingar/u.yaml", UTVARDERING.replace(fore, efter) if fore else UTVARDERING)


# En ändring av arkivet: (fil, ny text) skriver filen, (fil, före, efter) ersätter i den.
Andring = tuple[str, str] | tuple[str, str, str]
FALL: dict[str, tuple[tuple[Andring, ...], bool]] = {
    # fallet: (ändringarna, om sync vägrar)
    "oförändrat": ((), False),
    "rättad kommentar": (
        ((ci.LOGISTIK, "# Påhittat exempel", "# Rättat: påhittat exempel"),),
        False,
    ),
    "budget utan ändring": ((BUDGET,), True),
    "budget med ändring": ((BUDGET, ANDRING), False),
    "beslut om okänt avtal": (
        (("beslut/okant.yaml", BESLUT_OM.format(typ="ändring", avtal="NL-2099-1")),),
        True,
    ),
    "beslut om okänd regel": (
        (
            (
                "beslut/regel.yaml",
                BESLUT_OM.format(typ="undantag", avtal="NL-2014-001") + "regel: medfinansering\n",
            ),
        ),
        True,
    ),
    "ny organisation med fel ägare": ((("forslag/nl-2016-010.yaml", FEL_AGARE),), True),
    "nytt förslag": ((("forslag/nl-2016-010.yaml", NYTT),), False),
    "giltig utvärdering": ((_utv(),), False),
    "utvärdering före start": ((_utv("2015-03-01", "2012-09-01"),), True),
    "utvärdering 2030": ((_utv("2015-03-01", "2030-03-01"),), True),
    "utvärdering av okänt mål": ((_utv("mål: 2,", "mål: 3,"),), True),
    "utvärdering av okänt avtal": ((_utv("NL-2014-001", "NL-9"),), True),
    "utvärdering av nytt förslag": (
        (("forslag/nl-2016-010.yaml", NYTT), _utv("NL-2014-001", "NL-2016-010")),
        False,
    ),
    "ofylld utvärderingsmall": ((_utv("Eva Berg", "(utvärderarens namn)"),), True),
}

# Fallen i ett arkiv där utvarderingar/u.yaml redan är registrerad.
RATTELSE = UTVARDERING.replace("utfall: 12}", "utfall: 14}")
MAKULERING = """avtal: NL-2014-001
makulerar: u.yaml
datum: 2015-04-01
motivering: Utvärderingen gällde ett annat projekt.
"""
FALL_UTVARDERAT: dict[str, tuple[tuple[Andring, ...], bool]] = {
    "oförändrad utvärdering": ((), False),
    "utvärderingen ändrad i sin fil": (
        (("utvarderingar/u.yaml", "utfall: 12}", "utfall: 14}"),),
        True,
    ),
    "rättelse i en ny fil": ((("utvarderingar/u2.yaml", RATTELSE + "ersätter: u.yaml\n"),), False),
    "rättelse med arkivets sökväg": (
        (("utvarderingar/u2.yaml", RATTELSE + "ersätter: utvarderingar/u.yaml\n"),),
        False,
    ),
    "rättelse av en okänd fil": (
        (("utvarderingar/u2.yaml", RATTELSE + "ersätter: saknas.yaml\n"),),
        True,
    ),
    "rättelse som inte passar avtalet": (
        (("utvarderingar/u2.yaml", RATTELSE.replace("mål: 2,", "mål: 3,") + "ersätter: u.yaml\n"),),
        True,
    ),
    "två rättelser av samma": (
        (
            ("utvarderingar/u2.yaml", RATTELSE + "ersätter: u.yaml\n"),
            ("utvarderingar/u3.yaml", RATTELSE.replace("14}", "15}") + "ersätter: u.yaml\n"),
        ),
        True,
    ),
    "makulering": ((("utvarderingar/m.yaml", MAKULERING),), False),
    "makulering daterad framåt": (
        (("utvarderingar/m.yaml", MAKULERING.replace("2015-04-01", "2099-04-01")),),
        True,
    ),
    "makulering utan motivering": (
        (("utvarderingar/m.yaml", MAKULERING.split("motivering:")[0]),),
        True,
    ),
    "makulering med utfall": (
        (("utvarderingar/m.yaml", MAKULERING + "mål:\n  - {mål: 1, utfall: 1}\n"),),
        True,
    ),
    "rättelse och makulering av samma": (
        (
            ("utvarderingar/u2.yaml", RATTELSE + "ersätter: u.yaml\n"),
            ("utvarderingar/m.yaml", MAKULERING),
        ),
        True,
    ),
    "makulering av rättelsen": (
        (
            ("utvarderingar/u2.yaml", RATTELSE + "ersätter: u.yaml\n"),
            ("utvarderingar/m.yaml", MAKULERING.replace("u.yaml", "u2.yaml")),
        ),
        False,
    ),
}


@pytest.fixture(scope="module")
def registrerat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ett arkiv vars register är incheckat som export, utan databas: som i en pull request."""
    arkiv = ci.nytt_arkiv(tmp_path_factory.mktemp("bas"), "github")
    assert kor("register", "sync", *ci.SANKTIONERAD, cwd=arkiv).returncode == 0
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    (arkiv / "register" / "partnerskap.db").unlink()
    return arkiv


@pytest.fixture(scope="module")
def utvarderat(registrerat: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Samma arkiv med utvarderingar/u.yaml registrerad och exporterad."""
    arkiv = tmp_path_factory.mktemp("utvarderat") / "arkiv"
    shutil.copytree(registrerat, arkiv)
    (arkiv / "utvarderingar" / "u.yaml").write_text(UTVARDERING, encoding="utf-8")
    assert kor("register", "sync", *ci.SANKTIONERAD, cwd=arkiv).returncode == 0
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    (arkiv / "register" / "partnerskap.db").unlink()
    return arkiv


@pytest.mark.parametrize("fall", list(FALL))
def test_check_underkanner_exakt_det_sync_vagrar(
    registrerat: Path, tmp_path: Path, fall: str
) -> None:
    _samma_utslag(registrerat, tmp_path, *FALL[fall])


@pytest.mark.parametrize("fall", list(FALL_UTVARDERAT))
def test_rattelse_och_makulering_av_utvardering_far_samma_utslag(
    utvarderat: Path, tmp_path: Path, fall: str
) -> None:
    _samma_utslag(utvarderat, tmp_path, *FALL_UTVARDERAT[fall])


def _samma_utslag(bas: Path, tmp_path: Path, andringar: tuple[Andring, ...], vagras: bool) -> None:
    arkiv = tmp_path / "arkiv"
    shutil.copytree(bas, arkiv)
    for fil, *text in andringar:
        if len(text) == 1:
            (arkiv / fil).write_text(text[0], encoding="utf-8")
        else:
            ci.andra(arkiv, fil, *text)

    # CI-mallens kommando, och arkivets kataloger som sökvägar.
    kataloger = [
        k for k in ("forslag/", "beslut/", "utvarderingar/") if any((arkiv / k).glob("*.yaml"))
    ]
    granskningar = [kor("check", cwd=arkiv), kor("check", *kataloger, cwd=arkiv)]
    for p in granskningar:
        assert "Traceback" not in p.stderr
        assert not (arkiv / "register" / "partnerskap.db").exists()
    synk = kor("register", "sync", *ci.SANKTIONERAD, cwd=arkiv)
    assert "Traceback" not in synk.stderr
    assert synk.returncode == (1 if vagras else 0), synk.stdout + synk.stderr
    for p in granskningar:
        assert p.returncode == synk.returncode, p.stdout + synk.stdout
        # Varje fynd som sync vägrar med står i granskningen, med samma plats.
        for rad in synk.stdout.splitlines():
            if ": fel [" in rad and not rad.startswith("forslag/nl-2014-005"):
                assert rad in p.stdout.splitlines(), (rad, p.stdout)


def test_andringen_namnger_avtalet_falten_och_beslutet(registrerat: Path, tmp_path: Path) -> None:
    arkiv = tmp_path / "arkiv"
    shutil.copytree(registrerat, arkiv)
    ci.andra(arkiv, ci.LOGISTIK, "kontant: 400 000 kr", "kontant: 450 000 kr")
    p = kor("check", "--format", "json", cwd=arkiv)
    assert p.returncode == 1
    import json

    (fil,) = [f for f in json.loads(p.stdout)["filer"] if f["fil"] == ci.LOGISTIK]
    (fynd,) = fil["fynd"]
    assert (fynd["regel"], fynd["rad"], fynd["kolumn"], fynd["sökväg"]) == ("arkiv", 2, 5, "id")
    assert fynd["meddelande"].startswith(
        "avtalet NL-2014-001 skiljer sig från det registrerade (kommunen_kontant"
    )
    assert "ett beslut av typen ändring för NL-2014-001 saknas i beslut/" in fynd["meddelande"]
    # SARIF känner regeln.
    sarif = kor("check", "--format", "sarif", cwd=arkiv)
    assert sarif.returncode == 1 and '"ruleId": "arkiv"' in sarif.stdout


def test_med_sokvagar_galler_utslaget_de_granskade_filerna(
    registrerat: Path, tmp_path: Path
) -> None:
    """En pre-commit-krok granskar de ändrade filerna: en vägran i en annan fil står inte där."""
    arkiv = tmp_path / "arkiv"
    shutil.copytree(registrerat, arkiv)
    ci.andra(arkiv, ci.LOGISTIK, "kontant: 400 000 kr", "kontant: 450 000 kr")
    annan = kor("check", "forslag/nl-2014-002-foretagarna.yaml", cwd=arkiv)
    assert annan.returncode == 0, annan.stdout
    andrad = kor("check", ci.LOGISTIK, cwd=arkiv)
    assert andrad.returncode == 1
    assert f"{ci.LOGISTIK}:2:5: fel [arkiv] avtalet NL-2014-001 skiljer sig" in andrad.stdout
