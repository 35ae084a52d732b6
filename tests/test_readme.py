"""README:s regeltabell namnger varje inställning i partner.toml: varje tolkning av strategins
text står där med stycket den vilar på och hur den ställs in."""

from __future__ import annotations

import re

import pytest

from conftest import ROT
from partner_cli import regler
from partner_cli.initiering import partner_toml

README = (ROT / "README.md").read_text(encoding="utf-8")
# Verktygets egna gränser och publiceringens uppgifter, inte tolkningar av strategin: de står i
# avsnittet Konfiguration respektive Öppna data.
VERKTYGETS = ("check", "publicera", "register.sökväg")


def installningar() -> list[str]:
    """Varje nyckel i partner.toml som `partner init` skriver den, också de bortkommenterade,
    som `avsnitt.nyckel`."""
    ut: list[str] = []
    avsnitt = ""
    for rad in partner_toml().splitlines():
        if m := re.fullmatch(r"#? ?\[(.+)\]", rad):
            avsnitt = m[1].replace('"', "")
        elif m := re.fullmatch(r'#? ?"?([a-zåäö_]+)"? = .*', rad):
            ut.append(f"{avsnitt}.{m[1]}")
    return ut


def regeltabellen() -> list[str]:
    """Raderna i tabellen under Reglerna."""
    avsnitt = README.split("\n## Reglerna\n", 1)[1].split("\n## ", 1)[0]
    return [r for r in avsnitt.splitlines() if r.startswith("| ")][2:]


def test_installningarna_lases_ur_mallen() -> None:
    namn = installningar()
    assert "regler.medfinansiering.min_andel" in namn
    assert "kommun.utvecklingsområden" in namn  # bortkommenterad i mallen
    assert "register.sanktionerande" in namn


@pytest.mark.parametrize("nyckel", installningar())
def test_varje_installning_star_i_readme(nyckel: str) -> None:
    avsnitt, namn = nyckel.rsplit(".", 1)
    if nyckel.startswith(VERKTYGETS):
        # I texten eller som nyckel i ett av README:s partner.toml-utdrag.
        assert f"`{namn}`" in README or re.search(rf'^"?{namn}"? = ', README, re.M), nyckel
        return
    if namn == "nivå":
        # Varje regels nivå: tabellen säger vad "fel", "varning" och "av" gör där det skiljer.
        assert '`"nivå"' in README
        return
    rader = regeltabellen()
    if avsnitt.startswith("regler."):
        # I regelns egna rader, med namnet först i en kodspann (`max_timpris` eller
        # `kräv_slututvärdering = false`).
        regel = avsnitt.removeprefix("regler.")
        assert regel in regler.REGLER
        rader = [r for r in rader if r.split("|")[1].strip().startswith(f"`{regel}`")]
        assert any(re.search(rf"`{namn}[` ]", r) for r in rader), nyckel
        return
    # Övriga avsnitt: `[avsnitt] nyckel`, eller `[avsnitt]` och `nyckel` på samma rad.
    assert any(
        f"`[{avsnitt}] {namn}`" in r or (f"`[{avsnitt}]`" in r and f"`{namn}`" in r) for r in rader
    ), f"{nyckel} saknas i README:s regeltabell"
