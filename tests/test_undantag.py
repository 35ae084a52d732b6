"""Beslutade undantag: ett fynd som ett politiskt beslut täcker blir `undantag`, inte fel."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import andrad_mall, granska, kor
from forslagsarkiv import UNDERKAND, rad_med

BESLUT = "KS 2014/123 § 45"


def undantag(regel: str = "medfinansiering", **falt: str) -> str:
    poster = {
        "regel": regel,
        "beslut": BESLUT,
        "beslutsdatum": "2014-06-10",
        "motivering": "Strategiskt etableringsprojekt; kommunstyrelsen beslutade om undantag.",
        "giltigt_till": "2016-12-31",
        **falt,
    }
    rader = [f"    {k}: {v}" for k, v in poster.items() if v != "-"]
    return "\nundantag:\n  -" + "\n".join(rader)[3:] + "\n"


@pytest.fixture(autouse=True)
def arkiv(tmp_path: Path) -> None:
    """Ett förslagsarkiv: partner.toml i tmp_path, så att beslut/ bredvid den läses."""
    (tmp_path / "partner.toml").write_text("", encoding="utf-8")


def beslutat(
    skriv: Callable[..., Path],
    regel: str = "medfinansiering",
    referens: str = BESLUT,
    giltigt_till: str = "2016-12-31",
    avtal: str = "NL-2014-007",
    typ: str = "undantag",
) -> Path:
    """Ett beslut i arkivets beslut/ som ger undantaget ("-": utan giltigt_till)."""
    rader = [
        f"typ: {typ}",
        f"referens: {referens}",
        "datum: 2014-06-10",
        "beslutat_av: Kommunstyrelsen",
        "motivering: Strategiskt etableringsprojekt.",
        f"avtal: {avtal}",
        f"regel: {regel}" if typ == "undantag" else "",
        f"giltigt_till: {giltigt_till}" if giltigt_till != "-" and typ == "undantag" else "",
    ]
    namn = f"beslut/{referens.replace(' ', '-').replace('/', '-')}-{regel}.yaml"
    return skriv("\n".join(r for r in rader if r) + "\n", namn)


def test_utan_undantag_ar_forslaget_underkant(skriv: Callable[..., Path]) -> None:
    r = granska(skriv(andrad_mall(UNDERKAND)))
    assert r.utfall == "underkänd"
    assert [f.niva for f in r.fynd if f.regel == "medfinansiering"] == ["fel"]


def test_tillampat_undantag_gor_fyndet_till_undantag(
    skriv: Callable[..., Path], tmp_path: Path
) -> None:
    fil = skriv(andrad_mall(UNDERKAND) + undantag())
    beslutat(skriv)
    svar = kor("check", "--format", "json", str(fil), cwd=tmp_path)
    assert svar.returncode == 0, svar.stdout
    dok = json.loads(svar.stdout)
    assert dok["sammanfattning"]["undantag"] == 1
    assert dok["sammanfattning"]["fel"] == 0
    (forslag,) = dok["filer"]
    assert forslag["utfall"] == "godkänd"
    (fynd,) = forslag["fynd"]
    assert fynd["regel"] == "medfinansiering"
    assert fynd["nivå"] == "undantag"
    assert fynd["undantag"]["beslut"] == BESLUT
    assert fynd["undantag"]["beslutsdatum"] == "2014-06-10"
    (u,) = forslag["undantag"]
    assert u["status"] == "tillämpat"
    assert u["regel"] == "medfinansiering"
    assert u["rad"] == rad_med(fil, "regel: medfinansiering")


def test_text_visar_beslutet(skriv: Callable[..., Path], tmp_path: Path) -> None:
    fil = skriv(andrad_mall(UNDERKAND) + undantag())
    beslutat(skriv)
    svar = kor("check", str(fil), cwd=tmp_path)
    assert svar.returncode == 0
    rad = next(r for r in svar.stdout.splitlines() if "[medfinansiering]" in r)
    assert ": undantag [medfinansiering] Garanterad medfinansiering" in rad
    assert f"undantag enligt {BESLUT}: Strategiskt etableringsprojekt" in rad
    assert svar.stdout.splitlines()[-1].endswith("0 fel, 0 varningar, 1 undantag")


@pytest.mark.parametrize("saknas", ["motivering", "beslut"])
def test_undantag_utan_beslut_eller_motivering_ar_formatfel(
    skriv: Callable[..., Path], saknas: str
) -> None:
    fil = skriv(andrad_mall(UNDERKAND) + undantag(**{saknas: "-"}))
    svar = kor("check", "--format", "json", str(fil))
    assert svar.returncode == 1
    (forslag,) = json.loads(svar.stdout)["filer"]
    assert forslag["utfall"] == "ogiltig"
    (fynd,) = forslag["fynd"]
    assert (fynd["regel"], fynd["nivå"]) == ("format", "fel")
    assert f"'{saknas}' saknas" in fynd["meddelande"]
    assert fynd["sökväg"] == f"undantag[0].{saknas}"
    assert fynd["rad"] == rad_med(fil, "- regel: medfinansiering")


def test_tom_motivering_ar_formatfel(skriv: Callable[..., Path]) -> None:
    r = granska(skriv(andrad_mall(UNDERKAND) + undantag(motivering='""')))
    assert r.utfall == "ogiltig"
    assert [f.sokvag for f in r.fynd] == ["undantag[0].motivering"]


def test_utganget_undantag_tillampas_inte_och_rapporteras(skriv: Callable[..., Path]) -> None:
    # Avtalet löper till 2016-08-31; undantaget slutar dagen innan.
    fil = skriv(andrad_mall(UNDERKAND) + undantag(giltigt_till="2016-08-30"))
    beslutat(skriv, giltigt_till="2016-08-30")
    r = granska(fil)
    assert r.utfall == "underkänd"
    assert [(f.regel, f.niva) for f in r.fynd] == [
        ("medfinansiering", "fel"),
        ("undantag", "varning"),
    ]
    varning = r.fynd[1]
    assert "gäller till 2016-08-30, före avtalets slut 2016-08-31" in varning.meddelande
    assert (varning.rad, varning.kolumn) == (rad_med(fil, "giltigt_till"), 19)
    assert [u.status for u in r.undantag] == ["utgånget"]


def test_undantag_till_avtalets_sista_dag_galler(skriv: Callable[..., Path]) -> None:
    beslutat(skriv, giltigt_till="2016-08-31")
    r = granska(skriv(andrad_mall(UNDERKAND) + undantag(giltigt_till="2016-08-31")))
    assert r.utfall == "godkänd"
    assert [u.status for u in r.undantag] == ["tillämpat"]


def test_undantag_utan_slutdatum_galler(skriv: Callable[..., Path]) -> None:
    beslutat(skriv, giltigt_till="-")
    r = granska(skriv(andrad_mall(UNDERKAND) + undantag(giltigt_till="-")))
    assert [f.niva for f in r.fynd] == ["undantag"]


def test_oanvant_undantag_ar_en_varning(skriv: Callable[..., Path], tmp_path: Path) -> None:
    fil = skriv(andrad_mall() + undantag("insyn"))
    beslutat(skriv, "insyn")
    r = granska(fil)
    assert r.utfall == "godkänd"
    (varning,) = r.fynd
    assert (varning.regel, varning.niva) == ("undantag", "varning")
    assert "Undantaget från insyn (KS 2014/123 § 45) används inte" in varning.meddelande
    assert varning.rad == rad_med(fil, "regel: insyn")
    assert [u.status for u in r.undantag] == ["oanvänt"]
    assert kor("check", str(fil), cwd=tmp_path).returncode == 0
    assert kor("check", "--strikt", str(fil), cwd=tmp_path).returncode == 1


def test_andra_undantaget_for_samma_regel_ar_oanvant(skriv: Callable[..., Path]) -> None:
    andra = undantag(beslut="KS 2014/200").replace("\nundantag:\n", "")
    beslutat(skriv)
    beslutat(skriv, referens="KS 2014/200")
    r = granska(skriv(andrad_mall(UNDERKAND) + undantag() + andra))
    assert [u.status for u in r.undantag] == ["tillämpat", "oanvänt"]
    assert f"undantaget {BESLUT} gäller redan" in r.fynd[-1].meddelande


def test_tillampning_kan_inte_undantas(skriv: Callable[..., Path]) -> None:
    fil = skriv(andrad_mall() + undantag("tillämpning"))
    r = granska(fil)
    assert r.utfall == "ogiltig"
    (fynd,) = r.fynd
    assert "regeln 'tillämpning' kan inte undantas" in fynd.meddelande
    assert (fynd.rad, fynd.sokvag) == (rad_med(fil, "regel: tillämpning"), "undantag[0].regel")


def test_okand_regel_foreslar_den_narmaste(skriv: Callable[..., Path]) -> None:
    (fynd,) = granska(skriv(andrad_mall() + undantag("medfinansering"))).fynd
    assert "okänd regel 'medfinansering' (menade du 'medfinansiering'?)" in fynd.meddelande


def test_undantag_provas_inte_nar_strategin_inte_galler(skriv: Callable[..., Path]) -> None:
    text = andrad_mall(("kategori: företag  ", "kategori: civilsamhälle")) + undantag("insyn")
    r = granska(skriv(text))
    assert r.utfall == "ej_tillämplig"
    assert [f.regel for f in r.fynd] == ["tillämpning"]
    assert r.undantag == ()


def test_json_schema_listar_reglerna_som_kan_undantas() -> None:
    svar = kor("schema")
    regel = json.loads(svar.stdout)["properties"]["undantag"]["items"]["properties"]["regel"]
    assert "medfinansiering" in regel["enum"]
    assert "tillämpning" not in regel["enum"]
    obligatoriska = json.loads(svar.stdout)["properties"]["undantag"]["items"]["required"]
    assert obligatoriska == ["regel", "beslut", "motivering"]


def test_undantag_utan_beslut_ar_ett_fel_som_namnger_beslutet(
    skriv: Callable[..., Path], tmp_path: Path
) -> None:
    # Förslaget undantar sig självt: beslutstext, datum långt fram och en tom motivering.
    fil = skriv(andrad_mall(UNDERKAND) + undantag(giltigt_till="2099-12-31", motivering="."))
    for flaggor in ([], ["--strikt"]):
        svar = kor("check", "--format", "json", *flaggor, str(fil), cwd=tmp_path)
        assert svar.returncode == 1
        (forslag,) = json.loads(svar.stdout)["filer"]
        assert forslag["utfall"] == "underkänd"
        assert [(f["regel"], f["nivå"]) for f in forslag["fynd"]] == [
            ("medfinansiering", "fel"),
            ("undantag", "fel"),
        ]
        fynd = forslag["fynd"][1]
        assert "inget beslut om undantag med den referensen för NL-2014-007" in fynd["meddelande"]
        assert f"typ: undantag, referens: {BESLUT}, avtal: NL-2014-007" in fynd["meddelande"]
        assert (fynd["rad"], fynd["sökväg"]) == (rad_med(fil, "beslut: KS"), "undantag[0].beslut")
        assert [u["status"] for u in forslag["undantag"]] == ["obeslutat"]


@pytest.mark.parametrize(
    "beslutet",
    [
        {"avtal": "NL-2014-999"},  # ett annat avtal
        {"regel": "insyn"},  # en annan regel
        {"referens": "KS 2014/999"},  # ett annat beslut än förslaget hänvisar till
        {"typ": "ändring"},  # inget beslut om undantag
    ],
    ids=["annat-avtal", "annan-regel", "annan-referens", "annan-typ"],
)
def test_bara_ett_beslut_for_avtalet_och_regeln_ger_undantaget(
    skriv: Callable[..., Path], beslutet: dict[str, str]
) -> None:
    beslutat(skriv, **beslutet)
    r = granska(skriv(andrad_mall(UNDERKAND) + undantag()))
    assert r.utfall == "underkänd"
    assert [u.status for u in r.undantag] == ["obeslutat"]


def test_beslutets_giltighet_galler_inte_forslagets(skriv: Callable[..., Path]) -> None:
    # Förslaget skriver 2099; beslutet gäller till 2015, före avtalets slut.
    beslutat(skriv, giltigt_till="2015-12-31")
    r = granska(skriv(andrad_mall(UNDERKAND) + undantag(giltigt_till="2099-12-31")))
    assert r.utfall == "underkänd"
    assert [(u.status, str(u.undantag.giltigt_till)) for u in r.undantag] == [
        ("utgånget", "2015-12-31")
    ]


def test_ett_beslut_som_inte_foljer_formatet_ger_inget_undantag(
    skriv: Callable[..., Path], tmp_path: Path
) -> None:
    trasigt = beslutat(skriv)
    trasigt.write_text(trasigt.read_text("utf-8").replace("datum: 2014-06-10", "datum: i juni"))
    fil = skriv(andrad_mall(UNDERKAND) + undantag())
    assert granska(fil).utfall == "underkänd"
    svar = kor("check", cwd=tmp_path)  # arkivet: förslaget och beslutet
    assert svar.returncode == 1
    assert f"beslut/{trasigt.name}:3:8: fel [format] datum:" in svar.stdout
