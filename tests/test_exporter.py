"""Exporterna i tests/exporter/: en per schemaversion, skriven av partner i den versionen.

Varje export importeras, förs till aktuell schemaversion genom migreringarna och exporteras
igen byte för byte lika med exporten av aktuell version (samma innehåll). En export från en
nyare version vägras med kod 2, och inget skrivs. Varje ändring av schemat lägger till en
migrering och en katalog här (tests/exporter/README.md).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROT, kor
from partner_cli.register.migreringar import SCHEMAVERSION
from registerhjalp import innehall, miljo

EXPORTER = ROT / "tests" / "exporter"
VERSIONER = range(1, SCHEMAVERSION + 1)
# (form, källan i versionens katalog, exportens flaggor)
FORMER = {"json": ("register.json", ()), "csv": ("csv", ("-f", "csv"))}


def _exportera(reg: Path, ut: Path, form: str) -> Path:
    kalla, flaggor = FORMER[form]
    p = kor("register", "export", *flaggor, "--ut", str(ut), env=miljo(reg))
    assert p.returncode == 0, p.stderr
    return ut / kalla if form == "json" else ut


def _lika(a: Path, b: Path) -> None:
    """Lika byte för byte."""
    if a.is_file():
        assert a.read_text("utf-8") == b.read_text("utf-8")
        return
    assert sorted(f.name for f in a.iterdir()) == sorted(f.name for f in b.iterdir())
    for f in a.iterdir():
        lasta = (x.read_text("utf-8") for x in (f, b / f.name))
        assert next(lasta) == next(lasta), f.name


def test_varje_schemaversion_har_en_export() -> None:
    assert sorted(p.name for p in EXPORTER.iterdir() if p.is_dir()) == [f"v{v}" for v in VERSIONER]
    for v in VERSIONER:
        data = json.loads((EXPORTER / f"v{v}" / "register.json").read_text(encoding="utf-8"))
        assert data["schemaversion"] == v
        assert (EXPORTER / f"v{v}" / "csv" / "schemaversion.txt").read_text() == f"{v}\n"


@pytest.mark.parametrize("form", FORMER)
@pytest.mark.parametrize("version", VERSIONER)
def test_export_uppgraderas_och_gar_runt(tmp_path: Path, version: int, form: str) -> None:
    kalla = EXPORTER / f"v{version}" / FORMER[form][0]
    reg = tmp_path / "register.db"
    p = kor("register", "import", str(kalla), env=miljo(reg))
    assert p.returncode == 0, p.stderr
    assert "Importerade 4 avtal, 4 organisationer och 10 händelser" in p.stdout
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
    ut = _exportera(reg, tmp_path / "ut", form)
    _lika(ut, EXPORTER / f"v{SCHEMAVERSION}" / FORMER[form][0])
    # Och runt igen: den nya exporten importeras och exporteras till samma byte.
    kopia = tmp_path / "kopia.db"
    assert kor("register", "import", str(ut), env=miljo(kopia)).returncode == 0
    _lika(_exportera(kopia, tmp_path / "ut2", form), ut)


@pytest.mark.parametrize("form", FORMER)
def test_export_fran_en_nyare_version_vagras(tmp_path: Path, form: str) -> None:
    kalla = tmp_path / "ny"
    shutil.copytree(EXPORTER / f"v{SCHEMAVERSION}", kalla)
    ny = SCHEMAVERSION + 1
    json_fil = kalla / "register.json"
    json_fil.write_text(
        json_fil.read_text(encoding="utf-8").replace(
            f'"schemaversion": {SCHEMAVERSION}', f'"schemaversion": {ny}', 1
        ),
        encoding="utf-8",
    )
    (kalla / "csv" / "schemaversion.txt").write_text(f"{ny}\n", encoding="utf-8")
    reg = tmp_path / "register.db"
    p = kor("register", "import", str(kalla / FORMER[form][0]), env=miljo(reg))
    assert p.returncode == 2, p.stdout + p.stderr
    assert f"schemaversion {ny}, nyare" in p.stderr and f"(version {SCHEMAVERSION})" in p.stderr
    assert "Traceback" not in p.stderr
    assert not reg.exists()


def test_ett_register_fran_en_aldre_version_uppgraderas_nar_det_lases(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from partner_cli.register.migreringar import migrera

    reg = tmp_path / "register.db"
    db = Database(reg)
    migrera(db, 1)
    data = json.loads((EXPORTER / "v1" / "register.json").read_text(encoding="utf-8"))
    with db.conn:
        for tabell, post in data["tabeller"].items():
            kolumner = post["kolumner"]
            db.conn.executemany(
                f"INSERT INTO {tabell} ({', '.join(kolumner)}) "
                f"VALUES ({', '.join('?' * len(kolumner))})",
                post["rader"],
            )
    db.close()
    assert "utvardering" in innehall(reg)
    p = kor("register", "list", env=miljo(reg))
    assert p.returncode == 0, p.stderr
    assert "NL-2014-001" in p.stdout
    assert "utvardering" not in innehall(reg) and "genomford_utvardering" in innehall(reg)
    _lika(
        _exportera(reg, tmp_path / "ut", "json"), EXPORTER / f"v{SCHEMAVERSION}" / "register.json"
    )
