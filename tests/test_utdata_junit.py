"""JUnit XML: ett testfall per fil, failure för fel, skipped när strategin inte gäller."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import andrad_mall, rendera
from forslagsarkiv import skapa


def junit(arkiv: Path, *sokvagar: str, strikt: bool = False) -> ET.Element:
    return ET.fromstring(rendera("junit", *sokvagar, cwd=arkiv, strikt=strikt).encode("utf-8"))


def fall_per_fil(rot: ET.Element) -> dict[str, ET.Element]:
    return {f.attrib["name"]: f for f in rot.iter("testcase")}


def utfall(fall: ET.Element) -> str:
    (egenskap,) = [p for p in fall.iter("property") if p.attrib["name"] == "utfall"]
    return egenskap.attrib["value"]


def test_ett_testfall_per_fil_med_utfallet(tmp_path: Path) -> None:
    skapa(tmp_path)
    rot = junit(tmp_path, "forslag")
    assert rot.tag == "testsuites"
    (svit,) = rot.findall("testsuite")
    assert (svit.attrib["tests"], svit.attrib["failures"], svit.attrib["skipped"]) == (
        "5",
        "2",
        "1",
    )
    fall = fall_per_fil(rot)
    assert {n: utfall(f) for n, f in fall.items()} == {
        "forslag/godkand.yaml": "godkänd",
        "forslag/ogiltig.yaml": "ogiltig",
        "forslag/underkand.yaml": "underkänd",
        "forslag/undantag.yaml": "godkänd",
        "forslag/utanfor.yaml": "ej_tillämplig",
    }
    assert list(fall["forslag/godkand.yaml"]) == [fall["forslag/godkand.yaml"].find("properties")]


def test_fel_blir_failure_och_ovriga_fynd_system_out(tmp_path: Path) -> None:
    skapa(tmp_path)
    fall = fall_per_fil(junit(tmp_path, "forslag"))
    underkand = fall["forslag/underkand.yaml"].find("failure")
    assert underkand is not None and underkand.text is not None
    assert underkand.attrib["type"] == "underkänd"
    assert "fel [medfinansiering] Garanterad medfinansiering" in underkand.text
    assert fall["forslag/ogiltig.yaml"].find("failure") is not None
    utanfor = fall["forslag/utanfor.yaml"].find("skipped")
    assert utanfor is not None
    assert "civila samhället" in utanfor.attrib["message"]
    undantag = fall["forslag/undantag.yaml"]
    assert undantag.find("failure") is None
    ut = undantag.find("system-out")
    assert ut is not None and ut.text is not None
    assert "undantag [medfinansiering]" in ut.text and "KS 2014/123 § 45" in ut.text


def test_strikt_gor_varningar_till_failure(tmp_path: Path) -> None:
    skapa(tmp_path)
    fil = "forslag/undantag.yaml"
    assert fall_per_fil(junit(tmp_path, fil))[fil].find("failure") is None
    varning = fall_per_fil(junit(tmp_path, fil, strikt=True))[fil].find("failure")
    assert varning is not None and varning.attrib["type"] == "varning"


def test_specialtecken_och_styrtecken_ger_giltig_xml(tmp_path: Path) -> None:
    # Motpartens namn citeras i meddelandet: <, &, " och ett styrtecken (BEL) som XML inte tillåter.
    text = andrad_mall(
        ("- namn: Örebro Logistikpartner AB", '- namn: "<Bygg & \\"Co\\"\\a>"'),
        ("      underlag: Avsiktsförklaring undertecknad 2014-05-12\n", ""),
    )
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (fall,) = fall_per_fil(junit(tmp_path, "a.yaml")).values()
    fel = fall.find("failure")
    assert fel is not None and fel.text is not None
    assert 'Bidraget från <Bygg & "Co"\\x07> är angivet som garanterat' in fel.text
