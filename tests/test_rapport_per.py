"""`partner report --år ÅR --per DATUM` är densamma vad som än registreras senare: en ändring,
ett nytt ägarskap eller en utvärdering som gäller först efter dagen ändrar inte rapporten,
genom det installerade skriptet på riktiga register."""

from __future__ import annotations

from pathlib import Path

import pytest

import cijobb as ci
from conftest import kor
from registerhjalp import ORGNR, forslag, miljo

FORMAT = ("json", "html", "markdown")


def rapport(db: Path, ar: int, format_: str, *per: str) -> str:
    svar = kor("report", "--år", str(ar), *per, "--format", format_, env=miljo(db))
    assert svar.returncode == 0, svar.stderr
    return svar.stdout


def registrera(db: Path, fil: Path, *extra: str) -> None:
    svar = kor("register", "add", str(fil), "--sanktionerad-av", "Karin Ek", *extra, env=miljo(db))
    assert svar.returncode == 0, svar.stdout + svar.stderr


@pytest.fixture
def registrerat(tmp_path: Path) -> tuple[Path, Path]:
    """Ett register med ett avtal 2014-09-01 – 2016-08-31 och två mål."""
    fil = tmp_path / "nl-1.yaml"
    fil.write_text(forslag(), encoding="utf-8")
    db = tmp_path / "r.db"
    registrera(db, fil)
    return db, fil


def test_en_senare_ersattning_andrar_inte_rapporten_per_en_tidigare_dag(
    registrerat: tuple[Path, Path],
) -> None:
    """Budget, period och mål ändras med `add --ersätt` (utan beslut: versionen gäller från
    dagen den registrerades, i dag)."""
    db, fil = registrerat
    fore = {f: rapport(db, 2015, f, "--per", "2015-12-31") for f in FORMAT}
    text = forslag(slut="2017-08-31").replace("kontant: 400 000 kr", "kontant: 500 000 kr")
    text = text.replace("målvärde: 20", "målvärde: 25")
    assert text != forslag(slut="2017-08-31")
    fil.write_text(text, encoding="utf-8")
    registrera(db, fil, "--ersätt")
    for f in FORMAT:
        assert rapport(db, 2015, f, "--per", "2015-12-31") == fore[f], f
    # Utan --per är det registret som det står: den nya versionen (längre period, större bidrag).
    assert rapport(db, 2015, "json") != fore["json"]
    assert kor("register", "kontroll", env=miljo(db)).returncode == 0


def test_ett_senare_agarbyte_andrar_inte_rapporten_per_en_tidigare_dag(
    registrerat: tuple[Path, Path],
) -> None:
    db, _ = registrerat
    fore = rapport(db, 2015, "json", "--per", "2015-12-31")
    assert "Anna Lind" in fore
    svar = kor(
        "register", "byt-ägare", ORGNR, "--namn", "Bertil Ny",
        "--beslut", "NLD 2016/4", "--beslutsdatum", "2016-03-01", env=miljo(db),
    )  # fmt: skip
    assert svar.returncode == 0, svar.stderr
    assert rapport(db, 2015, "json", "--per", "2015-12-31") == fore
    assert "Bertil Ny" in rapport(db, 2015, "json")


ANDRING = """typ: ändring
referens: KS 2015/88 § 3
datum: 2015-09-01
beslutat_av: Kommunstyrelsen
motivering: Projektet förlängs ett år och kommunens insats ökas.
avtal: NL-2014-001
"""


