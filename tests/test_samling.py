"""Vilka filer en granskad katalog ger: inget hoppas över i tysthet. Dolda filer och
kataloger och länkade kataloger granskas inte men räknas i sammanfattningen, `*.YAML` och
`*.YML` granskas, och en katalog som inte går att läsa blir ett ogiltigt utfall. Filer med
andra ändelser är inte förslag."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import MALLTEXT, kor


def _forslag(fil: Path, id_: str) -> None:
    fil.parent.mkdir(parents=True, exist_ok=True)
    fil.write_text(MALLTEXT.replace("id: NL-2014-007", f"id: {id_}", 1), encoding="utf-8")


def test_dolda_lankade_och_andra_raknas_i_sammanfattningen(tmp_path: Path) -> None:
    arkiv = tmp_path / "forslag"
    _forslag(arkiv / "a.yaml", "A")
    _forslag(arkiv / "B.YAML", "B")
    _forslag(arkiv / "under" / "C.Yml", "C")
    _forslag(arkiv / ".dold.yaml", "D")
    _forslag(arkiv / ".git" / "e.yaml", "E")
    _forslag(tmp_path / "annat" / "f.yaml", "F")
    (arkiv / "lank").symlink_to(tmp_path / "annat")
    (arkiv / "LÄSMIG.md").write_text("inget förslag\n", encoding="utf-8")
    p = kor("check", "forslag", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    assert p.stdout.splitlines()[-1] == (
        "3 filer granskade: 3 godkänd, 0 underkänd, 0 ej tillämplig, 0 ogiltig · 0 fel, "
        "0 varningar · ej granskade: 2 dolda, 1 länkad katalog"
    )
    dokument = json.loads(kor("check", "forslag", "-f", "json", cwd=tmp_path).stdout)
    assert dokument["sammanfattning"]["ej_granskade"] == {
        "dolda": 2,
        "länkade_kataloger": 1,
    }
    assert sorted(f["id"] for f in dokument["filer"]) == ["A", "B", "C"]
    # En länkad katalog som anges direkt granskas.
    direkt = kor("check", "forslag/lank", "-f", "json", cwd=tmp_path)
    assert [f["id"] for f in json.loads(direkt.stdout)["filer"]] == ["F"]


def test_allt_granskat_sager_inget_om_ej_granskade(tmp_path: Path) -> None:
    _forslag(tmp_path / "forslag" / "a.yaml", "A")
    p = kor("check", "forslag", cwd=tmp_path)
    assert "ej granskade" not in p.stdout
    dokument = json.loads(kor("check", "forslag", "-f", "json", cwd=tmp_path).stdout)
    assert dokument["sammanfattning"]["ej_granskade"] == {}


def _djup_katalog(rot: Path, langd: int) -> str:
    """En katalog vars sökväg är längre än `langd` tecken, byggd relativt (som PATH_MAX
    annars inte tillåter); ger sökvägen relativt rot."""
    delar: list[str] = []
    fd = os.open(rot, os.O_RDONLY)
    try:
        while len("/".join(delar)) <= langd:
            namn = "k" * 200
            os.mkdir(namn, dir_fd=fd)
            ny = os.open(namn, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = ny
            delar.append(namn)
    finally:
        os.close(fd)
    return "/".join(delar)


def test_en_for_lang_sokvag_blir_ogiltig(tmp_path: Path) -> None:
    arkiv = tmp_path / "forslag"
    _forslag(arkiv / "a.yaml", "A")
    djup = _djup_katalog(arkiv, os.pathconf(arkiv, "PC_PATH_MAX"))
    p = kor("check", "forslag", "-f", "json", cwd=tmp_path)
    assert p.returncode == 1
    filer = {f["fil"]: f for f in json.loads(p.stdout)["filer"]}
    assert filer["forslag/a.yaml"]["utfall"] == "godkänd"
    (lang,) = [f for namn, f in filer.items() if namn.startswith("forslag/k")]
    assert lang["utfall"] == "ogiltig"
    assert "sökvägen är för lång" in lang["fynd"][0]["meddelande"]
    assert djup.startswith(lang["fil"].removeprefix("forslag/")[:200])


@pytest.mark.skipif(os.geteuid() == 0, reason="root läser kataloger utan behörighet")
def test_en_katalog_som_inte_kan_lasas_blir_ogiltig(tmp_path: Path) -> None:
    arkiv = tmp_path / "forslag"
    _forslag(arkiv / "a.yaml", "A")
    last = arkiv / "last"
    _forslag(last / "b.yaml", "B")
    last.chmod(0)
    try:
        p = kor("check", "forslag", "-f", "json", cwd=tmp_path)
    finally:
        last.chmod(0o755)
    assert p.returncode == 1
    filer = {f["fil"]: f for f in json.loads(p.stdout)["filer"]}
    assert filer["forslag/last"]["utfall"] == "ogiltig"
    assert filer["forslag/last"]["fynd"][0]["meddelande"] == (
        "Kan inte läsa katalogen: behörighet saknas"
    )
