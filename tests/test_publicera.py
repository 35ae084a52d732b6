"""`partner publicera`: årets avtal som öppna data, prövade mot 360Giving-schemat i
tests/schemas, med självkontrollen som stoppar allt när en post är trasig."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import ROT, kor
from partner_cli.oppna_data import KOLUMNER, filnamn
from registerhjalp import UTGIVARE_TOML, miljo, skriv_forslag, utgivarkonfig

EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
SCHEMAN = ROT / "tests" / "schemas"
PERSONNUMMER = "811218-9876"
FIRMA = "Svenssons Konsult"


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("publicera")
    db = katalog / "partnerskap.db"
    firma = skriv_forslag(
        katalog,
        "firma.yaml",
        id_="NL-2015-020",
        org=PERSONNUMMER,
        start="2015-03-01",
        slut="2016-02-28",
        titel="Konsultstöd",
    )
    firma.write_text(
        firma.read_text(encoding="utf-8")
        .replace("  namn: Örebro Logistikpartner AB\n", f"  namn: {FIRMA}\n", 1)
        .replace("räkenskapsår: 2013", "räkenskapsår: 2014"),
        encoding="utf-8",
    )
    p = kor(
        "register", "add", *map(str, [*EXEMPEL, firma]), "--sanktionerad-av", "N", env=miljo(db)
    )
    assert p.returncode == 0, p.stdout + p.stderr
    return db


def publicera(db: Path, ut: Path, toml: Path, *extra: str) -> Any:
    return kor(
        "publicera", "--år", "2015", "--ut", str(ut), "--config", str(toml), *extra, env=miljo(db)
    )


@pytest.fixture(scope="module")
def filer(register: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("ut")
    p = publicera(register, katalog / "data", utgivarkonfig(katalog))
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("skrev ") == 4
    return katalog / "data"


def test_filerna_och_kolumnerna(filer: Path) -> None:
    assert sorted(f.name for f in filer.iterdir()) == [
        "partnerskap-2015-360giving.json",
        "partnerskap-2015-dcat.jsonld",
        "partnerskap-2015.csv",
        "partnerskap-2015.json",
    ]
    with (filer / "partnerskap-2015.csv").open(encoding="utf-8", newline="") as f:
        rader = list(csv.DictReader(f))
    assert list(rader[0]) == list(KOLUMNER)
    forsta = next(r for r in rader if r["id"] == "NL-2014-001")
    assert forsta["organisations_id"] == "SE-ON-5567812341"
    assert forsta["kommunen_kontant"] == "400000.00"  # kronor som exakt decimaltext
    dokument = json.loads((filer / "partnerskap-2015.json").read_text(encoding="utf-8"))
    assert dokument["kolumner"] == KOLUMNER
    assert [r["id"] for r in dokument["avtal"]] == [r["id"] for r in rader]


@pytest.mark.parametrize(
    "valda", [["json"], ["360giving"], ["csv", "dcat"], ["360giving", "csv", "json", "dcat"]]
)
def test_valda_filer_ar_desamma_som_i_hela_publiceringen(
    register: Path, tmp_path: Path, valda: list[str]
) -> None:
    # Filerna görs i två processer; vilka som väljs ändrar varken vad eller hur mycket som skrivs.
    toml = utgivarkonfig(tmp_path)
    assert publicera(register, tmp_path / "alla", toml).returncode == 0
    p = publicera(register, tmp_path / "d", toml, *(f"--format={f}" for f in valda))
    assert p.returncode == 0, p.stderr
    filer = tmp_path / "alla"
    namn = filnamn(2015)
    assert p.stdout.splitlines() == [f"skrev {tmp_path / 'd' / namn[f]}" for f in valda]
    assert sorted(f.name for f in (tmp_path / "d").iterdir()) == sorted(namn[f] for f in valda)
    for f in valda:
        assert (tmp_path / "d" / namn[f]).read_bytes() == (filer / namn[f]).read_bytes(), f


def test_readme_dokumenterar_varje_kolumn() -> None:
    readme = (ROT / "README.md").read_text(encoding="utf-8")
    for kolumn in KOLUMNER:
        assert f"| `{kolumn}` |" in readme, kolumn


def test_360giving_paketet_foljer_schemat(filer: Path) -> None:
    import jsonschema
    from referencing import Registry, Resource

    bidrag = json.loads((SCHEMAN / "360-giving-schema.json").read_text(encoding="utf-8"))
    paket = json.loads((SCHEMAN / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    adress = paket["properties"]["grants"]["items"]["$ref"]
    register = Registry().with_resource(adress, Resource.from_contents(bidrag))
    text = (filer / "partnerskap-2015-360giving.json").read_text(encoding="utf-8")
    data = json.loads(text)
    # Schemats datum är "date-time eller ÅÅÅÅ-MM-DD" (oneOf): date-time prövas som RFC 3339,
    # som i 360Giving:s verktyg, så att ett datum inte gäller som båda.
    format_ = jsonschema.FormatChecker()

    @format_.checks("date-time")
    def _tidpunkt(varde: object) -> bool:
        return not isinstance(varde, str) or bool(
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", varde)
        )

    validator = jsonschema.Draft4Validator(paket, registry=register, format_checker=format_)
    assert list(validator.iter_errors(data)) == []
    ids = {b["id"] for b in data["grants"]}
    assert "360G-orebrokommun-NL-2014-001" in ids and len(ids) == len(data["grants"])
    b = next(b for b in data["grants"] if b["id"].endswith("NL-2014-001"))
    assert b["currency"] == "SEK"
    assert b["fundingOrganization"] == [{"id": "SE-ON-2120001967", "name": "Örebro kommun"}]
    assert b["plannedDates"] == [{"startDate": "2014-03-01", "endDate": "2016-02-29"}]
    assert b["grantProgramme"][0]["code"] == "KS-2014-04-22-93"
    assert '"amountAwarded": 400000.00,' in text  # exakt, inte genom ett flyttal


def test_dcat_posten(filer: Path) -> None:
    post = json.loads((filer / "partnerskap-2015-dcat.jsonld").read_text(encoding="utf-8"))
    assert post["@type"] == "dcat:Dataset"
    for egenskap in ("dct:title", "dct:description", "dct:publisher", "dcat:contactPoint"):
        assert post[egenskap], egenskap
    assert post["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:naringsliv@example.se"}
    nedladdning = {d["dcat:downloadURL"]["@id"] for d in post["dcat:distribution"]}
    assert "https://example.se/oppna-data/partnerskap/partnerskap-2015.csv" in nedladdning
    for d in post["dcat:distribution"]:
        assert d["dcat:accessURL"]["@id"].startswith("https://")
        assert d["dct:license"]["@id"].startswith("https://creativecommons.org/")


def test_enskild_firma_utan_nummer_och_med_installningen_utan_namn(
    register: Path, filer: Path, tmp_path: Path
) -> None:
    for fil in filer.iterdir():
        text = fil.read_text(encoding="utf-8")
        assert PERSONNUMMER not in text and PERSONNUMMER.replace("-", "") not in text, fil.name
    data = json.loads((filer / "partnerskap-2015-360giving.json").read_text(encoding="utf-8"))
    (firman,) = (b for b in data["grants"] if b["id"].endswith("NL-2015-020"))
    assert firman["recipientOrganization"] == [
        {"id": "360G-orebrokommun-IND-NL-2015-020", "name": FIRMA}
    ]
    dolt = tmp_path / "dolt"
    p = publicera(register, dolt, utgivarkonfig(tmp_path, '"dölj_enskild_firmas_namn" = true\n'))
    assert p.returncode == 0, p.stderr
    for fil in dolt.iterdir():
        assert FIRMA not in fil.read_text(encoding="utf-8"), fil.name


def test_sjalvkontrollen_stoppar_en_trasig_post_innan_nagot_skrivs(
    register: Path, tmp_path: Path
) -> None:
    trasig = tmp_path / "trasig.db"
    trasig.write_bytes(register.read_bytes())
    with sqlite3.connect(trasig) as db:  # förbi registrets egna kontroller: fel kontrollsiffra
        db.execute(
            "UPDATE organisation SET organisationsnummer = '556781-2342' "
            "WHERE organisationsnummer = '556781-2341'"
        )
        db.execute(
            "UPDATE avtal SET organisationsnummer = '556781-2342' "
            "WHERE organisationsnummer = '556781-2341'"
        )
    ut = tmp_path / "data"
    p = publicera(trasig, ut, utgivarkonfig(tmp_path))
    assert p.returncode == 1
    assert re.search(r"NL-2014-001.*SE-ON-5567812342.*inget giltigt SE-ON-id", p.stderr)
    assert "inget skrevs" in p.stderr
    assert not ut.exists()


@pytest.mark.parametrize(
    ("andring", "text"),
    [
        ('bidragsprefix = "GB-orebro"\n', "publicera.bidragsprefix"),
        ('kontakt_epost = ""\n', "publicera.kontakt_epost"),
        ('adress = "ftp://x"\n', "publicera.adress"),
    ],
)
def test_sjalvkontrollen_provar_installningarna(
    register: Path, tmp_path: Path, andring: str, text: str
) -> None:
    toml = tmp_path / "partner.toml"
    nyckel = andring.split(" =")[0]
    toml.write_text(
        "".join(r for r in UTGIVARE_TOML.splitlines(True) if not r.startswith(nyckel)) + andring,
        encoding="utf-8",
    )
    p = publicera(register, tmp_path / "data", toml)
    assert p.returncode == 2  # inställningarna, inte registrets data
    assert text in p.stderr and f"ange inställningarna i {toml}; inget skrevs" in p.stderr
    assert not (tmp_path / "data").exists()


def test_ett_ar_utan_avtal_och_anvandningsfel(register: Path, tmp_path: Path) -> None:
    toml = utgivarkonfig(tmp_path)
    p = kor(
        "publicera",
        "--år",
        "1999",
        "--ut",
        str(tmp_path / "d"),
        "--config",
        str(toml),
        env=miljo(register),
    )
    assert p.returncode == 1 and "inga avtal var aktiva under 1999" in p.stderr
    p = publicera(register, tmp_path / "d", toml, "--format", "xml")
    assert p.returncode == 2 and "okänt format 'xml'" in p.stderr
    (tmp_path / "bad.toml").write_text(
        '[publicera]\n"dölj_enskild_firmas_namn" = "ja"\n', encoding="utf-8"
    )
    p = publicera(register, tmp_path / "d", tmp_path / "bad.toml")
    assert p.returncode == 2 and "publicera.dölj_enskild_firmas_namn" in p.stderr
    # Kommunen står en gång, i [kommun]: [publicera] har ingen egen utgivare.
    (tmp_path / "bad.toml").write_text(
        UTGIVARE_TOML + 'utgivare = "Örebro kommun"\n', encoding="utf-8"
    )
    p = publicera(register, tmp_path / "d", tmp_path / "bad.toml")
    assert p.returncode == 2 and "publicera.utgivare: okänd nyckel" in p.stderr


def test_utan_kommun_skrivs_ingenting(register: Path, tmp_path: Path) -> None:
    toml = tmp_path / "partner.toml"
    toml.write_text(UTGIVARE_TOML.split("\n\n", 1)[1], encoding="utf-8")
    p = publicera(register, tmp_path / "data", toml)
    assert p.returncode == 2
    assert "[kommun] saknas" in p.stderr and "utgivaren" in p.stderr
    assert not (tmp_path / "data").exists()
