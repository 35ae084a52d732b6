"""Förslagsarkivets beslut och utvärderingar: formaten, med rad och kolumn, och `partner check`
i arkivet, som granskar varje fil mot sitt format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROT, kor
from forslagsarkiv import rad_med
from registerhjalp import forslag, lagg_till, miljo, skriv_forslag

GEMENSAMT = (
    "referens: KS 2015/7 § 3\n"
    "datum: 2015-03-02\n"
    "beslutat_av: Kommunstyrelsen\n"
    "motivering: Beslutat efter föredragning.\n"
)
PER_TYP = {
    "undantag": "avtal: NL-1\nregel: medfinansiering\ngiltigt_till: 2016-12-31\n",
    "ägarbyte": (
        "organisationsnummer: 556781-2341\n"
        "avtalsägare: {namn: Per Berg, enhet: Avdelningen för näringsliv och kompetens}\n"
    ),
    "ändring": "avtal: NL-1\n",
    "förlängning": "avtal: NL-1\nslut: 2017-02-28\n",
    "avslut": "avtal: NL-1\nslut: 2015-09-30\norsak: Motparten gick i konkurs.\n",
    "makulering": "avtal: NL-1\n",
}
UTVARDERING = (
    "avtal: NL-1\n"
    "datum: 2015-09-01\n"
    "typ: delutvärdering\n"
    "utförd_av: Revisor Rask\n"
    "mål:\n"
    "  - {mål: 1, utfall: 12}\n"
)


def arkiv(tmp_path: Path, filer: dict[str, str], toml: str = "") -> Path:
    """Ett arkiv med filerna och förslaget NL-1, som besluten och utvärderingarna gäller
    (ett beslut om ett avtal som inte finns underkänns, som `register sync` vägrar det)."""
    (tmp_path / "partner.toml").write_text(toml, encoding="utf-8")
    filer = {"forslag/nl-1.yaml": forslag(), **filer}
    for namn, text in filer.items():
        fil = tmp_path / namn
        fil.parent.mkdir(parents=True, exist_ok=True)
        fil.write_text(text, encoding="utf-8")
    return tmp_path


def granska_arkivet(katalog: Path, *argument: str) -> tuple[int, list[dict[str, object]]]:
    p = kor("check", "--format", "json", *argument, cwd=katalog)
    assert p.returncode in (0, 1), p.stderr
    filer = json.loads(p.stdout)["filer"]
    return p.returncode, [f for f in filer if f["fil"] != "forslag/nl-1.yaml"]


@pytest.mark.parametrize("typ", list(PER_TYP))
def test_varje_typ_av_beslut_foljer_formatet(tmp_path: Path, typ: str) -> None:
    katalog = arkiv(tmp_path, {"beslut/b.yaml": f"typ: {typ}\n{GEMENSAMT}{PER_TYP[typ]}"})
    kod, (fil,) = granska_arkivet(katalog)
    if typ == "ägarbyte":
        # Formatet följs; organisationen är inte registrerad, och det vägrar `register sync`.
        (fynd,) = fil["fynd"]
        assert (kod, fynd["regel"], fynd["sökväg"]) == (1, "arkiv", "organisationsnummer")
        assert "organisationen 556781-2341 finns inte i registret" in fynd["meddelande"]
        return
    assert (kod, fil["utfall"], fil["fynd"]) == (0, "godkänd", [])


def test_exemplets_beslut_foljer_formatet() -> None:
    p = kor("check", str(ROT / "exempel" / "forslag"), str(ROT / "exempel" / "beslut"))
    assert p.returncode == 0, p.stdout


@pytest.mark.parametrize(
    ("typ", "text", "vantat"),
    [
        (
            "avslut",
            "avtal: NL-1\nslut: 2015-09-30\n",
            "Ett beslut om avslut kräver nyckeln 'orsak'",
        ),
        (
            "ägarbyte",
            "organisationsnummer: 556781-2341\n",
            "Ett beslut om ägarbyte kräver nyckeln 'avtalsägare'",
        ),
        ("undantag", "avtal: NL-1\n", "Ett beslut om undantag kräver nyckeln 'regel'"),
        ("makulering", "", "Ett beslut om makulering kräver nyckeln 'avtal'"),
    ],
)
def test_en_nyckel_som_typen_kraver_saknas(
    tmp_path: Path, typ: str, text: str, vantat: str
) -> None:
    katalog = arkiv(tmp_path, {"beslut/b.yaml": f"typ: {typ}\n{GEMENSAMT}{text}"})
    kod, (fil,) = granska_arkivet(katalog)
    assert kod == 1 and fil["utfall"] == "ogiltig"
    assert [(f["meddelande"], f["rad"], f["kolumn"]) for f in fil["fynd"]] == [(vantat, 1, 6)]


def test_en_nyckel_som_inte_hor_till_typen_ar_ett_fel_pa_sin_rad(tmp_path: Path) -> None:
    text = f"typ: makulering\n{GEMENSAMT}avtal: NL-1\nregel: insyn\n"
    katalog = arkiv(tmp_path, {"beslut/b.yaml": text})
    _, (fil,) = granska_arkivet(katalog)
    assert [(f["meddelande"], f["rad"], f["sökväg"]) for f in fil["fynd"]] == [
        ("'regel' hör inte till ett beslut om makulering", 7, "regel")
    ]


@pytest.mark.parametrize(
    ("ersatt", "med", "sokvag", "vantat"),
    [
        ("typ: ändring", "typ: andring", "typ", "'andring' är inte ett tillåtet värde"),
        ("datum: 2015-03-02", "datum: 2015-02-30", "datum", "inget giltigt datum"),
        ("referens: KS 2015/7 § 3", "referens: ''", "referens", "'referens' får inte vara tom"),
        ("avtal: NL-1", "avtal: (avtalets id)", "avtal", "står kvar från mallen"),
        ("motivering: Beslutat efter föredragning.", "motiv: x", "motiv", "Okänd nyckel"),
    ],
)
def test_formatfel_i_ett_beslut_har_rad_och_kolumn(
    tmp_path: Path, ersatt: str, med: str, sokvag: str, vantat: str
) -> None:
    text = f"typ: ändring\n{GEMENSAMT}{PER_TYP['ändring']}".replace(ersatt, med)
    fil = tmp_path / "beslut" / "b.yaml"
    katalog = arkiv(tmp_path, {"beslut/b.yaml": text})
    _, (resultat,) = granska_arkivet(katalog)
    (fynd,) = [f for f in resultat["fynd"] if f["sökväg"] == sokvag]
    assert vantat in fynd["meddelande"]
    assert fynd["rad"] == rad_med(fil, med)


def test_beslutat_av_ska_vara_en_av_de_beslutande(tmp_path: Path) -> None:
    toml = '[beslut]\nbeslutande = ["Kommunstyrelsen", "Näringslivsdirektören"]\n'
    filer = {
        "beslut/ks.yaml": f"typ: ändring\n{GEMENSAMT}avtal: NL-1\n",
        # Skiftläge och mellanslag spelar ingen roll.
        "beslut/nld.yaml": f"typ: ändring\n{GEMENSAMT}avtal: NL-1\n".replace(
            "Kommunstyrelsen", "  näringslivsdirektören "
        ),
        "beslut/annan.yaml": f"typ: ändring\n{GEMENSAMT}avtal: NL-1\n".replace(
            "Kommunstyrelsen", "Projektledaren"
        ),
    }
    _, resultat = granska_arkivet(arkiv(tmp_path, filer, toml))
    utfall = {Path(str(r["fil"])).name: r for r in resultat}
    assert utfall["ks.yaml"]["utfall"] == utfall["nld.yaml"]["utfall"] == "godkänd"
    (fynd,) = utfall["annan.yaml"]["fynd"]  # type: ignore[misc]
    assert "'Projektledaren' finns inte bland de beslutande" in fynd["meddelande"]
    assert (fynd["rad"], fynd["sökväg"]) == (4, "beslutat_av")


def test_utvardering_i_arkivet_kraver_avtal_och_foljer_formatet(tmp_path: Path) -> None:
    filer = {
        "utvarderingar/godkand.yaml": UTVARDERING,
        "utvarderingar/utan-avtal.yaml": UTVARDERING.replace("avtal: NL-1\n", ""),
        "utvarderingar/mall.yaml": UTVARDERING.replace("Revisor Rask", "(utvärderarens namn)"),
    }
    kod, resultat = granska_arkivet(arkiv(tmp_path, filer))
    assert kod == 1
    utfall = {Path(str(r["fil"])).name: r for r in resultat}
    assert utfall["godkand.yaml"]["utfall"] == "godkänd"
    (saknas,) = utfall["utan-avtal.yaml"]["fynd"]  # type: ignore[misc]
    assert "Nyckeln 'avtal' saknas" in saknas["meddelande"]
    (mall,) = utfall["mall.yaml"]["fynd"]  # type: ignore[misc]
    assert "'(utvärderarens namn)' står kvar från mallen" in mall["meddelande"]
    assert (mall["rad"], mall["kolumn"]) == (4, 12)


def test_check_utan_sokvag_utanfor_ett_arkiv_ar_anvandningsfel(tmp_path: Path) -> None:
    p = kor("check", cwd=tmp_path)
    assert p.returncode == 2
    assert "argument saknas: SÖKVÄG" in p.stderr


def test_sanktionerad_av_ska_vara_en_av_de_sanktionerande(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text(
        '[register]\nsanktionerande = ["Karin Ek"]\n', encoding="utf-8"
    )
    fil = skriv_forslag(tmp_path, "a.yaml")
    db = tmp_path / "register.db"
    p = kor(
        "register", "add", str(fil), "--sanktionerad-av", "Per Berg", env=miljo(db), cwd=tmp_path
    )
    assert p.returncode == 2
    assert "'Per Berg' finns inte bland de sanktionerande" in p.stderr
    assert not db.exists()
    p = lagg_till(db, fil, extra=("--config", str(tmp_path / "partner.toml")))
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.parametrize(
    ("toml", "nyckel"),
    [
        ('[beslut]\nbeslutande = "Kommunstyrelsen"\n', "beslut.beslutande"),
        ("[register]\nsanktionerande = [1]\n", "register.sanktionerande"),
        ('[beslut]\nbeslutare = ["X"]\n', "beslut.beslutare"),
    ],
)
def test_fel_i_listorna_i_partner_toml(tmp_path: Path, toml: str, nyckel: str) -> None:
    (tmp_path / "partner.toml").write_text(toml, encoding="utf-8")
    p = kor("check", cwd=tmp_path)
    assert p.returncode == 2
    assert f"{nyckel}:" in p.stderr
