"""bench/bench.py: genereringen är deterministisk och varierad, och hela mätningen går igenom
med litet N (en röktest; tiderna själva prövas inte, de brusar)."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from partner_cli import varden
from registerhjalp import bevakningsregister

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench.py"
PARTNER = str(Path(sys.executable).parent / "partner")


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    assert spec and spec.loader
    modul = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = modul  # dataclasses slår upp modulen där
    spec.loader.exec_module(modul)
    return modul


def _utfall(katalog: Path) -> Counter[str]:
    ut = subprocess.run(
        [PARTNER, "check", str(katalog), "--format", "json"], capture_output=True, text=True
    )
    assert ut.returncode in (0, 1), ut.stderr
    return Counter(f["utfall"] for f in json.loads(ut.stdout)["filer"])


def test_genereringen_ar_deterministisk_och_ger_alla_utfall(tmp_path: Path) -> None:
    bench = _bench()
    a = bench.generera(tmp_path / "a", 120, seed=6)
    b = bench.generera(tmp_path / "b", 120, seed=6)
    assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b]
    rader = [len(f.read_text(encoding="utf-8").splitlines()) for f in a]
    assert 45 <= sum(rader) / len(rader) <= 75
    utfall = _utfall(tmp_path / "a")
    assert set(utfall) == {"godkänd", "underkänd", "ej_tillämplig", "ogiltig"}
    assert utfall["godkänd"] > len(a) // 2


def test_stampeln_hindrar_inte_en_ny_uppsattning(tmp_path: Path) -> None:
    bench = _bench()
    bench.generera(tmp_path / "d", 30, seed=6)
    godkanda = bench.generera(tmp_path / "d", 30, seed=6, alla_godkanda=True)
    assert len(godkanda) == 30
    assert _utfall(tmp_path / "d") == {"godkänd": 30}


def test_organisationerna_har_giltiga_och_unika_nummer() -> None:
    bench = _bench()
    nummer = [bench.organisation(k).orgnr for k in range(0, 20_000, 7)]
    assert len(set(nummer)) == len(nummer)
    for n in nummer:
        assert varden.organisationsnummer(n) == n


@pytest.mark.langsam
def test_hela_matningen_med_litet_n(tmp_path: Path) -> None:
    ut = tmp_path / "resultat.json"
    argument = ["--n", "20", "--avtal", "60", "--rep", "1", "--data", str(tmp_path / "d")]
    kord = subprocess.run(
        [sys.executable, str(BENCH), *argument, "--ut", str(ut)],
        capture_output=True,
        text=True,
    )
    assert kord.returncode == 0, kord.stderr
    resultat = json.loads(ut.read_text(encoding="utf-8"))
    assert resultat["n"] == 20 and resultat["maskin"]["nproc"] >= 1
    rader = {m["namn"]: m for m in resultat["matningar"]}
    assert rader["partner check (20 filer, json)"]["avslutningskod"] == 1  # några underkända
    assert rader["partner check (20 filer, json)"]["kvot"] > 0
    for m in rader.values():
        if m["saknas"] is None:
            assert m["median"] > 0 and m["max_rss_mb"] > 0, m
    # Registret byggdes genom partners egen import och kommandona lyckades mot det.
    for namn in (
        "register import (60 avtal)",
        "register add (20 filer)",
        "register sync (20 oförändrade avtal)",
        "register ägare",
        "report --år 2019 --per 2019-12-31",
        "publicera --år 2019",
        "register kontroll",
    ):
        assert rader[namn]["avslutningskod"] == 0, namn
    # Bänkens register har försenade utvärderingar; varje golv har en kvot mot sig.
    assert rader["bevaka --per 2019-06-01 --format ics"]["avslutningskod"] == 1
    for namn in ("bevaka --per 2019-06-01", "publicera --år 2019", "register kontroll"):
        assert rader[namn]["kvot"] > 0, namn
    assert "partner check (1 fil)" in resultat["tabell"]
    assert "partner check (1 fil)" in kord.stdout


def test_en_enstaka_granskning_drar_inte_in_pydantic_eller_processpoolen(tmp_path: Path) -> None:
    # typer 0.29 tolkar flaggor med pydantic (100 ms per start); poolen behövs bara för många filer.
    fil = _bench().generera(tmp_path / "f", 1, seed=6)[0]
    kod = (
        "import sys\n"
        "from partner_cli.cli import main\n"
        f"sys.argv = ['partner', 'check', {str(fil)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "tunga = ('pydantic', 'concurrent.futures.process', 'rich')\n"
        "print('LADDADE:' + ','.join(m for m in tunga if m in sys.modules))"
    )
    p = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True)
    assert p.stdout.splitlines()[-1] == "LADDADE:"


def test_golvet_for_rapporten_raknar_rapportens_belopp(tmp_path: Path) -> None:
    """Golvet räknar det rapporten räknar: kommunens bidrag under året per avtal och
    indikatorernas belopp som årets delar, i ett register med utbetalningsplan och avtal över
    flera år; annars vore kvoten mot golvet meningslös."""
    import sqlite3

    from partner_cli.register import arsbelopp, las
    from registerhjalp import bygg

    bench = _bench()
    forslag = Path(__file__).resolve().parent / "facit" / "forslag"
    db = tmp_path / "register.db"
    # Alla utom förslaget med ett undantag, som kräver sitt beslut.
    bygg(db, *sorted(f for f in forslag.glob("*.yaml") if "2014-003" not in f.name))
    conn = sqlite3.connect(db)
    reg = las(db)
    try:
        for ar in (2015, 2016, 2021):
            parametrar = bench.rapportparametrar(ar)
            golv = [conn.execute(q, parametrar).fetchall() for q in bench.SQL_RAPPORT_AVSNITT]
            partnerskap = arsbelopp.partnerskap(reg, ar)
            assert partnerskap
            assert [(r[0], r[6]) for r in golv[0]] == [(p.id, p.kommunen) for p in partnerskap]
            for rader, i in ((golv[3], arsbelopp.indikatorer(reg, ar)),
                             (golv[4], arsbelopp.indikatorer(reg, ar - 1))):  # fmt: skip
                (rad,) = rader
                assert rad[2:6] == (i.garanterad, i.naringsliv, i.total, i.offentliga)
                assert (rad[0], rad[1], rad[-1]) == (i.aktiva, i.nya, i.organisationer)
    finally:
        reg.stang()
        conn.close()


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Exemplen och ett avtal med varje slag av bevakning."""
    return bevakningsregister(tmp_path_factory.mktemp("bevaka"))


