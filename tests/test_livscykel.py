"""Ett avtal från beslut till slut genom registrets kommandon: byte av avtalsägare,
förlängning, avslut i förtid och makulering, var och en med beslutets referens och
registrets kontroll hel efter varje steg."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROT, kor
from partner_cli.register.migreringar import SCHEMAVERSION
from registerhjalp import ORGNR, innehall, lagg_till, miljo, skriv_forslag


def helt(reg: Path) -> None:
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr


def test_oforandrad_fil_efter_byt_agare_ar_en_noop(tmp_path: Path) -> None:
    reg = tmp_path / "r.db"
    a = skriv_forslag(tmp_path, "a.yaml", id_="NL-1")
    assert lagg_till(reg, a).returncode == 0
    p = kor("register", "byt-ägare", ORGNR, "--namn", "Per Berg", env=miljo(reg))
    assert p.returncode == 0, p.stderr
    fore = innehall(reg)

    # Filen säger fortfarande Anna Lind: den är oförändrad, och organisationens ägare gäller.
    p = lagg_till(reg, a)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "NL-1 redan registrerad med samma innehåll" in p.stdout
    assert innehall(reg) == fore
    p = kor("check", str(a), env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr
    helt(reg)

    # Ett nytt förslag som anger den gamla ägaren underkänns.
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-2", agare="Anna Lind")
    p = kor("check", str(b), env=miljo(reg))
    assert p.returncode == 1
    assert "har redan avtalsägaren Per Berg i registret" in p.stdout
    assert lagg_till(reg, b).returncode == 1
    assert innehall(reg) == fore


@pytest.mark.parametrize(
    ("varden", "vagras"),
    [
        ({"avslutat_datum": "2015-06-30"}, True),  # utan orsak och beslut
        ({"avslutat_datum": "2013-01-01", "avslutat_orsak": "x", "avslutat_beslut": "KS 1"}, True),
        ({"avslutat_beslut": "KS 1", "avslutat_orsak": "x"}, True),  # utan dag
        ({"makulerat_beslut": " "}, True),
        ({"avslutat_datum": "2015-13-01", "avslutat_orsak": "x", "avslutat_beslut": "KS 1"}, True),
        ({"avslutat_datum": "2015-06-30", "avslutat_orsak": "x", "avslutat_beslut": "KS 1"}, False),
    ],
)
def test_importen_provar_livscykelns_kolumner(
    tmp_path: Path, varden: dict[str, str], vagras: bool
) -> None:
    export = tmp_path / "export"
    shutil.copytree(ROT / "tests" / "exporter" / f"v{SCHEMAVERSION}", export)
    fil = export / "register.json"
    data = json.loads(fil.read_text(encoding="utf-8"))
    avtal = data["tabeller"]["avtal"]
    rad = next(r for r in avtal["rader"] if r[0] == "NL-2014-001")
    for kolumn, varde in varden.items():
        rad[avtal["kolumner"].index(kolumn)] = varde
    fil.write_text(json.dumps(data), encoding="utf-8")
    reg = tmp_path / "r.db"
    p = kor("register", "import", str(fil), env=miljo(reg))
    if vagras:
        # Ett datum som inte är ett datum vägras när exporten läses (kod 2), ett avslut som
        # inte är helt av registrets schema (kod 1); inget skrivs.
        assert p.returncode in (1, 2), p.stdout + p.stderr
        assert "inget importerades" in p.stderr or "inget ändrades" in p.stderr
        assert not reg.exists() or innehall(reg, bara_avtalen=True)["avtal"] == []
    else:
        # Avtalet är då inte förklarat av sin historik: importen vägrar det också.
        assert p.returncode == 1 and "stämmer inte med sin senaste händelse" in p.stderr
