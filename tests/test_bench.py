"""bench/bench.py: genereringen är deterministisk och varierad, och hela mätningen går igenom
med litet N (en röktest; tiderna själva prövas inte, de brusar)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from partner_cli import varden

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
    ):
        assert rader[namn]["avslutningskod"] == 0, namn
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