def test_en_andring_enligt_beslut_galler_fran_beslutets_datum(tmp_path: Path) -> None:
    """`register sync` för in ändringen i dag, men den gäller från beslutet 2015-09-01: en
    rapport per en dag före beslutet är densamma, en per en dag efter visar ändringen."""
    arkiv = ci.nytt_arkiv(tmp_path, "github")

    def rapport_i(ar: int, per: str) -> str:
        svar = kor("report", "--år", str(ar), "--per", per, "--format", "json", cwd=arkiv)
        assert svar.returncode == 0, svar.stderr
        return svar.stdout

    def sync() -> None:
        svar = kor("register", "sync", "--sanktionerad-av", "Näringslivsdirektören", cwd=arkiv)
        assert svar.returncode == 0, svar.stdout + svar.stderr

    sync()
    fore = {per: rapport_i(2015, per) for per in ("2015-08-31", "2015-12-31")}
    fil = arkiv / "forslag" / "nl-2014-001-logistik.yaml"
    text = fil.read_text(encoding="utf-8")
    for gammalt, nytt in (
        ("slut: 2016-02-29", "slut: 2017-02-28"),
        ("{datum: 2016-04-30, typ: slututvärdering}", "{datum: 2017-03-15, typ: slututvärdering}"),
        ("    kontant: 400 000 kr", "    kontant: 500 000 kr"),
        ("målvärde: 20,", "målvärde: 25,"),
    ):
        assert gammalt in text
        text = text.replace(gammalt, nytt)
    fil.write_text(text, encoding="utf-8")
    (arkiv / "beslut" / "ks-2015-88.yaml").write_text(ANDRING, encoding="utf-8")
    ci.git(arkiv, "add", ".")
    ci.git(arkiv, "commit", "-q", "-m", "Förlängning och ökad insats")
    sync()
    assert rapport_i(2015, "2015-08-31") == fore["2015-08-31"]
    assert rapport_i(2015, "2015-12-31") != fore["2015-12-31"]
    assert (
        rapport_i(2015, "2015-12-31")
        == kor("report", "--år", "2015", "--format", "json", cwd=arkiv).stdout
    )


LIVSCYKEL = {
    "ks-2016-10.yaml": """typ: förlängning
referens: KS 2016/10 § 1
datum: 2016-01-15
beslutat_av: Kommunstyrelsen
motivering: Projektet får ett år till.
avtal: NL-2014-002
slut: 2016-12-31
""",
    "ks-2016-11.yaml": """typ: avslut
referens: KS 2016/11 § 2
datum: 2016-02-01
beslutat_av: Kommunstyrelsen
motivering: Föreningen har upplösts.
avtal: NL-2014-003
slut: 2016-02-29
orsak: Motparten upplöst
""",
    "ks-2016-12.yaml": """typ: makulering
referens: KS 2016/12 § 3
datum: 2016-02-15
beslutat_av: Kommunstyrelsen
motivering: Avtalet registrerades av misstag.
avtal: NL-2015-004
""",
}


def test_forlangning_avslut_och_makulering_efter_dagen_andrar_inte_rapporten(
    tmp_path: Path,
) -> None:
    """Besluten 2016 om en förlängning, ett avslut i förtid och en makulering ändrar inte
    rapporten för 2015 per årets sista dag; utan --per gäller de (förlängningen fördelar
    avtalets belopp på fler dagar)."""
    arkiv = ci.nytt_arkiv(tmp_path, "github")

    def rapport_i(*per: str) -> str:
        svar = kor("report", "--år", "2015", *per, "--format", "json", cwd=arkiv)
        assert svar.returncode == 0, svar.stderr
        return svar.stdout

    def sync() -> str:
        svar = kor("register", "sync", "--sanktionerad-av", "Näringslivsdirektören", cwd=arkiv)
        assert svar.returncode == 0, svar.stdout + svar.stderr
        return svar.stdout

    sync()
    fore = rapport_i("--per", "2015-12-31")
    for namn, text in LIVSCYKEL.items():
        (arkiv / "beslut" / namn).write_text(text, encoding="utf-8")
    ci.git(arkiv, "add", ".")
    ci.git(arkiv, "commit", "-q", "-m", "Beslut om avtalen 2016")
    ut = sync()
    for id_, vad in (
        ("NL-2014-002", "förlängd"),
        ("NL-2014-003", "avslutad"),
        ("NL-2015-004", "makulerad"),
    ):
        assert f"{id_} {vad} enligt beslut" in ut
    assert rapport_i("--per", "2015-12-31") == fore
    assert rapport_i() != fore
    assert kor("register", "kontroll", cwd=arkiv).returncode == 0
