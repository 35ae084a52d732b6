"""`partner report --år ÅR --per DATUM` är densamma vad som än registreras senare: en ändring,
ett nytt ägarskap eller en utvärdering som gäller först efter dagen ändrar inte rapporten,
genom det installerade skriptet på riktiga register."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    svar = kor("register", "byt-ägare", ORGNR, "--namn", "Bertil Ny", env=miljo(db))
    assert svar.returncode == 0, svar.stderr
    assert rapport(db, 2015, "json", "--per", "2015-12-31") == fore
    assert "Bertil Ny" in rapport(db, 2015, "json")
