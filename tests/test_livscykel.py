"""Ett avtal från beslut till slut genom registrets kommandon: byte av avtalsägare,
förlängning, avslut i förtid och makulering, var och en med beslutets referens och
registrets kontroll hel efter varje steg."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import test_ci_arkiv as ci
import test_sync as tsync
from conftest import ROT, kor
from partner_cli.register.migreringar import SCHEMAVERSION
from registerhjalp import ORGNR, innehall, lagg_till, miljo, skriv_forslag


def helt(reg: Path) -> None:
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr


def test_oforandrad_fil_efter_byt_agare_ar_en_noop(tmp_path: Path) -> None:
    reg = tmp_path / "r.db"
    a = skriv_forslag(tmp_path, "a.yaml", id_="NL-1")
    assert lagg_till(reg, a).returncode == 0
    p = kor("register", "byt-ägare", ORGNR, "--namn", "Per Berg", env=miljo(reg))
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
    (h,) = [h for h in tsync.historik(arkiv, nyckel) if h["vad"] == vad]
    efter: dict[str, object] = json.loads(str(h["efter"]))
    return efter


def _avtalet(arkiv: Path, id_: str) -> dict[str, object]:
    """Avtalets rad som exporten har den."""
    data = json.loads(tsync.export(arkiv))["tabeller"]["avtal"]
    rad = next(r for r in data["rader"] if r[0] == id_)
    return dict(zip(data["kolumner"], rad, strict=True))


def test_sync_for_in_varje_slag_av_beslut_en_gang(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    assert tsync.sync(arkiv)[0] == 0

    # Ägarbyte: organisationens ägare byts, och dess registrerade fil är oförändrad.
    _beslut(arkiv, "ks-2015-20.yaml", AGARBYTE)
    head = tsync.commit(arkiv, "Ny avtalsägare")
    kod, ut = tsync.sync(arkiv)
    assert kod == 0, ut
    assert "556781-2341 har avtalsägaren Per Berg enligt beslut KS 2015/20 § 3" in ut
    efter = _efter(arkiv, "556781-2341", "byt ägare")
    assert (efter["avtalsagare_namn"], efter["avtalsagare_enhet"]) == ("Per Berg", "Kultur")
    assert (efter["beslut"], efter["beslutsdatum"], efter["commit"]) == (
        "KS 2015/20 § 3",
        "2015-01-20",
        head,
    )
    tsync.helt(arkiv)
    assert tsync.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    p = kor("check", "forslag", cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr
    # Ett nytt förslag som anger den gamla ägaren underkänns, i granskningen och i sync.
    ny = arkiv / "forslag" / "nl-2016-009.yaml"
    ny.write_text(
        (arkiv / tsync.LOGISTIK).read_text(encoding="utf-8").replace("NL-2014-001", "NL-2016-009"),
        encoding="utf-8",
    )
    p = kor("check", str(ny), cwd=arkiv)
    assert p.returncode == 1 and "har redan avtalsägaren Per Berg" in p.stdout
    kod, ut = tsync.sync(arkiv)
    assert kod == 1 and "har redan avtalsägaren Per Berg" in ut
    ny.unlink()

    # Förlängning, avslut och makulering, var och en en version med beslutet.
    fore = tsync.export(arkiv)
    _beslut(arkiv, "ks-2015-88.yaml", FORLANGNING)
    _beslut(arkiv, "ks-2015-90.yaml", AVSLUT)
    _beslut(arkiv, "ks-2015-91.yaml", MAKULERING)
    head = tsync.commit(arkiv, "Beslut om avtalen")
    kod, ut = tsync.sync(arkiv)
    assert kod == 0, ut
    assert ut.splitlines()[:3] == [
        "beslut/ks-2015-91.yaml: NL-2015-004 makulerad enligt beslut KS 2015/91 § 1",
        "beslut/ks-2015-90.yaml: NL-2014-003 avslutad enligt beslut KS 2015/90 § 2",
        "beslut/ks-2015-88.yaml: NL-2014-002 förlängd enligt beslut KS 2015/88 § 7",
    ]
    tsync.helt(arkiv)
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
    assert tsync.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    assert tsync.export(arkiv) != fore

    # export → import → export är lika byte för byte, med de nya tillstånden.
    slut = tsync.export(arkiv)
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    (arkiv / "register" / "partnerskap.db").unlink()
    assert kor("register", "import", "register/export", cwd=arkiv).returncode == 0
    assert tsync.export(arkiv) == slut
    (arkiv / "register" / "partnerskap.db").unlink()
    assert tsync.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    assert tsync.export(arkiv) == slut
    tsync.helt(arkiv)


@pytest.mark.parametrize(
    ("namn", "text", "vantat"),
    [
        (
            "okant.yaml",
            MAKULERING.replace("avtal: NL-2015-004", "avtal: NL-1999-001"),
            "okant.yaml:6:8: beslutet KS 2015/91 § 1 gäller avtalet NL-1999-001, som inte finns",
        ),
        (
            "org.yaml",
            AGARBYTE.replace("556781-2341", "556912-3465"),
            "org.yaml:6:22: organisationen 556912-3465 finns inte i registret",
        ),
        (
            "utanfor.yaml",
            AVSLUT.replace("slut: 2015-06-30", "slut: 2017-01-01"),
            "utanfor.yaml:7:7: avtalet NL-2014-003 löper 2014-07-01–2016-06-30",
        ),
        (
            "tidigare.yaml",
            FORLANGNING.replace("slut: 2016-06-30", "slut: 2015-06-30"),
            "tidigare.yaml:7:7: avtalet NL-2014-002 slutar 2015-12-31; en förlängning ska ge",
        ),
        (
            "vem.yaml",
            MAKULERING.replace("beslutat_av: Kommunstyrelsen", "beslutat_av: Någon annan"),
            "vem.yaml:4:14: beslutat_av: 'Någon annan' finns inte bland de beslutande",
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
    assert tsync.sync(arkiv)[0] == 0
    fore = tsync.export(arkiv)
    _beslut(
        arkiv,
        "ok.yaml",
        FORLANGNING.replace("NL-2014-002", "NL-2014-001").replace("2016-06-30", "2016-12-31"),
    )
    _beslut(arkiv, namn, text)
    kod, ut = tsync.sync(arkiv)
    assert kod == 1, ut
    assert f"beslut/{vantat}" in ut
    assert "inget ändrades i registret: 1 problem" in ut
    assert tsync.export(arkiv) == fore
    tsync.helt(arkiv)
