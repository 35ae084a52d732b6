"""Ett register som går att lita på: `kontroll` ser ett schema som ändrats förbi
migreringarna, och `restore` tar inte emot ett sådant register."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import kor
from registerhjalp import bygg, innehall, lagg_till, miljo, orgnr, skriv_forslag, sql


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return tmp_path / "register" / "partnerskap.db"


def _nytt(tmp_path: Path, reg: Path) -> None:
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))


def _kor_sql(register: Path, *satser: str) -> None:
    conn = sqlite3.connect(register, isolation_level=None)
    try:
        for sats in satser:
            conn.execute(sats)
    finally:
        conn.close()


FORFALSKNING = (
    "CREATE TRIGGER sanktion AFTER INSERT ON avtal BEGIN "
    "UPDATE avtal SET sanktionerad_av = 'Falsk Sanktion' WHERE id = new.id; END"
)


@pytest.mark.parametrize(
    ("satser", "vantat"),
    [
        ((FORFALSKNING,), "triggern sanktion (på avtal) hör inte till registrets schema"),
        (
            ("CREATE TRIGGER m AFTER INSERT ON _sqlite_migrations BEGIN SELECT 1; END",),
            "triggern m (på _sqlite_migrations) hör inte till",
        ),
        (("CREATE INDEX extra ON mal (indikator)",), "indexet extra (på mal) hör inte till"),
        (("CREATE VIEW v AS SELECT 1",), "vyn v (på v) hör inte till"),
        (("CREATE TABLE t (x)",), "tabellen t (på t) hör inte till"),
        (("DROP INDEX avtal_organisation",), "indexet avtal_organisation saknas"),
        (
            (
                "DROP TRIGGER handelse_ingen_borttagning",
                "CREATE TRIGGER handelse_ingen_borttagning BEFORE DELETE ON handelse "
                "WHEN 0 BEGIN SELECT RAISE(ABORT, 'nej'); END",
            ),
            "triggern handelse_ingen_borttagning skiljer sig från det migreringarna skapar",
        ),
        (
            ("ALTER TABLE organisation ADD COLUMN x TEXT",),
            "tabellen organisation skiljer sig",
        ),
    ],
)
def test_kontroll_jamfor_hela_schemat(
    tmp_path: Path, reg: Path, satser: tuple[str, ...], vantat: str
) -> None:
    _nytt(tmp_path, reg)
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
    _kor_sql(reg, *satser)
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1, p.stdout
    assert vantat in p.stdout
    assert "inte helt (1 problem)" in p.stderr


def test_kontroll_tal_sqlites_statistik_och_visar_namn_sakert(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    _kor_sql(reg, "ANALYZE")
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
    _kor_sql(reg, 'CREATE VIEW "::warning::x\x1b[2J" AS SELECT 1')
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1
    assert "\x1b" not in p.stdout and "\n::" not in p.stdout


def test_en_sakerhetskopia_med_extra_trigger_aterstalls_inte(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    kopia = tmp_path / "kopia.db"
    assert kor("register", "backup", str(kopia), env=miljo(reg)).returncode == 0
    _kor_sql(kopia, FORFALSKNING)
    ny = tmp_path / "ny.db"
    lagg_till(ny, skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2)))
    fore = innehall(ny)
    p = kor("register", "restore", str(kopia), "--ersätt", env=miljo(ny))
    assert p.returncode == 1, p.stderr
    assert "triggern sanktion" in p.stderr and "inte hel" in p.stderr
    assert innehall(ny) == fore
    assert sql(ny, "SELECT name FROM sqlite_master WHERE name = 'sanktion'") == []
