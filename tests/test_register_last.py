"""Registret under last och fel: samtidiga skrivare, kapplöpning om ägarskap, SIGKILL mitt i en
import, skrivskyddade filer och kataloger, säkerhetskopia medan andra skriver."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PARTNER, kor
from partner_cli import register
from partner_cli.register import integritet, kedja, utbyte
from partner_cli.register.migreringar import SCHEMAVERSION
from partner_cli.register.skrivning import lagg_till
from registerhjalp import BYT_AGARE, ORGNR, bygg, innehall, miljo, orgnr, skriv_forslag, sql


def _starta(*argument: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PARTNER, *argument],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


def _sund(reg: Path) -> list[str]:
    r = register.las(reg)
    try:
        return integritet.kontroll(r)
    finally:
        r.stang()


@pytest.mark.parametrize(
    ("processer", "per_process"),
    [(4, 2), pytest.param(8, 50, marks=pytest.mark.langsam)],
)
def test_samtidiga_skrivare_far_med_allt(tmp_path: Path, processer: int, per_process: int) -> None:
    """Processerna startar samtidigt mot ett register som inte finns: de skapar det, väntar
    på varandra och registrerar varje avtal, utan felutskrifter."""
    reg = tmp_path / "register.db"
    kommandon = []
    for p in range(processer):
        filer = [
            skriv_forslag(tmp_path, f"p{p}_{i}.yaml", id_=f"NL-{p}-{i}", org=orgnr(p * 1000 + i))
            for i in range(per_process)
        ]
        slinga = " && ".join(
            f"{PARTNER} register add {f} --sanktionerad-av K >/dev/null" for f in filer
        )
        kommandon.append(
            subprocess.Popen(
                ["bash", "-c", slinga],
                env={**os.environ, **miljo(reg)},
                stderr=subprocess.PIPE,
            )
        )
    for k in kommandon:
        _, fel = k.communicate(timeout=600)
        assert k.returncode == 0 and fel == b"", fel.decode()
    assert sql(reg, "SELECT count(*) FROM avtal") == [(processer * per_process,)]
    assert sql(reg, "SELECT count(*) FROM handelse") == [(2 * processer * per_process,)]
    p = kor("register", "kontroll", env=miljo(reg))
    assert p.returncode == 0 and f"({processer * per_process} avtal)" in p.stdout


@pytest.mark.parametrize("runda", range(3))
def test_kapplopning_om_agarskap_ger_exakt_en_agare(tmp_path: Path, runda: int) -> None:
    reg = tmp_path / "register.db"
    a = skriv_forslag(tmp_path, "a.yaml", id_="NL-A", agare="Anna Lind")
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-B", agare="Per Berg")
    processer = [
        _starta("register", "add", str(f), "--sanktionerad-av", "K", env=miljo(reg)) for f in (a, b)
    ]
    utfall = [(p.wait(timeout=120), p.stderr.read().decode()) for p in processer if p.stderr]
    assert sorted(kod for kod, _ in utfall) == [0, 1], utfall
    vinnare = sql(reg, "SELECT avtalsagare_namn FROM organisation")
    assert len(vinnare) == 1
    forlorare = "Per Berg" if vinnare[0][0] == "Anna Lind" else "Anna Lind"
    vagran = next(text for kod, text in utfall if kod == 1)
    assert f"har redan avtalsägaren {vinnare[0][0]}" in vagran
    assert f'byt-ägare {ORGNR} --namn "{forlorare}"' in vagran
    assert "Traceback" not in vagran
    assert sql(reg, "SELECT count(*) FROM avtal") == [(1,)]
    assert _sund(reg) == []


def stor_export(tmp_path: Path, antal: int) -> Path:
    """En export med `antal` avtal, byggd ur ett riktigt registrerat avtal: varje tabellrad
    kopieras med nytt id och organisationsnummer, så att summor och nycklar håller."""
    liten = tmp_path / "liten.db"
    bygg(liten, skriv_forslag(tmp_path, "mall.yaml", id_="NL-0"))
    r = register.las(liten)
    try:
        mall = utbyte.exportera(r).tabeller
    finally:
        r.stang()

    def kopior(tabell: str, **byten: Any) -> tuple[list[str], list[list[Any]]]:
        kolumner, rader = mall[tabell]
        ut = []
        for i in range(antal):
            for rad in rader:
                ny = dict(zip(kolumner, rad, strict=True))
                ny.update({k: f(i) for k, f in byten.items()})
                ut.append([ny[k] for k in kolumner])
        return kolumner, ut

    # Avtalets egna rader kopieras per avtal; de gjorda utvärderingarna och undantagen hör
    # till förebilden och följer med en gång.
    data = {
        tabell: kopior(tabell, avtal_id=lambda i: f"NL-{i}")
        if "avtal_id" in mall[tabell][0] and not tabell.startswith(("genomford_", "undantag"))
        else mall[tabell]
        for tabell in mall
    }
    data["organisation"] = kopior("organisation", organisationsnummer=orgnr)
    data["avtal"] = kopior("avtal", id=lambda i: f"NL-{i}", organisationsnummer=orgnr)
    data["handelse"] = (mall["handelse"][0], _kopierad_historik(mall["handelse"], antal))
    fil = tmp_path / "stor.json"
    with fil.open("w", encoding="utf-8") as f:
        utbyte.skriv_json(utbyte.Export(SCHEMAVERSION, data), f)
    return fil


def _kopierad_historik(handelse: tuple[list[str], list[Any]], antal: int) -> list[list[Any]]:
    """Förebildens händelser för varje kopia, med kopians id och organisationsnummer också i
    `efter` och en ny kedja: historiken förklarar varje kopierad rad."""
    kolumner, rader = handelse
    ut: list[dict[str, Any]] = []
    for i in range(antal):
        for rad in rader:
            h = dict(zip(kolumner, rad, strict=True))
            efter = json.loads(h["efter"])
            efter["organisationsnummer"] = orgnr(i)
            if h["avtal_id"] is not None:
                efter["id"] = h["avtal_id"] = f"NL-{i}"
            ut.append({**h, "organisationsnummer": orgnr(i), "efter": json.dumps(efter)})
    kedja.kedja(ut, 1, None)
    return [[h[k] for k in kolumner] for h in ut]


STOR = 20_000


@pytest.fixture(scope="module")
def stor(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """En stor export, ett register importerat ur den, och hur lång tid importen tog."""
    katalog = tmp_path_factory.mktemp("stor")
    fil = stor_export(katalog, STOR)
    reg = katalog / "register.db"
    start = time.monotonic()
    p = kor("register", "import", str(fil), env=miljo(reg))
    assert p.returncode == 0, p.stderr
    assert f"Importerade {STOR} avtal" in p.stdout
    return fil, reg, time.monotonic() - start


@pytest.mark.langsam
def test_stor_import_ar_fullstandig(stor: tuple[Path, Path, float]) -> None:
    fil, reg, _ = stor
    assert _sund(reg) == []
    ut = json.loads(kor("register", "export", env=miljo(reg)).stdout)["tabeller"]
    inn = json.loads(fil.read_text(encoding="utf-8"))["tabeller"]
    for tabell, innehall_ in inn.items():
        assert sorted(map(repr, ut[tabell]["rader"])) == sorted(map(repr, innehall_["rader"]))


@pytest.mark.langsam
@pytest.mark.parametrize("fro", range(3))
def test_sigkill_mitt_i_import_lamnar_tomt_eller_komplett(
    tmp_path: Path, stor: tuple[Path, Path, float], fro: int
) -> None:
    """Dödad vid en slumpad (fröad) tidpunkt under importens längd: registret är helt och
    antingen tomt eller komplett, aldrig halvt."""
    fil, _, varaktighet = stor
    reg = tmp_path / "register.db"
    process = _starta("register", "import", str(fil), env=miljo(reg))
    time.sleep(random.Random(fro).uniform(0.05, varaktighet))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    if not reg.exists():
        return  # dödad innan registret skapades: tomt
    assert _sund(reg) == []
    assert sql(reg, "SELECT count(*) FROM avtal")[0][0] in (0, STOR)
    assert sql(reg, "SELECT count(*) FROM handelse")[0][0] in (0, 2 * STOR)


@contextlib.contextmanager
def skrivskyddad(sokvag: Path) -> Iterator[None]:
    """Skrivskydd som gäller även root (chattr +i); chmod för andra användare."""
    if os.geteuid() == 0:
        if not shutil.which("chattr"):
            pytest.skip("chattr saknas; root går förbi chmod")
        if subprocess.run(["chattr", "+i", str(sokvag)], capture_output=True).returncode:
            pytest.skip("filsystemet stöder inte chattr +i")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(sokvag)], check=True)
    else:
        lage = sokvag.stat().st_mode
        sokvag.chmod(0o555 if sokvag.is_dir() else 0o444)
        try:
            yield
        finally:
            sokvag.chmod(lage)


def test_skrivskyddat_register(tmp_path: Path) -> None:
    reg = tmp_path / "register.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    fore = innehall(reg)
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2))
    with skrivskyddad(reg):
        p = kor("register", "add", str(b), "--sanktionerad-av", "K", env=miljo(reg))
        assert p.returncode == 1 and "skrivskyddat" in p.stderr
        # Läsning fungerar ändå.
        assert kor("register", "list", "-f", "json", env=miljo(reg)).returncode == 0
        assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
    assert innehall(reg) == fore


def test_skrivskyddad_katalog(tmp_path: Path) -> None:
    katalog = tmp_path / "register"
    katalog.mkdir()
    a = skriv_forslag(tmp_path, "a.yaml")
    with skrivskyddad(katalog):
        p = kor("register", "add", str(a), "--sanktionerad-av", "K", env=miljo(katalog / "r.db"))
        assert p.returncode == 1 and "kan inte öppna registret" in p.stderr
    assert list(katalog.iterdir()) == []


def test_register_i_skrivskyddad_katalog_kan_lasas_men_inte_andras(tmp_path: Path) -> None:
    katalog = tmp_path / "register"
    reg = katalog / "r.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    assert sorted(f.name for f in katalog.iterdir()) == ["r.db"]  # WAL-filerna städade
    fore = reg.read_bytes()
    with skrivskyddad(katalog):
        p = kor("register", "list", "-f", "json", env=miljo(reg))
        assert p.returncode == 0 and json.loads(p.stdout)[0]["id"] == "NL-1"
        assert kor("register", "kontroll", env=miljo(reg)).returncode == 0
        annan = skriv_forslag(tmp_path, "b.yaml", id_="NL-2", agare="Per Berg")
        assert kor("check", str(annan), env=miljo(reg)).returncode == 1  # korskontrollen läser
        p = kor("register", "byt-ägare", ORGNR, "--namn", "X", *BYT_AGARE, env=miljo(reg))
        assert p.returncode == 1 and "kan inte öppna registret" in p.stderr
    assert reg.read_bytes() == fore


@pytest.mark.langsam
def test_backup_medan_andra_skriver(tmp_path: Path) -> None:
    reg = tmp_path / "register.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    filer = [skriv_forslag(tmp_path, f"f{i}.yaml", id_=f"NL-W{i}", org=orgnr(i)) for i in range(4)]
    slinga = " && ".join(
        f"{PARTNER} register add {f} --sanktionerad-av K >/dev/null" for f in filer
    )
    skrivare = subprocess.Popen(["bash", "-c", slinga], env={**os.environ, **miljo(reg)})
    kopior = []
    while skrivare.poll() is None and len(kopior) < 5:
        kopia = tmp_path / f"backup{len(kopior)}.db"
        p = kor("register", "backup", str(kopia), env=miljo(reg))
        assert p.returncode == 0, p.stderr
        kopior.append(kopia)
    assert skrivare.wait(timeout=300) == 0
    assert kopior, "skrivaren blev klar innan en enda säkerhetskopia hann tas"
    for kopia in kopior:
        assert _sund(kopia) == []  # varje kopia är en hel ögonblicksbild
        ny = tmp_path / f"aterstalld_{kopia.name}"
        assert kor("register", "restore", str(kopia), env=miljo(ny)).returncode == 0
        assert innehall(ny)["avtal"] == innehall(kopia)["avtal"]


def test_fullt_register_ger_tydligt_fel_och_skriver_inget(tmp_path: Path) -> None:
    from partner_cli import konfig, kontroll

    reg = tmp_path / "register.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    fore = innehall(reg)
    filer = [skriv_forslag(tmp_path, f"f{i}.yaml", id_=f"NL-F{i}", org=orgnr(i)) for i in range(50)]
    resultat = kontroll.kontrollera([str(f) for f in filer], konfig.Konfig(), behall_forslag=True)
    r = register.skriv(reg)
    try:
        # Ingen plats för en enda sida till: som en full disk.
        sidor = r.db.execute("PRAGMA page_count").fetchone()[0]
        r.db.execute(f"PRAGMA max_page_count = {sidor}")
        with pytest.raises(register.RegisterFel, match="full; inget skrevs"):
            lagg_till(
                r,
                [(f.forslag, f.fil, f.sha256) for f in resultat.filer if f.forslag and f.sha256],
                "K",
            )
    finally:
        r.stang()
    assert innehall(reg) == fore
    assert _sund(reg) == []


@pytest.fixture(scope="module")
def omgang(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], float]:
    """100 förslag och hur lång tid `add` av alla tar."""
    katalog = tmp_path_factory.mktemp("omgang")
    filer = [skriv_forslag(katalog, f"f{i}.yaml", id_=f"NL-K{i}", org=orgnr(i)) for i in range(100)]
    start = time.monotonic()
    p = kor(
        "register",
        "add",
        *map(str, filer),
        "--sanktionerad-av",
        "K",
        env=miljo(katalog / "matning.db"),
    )
    assert p.returncode == 0, p.stderr
    return filer, time.monotonic() - start


@pytest.mark.parametrize("fro", range(3))
def test_sigkill_mitt_i_add_lamnar_fore_eller_efter(
    tmp_path: Path, omgang: tuple[list[Path], float], fro: int
) -> None:
    filer, varaktighet = omgang
    reg = tmp_path / "register.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    process = _starta("register", "add", *map(str, filer), "--sanktionerad-av", "K", env=miljo(reg))
    time.sleep(random.Random(fro).uniform(0.05, varaktighet))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert _sund(reg) == []
    assert sql(reg, "SELECT count(*) FROM avtal")[0][0] in (1, 1 + len(filer))


def test_fragar_efter_sanktionerad_av_i_en_terminal(tmp_path: Path) -> None:
    import pty

    reg = tmp_path / "register.db"
    a = skriv_forslag(tmp_path, "a.yaml")
    huvud, slav = pty.openpty()
    try:
        process = subprocess.Popen(
            [PARTNER, "register", "add", str(a)],
            env={**os.environ, **miljo(reg)},
            stdin=slav,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.write(huvud, b"Karin Ek\n")
        ut, fel = process.communicate(timeout=60)
    finally:
        os.close(huvud)
        os.close(slav)
    assert process.returncode == 0, fel.decode()
    assert "Sanktionerad av" in ut.decode()
    assert sql(reg, "SELECT sanktionerad_av FROM avtal") == [("Karin Ek",)]


def test_check_med_register_i_flera_processer(tmp_path: Path) -> None:
    """Fler filer än gränsen för parallell granskning: ögonblicksbilden når arbetsprocesserna."""
    from partner_cli.kontroll import MIN_FILER_PARALLELLT

    reg = tmp_path / "register.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml", id_="NL-0"))
    katalog = tmp_path / "forslag"
    katalog.mkdir()
    for i in range(MIN_FILER_PARALLELLT):
        skriv_forslag(katalog, f"f{i}.yaml", id_=f"NL-P{i}", agare="Per Berg")
    p = kor("check", str(katalog), env=miljo(reg))
    assert p.returncode == 1
    assert p.stdout.count("har redan avtalsägaren Anna Lind") == MIN_FILER_PARALLELLT


@pytest.mark.parametrize("fro", range(4))
def test_sigkill_mitt_i_utvardera_lamnar_fore_eller_efter(tmp_path: Path, fro: int) -> None:
    reg = tmp_path / "register.db"
    bygg(reg, skriv_forslag(tmp_path, "a.yaml"))
    utvardering = tmp_path / "utv.yaml"
    utvardering.write_text(
        "datum: 2015-09-01\ntyp: delutvärdering\nutförd_av: Revisor Rask\n"
        "mål:\n  - {mål: 1, utfall: 12, kommentar: Tolv nya etableringar}\n",
        encoding="utf-8",
    )
    start = time.monotonic()
    assert kor("register", "utvärdera", "NL-1", str(utvardering), env=miljo(reg)).returncode == 0
    varaktighet = time.monotonic() - start
    kopia = tmp_path / "kopia.db"
    bygg(kopia, skriv_forslag(tmp_path, "b.yaml"))
    process = _starta("register", "utvärdera", "NL-1", str(utvardering), env=miljo(kopia))
    # Mot slutet av körningen, där transaktionen skrivs; före och efter den räknas båda.
    time.sleep(random.Random(fro).uniform(0.5 * varaktighet, 1.1 * varaktighet))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert _sund(kopia) == []
    utvarderingar = sql(kopia, "SELECT count(*) FROM genomford_utvardering")[0][0]
    mal = sql(kopia, "SELECT count(*) FROM genomford_utvardering_mal")[0][0]
    handelser = sql(kopia, "SELECT count(*) FROM handelse WHERE vad LIKE '%utvärder%'")[0][0]
    # Allt eller inget: utvärderingen, dess utfall per mål och händelsen hör ihop.
    assert (utvarderingar, mal, handelser) in ((0, 0, 0), (1, 1, 1))
