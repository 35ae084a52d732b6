"""`register add` av många filer skriver registret medan granskningen pågår, en följd av förslag
i taget (`register.lopande`): registret blir detsamma som när allt registreras efter
granskningen, ett förslag som vägras i en sen följd lämnar registret orört, och en fil som
underkänns sist lämnar inget nytt register efter sig."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import kor
from partner_cli import kontroll
from partner_cli.register.lopande import FOLJD
from partner_cli.regler import avtalsagare
from registerhjalp import bygg, innehall, orgnr, skriv_forslag
from registerhjalp import lagg_till as add

# Fler filer än granskningen kör i en process, och tre följder.
ANTAL = 2 * FOLJD + 88
TID = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture(scope="module")
def forslag(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Förslag där organisationerna återkommer i senare följder, med överlappande perioder:
    varningarna räknar avtal ur tidigare följder, som redan står i registret."""
    katalog = tmp_path_factory.mktemp("lopande") / "forslag"
    katalog.mkdir()
    for i in range(ANTAL):
        ar = 2014 + i % 2
        skriv_forslag(
            katalog, f"nl-{i:04d}.yaml", id_=f"NL-{i:04d}", org=orgnr(i % 200),
            start=f"{ar}-01-01", slut=f"{ar + 1}-12-31",
        )  # fmt: skip
    return katalog


def _dump(db: Path) -> list[str]:
    """Registrets rader i den ordning de skrevs, utan tider och kedjans hashar (de räknas
    över tiderna)."""
    conn = sqlite3.connect(db)
    try:
        ut = []
        for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND name NOT LIKE '\\_%' ESCAPE '\\' AND name <> 'underhall' ORDER BY name"
        ):
            cur = conn.execute(f"SELECT * FROM {t} ORDER BY rowid")
            namn = [d[0] for d in cur.description]
            ut += [
                t + TID.sub("TID", json.dumps(
                    [v for k, v in zip(namn, r, strict=True) if k not in ("foregaende", "sha256")
                     or t != "handelse"],
                    ensure_ascii=False,
                ))
                for r in cur
            ]  # fmt: skip
    finally:
        conn.close()
    return ut


def test_samma_register_som_efter_granskningen(forslag: Path, tmp_path: Path) -> None:
    lopande, efter = tmp_path / "lopande.db", tmp_path / "efter.db"
    # En organisation i registret som får avtal i varje följd.
    fore = skriv_forslag(tmp_path, "fore.yaml", id_="NL-FORE", org=orgnr(0))
    assert add(lopande, fore).returncode == add(efter, fore).returncode == 0
    svar = add(lopande, forslag)
    assert svar.returncode == 0, svar.stderr

    # Samma filer registrerade efter granskningen, i en följd.
    tillagg = bygg(efter, *map(Path, kontroll.samla_filer([str(forslag)])))

    assert _dump(lopande) == _dump(efter)
    assert len(_dump(lopande)) > 5 * ANTAL
    varningar = [f"{t.fil}: varning [{avtalsagare.ID}] {v}" for t in tillagg for v in t.varningar]
    # I den tredje följden, med avtal ur de två första, som redan står i registret.
    assert [v for v in varningar if "nl-0512.yaml" in v and "(NL-0112, NL-0312)" in v]
    assert [v for v in varningar if "nl-0400.yaml" in v and "(NL-0000, NL-0200, NL-FORE)" in v]
    assert svar.stderr.splitlines() == varningar
    assert svar.stdout.splitlines() == [f"{t.fil}: {t.id} registrerad" for t in tillagg]
    kontrollen = kor("register", "kontroll", "--register", str(lopande))
    assert kontrollen.returncode == 0, kontrollen.stdout + kontrollen.stderr


def _kopia(forslag: Path, tmp_path: Path) -> Path:
    katalog = tmp_path / "forslag"
    katalog.mkdir()
    for fil in forslag.iterdir():
        (katalog / fil.name).write_bytes(fil.read_bytes())
    return katalog


def test_ett_vagrat_forslag_i_sista_foljden_lamnar_registret_orort(
    forslag: Path, tmp_path: Path
) -> None:
    db = tmp_path / "register.db"
    katalog = _kopia(forslag, tmp_path)
    # Den sista filen ger en organisation som registret har en annan avtalsägare för.
    skriv_forslag(katalog, "nl-9999.yaml", id_="NL-9999", org=orgnr(999))
    annan = skriv_forslag(tmp_path, "annan.yaml", id_="NL-ANNAN", org=orgnr(999), agare="Per Holm")
    assert add(db, annan).returncode == 0
    fore = innehall(db)
    svar = add(db, katalog)
    assert svar.returncode == 1
    assert "nl-9999.yaml: fel [avtalsägare]" in svar.stderr
    assert svar.stderr.rstrip().endswith("inget registrerades")
    assert innehall(db) == fore


def test_en_underkand_sista_fil_lamnar_inget_nytt_register(forslag: Path, tmp_path: Path) -> None:
    katalog = _kopia(forslag, tmp_path)
    sista = sorted(katalog.iterdir())[-1]
    sista.write_text(sista.read_text(encoding="utf-8").replace("namn: Anna Lind", "namn: ''"))
    db = tmp_path / "register.db"
    svar = add(db, katalog)
    assert svar.returncode == 1
    assert "inget registrerades: varje förslag måste vara godkänt" in svar.stderr
    assert f"{sista.name}: underkänd" in svar.stdout
    assert not list(tmp_path.glob("register.db*"))
