"""Strategins avsikt genom det installerade `partner`: där README:s läsning av strategin görs
synlig för den som skriver förslag (organisationsnummer, slututvärdering, tomma värden …)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import andrad_mall, kor, mallrad


def test_organisationsnummer_som_motsager_kategorin_ger_varning(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(andrad_mall(("556781-2341", "802467-8917")), "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    rad = mallrad("  kategori: företag")
    assert f"f.yaml:{rad}:13: varning [organisationsnummer] Kategorin företag stämmer inte" in (
        p.stdout
    )
    assert kor("check", "--strikt", "f.yaml", cwd=tmp_path).returncode == 1


def test_personnummer_godtas_men_sags_vara_en_personuppgift(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(andrad_mall(("556781-2341", "640823-3234")), "utf-8")
    p = kor("check", "f.yaml", "--format", "json", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    assert '"regel": "organisationsnummer", "nivå": "varning"' in p.stdout
    assert "personuppgift" in p.stdout
    (tmp_path / "f.yaml").write_text(andrad_mall(("556781-2341", "551301-2343")), "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 1
    assert "tredje siffran är alltid minst 2" in p.stdout


def test_regler_visar_de_nya_reglerna_med_exempel(tmp_path: Path) -> None:
    p = kor("regler", "organisationsnummer", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "gruppsiffra" in p.stdout and "802467-8917" in p.stdout
    p = kor("regler", "utvärdering", cwd=tmp_path)
    assert "slututvärdering_dagar_före_slut" in p.stdout


KOMMUN = '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n'
UNDERLAG = "      underlag: Avsiktsförklaring undertecknad 2014-05-12\n"
KOMMUNEN_SJALV = (
    "    - namn: Örebro kommun, Tekniska förvaltningen\n      organisationsnummer: 212000-1967\n"
    "      kategori: offentlig\n      kontant: 1 mnkr\n      garanterad: ja\n"
    "      underlag: Nämndens beslut\n"
)


def test_kommunen_sjalv_som_medfinansiar_genom_skriptet(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(andrad_mall((UNDERLAG, UNDERLAG + KOMMUNEN_SJALV)), "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    assert "saknar [kommun]" in p.stdout
    assert "näringslivet 35,7 %, andra offentliga 45,8 %, kommunen 18,3 %" in p.stdout
    (tmp_path / "partner.toml").write_text(KOMMUN, "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 1, p.stdout
    assert "räknas som kommunens, inte som medfinansiering från annan part" in p.stdout
    assert "näringslivet 35,7 %, andra offentliga 0,0 %, kommunen 64,2 %" in p.stdout
    p = kor("check", "f.yaml", "--format", "json", cwd=tmp_path)
    fil = json.loads(p.stdout)["filer"][0]
    assert fil["medfinansiering"]["garanterad"] == "780000.00"
    assert fil["fördelning"]["kommunen"] == {"belopp": "1400000.00", "andel": "0.6422"}
    assert fil["fördelning"]["andra_offentliga"] == {"belopp": "0.00", "andel": "0.0000"}
    assert fil["fördelning"]["näringslivets_andel_av_medfinansieringen"] == "1.0000"


def test_jambordighet_genom_skriptet_och_i_partner_init(tmp_path: Path) -> None:
    region = KOMMUNEN_SJALV.replace("Örebro kommun, Tekniska förvaltningen", "Region Örebro län")
    region = region.replace("212000-1967", "232100-0164")
    (tmp_path / "f.yaml").write_text(andrad_mall((UNDERLAG, UNDERLAG + region)), "utf-8")
    (tmp_path / "partner.toml").write_text(KOMMUN, "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    assert "varning [jämbördighet] Näringslivet garanterar 43,8 % av medfinansieringen" in p.stdout
    (tmp_path / "partner.toml").write_text(KOMMUN + '[regler."jämbördighet"]\nniva = "fel"\n')
    assert kor("check", "f.yaml", cwd=tmp_path).returncode == 1
    ny = tmp_path / "ny"
    assert kor("init", str(ny), cwd=tmp_path).returncode == 0
    text = (ny / "partner.toml").read_text(encoding="utf-8")
    assert '# [kommun]\n# namn = "Örebro kommun"' in text
    assert '[regler."jämbördighet"]\n"nivå" = "varning"\n"min_näringslivsandel" = 0.5' in text


def test_omsattning_noll_med_offentliga_medel_ar_aldrig_tyst(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(
        andrad_mall(
            ("omsättning: 2 400 000 kr", "omsättning: 0"),
            ("offentlig_finansiering: 240 000 kr", "offentlig_finansiering: 500 000 kr"),
        ),
        "utf-8",
    )
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    rad = mallrad("  omsättning:")
    assert (
        f"f.yaml:{rad}:15: varning [ekonomi] Motparten har ingen omsättning men 500 000 kr i "
        "offentliga medel: organisationen är helt beroende"
    ) in p.stdout


def test_bara_personal_raknas_genom_skriptet(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(
        andrad_mall(("    kontant: 400 000 kr", "    kontant: 540 000,01 kr")), "utf-8"
    )
    assert kor("check", "f.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "partner.toml").write_text(
        '[regler.medfinansiering]\n"in_kind_som_räknas" = ["personal"]\n', "utf-8"
    )
    p = kor("check", "f.yaml", "--format", "json", cwd=tmp_path)
    assert p.returncode == 1
    fil = json.loads(p.stdout)["filer"][0]
    assert fil["medfinansiering"]["garanterad"] == "660000.00"
    assert fil["fördelning"]["in_kind_som_inte_räknas"]["belopp"] == "120000.00"
    assert fil["fördelning"]["in_kind_ej_personal"] == "0.00"


OMRADEN = KOMMUN + '"utvecklingsområden" = ["Logistik", "Besöksnäring", "Hållbar tillväxt"]\n'
MED_OMRADEN = "\nutvecklingsområden: [Logistik, Hållbar tillväxt]\n"


def test_utvecklingsomraden_ur_partner_toml(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text(OMRADEN, "utf-8")
    (tmp_path / "f.yaml").write_text(andrad_mall() + MED_OMRADEN, "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    (tmp_path / "f.yaml").write_text(
        andrad_mall() + "\nutvecklingsområden: [Logistik, Besoksnaring]\n", "utf-8"
    )
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 1
    rad = len(andrad_mall().splitlines()) + 2
    assert (
        f"f.yaml:{rad}:32: fel [format] Okänt utvecklingsområde 'Besoksnaring' (menade du "
        "'Besöksnäring'?); kända är Logistik, Besöksnäring, Hållbar tillväxt"
    ) in p.stdout


def test_utvecklingsomraden_utan_lista_i_partner_toml(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(andrad_mall() + MED_OMRADEN, "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 1
    assert "'Logistik': partner.toml listar inga utvecklingsområden" in p.stdout
    (tmp_path / "f.yaml").write_text(andrad_mall() + "\nutvecklingsområden: Logistik\n", "utf-8")
    (tmp_path / "partner.toml").write_text(OMRADEN, "utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert "'utvecklingsområden' ska vara en lista med namn" in p.stdout
    (tmp_path / "partner.toml").write_text(KOMMUN + '"utvecklingsområden" = ["A", "A"]\n')
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "kommun.utvecklingsområden: ska vara en lista med olika namn" in p.stderr
