"""Ett avtal från beslut till slut genom registrets kommandon: byte av avtalsägare,
förlängning, avslut i förtid och makulering, var och en med beslutets referens och
registrets kontroll hel efter varje steg."""

from __future__ import annotations

from pathlib import Path

from conftest import kor
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