def _golv(skript: str, *argument: str) -> str:
    """Ett golv som bänken kör det: en egen Python-process med bara standardbiblioteket."""
    p = subprocess.run([sys.executable, "-c", skript, *argument], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_golvet_for_bevakningen_ger_bevakningens_datum(register: Path) -> None:
    """Golvet räknar samma bevakningar som `partner bevaka`: varje slag (utvärdering, slut,
    undantag, ekonomi), försenad eller inte, med avtalsägaren, per flera dagar."""
    bench = _bench()
    sedda: set[str] = set()
    for dag in ("2015-06-15", "2015-07-15", "2016-03-01", "2016-07-15", "2016-10-01"):
        ut = subprocess.run(
            [PARTNER, "bevaka", "--per", dag, "--format", "json", "--register", str(register)],
            capture_output=True,
            text=True,
        )
        assert ut.returncode in (0, 1), ut.stderr
        partner = {
            (b["datum"], b["slag"], b["avtal"], b["avtalsägare"], b["försenad"])
            for b in json.loads(ut.stdout)["bevakningar"]
        }
        text = _golv(
            bench.SQL_GOLV_AVSNITT,
            str(register),
            json.dumps(bench.SQL_BEVAKA_AVSNITT),
            json.dumps(bench.bevakningsparametrar(dag)),
        )
        rader = [r.split("\t") for r in text.splitlines()]
        golv = {(r[0], r[1], r[2], r[4], r[6] == "1") for r in rader}
        assert len(rader) == len(golv) == len(partner) and golv == partner, dag
        sedda |= {b[1] for b in partner}
    assert sedda == {"utvärdering", "slut", "undantag", "ekonomi"}


def test_golvet_for_publiceringen_skriver_lika_manga_rader(register: Path, tmp_path: Path) -> None:
    bench = _bench()
    toml = bench.publiceringskonfig(tmp_path / "partner.toml")
    ut = subprocess.run(
        [PARTNER, "publicera", "--år", "2015", "--ut", str(tmp_path / "p"), "--register",
         str(register), "--config", str(toml)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert ut.returncode == 0, ut.stderr  # konfigurationen räcker för en lyckad publicering
    _golv(bench.GOLV_PUBLICERA, str(register), str(tmp_path / "g"), "2015")
    with (tmp_path / "p" / "partnerskap-2015.csv").open(encoding="utf-8") as f:
        partner = [r["id"] for r in csv.DictReader(f)]
    with (tmp_path / "g" / "golv.csv").open(encoding="utf-8") as f:
        golv = [r["id"] for r in csv.DictReader(f)]
    assert len(partner) >= 3 and golv == partner
    paket = json.loads((tmp_path / "p" / "partnerskap-2015-360giving.json").read_text("utf-8"))
    golvets = json.loads((tmp_path / "g" / "golv-360giving.json").read_text("utf-8"))
    assert [g["amountAwarded"] for g in golvets["grants"]] == [
        f"{g['amountAwarded']:.2f}" for g in paket["grants"]
    ]
    assert len(json.loads((tmp_path / "g" / "golv.json").read_text("utf-8"))["avtal"]) == len(golv)


def test_golvet_for_kedjan_ser_en_andrad_handelse(register: Path, tmp_path: Path) -> None:
    import sqlite3

    bench = _bench()
    antal, brott = _golv(bench.GOLV_KEDJA, str(register)).split()
    assert int(antal) > 5 and brott == "0"
    kopia = tmp_path / "kopia.db"
    with sqlite3.connect(register) as kalla, sqlite3.connect(kopia) as conn:
        kalla.backup(conn)
        # Förbi schemats skydd, som någon med filen kan: en händelse ändras i efterhand.
        conn.execute("DROP TRIGGER handelse_ingen_andring")
        conn.execute("UPDATE handelse SET vem = 'Någon annan' WHERE id = 3")
    kalla.close()
    conn.close()
    assert _golv(bench.GOLV_KEDJA, str(kopia)).split() == [antal, "1"]
    kontroll = subprocess.run(
        [PARTNER, "register", "kontroll", "--register", str(kopia)], capture_output=True, text=True
    )
    assert kontroll.returncode == 1
    assert "händelse 3 har ändrats" in kontroll.stdout + kontroll.stderr


def test_en_ovantad_avslutningskod_avbryter_matningen() -> None:
    bench = _bench()
    ok = bench.mat("avslutar med 1", [sys.executable, "-c", "raise SystemExit(1)"], 1, koder=(1,))
    assert ok.avslutningskod == 1 and len(ok.sekunder) == 1
    skript = "import sys; sys.stderr.write('något gick fel'); raise SystemExit(2)"
    with pytest.raises(SystemExit) as fel:
        bench.mat("misslyckas", [sys.executable, "-c", skript], 3)
    assert "misslyckas avslutades med kod 2, inte 0" in str(fel.value)
    assert "något gick fel" in str(fel.value)


def test_kostnaden_per_fil_mats_for_varje_steg(tmp_path: Path) -> None:
    _bench().generera(tmp_path / "f", 40, seed=6)
    skript = BENCH.with_name("per_fil.py")
    ut = subprocess.run(
        [sys.executable, str(skript), str(tmp_path / "f"), "--n", "40", "--varv", "1"],
        capture_output=True,
        text=True,
    )
    assert ut.returncode == 0, ut.stderr
    rader = ut.stdout.splitlines()
    assert rader[0] == "40 filer, 1 varv; tid genom golvets (median)"
    kvoter = dict(r.strip().rsplit(": ", 1) for r in rader[1:])
    assert set(kvoter) == {"granskning per fil", "läsning", "komponering", "trädet",
                           "tolkningen", "reglerna och resultatet", "JSON-raden"}  # fmt: skip
    # Varje uppmätt steg har kostat något (reglerna är en skillnad och kan bli negativ i en
    # kort körning), och stegen tillsammans är ungefär granskningen.
    steg = {k: float(v) for k, v in kvoter.items() if k != "granskning per fil"}
    assert all(v > 0 for k, v in steg.items() if k != "reglerna och resultatet")
    helt = float(kvoter["granskning per fil"].removesuffix(" ×"))
    assert 0.3 * helt < sum(steg.values()) < 3 * helt
