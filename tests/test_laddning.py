"""Laddningen: trädet med rad och kolumn, tomma värden, och samma resultat med och utan libyaml.

Fientliga filer (taggar, alias, kodningar, storlek) prövas i test_fientliga.py.
"""

from __future__ import annotations

import pytest
import yaml

from conftest import MALLTEXT
from partner_cli import laddning
from partner_cli.laddning import Karta, Lista, Skalar


def test_trad_med_platser() -> None:
    rot = laddning.las_bytes(b"a: 1\nb:\n  - x\n  - {c: 'd'}\n")
    assert isinstance(rot, Karta)
    a_nyckel, a = rot.poster["a"]
    assert (a_nyckel.rad, a_nyckel.kolumn, a) == (1, 1, Skalar("1", 1, 4, False))
    _, b = rot.poster["b"]
    assert isinstance(b, Lista)
    assert (b.rad, b.kolumn) == (3, 3)
    assert b.element[0] == Skalar("x", 3, 5, False)
    c = b.element[1]
    assert isinstance(c, Karta)
    assert c.poster["c"][1] == Skalar("d", 4, 9, False)  # citattecknet


@pytest.mark.parametrize(
    ("varde", "tom"),
    [
        *[("", True), ("~", True), ("null", True), ("NULL", True)],
        *[("''", False), ('"~"', False), ("nul", False), ("0", False)],
    ],
)
def test_tomma_varden(varde: str, tom: bool) -> None:
    rot = laddning.las_bytes(f"a: {varde}\n".encode())
    assert isinstance(rot, Karta)
    skalar = rot.poster["a"][1]
    assert isinstance(skalar, Skalar)
    assert skalar.tom is tom


def test_bom_godtas() -> None:
    assert laddning.las_bytes(b"\xef\xbb\xbfa: 1\n") == laddning.las_bytes(b"a: 1\n")


TRADFALL = [
    MALLTEXT,
    "a:\nb: ~\nc: null\nd: ''\ne: \"~\"\nf: [1, {g: h}]\n",
    "a: |\n  rad 1\n  rad 2\nb: >-\n  vikt\n  text\n",
    "- 1\n- - 2\n  - 3\n",
]


@pytest.mark.parametrize("text", TRADFALL)
def test_libyaml_och_ren_python_ger_samma_trad(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    from partner_cli import laddning

    monkeypatch.setattr(laddning, "_LADDARE", None)
    med_libyaml = laddning.las_bytes(text.encode())
    monkeypatch.setattr(laddning, "_LADDARE", None)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    ren = laddning.las_bytes(text.encode())
    monkeypatch.setattr(laddning, "_LADDARE", None)
    assert med_libyaml == ren
