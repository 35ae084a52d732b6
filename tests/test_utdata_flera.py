"""Flera rapporter ur en granskning: ett --format per --output, sammanfattningen i terminalen."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import get_args

from conftest import kor
from forslagsarkiv import skapa
from partner_cli.modell import Niva
from partner_cli.utdata import FORMAT, github, gitlab, sarif, text


def test_varje_format_till_sin_fil_i_en_korning(tmp_path: Path) -> None:
    skapa(tmp_path)
    argument = [a for f in FORMAT for a in ("--format", f, "--output", f"rapport.{f}")]
    svar = kor("check", *argument, "forslag", cwd=tmp_path)
    assert svar.returncode == 1
    assert svar.stdout == ""
    assert svar.stderr.startswith("5 filer granskade: 2 godkänd, 1 underkänd")
    rapporter = {f: (tmp_path / f"rapport.{f}").read_text(encoding="utf-8") for f in FORMAT}
    assert json.loads(rapporter["json"])["sammanfattning"]["filer"] == 5
    assert len({f["fingerprint"] for f in json.loads(rapporter["gitlab"])}) > 1
    assert json.loads(rapporter["sarif"])["runs"][0]["results"]
    assert len(ET.fromstring(rapporter["junit"].encode()).findall("./testsuite/testcase")) == 5
    assert rapporter["github"].count("::error ") >= 2
    assert "forslag/underkand.yaml:" in rapporter["text"]


def test_ett_format_i_terminalen_och_ovriga_till_fil(tmp_path: Path) -> None:
    skapa(tmp_path)
    svar = kor("check", "-f", "sarif", "-o", "r.sarif", "-f", "json", "forslag", cwd=tmp_path)
    assert json.loads(svar.stdout)["version"] == 1
    assert json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_hjalpen_namner_varje_format() -> None:
    hjalp = " ".join(kor("check", "--help").stdout.split())
    for f in FORMAT:
        assert f in hjalp


def test_varje_niva_har_sin_motsvarighet_i_varje_format() -> None:
    for niva in get_args(Niva):
        assert niva in github._NIVA
        assert niva in gitlab._ALLVARLIGHET
        assert niva in sarif._NIVA
        assert niva in text._FARG
