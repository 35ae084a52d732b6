"""Ett avtal från beslut till slut genom registrets kommandon: byte av avtalsägare,
förlängning, avslut i förtid och makulering, var och en med beslutets referens och
registrets kontroll hel efter varje steg."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import cijobb as ci
from conftest import ROT, kor
from partner_cli.register.migreringar import SCHEMAVERSION
from registerhjalp import (
    BYT_AGARE,
    ORGNR,
    innehall,
    lagg_till,
    miljo,
    orgnr,
    skriv_forslag,
    utgivarkonfig,
)


def helt(reg: Path) -> None:
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr


def test_oforandrad_fil_efter_byt_agare_ar_en_noop(tmp_path: Path) -> None:
    reg = tmp_path / "r.db"
    a = skriv_forslag(tmp_path, "a.yaml", id_="NL-1")
    assert lagg_till(reg, a).returncode == 0
    p = kor("register", "byt-ägare", ORGNR, "--namn", "Per Berg", *BYT_AGARE, env=miljo(reg))
    assert p.returncode == 0, p.stderr
    fore = innehall(reg)

    # Filen säger fortfarande Anna Lind: den är oförändrad, och organisationens ägare gäller.
    p = lagg_till(reg, a)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "NL-1 redan registrerad med samma innehåll" in p.stdout
    assert innehall(reg) == fore
    p = kor("check", str(a), env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr
    helt(reg)

    # Ett nytt förslag som anger den gamla ägaren underkänns.
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-2", agare="Anna Lind")
    p = kor("check", str(b), env=miljo(reg))
    assert p.returncode == 1
    assert "har redan avtalsägaren Per Berg i registret" in p.stdout
    assert lagg_till(reg, b).returncode == 1
    assert innehall(reg) == fore


@pytest.mark.parametrize(
    ("varden", "vagras"),
    [
        ({"avslutat_datum": "2015-06-30"}, True),  # utan orsak och beslut
        ({"avslutat_datum": "2013-01-01", "avslutat_orsak": "x", "avslutat_beslut": "KS 1"}, True),
        ({"avslutat_beslut": "KS 1", "avslutat_orsak": "x"}, True),  # utan dag
        ({"makulerat_beslut": " "}, True),
        ({"avslutat_datum": "2015-13-01", "avslutat_orsak": "x", "avslutat_beslut": "KS 1"}, True),
        ({"avslutat_datum": "2015-06-30", "avslutat_orsak": "x", "avslutat_beslut": "KS 1"}, False),
    ],
)
def test_importen_provar_livscykelns_kolumner(
    tmp_path: Path, varden: dict[str, str], vagras: bool
) -> None:
    export = tmp_path / "export"
    shutil.copytree(ROT / "tests" / "exporter" / f"v{SCHEMAVERSION}", export)
    fil = export / "register.json"
    data = json.loads(fil.read_text(encoding="utf-8"))
    avtal = data["tabeller"]["avtal"]
    rad = next(r for r in avtal["rader"] if r[0] == "NL-2014-001")
    for kolumn, varde in varden.items():
        rad[avtal["kolumner"].index(kolumn)] = varde
    fil.write_text(json.dumps(data), encoding="utf-8")
    reg = tmp_path / "r.db"
    p = kor("register", "import", str(fil), env=miljo(reg))
    if vagras:
        # Ett datum som inte är ett datum vägras när exporten läses (kod 2), ett avslut som
        # inte är helt av registrets schema (kod 1); inget skrivs.
        assert p.returncode in (1, 2), p.stdout + p.stderr
        assert "inget importerades" in p.stderr or "inget ändrades" in p.stderr
        assert not reg.exists() or innehall(reg, bara_avtalen=True)["avtal"] == []
    else:
        # Avtalet är då inte förklarat av sin historik: importen vägrar det också.
        assert p.returncode == 1 and "stämmer inte med sin senaste händelse" in p.stderr


# I ett förslagsarkiv från `partner init`, med exemplen, genom `register sync`.
AGARBYTE = """typ: ägarbyte
referens: KS 2015/20 § 3
datum: 2015-01-20
beslutat_av: Kommunstyrelsen
motivering: Avtalsägaren går i pension.
organisationsnummer: 556781-2341
avtalsägare: {namn: Per Berg, enhet: Kultur}
"""
FORLANGNING = """typ: förlängning
referens: KS 2015/88 § 7
datum: 2015-10-01
beslutat_av: Kommunstyrelsen
motivering: Projektet får ett halvår till.
avtal: NL-2014-002
slut: 2016-06-30
"""
AVSLUT = """typ: avslut
referens: KS 2015/90 § 2
datum: 2015-06-15
beslutat_av: Kommunstyrelsen
motivering: Föreningen har upplösts.
avtal: NL-2014-003
slut: 2015-06-30
orsak: Motparten upplöst
"""
MAKULERING = """typ: makulering
referens: KS 2015/91 § 1
datum: 2015-03-01
beslutat_av: Kommunstyrelsen
motivering: Avtalet registrerades av misstag.
avtal: NL-2015-004
"""


def _beslut(arkiv: Path, namn: str, text: str) -> None:
    (arkiv / "beslut" / namn).write_text(text, encoding="utf-8")


def _efter(arkiv: Path, nyckel: str, vad: str) -> dict[str, object]:
    (h,) = [h for h in ci.historik(arkiv, nyckel) if h["vad"] == vad]
    efter: dict[str, object] = json.loads(str(h["efter"]))
    return efter


def _avtalet(arkiv: Path, id_: str) -> dict[str, object]:
    """Avtalets rad som exporten har den."""
    data = json.loads(ci.export(arkiv))["tabeller"]["avtal"]
    rad = next(r for r in data["rader"] if r[0] == id_)
    return dict(zip(data["kolumner"], rad, strict=True))


def test_sync_for_in_varje_slag_av_beslut_en_gang(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    assert ci.sync(arkiv)[0] == 0

    # Ägarbyte: organisationens ägare byts, och dess registrerade fil är oförändrad.
    _beslut(arkiv, "ks-2015-20.yaml", AGARBYTE)
    head = ci.commit(arkiv, "Ny avtalsägare")
    kod, ut = ci.sync(arkiv)
    assert kod == 0, ut
    assert "556781-2341 har avtalsägaren Per Berg enligt beslut KS 2015/20 § 3" in ut
    efter = _efter(arkiv, "556781-2341", "byt ägare")
    assert (efter["avtalsagare_namn"], efter["avtalsagare_enhet"]) == ("Per Berg", "Kultur")
    assert (efter["beslut"], efter["beslutsdatum"], efter["commit"]) == (
        "KS 2015/20 § 3",
        "2015-01-20",
        head,
    )
    ci.helt(arkiv)
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    p = kor("check", "forslag", cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr
    # Ett nytt förslag som anger den gamla ägaren underkänns, i granskningen och i sync.
    ny = arkiv / "forslag" / "nl-2016-009.yaml"
    ny.write_text(
        (arkiv / ci.LOGISTIK).read_text(encoding="utf-8").replace("NL-2014-001", "NL-2016-009"),
        encoding="utf-8",
    )
    p = kor("check", str(ny), cwd=arkiv)
    assert p.returncode == 1 and "har redan avtalsägaren Per Berg" in p.stdout
    kod, ut = ci.sync(arkiv)
    assert kod == 1 and "har redan avtalsägaren Per Berg" in ut
    ny.unlink()

    # Förlängning, avslut och makulering, var och en en version med beslutet.
    fore = ci.export(arkiv)
    _beslut(arkiv, "ks-2015-88.yaml", FORLANGNING)
    _beslut(arkiv, "ks-2015-90.yaml", AVSLUT)
    _beslut(arkiv, "ks-2015-91.yaml", MAKULERING)
    head = ci.commit(arkiv, "Beslut om avtalen")
    kod, ut = ci.sync(arkiv)
    assert kod == 0, ut
    assert ut.splitlines()[:3] == [
        "beslut/ks-2015-91.yaml: NL-2015-004 makulerad enligt beslut KS 2015/91 § 1",
        "beslut/ks-2015-90.yaml: NL-2014-003 avslutad enligt beslut KS 2015/90 § 2",
        "beslut/ks-2015-88.yaml: NL-2014-002 förlängd enligt beslut KS 2015/88 § 7",
    ]
    ci.helt(arkiv)
    assert _avtalet(arkiv, "NL-2014-002")["period_slut"] == "2016-06-30"
    avslutat = _avtalet(arkiv, "NL-2014-003")
    assert (avslutat["avslutat_datum"], avslutat["avslutat_orsak"]) == (
        "2015-06-30",
        "Motparten upplöst",
    )
    assert avslutat["avslutat_beslut"] == "KS 2015/90 § 2"
    assert avslutat["period_slut"] == "2016-06-30"  # den avtalade
    assert _avtalet(arkiv, "NL-2015-004")["makulerat_beslut"] == "KS 2015/91 § 1"
    for id_, vad, beslut in (
        ("NL-2014-002", "förlängd", "KS 2015/88 § 7"),
        ("NL-2014-003", "avslutad", "KS 2015/90 § 2"),
        ("NL-2015-004", "makulerad", "KS 2015/91 § 1"),
    ):
        efter = _efter(arkiv, id_, vad)
        assert (efter["beslut"], efter["commit"]) == (beslut, head)
    # En andra körning ändrar inget: filerna i forslag/ har kvar sina gamla perioder.
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    assert ci.export(arkiv) != fore

    # export → import → export är lika byte för byte, med de nya tillstånden.
    slut = ci.export(arkiv)
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    (arkiv / "register" / "partnerskap.db").unlink()
    assert kor("register", "import", "register/export", cwd=arkiv).returncode == 0
    assert ci.export(arkiv) == slut
    (arkiv / "register" / "partnerskap.db").unlink()
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    assert ci.export(arkiv) == slut
    ci.helt(arkiv)


@pytest.mark.parametrize(
    ("namn", "text", "vantat"),
    [
        (
            "okant.yaml",
            MAKULERING.replace("avtal: NL-2015-004", "avtal: NL-1999-001"),
            "okant.yaml:6:8: fel [arkiv] beslutet KS 2015/91 § 1 gäller avtalet NL-1999-001, "
            "som inte finns",
        ),
        (
            "org.yaml",
            AGARBYTE.replace("556781-2341", "556912-3465"),
            "org.yaml:6:22: fel [arkiv] organisationen 556912-3465 finns inte i registret; "
            "ett ägarbyte gäller en registrerad organisation",
        ),
        (
            "utanfor.yaml",
            AVSLUT.replace("slut: 2015-06-30", "slut: 2017-01-01"),
            "utanfor.yaml:7:7: fel [arkiv] avtalet NL-2014-003 löper 2014-07-01–2016-06-30",
        ),
        (
            "tidigare.yaml",
            FORLANGNING.replace("slut: 2016-06-30", "slut: 2015-06-30"),
            "tidigare.yaml:7:7: fel [arkiv] avtalet NL-2014-002 slutar 2015-12-31; "
            "en förlängning ska ge",
        ),
        (
            "vem.yaml",
            MAKULERING.replace("beslutat_av: Kommunstyrelsen", "beslutat_av: Någon annan"),
            "vem.yaml:4:14: fel [format] beslutat_av: 'Någon annan' finns inte bland de beslutande",
        ),
    ],
)
def test_ett_beslut_som_inte_kan_foras_in_skriver_inget(
    tmp_path: Path, namn: str, text: str, vantat: str
) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    toml = arkiv / "partner.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            '# beslutande = ["Kommunstyrelsen", "Näringslivsdirektören"]',
            'beslutande = ["Kommunstyrelsen"]',
        ),
        encoding="utf-8",
    )
    assert ci.sync(arkiv)[0] == 0
    fore = ci.export(arkiv)
    _beslut(
        arkiv,
        "ok.yaml",
        FORLANGNING.replace("NL-2014-002", "NL-2014-001").replace("2016-06-30", "2016-12-31"),
    )
    _beslut(arkiv, namn, text)
    kod, ut = ci.sync(arkiv)
    assert kod == 1, ut
    assert f"beslut/{vantat}" in ut
    assert "inget ändrades i registret: 1 problem" in ut
    assert ci.export(arkiv) == fore
    ci.helt(arkiv)


def _ok(reg: Path, *argument: str) -> str:
    p = kor(*argument, env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def _kommunen(reg: Path, ar: int) -> dict[str, int]:
    """Kommunens bidrag per avtal i årets rapport, i öre."""
    ut = json.loads(_ok(reg, "report", "--år", str(ar), "--format", "json"))
    rader = ut["avsnitt"]["partnerskap"]["rader"]
    return {r["id"]: int(Decimal(r["kommunen"]) * 100) for r in rader}


def test_kommandona_avsluta_makulera_forlang_och_andra(tmp_path: Path) -> None:
    reg = tmp_path / "r.db"
    # A avslutas, F förlängs, M makuleras och E ändras; B har en egen organisation.
    filer = {
        id_: skriv_forslag(tmp_path, f"{id_}.yaml", id_=id_, org=orgnr(n))
        for n, id_ in enumerate(("NL-A", "NL-F", "NL-M", "NL-E"), 1)
    }
    assert lagg_till(reg, *filer.values()).returncode == 0
    fore_2015 = _kommunen(reg, 2015)
    assert set(_kommunen(reg, 2016)) == {"NL-A", "NL-F", "NL-M", "NL-E"}

    beslut = ("--beslut", "KS 2015/90 § 2", "--beslutsdatum", "2015-06-15")
    ut = _ok(
        reg, "register", "avsluta", "NL-A", "--slut", "2015-06-30", "--orsak", "Upplöst", *beslut
    )
    assert ut == "NL-A: avslutat 2015-06-30 enligt beslut KS 2015/90 § 2\n"
    helt(reg)
    ut = _ok(reg, "register", "förläng", "NL-F", "--slut", "2017-08-31", *beslut)
    assert ut == "NL-F: förlängt till 2017-08-31 enligt beslut KS 2015/90 § 2\n"
    helt(reg)
    ut = _ok(reg, "register", "makulera", "NL-M", *beslut)
    assert ut == "NL-M: makulerat enligt beslut KS 2015/90 § 2\n"
    helt(reg)
    text = filer["NL-E"].read_text(encoding="utf-8")
    filer["NL-E"].write_text(text.replace("kontant: 400 000 kr", "kontant: 450 000 kr"), "utf-8")
    ut = _ok(reg, "register", "ändra", str(filer["NL-E"]), "--sanktionerad-av", "Karin Ek", *beslut)
    assert "NL-E ändrat enligt beslut KS 2015/90 § 2" in ut
    helt(reg)

    # Historiken: varje händelse med beslutet och dess datum.
    historik = json.loads(_ok(reg, "register", "historik", "--format", "json"))
    for id_, vad in (
        ("NL-A", "avslutad"),
        ("NL-F", "förlängd"),
        ("NL-M", "makulerad"),
        ("NL-E", "ersatt"),
    ):
        (h,) = [h for h in historik if h["avtal_id"] == id_ and h["vad"] == vad]
        efter = json.loads(h["efter"])
        assert (efter["beslut"], efter["beslutsdatum"]) == ("KS 2015/90 § 2", "2015-06-15")

    # show och list visar tillstånden.
    visa = _ok(reg, "register", "show", "NL-A")
    assert "Avslutat:         2015-06-30 enligt beslut KS 2015/90 § 2: Upplöst" in visa
    assert "Makulerat:" in _ok(reg, "register", "show", "NL-M")
    data = json.loads(_ok(reg, "register", "show", "NL-A", "--format", "json"))
    assert (data["avslutat_datum"], data["avslutat_orsak"]) == ("2015-06-30", "Upplöst")
    assert (
        json.loads(_ok(reg, "register", "show", "NL-F", "--format", "json"))["period_slut"]
        == "2017-08-31"
    )
    lista = _ok(reg, "register", "list")
    assert "Status" in lista and "makulerat" in lista and "avslutat 2015-06-30" in lista
    assert "4 avtal, varav 1 makulerade" in lista
    assert "NL-M" not in _ok(reg, "register", "list", "--år", "2015")

    # Rapporten: det makulerade avtalet finns inte, det avslutade slutar 2015-06-30 med sina
    # belopp per dag till och med den dagen.
    efter_2015 = _kommunen(reg, 2015)
    assert "NL-M" not in efter_2015
    assert set(_kommunen(reg, 2016)) == {"NL-F", "NL-E"}
    dagar = (dt.date(2015, 6, 30) - dt.date(2014, 9, 1)).days + 1
    hela = (dt.date(2016, 8, 31) - dt.date(2014, 9, 1)).days + 1
    assert _kommunen(reg, 2014)["NL-A"] + efter_2015["NL-A"] == 40_000_000 * dagar // hela
    assert efter_2015["NL-A"] < fore_2015["NL-A"]
    # Förlängningen sprider beloppet över den längre perioden.
    assert efter_2015["NL-F"] < fore_2015["NL-F"]
    assert "NL-F" in _kommunen(reg, 2017)

    # Ägartabellen, bevakningen och publiceringen räknar inte det makulerade avtalet.
    agare = json.loads(_ok(reg, "register", "ägare", "--format", "json"))
    assert {r["organisationsnummer"]: r["antal_avtal"] for r in agare}[orgnr(3)] == 0
    bevakning = _ok(reg, "bevaka", "--per", "2016-08-01", "--dagar", "60")
    assert "NL-E" in bevakning and "NL-M" not in bevakning
    toml = utgivarkonfig(tmp_path)
    ut = str(tmp_path / "pub")
    _ok(reg, "publicera", "--år", "2015", "-f", "json", "--ut", ut, "--config", str(toml))
    publicerat = (tmp_path / "pub" / "partnerskap-2015.json").read_text(encoding="utf-8")
    assert "NL-A" in publicerat and "NL-M" not in publicerat
    assert '"period_slut": "2015-06-30"' in publicerat

    # Ett makulerat avtal stoppar inte ett nytt förslag för organisationen med en annan ägare.
    ny = skriv_forslag(tmp_path, "ny.yaml", id_="NL-N", org=orgnr(3), agare="Per Berg")
    assert kor("check", str(ny), env=miljo(reg)).returncode == 0
    assert lagg_till(reg, ny).returncode == 0
    helt(reg)

    # export → import → export är lika byte för byte.
    export = _ok(reg, "register", "export")
    kopia = tmp_path / "kopia.db"
    (tmp_path / "export.json").write_text(export, encoding="utf-8")
    assert (
        kor("register", "import", str(tmp_path / "export.json"), env=miljo(kopia)).returncode == 0
    )
    assert _ok(kopia, "register", "export") == export


@pytest.mark.parametrize(
    ("argument", "kod", "text"),
    [
        (("avsluta", "NL-X", "--slut", "2015-06-30", "--orsak", "x"), 1, "finns inte i registret"),
        (
            ("avsluta", "NL-A", "--slut", "2017-06-30", "--orsak", "x"),
            1,
            "från start till före slutet",
        ),
        (("avsluta", "NL-A", "--slut", "2015-06-30", "--orsak", " "), 2, "orsaken"),
        (("förläng", "NL-A", "--slut", "2016-01-01"), 1, "en förlängning ska ge en senare"),
        (("makulera", "NL-X"), 1, "finns inte i registret"),
        (("avsluta", "NL-A", "--slut", "2015-02-30", "--orsak", "x"), 2, "--slut"),
    ],
)
def test_kommandonas_fel_andrar_inget(
    tmp_path: Path, argument: tuple[str, ...], kod: int, text: str
) -> None:
    reg = tmp_path / "r.db"
    assert lagg_till(reg, skriv_forslag(tmp_path, "a.yaml", id_="NL-A")).returncode == 0
    fore = innehall(reg)
    p = kor(
        "register", *argument, "--beslut", "KS 1", "--beslutsdatum", "2015-01-01", env=miljo(reg)
    )
    assert p.returncode == kod, p.stdout + p.stderr
    assert text in p.stderr
    assert innehall(reg) == fore


def test_beslutet_kravs_och_ett_beslut_gors_en_gang(tmp_path: Path) -> None:
    reg = tmp_path / "r.db"
    a = skriv_forslag(tmp_path, "a.yaml", id_="NL-A")
    assert lagg_till(reg, a).returncode == 0
    fore = innehall(reg)
    p = kor("register", "makulera", "NL-A", env=miljo(reg))
    assert p.returncode == 2 and "--beslut" in p.stderr
    p = kor(
        "register",
        "makulera",
        "NL-A",
        "--beslut",
        " ",
        "--beslutsdatum",
        "2015-01-01",
        env=miljo(reg),
    )
    assert p.returncode == 2 and "beslutets referens" in p.stderr
    assert innehall(reg) == fore
    beslut = ("--beslut", "KS 1", "--beslutsdatum", "2015-01-01")
    assert kor("register", "makulera", "NL-A", *beslut, env=miljo(reg)).returncode == 0
    fore = innehall(reg)
    p = kor("register", "makulera", "NL-A", *beslut, env=miljo(reg))
    assert p.returncode == 1 and "redan makulerat" in p.stderr
    p = kor(
        "register",
        "avsluta",
        "NL-A",
        "--slut",
        "2015-06-30",
        "--orsak",
        "x",
        *beslut,
        env=miljo(reg),
    )
    assert p.returncode == 1 and "är makulerat" in p.stderr
    # Ett makulerat avtal ändras inte, och ändra registrerar inga nya avtal.
    a.write_text(a.read_text(encoding="utf-8").replace("400 000 kr", "450 000 kr"), "utf-8")
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-B", org=orgnr(7))
    for fil, text in ((a, "är makulerat"), (b, "finns inte i registret")):
        p = kor("register", "ändra", str(fil), "--sanktionerad-av", "K", *beslut, env=miljo(reg))
        assert p.returncode == 1 and text in p.stderr, p.stdout + p.stderr
    assert innehall(reg) == fore
    helt(reg)
