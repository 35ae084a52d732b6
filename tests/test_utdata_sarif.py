"""SARIF 2.1.0: giltig mot det publicerade schemat, med regler, platser och undantag."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import rendera
from forslagsarkiv import rad_med, skapa
from partner_cli import regler

# OASIS publicerade schema, kopierat in i testerna (se schemas/README.md).
SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif(arkiv: Path, *sokvagar: str) -> dict[str, Any]:
    dok: dict[str, Any] = json.loads(rendera("sarif", *(sokvagar or ("forslag",)), cwd=arkiv))
    return dok


def test_giltig_mot_schemat(tmp_path: Path, validator: jsonschema.Draft4Validator) -> None:
    skapa(tmp_path)
    dok = sarif(tmp_path)
    fel = sorted(validator.iter_errors(dok), key=str)
    assert not fel, "\n".join(f"{list(f.absolute_path)}: {f.message}" for f in fel)
    assert dok["version"] == "2.1.0"


def test_schemat_fangar_ett_trasigt_dokument(
    tmp_path: Path, validator: jsonschema.Draft4Validator
) -> None:
    skapa(tmp_path)
    dok = sarif(tmp_path)
    dok["runs"][0]["results"][0]["level"] = "fel"
    assert not validator.is_valid(dok)


def test_reglerna_med_hjalp_och_strategins_stycke(tmp_path: Path) -> None:
    skapa(tmp_path)
    driver = sarif(tmp_path)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "partner"
    assert driver["version"]
    beskrivna = {r["id"]: r for r in driver["rules"]}
    assert set(beskrivna) == {*regler.REGLER, "format", "yaml", "undantag", "arkiv"}
    for id_, modul in regler.REGLER.items():
        r = beskrivna[id_]
        assert r["shortDescription"]["text"]
        assert r["fullDescription"]["text"]
        assert modul.CITAT in r["help"]["text"]
        assert r["properties"] == {"grund": modul.GRUND, "citat": modul.CITAT}
    assert beskrivna["undantag"]["defaultConfiguration"]["level"] == "warning"


def test_varje_resultat_har_regel_niva_och_plats(tmp_path: Path) -> None:
    mapp = skapa(tmp_path)
    run = sarif(tmp_path)["runs"][0]
    regler_ = run["tool"]["driver"]["rules"]
    assert run["originalUriBaseIds"]["PROJEKTROT"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["results"]
    for r in run["results"]:
        assert regler_[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")
        assert r["message"]["text"]
        (plats,) = r["locations"]
        artefakt = plats["physicalLocation"]["artifactLocation"]
        assert artefakt["uriBaseId"] == "PROJEKTROT"
        assert (mapp.parent / artefakt["uri"]).is_file()
        assert run["artifacts"][artefakt["index"]]["location"]["uri"] == artefakt["uri"]
        region = plats["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    (medfin,) = [
        r
        for r in run["results"]
        if r["ruleId"] == "medfinansiering"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "forslag/underkand.yaml"
    ]
    assert medfin["level"] == "error"
    region = medfin["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": rad_med(mapp / "underkand.yaml", "finansiering:"),
        "startColumn": 1,
    }
    assert "suppressions" not in medfin


def test_undantag_blir_note_med_extern_suppression(tmp_path: Path) -> None:
    skapa(tmp_path)
    run = sarif(tmp_path, "forslag/undantag.yaml")["runs"][0]
    niva = {r["ruleId"]: r["level"] for r in run["results"]}
    assert niva == {"medfinansiering": "note", "undantag": "warning"}
    (medfin,) = [r for r in run["results"] if r["ruleId"] == "medfinansiering"]
    (supp,) = medfin["suppressions"]
    assert supp["kind"] == "external"
    assert supp["justification"] == "Strategiskt etableringsprojekt."
    assert supp["properties"]["beslut"] == "KS 2014/123 § 45"
    (artefakt,) = run["artifacts"]
    assert artefakt["properties"]["utfall"] == "godkänd"
    status = [(u["regel"], u["status"]) for u in artefakt["properties"]["undantag"]]
    assert status == [("medfinansiering", "tillämpat"), ("insyn", "oanvänt")]
    assert run["properties"]["sammanfattning"]["undantag"] == 1


def test_filnamn_med_mellanslag_och_aao_blir_uri(
    tmp_path: Path, validator: jsonschema.Draft4Validator
) -> None:
    mapp = skapa(tmp_path)
    (mapp / "underkand.yaml").rename(mapp / "Förslag nr 2.yaml")
    dok = sarif(tmp_path, "forslag/Förslag nr 2.yaml")
    assert validator.is_valid(dok)
    (artefakt,) = dok["runs"][0]["artifacts"]
    assert artefakt["location"]["uri"] == "forslag/F%C3%B6rslag%20nr%202.yaml"


def test_fil_utanfor_roten_far_absolut_uri(tmp_path: Path) -> None:
    mapp = skapa(tmp_path / "annan")
    (tmp_path / "arkiv").mkdir()
    dok = sarif(tmp_path / "arkiv", str(mapp / "underkand.yaml"))
    (artefakt,) = dok["runs"][0]["artifacts"]
    assert artefakt["location"] == {"uri": (mapp / "underkand.yaml").resolve().as_uri()}
