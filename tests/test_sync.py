"""`partner register sync` i ett riktigt git-arkiv från `partner init`, genom det installerade
skriptet: registret görs likt arkivet, allt eller inget, och en andra körning ändrar inget."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import cijobb as ci
from conftest import kor
from registerhjalp import orgnr

ANDRING = """typ: ändring
referens: KS 2015/77 § 12
datum: 2015-02-10
beslutat_av: Kommunstyrelsen
motivering: Kommunens insats ökas när projektet breddas.
avtal: NL-2014-001
"""
UTVARDERING = """avtal: NL-2014-001
datum: 2015-03-01
typ: delutvärdering
utförd_av: Eva Berg
mål:
  - {mål: 1, utfall: 12}
  - {mål: 2, utfall: 150, kommentar: Hälften av målet.}
"""


def test_sync_registrerar_och_andrar_inget_andra_gangen(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    kod, ut = ci.sync(arkiv)
    assert kod == 0, ut
    assert "forslag/nl-2014-001-logistik.yaml: NL-2014-001 registrerad" in ut.splitlines()
    visa = kor("register", "show", "NL-2014-001", "--format", "json", cwd=arkiv)
    assert json.loads(visa.stdout)["fil"] == "forslag/nl-2014-001-logistik.yaml"
    assert ci.registrerade(arkiv) == {"NL-2014-001", "NL-2014-002", "NL-2014-003", "NL-2015-004"}
    ci.helt(arkiv)
    fore = ci.export(arkiv)

    kod, ut = ci.sync(arkiv)
    assert (kod, ut.strip()) == (0, "Registret stämmer redan med arkivet; inget ändrat")

    # Kommentarer, nycklarnas ordning, beloppens stavning och mellanslag är samma innehåll.
    ci.andra(arkiv, ci.LOGISTIK, "# Påhittat exempel", "# Rättad kommentar: påhittat exempel")
    ci.andra(arkiv, ci.LOGISTIK, "kontant: 400 000 kr", "kontant:    400000 kr   # oförändrat")
    ci.andra(
        arkiv,
        ci.LOGISTIK,
        "typ: projekt\ndiarienummer: KS 14/0412",
        "diarienummer: KS 14/0412\ntyp: projekt",
    )
    kod, ut = ci.sync(arkiv)
    assert (kod, ut.strip()) == (0, "Registret stämmer redan med arkivet; inget ändrat")
    assert ci.export(arkiv) == fore

    # En ny maskin: registret byggs ur exporten och stämmer redan.
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    (arkiv / "register" / "partnerskap.db").unlink()
    kod, ut = ci.sync(arkiv)
    assert (kod, ut.strip()) == (0, "Registret stämmer redan med arkivet; inget ändrat")
    ci.helt(arkiv)
    assert ci.export(arkiv) == fore

    # export → import → export är lika byte för byte.
    (arkiv / "register" / "partnerskap.db").unlink()
    assert kor("register", "import", "register/export", cwd=arkiv).returncode == 0
    assert ci.export(arkiv) == fore


def test_andring_kraver_beslut_och_loggas_med_det(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    assert ci.sync(arkiv)[0] == 0
    fore = ci.export(arkiv)
    ci.andra(arkiv, ci.LOGISTIK, "kontant: 400 000 kr", "kontant: 450 000 kr")
    kod, ut = ci.sync(arkiv)
    assert kod == 1, ut
    assert "nl-2014-001-logistik.yaml:2:5: fel [arkiv] avtalet NL-2014-001 skiljer sig" in ut
    assert "kommunen_kontant" in ut and "ändring" in ut
    assert ci.export(arkiv) == fore
    ci.helt(arkiv)

    (arkiv / "beslut" / "ks-2015-77.yaml").write_text(ANDRING, encoding="utf-8")
    head = ci.commit(arkiv, "Ändrad budget")
    kod, ut = ci.sync(arkiv)
    assert kod == 0, ut
    assert "NL-2014-001 ändrad enligt beslut KS 2015/77 § 12" in ut
    ci.helt(arkiv)
    sista = ci.historik(arkiv, "NL-2014-001")[-1]
    assert sista["vad"] == "ersatt"
    efter = json.loads(str(sista["efter"]))
    assert efter["beslut"] == "KS 2015/77 § 12"
    assert efter["beslutsdatum"] == "2015-02-10"
    assert efter["commit"] == head
    assert efter["kommunen_kontant"] == 45_000_000
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")

    # Beslutet är förbrukat: nästa ändring behöver ett nytt.
    ci.andra(arkiv, ci.LOGISTIK, "kontant: 450 000 kr", "kontant: 500 000 kr")
    kod, ut = ci.sync(arkiv)
    assert kod == 1 and "saknas i beslut/" in ut


def test_varje_problem_rapporteras_och_inget_skrivs(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    assert ci.sync(arkiv)[0] == 0
    fore = ci.export(arkiv)
    ci.andra(arkiv, ci.LOGISTIK, "kontant: 400 000 kr", "kontant: 450 000 kr")
    shutil.copy(ci.UNDERKANT, arkiv / "forslag" / ci.UNDERKANT.name)
    (arkiv / "forslag" / "nl-2016-010.yaml").write_text(
        ci.ny_motpart("NL-2016-010", orgnr(10), "Karlslunds Verkstäder AB"), encoding="utf-8"
    )
    (arkiv / "utvarderingar" / "fel.yaml").write_text(
        UTVARDERING.replace("  - {mål: 2, utfall: 150, kommentar: Hälften av målet.}\n", ""),
        encoding="utf-8",
    )
    kod, ut = ci.sync(arkiv)
    assert kod == 1, ut
    assert "nl-2014-005-matkluster.yaml: förslaget är inte godkänt" in ut
    assert "nl-2014-001-logistik.yaml:2:5: fel [arkiv] avtalet NL-2014-001 skiljer sig" in ut
    assert "utvarderingar/fel.yaml:5:1: fel [utvärdering] Utfall saknas för mål 2" in ut
    assert "inget ändrades i registret: 3 problem" in ut
    assert ci.export(arkiv) == fore
    assert "NL-2016-010" not in ci.registrerade(arkiv)
    ci.helt(arkiv)


def test_utan_register_och_med_problem_skapas_inget_register(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    shutil.copy(ci.UNDERKANT, arkiv / "forslag" / ci.UNDERKANT.name)
    kod, ut = ci.sync(arkiv)
    assert kod == 1, ut
    assert not (arkiv / "register" / "partnerskap.db").exists()


def test_utvarderingen_registreras_en_gang(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    (arkiv / "utvarderingar" / "nl-2014-001-2015.yaml").write_text(UTVARDERING, encoding="utf-8")
    kod, ut = ci.sync(arkiv)
    assert kod == 0, ut
    assert "utvärderingen av NL-2014-001 registrerad" in ut
    ci.helt(arkiv)
    visa = kor("register", "show", "NL-2014-001", "--format", "json", cwd=arkiv)
    assert "Eva Berg" in visa.stdout
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    (handelse,) = [h for h in ci.historik(arkiv, "NL-2014-001") if h["vad"] == "utvärdering"]
    assert (
        json.loads(str(handelse["efter"]))["commit"] == ci.git(arkiv, "rev-parse", "HEAD").strip()
    )

    # En rättad kommentar i filen och en annan ordning är samma utvärdering.
    ci.andra(arkiv, "utvarderingar/nl-2014-001-2015.yaml", "avtal: NL-2014-001\n", "")
    ci.andra(
        arkiv,
        "utvarderingar/nl-2014-001-2015.yaml",
        "datum:",
        "# Rättad.\navtal: NL-2014-001\ndatum:",
    )
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    # Ett annat utfall i samma fil ändrar inte den registrerade utvärderingen: en rättelse är
    # en ny fil, och inget skrivs.
    fore = ci.export(arkiv)
    ci.andra(arkiv, "utvarderingar/nl-2014-001-2015.yaml", "utfall: 12}", "utfall: 13}")
    kod, ut = ci.sync(arkiv)
    assert kod == 1, ut
    assert (
        "utvarderingar/nl-2014-001-2015.yaml:3:8: fel [utvärdering] "
        "utvarderingar/nl-2014-001-2015.yaml är registrerad som utvärderingen av NL-2014-001 "
        "2015-03-01 och har fått ett annat innehåll"
    ) in ut
    assert "`ersätter: nl-2014-001-2015.yaml`" in ut
    assert ci.export(arkiv) == fore


def _visa(arkiv: Path) -> str:
    p = kor("register", "show", "NL-2014-001", cwd=arkiv)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_en_utvardering_rattas_och_makuleras_med_nya_filer(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    utv = arkiv / "utvarderingar"
    (utv / "a.yaml").write_text(UTVARDERING, encoding="utf-8")
    ci.commit(arkiv, "Utvärdering")
    assert ci.sync(arkiv)[0] == 0
    # Rättelsen, med ett tidigare datum och ett annat utfall, i en ny fil bredvid den gamla.
    rattelse = UTVARDERING.replace("2015-03-01", "2015-02-20").replace("utfall: 12}", "utfall: 14}")
    (utv / "b.yaml").write_text(rattelse + "ersätter: a.yaml\n", encoding="utf-8")
    rattelse_commit = ci.commit(arkiv, "Rättelse")
    kod, ut = ci.sync(arkiv)
    assert kod == 0, ut
    assert "utvarderingar/b.yaml: utvärderingen av NL-2014-001 registrerad som rättelse" in ut
    ci.helt(arkiv)
    assert ci.sync(arkiv) == (0, "Registret stämmer redan med arkivet; inget ändrat\n")
    visa = _visa(arkiv)
    # Målet 20 mot rättelsens 14, inte den ersattas 12.
    assert "70,0 %" in visa and "60,0 %" not in visa
    assert "nej, ersatt av utvarderingar/b.yaml" in visa
    ersatt = [h for h in ci.historik(arkiv, "NL-2014-001") if h["vad"] == "utvärdering ersatt"]
    (h,) = ersatt
    fore, efter = json.loads(str(h["fore"])), json.loads(str(h["efter"]))
    assert (fore["ersatt_av"], fore["fil"]) == (None, "utvarderingar/a.yaml")
    assert efter["commit"] == rattelse_commit and efter["ersatt_av"] == fore["id"] + 1
    rapport = kor("report", "--år", "2015", "--format", "json", cwd=arkiv)
    assert rapport.returncode == 0, rapport.stderr
    malutfall = [
        (m["utvardering_datum"], m["utfall"])
        for m in json.loads(rapport.stdout)["avsnitt"]["malutfall"]["rader"]
        if m["avtal_id"] == "NL-2014-001"
    ]
    assert malutfall == [("2015-02-20", "14"), ("2015-02-20", "150")]

    # Makuleringen av rättelsen: ingen utvärdering av avtalet räknas längre.
    (utv / "c.yaml").write_text(
        "avtal: NL-2014-001\nmakulerar: b.yaml\ndatum: 2015-04-01\n"
        "motivering: Mätningen gällde ett annat projekt.\n",
        encoding="utf-8",
    )
    ci.commit(arkiv, "Makulering")
    kod, ut = ci.sync(arkiv)
    assert kod == 0 and "utvarderingar/c.yaml: utvärderingen av NL-2014-001 makulerad" in ut
    ci.helt(arkiv)
    assert ci.sync(arkiv)[0] == 0
    visa = _visa(arkiv)
    assert "nej, makulerad 2015-04-01 av utvarderingar/c.yaml: Mätningen gällde" in visa
    assert "70,0 %" not in visa and "60,0 %" not in visa
    rapport = kor("report", "--år", "2015", "--format", "json", cwd=arkiv)
    assert not [
        m
        for m in json.loads(rapport.stdout)["avsnitt"]["malutfall"]["rader"]
        if m["avtal_id"] == "NL-2014-001"
    ]

    # Registret går runt genom exporten, och kontrollen ser en förfalskad utvärdering.
    export = ci.export(arkiv)
    kopia = tmp_path / "kopia.db"
    (tmp_path / "export.json").write_text(export, encoding="utf-8")
    p = kor(
        "register", "import", str(tmp_path / "export.json"), env={"PARTNER_REGISTER": str(kopia)}
    )
    assert p.returncode == 0, p.stderr
    assert kor("register", "export", env={"PARTNER_REGISTER": str(kopia)}).stdout == export
    db = sqlite3.connect(kopia)
    with db:
        try:
            db.execute("UPDATE genomford_utvardering SET makulerad_av = NULL WHERE id = 2")
        except sqlite3.IntegrityError as e:
            assert "ändras inte" in str(e)
        else:
            raise AssertionError("en upphävd utvärdering gick att ändra")
        db.execute("DROP TRIGGER genomford_utvardering_upphavs_en_gang")
        db.execute(
            "UPDATE genomford_utvardering SET makulerad_av = NULL, makulerad_datum = NULL, "
            "makulerad_motivering = NULL WHERE id = 2"
        )
    db.close()
    p = kor("register", "kontroll", env={"PARTNER_REGISTER": str(kopia)})
    assert p.returncode == 1
    assert (
        "utvärderingen 2 av avtalet NL-2014-001 stämmer inte med sin senaste händelse" in p.stdout
    )


def test_arkivet_som_inte_finns_ar_ett_anvandningsfel(tmp_path: Path) -> None:
    p = kor("register", "sync", str(tmp_path / "saknas"), *ci.SANKTIONERAD, cwd=tmp_path)
    assert p.returncode == 2
    assert "förslagsarkivet finns inte" in p.stderr
