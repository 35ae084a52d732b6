"""Ett register som går att lita på: `kontroll` ser ett schema som ändrats förbi
migreringarna, och `restore` tar inte emot ett sådant register."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROT, kor
from partner_cli import register
from partner_cli.register.migreringar import SCHEMAVERSION
from registerhjalp import (
    BYT_AGARE,
    ORGNR,
    bygg,
    innehall,
    lagg_till,
    miljo,
    orgnr,
    skriv_forslag,
    sql,
    utvardera,
)


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return tmp_path / "register" / "partnerskap.db"


def _nytt(tmp_path: Path, reg: Path) -> None:
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))


def _kor_sql(register: Path, *satser: str) -> None:
    conn = sqlite3.connect(register, isolation_level=None)
    try:
        for sats in satser:
            conn.execute(sats)
    finally:
        conn.close()


FORFALSKNING = (
    "CREATE TRIGGER sanktion AFTER INSERT ON avtal BEGIN "
    "UPDATE avtal SET sanktionerad_av = 'Falsk Sanktion' WHERE id = new.id; END"
)


@pytest.mark.parametrize(
    ("satser", "vantat"),
    [
        ((FORFALSKNING,), "triggern sanktion (på avtal) hör inte till registrets schema"),
        (
            ("CREATE TRIGGER m AFTER INSERT ON _sqlite_migrations BEGIN SELECT 1; END",),
            "triggern m (på _sqlite_migrations) hör inte till",
        ),
        (("CREATE INDEX extra ON mal (indikator)",), "indexet extra (på mal) hör inte till"),
        (("CREATE VIEW v AS SELECT 1",), "vyn v (på v) hör inte till"),
        (("CREATE TABLE t (x)",), "tabellen t (på t) hör inte till"),
        (("DROP INDEX avtal_organisation",), "indexet avtal_organisation saknas"),
        (
            (
                "DROP TRIGGER handelse_ingen_borttagning",
                "CREATE TRIGGER handelse_ingen_borttagning BEFORE DELETE ON handelse "
                "WHEN 0 BEGIN SELECT RAISE(ABORT, 'nej'); END",
            ),
            "triggern handelse_ingen_borttagning skiljer sig från det migreringarna skapar",
        ),
        (
            ("ALTER TABLE organisation ADD COLUMN x TEXT",),
            "tabellen organisation skiljer sig",
        ),
    ],
)
def test_kontroll_jamfor_hela_schemat(
    tmp_path: Path, reg: Path, satser: tuple[str, ...], vantat: str
) -> None:
    _nytt(tmp_path, reg)
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
    _kor_sql(reg, *satser)
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1, p.stdout
    assert vantat in p.stdout
    assert "inte helt (1 problem)" in p.stderr


def test_kontroll_tal_sqlites_statistik_och_visar_namn_sakert(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    _kor_sql(reg, "ANALYZE")
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
    _kor_sql(reg, 'CREATE VIEW "::warning::x\x1b[2J" AS SELECT 1')
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1
    assert "\x1b" not in p.stdout and "\n::" not in p.stdout


def test_en_sakerhetskopia_med_extra_trigger_aterstalls_inte(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    kopia = tmp_path / "kopia.db"
    assert kor("register", "backup", str(kopia), env=miljo(reg)).returncode == 0
    _kor_sql(kopia, FORFALSKNING)
    ny = tmp_path / "ny.db"
    lagg_till(ny, skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2)))
    fore = innehall(ny)
    p = kor("register", "restore", str(kopia), "--ersätt", env=miljo(ny))
    assert p.returncode == 1, p.stderr
    assert "triggern sanktion" in p.stderr and "inte hel" in p.stderr
    assert innehall(ny) == fore
    assert sql(ny, "SELECT name FROM sqlite_master WHERE name = 'sanktion'") == []


# --- Händelseloggens kedja och registret förklarat av loggen -----------------------------------

TRIGGRAR_AV = (
    "DROP TRIGGER handelse_ingen_andring",
    "DROP TRIGGER handelse_ingen_borttagning",
)


def _triggrar_pa(register: Path) -> tuple[str, ...]:
    """Loggens triggrar som migreringarna skrev dem, för att lägga tillbaka dem efter ett
    ingrepp: schemat ser då oförändrat ut."""
    return tuple(
        r[0]
        for r in sql(
            register,
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'handelse'",
        )
    )


def _tre_handelser(tmp_path: Path, reg: Path) -> None:
    """Organisationen, avtalet och ett byte av ägare: händelse 1, 2 och 3."""
    _nytt(tmp_path, reg)
    p = kor("register", "byt-ägare", ORGNR, "--namn", "Per Berg", *BYT_AGARE, env=miljo(reg))
    assert p.returncode == 0, p.stderr
    assert kor("register", "kontroll", env=miljo(reg)).returncode == 0


@pytest.mark.parametrize(
    ("ingrepp", "vantat"),
    [
        (("DELETE FROM handelse WHERE id = 2",), "händelse 3 följer inte på händelsen före"),
        (
            ("DELETE FROM handelse WHERE id = 3",),
            "organisationen 556781-2341 har avtalsägaren 'Per Berg', men händelseloggen säger "
            "'Anna Lind'",
        ),
        (("DELETE FROM handelse",), "organisationen 556781-2341 har ingen händelse"),
        (
            ("UPDATE handelse SET vem = 'Någon annan' WHERE id = 3",),
            "händelse 3 har ändrats efter att den skrevs",
        ),
        (("UPDATE handelse SET id = 9 WHERE id = 2",), "händelse 3 följer inte"),
    ],
)
def test_kontroll_ser_en_historik_andrad_bakom_triggrarna(
    tmp_path: Path, reg: Path, ingrepp: tuple[str, ...], vantat: str
) -> None:
    _tre_handelser(tmp_path, reg)
    triggrar = _triggrar_pa(reg)
    _kor_sql(reg, *TRIGGRAR_AV, *ingrepp, *triggrar)
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1, p.stdout
    assert vantat in p.stdout


@pytest.mark.parametrize(
    ("ingrepp", "vantat"),
    [
        (
            "UPDATE avtal SET sanktionerad_av = 'Falsk Sanktion'",
            "avtalet NL-1 stämmer inte med sin senaste händelse (sanktionerad_av)",
        ),
        (
            "UPDATE organisation SET avtalsagare_namn = 'Ola Smyg'",
            "organisationen 556781-2341 har avtalsägaren 'Ola Smyg', men händelseloggen säger "
            "'Per Berg'",
        ),
        (
            "UPDATE organisation SET avtalsagare_enhet = 'Annan enhet'",
            "organisationen 556781-2341 stämmer inte med sin senaste händelse",
        ),
        ("UPDATE mal SET malvarde = '99'", "avtalet NL-1 stämmer inte med sin senaste händelse"),
        (
            "INSERT INTO handelse (tid, vem, vad, avtal_id, sha256) "
            "VALUES ('t', 'v', 'registrerad', 'NL-9', '" + "0" * 64 + "')",
            "händelse 4 följer inte",
        ),
    ],
)
def test_kontroll_ser_ett_register_som_loggen_inte_forklarar(
    tmp_path: Path, reg: Path, ingrepp: str, vantat: str
) -> None:
    _tre_handelser(tmp_path, reg)
    _kor_sql(reg, ingrepp)
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1, p.stdout
    assert vantat in p.stdout


def test_ett_andrat_schema_tar_inte_emot_skrivningar(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    _kor_sql(reg, FORFALSKNING)
    fore = innehall(reg)
    p = lagg_till(reg, skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2)))
    assert p.returncode == 1
    assert "schema som ändrats förbi partner" in p.stderr and "triggern sanktion" in p.stderr
    assert innehall(reg) == fore


def test_en_forfalskning_som_tagits_bort_syns_i_avtalet(tmp_path: Path, reg: Path) -> None:
    """En trigger som förfalskade ett avtal och sedan tagits bort lämnar ett avtal som loggen
    inte förklarar."""
    _nytt(tmp_path, reg)
    lagg_till(reg, skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2)))
    _kor_sql(reg, FORFALSKNING.replace("AFTER INSERT ON avtal", "AFTER UPDATE OF titel ON avtal"))
    _kor_sql(reg, "UPDATE avtal SET titel = titel WHERE id = 'NL-2'", "DROP TRIGGER sanktion")
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 1
    assert "avtalet NL-2 stämmer inte med sin senaste händelse (sanktionerad_av)" in p.stdout


def test_kedjan_i_en_export_provas_vid_import(tmp_path: Path, reg: Path) -> None:
    _tre_handelser(tmp_path, reg)
    ut = tmp_path / "ut"
    assert kor("register", "export", "--ut", str(ut), env=miljo(reg)).returncode == 0
    fil = ut / "register.json"
    text = fil.read_text(encoding="utf-8")
    assert '"Per Berg"' in text
    # Händelse 3 (bytet av ägare) tas bort ur exporten.
    data = json.loads(text)
    data["tabeller"]["handelse"]["rader"].pop()
    fil.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ny = tmp_path / "ny.db"
    p = kor("register", "import", str(fil), env=miljo(ny))
    assert p.returncode == 1, p.stdout + p.stderr
    assert "händelseloggen säger 'Anna Lind'" in p.stderr


# --- restore -----------------------------------------------------------------------------------


def _sista_handelse(register: Path) -> tuple[str, str]:
    vad, efter = sql(register, "SELECT vad, efter FROM underhall ORDER BY id DESC LIMIT 1")[0]
    return vad, json.loads(efter)["fran"]


def test_restore_av_en_kopia_med_annan_sidstorlek_och_journal(tmp_path: Path, reg: Path) -> None:
    _tre_handelser(tmp_path, reg)
    kopia = tmp_path / "kopia.db"
    assert kor("register", "backup", str(kopia), env=miljo(reg)).returncode == 0
    _kor_sql(kopia, "PRAGMA journal_mode = DELETE", "PRAGMA page_size = 16384", "VACUUM")
    assert sql(kopia, "PRAGMA page_size") == [(16384,)]
    assert kor("register", "kontroll", env=miljo(kopia)).returncode == 0
    ny = tmp_path / "ny.db"
    lagg_till(ny, skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2)))
    p = kor("register", "restore", str(kopia), "--ersätt", env=miljo(ny))
    assert p.returncode == 0, p.stderr
    assert "skrivskyddat" not in p.stderr
    assert innehall(ny, bara_avtalen=True) == innehall(kopia, bara_avtalen=True)
    assert sql(ny, "PRAGMA journal_mode") == [("wal",)]
    assert _sista_handelse(ny) == ("återställd", str(kopia))
    assert kor("register", "kontroll", env=miljo(ny)).returncode == 0


@pytest.mark.langsam
def test_restore_och_add_samtidigt_tappar_aldrig_en_skrivning(tmp_path: Path) -> None:
    """Prövningen att registret är tomt och ersättningen sker under samma skrivlås: ett avtal
    som `add` registrerar samtidigt finns alltid kvar efteråt, eller så vägrar restore."""
    kalla = tmp_path / "kalla.db"
    bygg(kalla, skriv_forslag(tmp_path, "a.yaml"))
    kopia = tmp_path / "kopia.db"
    assert kor("register", "backup", str(kopia), env=miljo(kalla)).returncode == 0
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2))
    partner = str(Path(sys.executable).parent / "partner")
    for varv in range(3):
        mal = tmp_path / f"mal{varv}.db"
        register.skriv(mal).stang()  # ett tomt register
        las = sqlite3.connect(mal, isolation_level=None)
        las.execute("BEGIN IMMEDIATE")  # båda får vänta på samma lås
        env = {**os.environ, **miljo(mal)}
        processer = [
            subprocess.Popen([partner, "register", "restore", str(kopia)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            subprocess.Popen([partner, "register", "add", str(b), "--sanktionerad-av", "K"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True),
        ]  # fmt: skip
        time.sleep(1.0)
        las.execute("COMMIT")
        las.close()
        (_, r_fel), (_, a_fel) = (p.communicate(timeout=120) for p in processer)
        restore, add = (p.returncode for p in processer)
        assert add == 0, a_fel
        assert restore in (0, 2), r_fel
        avtal = {r[0] for r in sql(mal, "SELECT id FROM avtal")}
        assert "NL-2" in avtal  # aldrig tappat
        if restore == 0:
            assert "NL-1" in avtal
        else:
            assert "har innehåll" in r_fel
        assert kor("register", "kontroll", env=miljo(mal)).returncode == 0


# --- import: varje värde mot förslagsformatets typer och gränser -------------------------------

EXPORT = ROT / "tests" / "exporter" / f"v{SCHEMAVERSION}" / "register.json"


def _andrad_export(tmp_path: Path, tabell: str, kolumn: str, varde: object) -> Path:
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    post = data["tabeller"][tabell]
    post["rader"][0][post["kolumner"].index(kolumn)] = varde
    fil = tmp_path / "export.json"
    fil.write_text(json.dumps(data), encoding="utf-8")  # ASCII: \ud800 står kvar som flykt
    return fil


@pytest.mark.parametrize(
    ("tabell", "kolumn", "varde", "vantat"),
    [
        ("mal", "malvarde", 42, "ska vara text"),
        ("avtal", "kommunen_kontant", "400000", "ska vara ett heltal"),
        ("avtal", "upphandling", True, "ska vara ett heltal"),
        ("avtal", "kommunen_kontant", 10**30, "större än ett heltal i registret"),
        ("avtal", "ekonomi_omsattning", 10**15 * 100, "orimligt stort"),
        ("genomford_utvardering_mal", "maluppfyllelse", "1e999999999", "fyra decimaler"),
        ("avtal", "titel", "Titel \ud800", "ensam surrogat"),
        ("avtal", "titel", "Titel\x00", "innehåller NUL"),
        ("avtal", "period_start", "0000-01-01", "inget giltigt datum"),
        ("avtal", "period_slut", "2016-2-29", "inget datum"),
        ("handelse", "tid", "igår", "ska vara en tid"),
        ("organisation", "organisationsnummer", "556781-2342", "kontrollsiffra"),
        ("handelse", "efter", "{a: 1}", "ska vara ett JSON-objekt"),
        ("handelse", "sha256", "Z" * 64, "SHA-256"),
        ("mal", "beskrivning", "x" * (1 << 21), "för lång"),
    ],
)
def test_import_provar_varje_varde_innan_nagot_skrivs(
    tmp_path: Path, tabell: str, kolumn: str, varde: object, vantat: str
) -> None:
    ny = tmp_path / "ny.db"
    p = kor("register", "import", str(_andrad_export(tmp_path, tabell, kolumn, varde)),
            env=miljo(ny))  # fmt: skip
    assert p.returncode == 2, p.stdout + p.stderr
    assert f"i {tabell}: {kolumn} = " in p.stderr and vantat in p.stderr
    assert "inget importerades" in p.stderr
    assert not ny.exists()


@pytest.mark.parametrize(
    ("ersatt", "vantat"),
    [
        ("1e999999999", "ska vara ett heltal"),  # ett flyttal (oändligt) i JSON
        ("9" * 5000, "för stor för en export"),
    ],
)
def test_import_av_tal_som_json_inte_kan_halla(tmp_path: Path, ersatt: str, vantat: str) -> None:
    fil = _andrad_export(tmp_path, "avtal", "total", "TOTALEN")
    fil.write_text(fil.read_text(encoding="utf-8").replace('"TOTALEN"', ersatt), encoding="utf-8")
    ny = tmp_path / "ny.db"
    p = kor("register", "import", str(fil), env=miljo(ny))
    assert p.returncode == 2, p.stdout + p.stderr
    assert vantat in p.stderr
    assert not ny.exists()


def _export_med_rader(
    tmp_path: Path, andra: Callable[[list[str], list[list[object]]], None]
) -> Path:
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    post = data["tabeller"]["avtal"]
    andra(post["kolumner"], post["rader"])
    fil = tmp_path / "export.json"
    fil.write_text(json.dumps(data), encoding="utf-8")
    return fil


def _satt(kolumn: str, varde: object) -> Callable[[list[str], list[list[object]]], None]:
    def andra(kolumner: list[str], rader: list[list[object]]) -> None:
        rader[-1][kolumner.index(kolumn)] = varde

    return andra


@pytest.mark.parametrize(
    ("andring", "vantat"),
    [
        (lambda k, r: r.append(list(r[0])), "avtal.id finns redan"),
        (_satt("avslutat_datum", "2099-01-01"), "villkoret date(avslutat_datum)"),
        (_satt("avslutat_orsak", "Konkurs"), "villkoret trim(avslutat_beslut) <> ''"),
        (_satt("makulerat_beslut", " "), "villkoret trim(makulerat_beslut)"),
    ],
    ids=["två avtal med samma id", "avslut efter slutet", "orsak utan beslut", "tom makulering"],
)
def test_import_av_en_rad_som_schemat_vagrar(
    tmp_path: Path, andring: Callable[[list[str], list[list[object]]], None], vantat: str
) -> None:
    """Villkor mellan kolumner och rader prövas av schemat: importen säger vilken rad, på
    svenska och med kod 2, och lämnar inget register efter sig."""
    ny = tmp_path / "ny.db"
    p = kor("register", "import", str(_export_med_rader(tmp_path, andring)), env=miljo(ny))
    assert p.returncode == 2, p.stdout + p.stderr
    assert re.search(r"export\.json: rad \d+ i avtal \(id '[^']+'\): ", p.stderr), p.stderr
    assert vantat in p.stderr and "inget importerades" in p.stderr
    assert "constraint" not in p.stderr and "\\n" not in p.stderr
    assert not list(tmp_path.glob("ny.db*"))


def test_import_vagrar_en_agare_som_bytts_utan_handelse(tmp_path: Path) -> None:
    fil = _andrad_export(tmp_path, "organisation", "avtalsagare_namn", "Ola Smyg")
    ny = tmp_path / "ny.db"
    p = kor("register", "import", str(fil), env=miljo(ny))
    assert p.returncode == 1, p.stdout + p.stderr
    assert "avtalsägaren 'Ola Smyg', men händelseloggen säger" in p.stderr
    assert not ny.exists() or sql(ny, "SELECT count(*) FROM avtal") == [(0,)]


def test_en_kontrollerad_import_gar_att_visa_rapportera_och_exportera(tmp_path: Path) -> None:
    ny = tmp_path / "ny.db"
    assert kor("register", "import", str(EXPORT), env=miljo(ny)).returncode == 0
    for argument in (
        ("show", "NL-2014-001"),
        ("show", "NL-2014-001", "-f", "json"),
        ("list",),
        ("ägare", "-f", "csv"),
        ("historik",),
        ("export", "-f", "csv", "--ut", str(tmp_path / "csv")),
        ("kontroll",),
    ):
        p = kor("register", *argument, env=miljo(ny))
        assert p.returncode == 0, (argument, p.stderr)
    assert kor("report", "--år", "2015", env=miljo(ny)).returncode == 0


# --- Filerna som backup och export skriver -----------------------------------------------------


def test_backup_skriver_aldrig_genom_en_lank(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    annanstans = tmp_path / "annanstans"
    annanstans.mkdir()
    hangande = tmp_path / "hangande.db"
    hangande.symlink_to(annanstans / "skapas-inte.db")
    befintlig = annanstans / "viktig.txt"
    befintlig.write_text("rör inte\n", encoding="utf-8")
    till_fil = tmp_path / "till_fil.db"
    till_fil.symlink_to(befintlig)
    for mal in (hangande, till_fil):
        p = kor("register", "backup", str(mal), env=miljo(reg))
        assert p.returncode == 2, p.stdout + p.stderr
        assert "finns redan" in p.stderr
        assert mal.is_symlink()
    assert sorted(f.name for f in annanstans.iterdir()) == ["viktig.txt"]
    assert befintlig.read_text(encoding="utf-8") == "rör inte\n"
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]
    ny = tmp_path / "ny.db"
    assert kor("register", "backup", str(ny), env=miljo(reg)).returncode == 0
    assert kor("register", "kontroll", env=miljo(ny)).returncode == 0


def test_export_ersatter_en_lank_och_ror_inte_det_den_pekar_pa(tmp_path: Path, reg: Path) -> None:
    _nytt(tmp_path, reg)
    annanstans = tmp_path / "annanstans.txt"
    annanstans.write_text("rör inte\n", encoding="utf-8")
    ut = tmp_path / "ut"
    ut.mkdir()
    (ut / "register.json").symlink_to(annanstans)
    (ut / "csv").mkdir()
    (ut / "csv" / "avtal.csv").symlink_to(annanstans)
    (ut / "csv" / "schemaversion.txt").symlink_to(tmp_path / "hangande")
    assert kor("register", "export", "--ut", str(ut), env=miljo(reg)).returncode == 0
    p = kor("register", "export", "-f", "csv", "--ut", str(ut / "csv"), env=miljo(reg))
    assert p.returncode == 0, p.stderr
    assert annanstans.read_text(encoding="utf-8") == "rör inte\n"
    assert not (tmp_path / "hangande").exists()
    for fil in (ut / "register.json", ut / "csv" / "avtal.csv", ut / "csv" / "schemaversion.txt"):
        assert fil.is_file() and not fil.is_symlink()


def test_en_export_tar_bort_en_aldre_export_i_andra_formen(tmp_path: Path, reg: Path) -> None:
    """Förr läste import en kvarlämnad register.json i stället för CSV-filerna bredvid."""
    _nytt(tmp_path, reg)
    ut = tmp_path / "ut"
    assert kor("register", "export", "--ut", str(ut), env=miljo(reg)).returncode == 0
    (ut / "utvardering.csv").write_text("från schemaversion 1\n", encoding="utf-8")
    (ut / "egen.txt").write_text("användarens\n", encoding="utf-8")
    p = kor("register", "byt-ägare", ORGNR, "--namn", "Per Berg", *BYT_AGARE, env=miljo(reg))
    assert p.returncode == 0
    assert kor("register", "export", "-f", "csv", "--ut", str(ut), env=miljo(reg)).returncode == 0
    assert not (ut / "register.json").exists() and not (ut / "utvardering.csv").exists()
    assert (ut / "egen.txt").exists()
    ny = tmp_path / "ny.db"
    assert kor("register", "import", str(ut), env=miljo(ny)).returncode == 0
    assert sql(ny, "SELECT avtalsagare_namn FROM organisation") == [("Per Berg",)]
    # Och tvärtom: en JSON-export tar bort CSV-filerna.
    assert kor("register", "export", "--ut", str(ut), env=miljo(reg)).returncode == 0
    assert sorted(f.name for f in ut.iterdir()) == ["egen.txt", "register.json"]


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1)


@settings(max_examples=150)
@given(titel=TEXT, beskrivning=TEXT, kommentar=TEXT)
def test_csv_exporten_gar_runt_for_varje_text(
    tmp_path_factory: pytest.TempPathFactory, titel: str, beskrivning: str, kommentar: str
) -> None:
    from partner_cli.register import utbyte

    data = json.loads(EXPORT.read_text(encoding="utf-8"))["tabeller"]
    for tabell, kolumn, varde in (
        ("avtal", "titel", titel),
        ("mal", "beskrivning", beskrivning),
        ("genomford_utvardering_mal", "kommentar", kommentar),
    ):
        data[tabell]["rader"][0][data[tabell]["kolumner"].index(kolumn)] = varde
    export = utbyte.Export(SCHEMAVERSION, {t: (p["kolumner"], p["rader"]) for t, p in data.items()})
    katalog = tmp_path_factory.mktemp("csv")
    utbyte.skriv_csv(export, katalog)
    tillbaka = utbyte.las_export(katalog)
    assert tillbaka.tabeller == {t: (k, [list(r) for r in rader]) for t, (k, rader) in
                                 export.tabeller.items()}  # fmt: skip


def test_en_text_med_cr_gar_runt_genom_csv(tmp_path: Path) -> None:
    reg = tmp_path / "r.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    utvardera(
        reg,
        "NL-1",
        "datum: 2015-09-15\ntyp: delutvärdering\nutförd_av: Anna Lind\nmål:\n"
        '  - {mål: 1, utfall: 12, kommentar: "Rad ett\\rrad två\\r\\n\\x1b[2J\\x85slut"}\n',
    )
    ut = tmp_path / "csv"
    assert kor("register", "export", "-f", "csv", "--ut", str(ut), env=miljo(reg)).returncode == 0
    kopia = tmp_path / "kopia.db"
    p = kor("register", "import", str(ut), env=miljo(kopia))
    assert p.returncode == 0, p.stderr
    fore = kor("register", "export", env=miljo(reg)).stdout
    assert kor("register", "export", env=miljo(kopia)).stdout == fore
    assert "Rad ett\\rrad två\\r\\n\\u001b[2J\x85slut" in fore


def test_import_loggas_i_registerfilens_logg(tmp_path: Path) -> None:
    ny = tmp_path / "ny.db"
    assert kor("register", "import", str(EXPORT), env=miljo(ny)).returncode == 0
    vad, efter, huvud = sql(ny, "SELECT vad, efter, kedjans_sha256 FROM underhall")[0]
    assert vad == "importerad"
    assert json.loads(efter) == {"fran": str(EXPORT), "schemaversion": SCHEMAVERSION, "avtal": 4}
    assert huvud == sql(ny, "SELECT sha256 FROM handelse ORDER BY id DESC LIMIT 1")[0][0]
    assert kor("register", "kontroll", env=miljo(ny)).returncode == 0
    # Loggen går bara att lägga till i, och exporten bär den inte.
    with pytest.raises(sqlite3.IntegrityError):
        sql(ny, "DELETE FROM underhall")
    assert "underhall" not in kor("register", "export", env=miljo(ny)).stdout
