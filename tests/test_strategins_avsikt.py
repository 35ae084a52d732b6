"""Strategins avsikt genom det installerade `partner`: där README:s läsning av strategin görs
synlig för den som skriver förslag (organisationsnummer, slututvärdering, tomma värden …)."""

from __future__ import annotations

from pathlib import Path

from conftest import andrad_mall, kor, mallrad


def test_organisationsnummer_som_motsager_kategorin_ger_varning(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(andrad_mall(("556781-2341", "802467-8917")), "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    rad = mallrad("  kategori: företag")
    assert f"f.yaml:{rad}:13: varning [organisationsnummer] Kategorin företag stämmer inte" in (
        p.stdout
    )
    assert kor("check", "--strikt", "f.yaml", cwd=tmp_path).returncode == 1


def test_personnummer_godtas_men_sags_vara_en_personuppgift(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(andrad_mall(("556781-2341", "640823-3234")), "utf-8")
    p = kor("check", "f.yaml", "--format", "json", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    assert '"regel": "organisationsnummer", "nivå": "varning"' in p.stdout
    assert "personuppgift" in p.stdout
    (tmp_path / "f.yaml").write_text(andrad_mall(("556781-2341", "551301-2343")), "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 1
    assert "tredje siffran är alltid minst 2" in p.stdout


def test_regler_visar_de_nya_reglerna_med_exempel(tmp_path: Path) -> None:
    p = kor("regler", "organisationsnummer", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "gruppsiffra" in p.stdout and "802467-8917" in p.stdout
    p = kor("regler", "utvärdering", cwd=tmp_path)
    assert "slututvärdering_dagar_före_slut" in p.stdout
