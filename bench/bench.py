"""Prestandamätning för `partner`: granskning och register mot sina golv.

Genererar N realistiska förslag deterministiskt, mäter hela processer (väggklocka och max
RSS via wait4) och jämför med golvet (PyYAML:s C-laddare i en process), yamllint och
check-jsonschema; bygger ett register och mäter `register add`, `report --år`, `register
ägare`, `bevaka` och `publicera` mot handskriven SQL på samma databas och `register kontroll`
mot kedjan räknad om med hashlib. Ett kommando som avslutas med en oväntad kod avbryter
mätningen. Skriver en tabell och results.json. Körs så här (se bench/README.md):

    python bench/bench.py [--n 10000] [--rep 3] [--bara check|register|add|rapport] [--ut FIL]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
GENERATOR_VERSION = 2
MB = 1024 * 1024

# ---------------------------------------------------------------------------------------------
# Generering


PREFIX = (
    "Örebro", "Närke", "Bergslagens", "Mälardalens", "Kumla", "Hallsbergs", "Lindesbergs",
    "Askersunds", "Svartåns", "Hjälmarens", "Karlslunds", "Tysslinge", "Glanshammars",
)  # fmt: skip
STAM = (
    "Logistik", "Bygg", "Energi", "Digital", "Turism", "Livsmedel", "Innovation", "Kompetens",
    "Handels", "Verkstads", "Fastighets", "Besöks", "Miljöteknik", "Design",
)  # fmt: skip
SUFFIX = (
    "partner AB",
    "gruppen AB",
    "center AB",
    "forum ek. för.",
    "AB",
    "nätverket",
    "Holding AB",
)
FORNAMN = ("Anna", "Erik", "Maria", "Johan", "Karin", "Lars", "Sara", "Per", "Lena", "Ali", "Noor")
EFTERNAMN = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson")
ENHETER = (
    "Avdelningen för näringsliv och kompetens",
    "Näringslivsenheten",
    "Avdelningen för tillväxt",
    "Kommunledningsförvaltningen",
)
MAL = (
    ("Fler etableringar", "Antal nya etableringar", "20"),
    ("Fler praktikplatser", "Antal praktikplatser", "45"),
    ("Ökad besöksnäring", "Gästnätter per år", "12 000"),
    ("Fler nystartade företag", "Antal nystartade företag", "30"),
    ("Kortare ledtider", "Dagar från ansökan till beslut", "14"),
)
INKIND = ("Projektledning", "Lokaler", "Marknadsföring", "Handledning", "Analys", "Utrustning")


def luhn_siffra(nio: str) -> int:
    """Kontrollsiffran som gör de tio siffrorna giltiga (samma vikter som varden.luhn_giltig)."""
    summa = 0
    for i, c in enumerate(nio):
        d = int(c) * (2 if i % 2 == 0 else 1)
        summa += d - 9 if d > 9 else d
    return (10 - summa % 10) % 10


@dataclass(frozen=True)
class Organisation:
    namn: str
    orgnr: str
    agare: str
    enhet: str


def organisation(k: int) -> Organisation:
    """Organisation nummer k: unikt organisationsnummer och alltid samma avtalsägare."""
    nio = f"556{k:06d}"
    namn = f"{PREFIX[k % len(PREFIX)]} {STAM[(k // 13) % len(STAM)]}{SUFFIX[(k // 7) % 7]}"
    if k >= len(PREFIX) * len(STAM) * len(SUFFIX):
        namn += f" {k}"
    agare = f"{FORNAMN[k % len(FORNAMN)]} {EFTERNAMN[(k // 11) % len(EFTERNAMN)]}"
    return Organisation(namn, f"{nio[:6]}-{nio[6:]}{luhn_siffra(nio)}", agare, ENHETER[k % 4])


def belopp_text(kr: int, rng: random.Random) -> str:
    """Samma belopp i de stavningar förslagen använder."""
    former = [f"{kr:,} kr".replace(",", " "), str(kr), f"{kr:,}:-".replace(",", " ")]
    if kr % 1000 == 0:
        former.append(f"{kr // 1000} tkr")
    if kr % 100_000 == 0 and kr >= 1_000_000:
        former.append(f"{kr / 1_000_000:g} mnkr".replace(".", ","))
    former.append(f"{kr} SEK")
    return rng.choice(former)


def _datum(ar: int, manad: int, dag: int) -> str:
    return f"{ar:04d}-{manad:02d}-{dag:02d}"


# Slagen av förslag och hur ofta de förekommer (resten är godkända).
FELSLAG = (
    ("låg_medfinansiering", 0.06),
    ("ej_tillämplig", 0.05),
    ("saknar_mål", 0.03),
    ("fel_orgnr", 0.02),
    ("okänd_nyckel", 0.02),
    ("tvetydigt_belopp", 0.02),
    ("syntaxfel", 0.01),
    ("tabb", 0.01),
)


def forslag_text(i: int, rng: random.Random, antal_org: int, slag: str) -> str:
    """Ett förslag på ungefär 60 rader, byggt på mallar/forslag.yaml."""
    org = organisation(rng.randrange(antal_org))
    ar = 2014 + rng.randrange(10)
    start_manad = rng.randrange(1, 13)
    langd = rng.choice((1, 2, 2, 3))
    slut_ar, slut_manad = (ar + langd, start_manad - 1) if start_manad > 1 else (ar + langd - 1, 12)
    start, slut = _datum(ar, start_manad, 1), _datum(slut_ar, slut_manad, 28)
    kommunen = rng.randrange(2, 60) * 10_000
    motpart_kr = kommunen + rng.randrange(0, 80) * 5_000
    garanterad = "nej" if slag == "låg_medfinansiering" else "ja"
    typ = rng.choice(("projekt", "projekt", "verksamhetsstöd", "samarbetsavtal"))
    kategori = (
        "civilsamhälle"
        if slag == "ej_tillämplig"
        else rng.choice(("företag", "företag", "företagsorganisation", "tillväxtfrämjande"))
    )
    orgnr = org.orgnr
    if slag == "fel_orgnr":
        orgnr = orgnr[:-1] + str((int(orgnr[-1]) + 1) % 10)
    rader = [
        "# Förslag till partnerskap med näringslivet. Granska med: partner check FIL",
        "# Belopp skrivs som 400 000 kr, 1,5 mnkr, 12 500:- eller 400000 (aldrig 400.000).",
        "",
        f"id: NL-{ar}-{i:05d}",
        f"titel: {org.namn.split()[1]}projekt {i} i {org.namn.split()[0]}",
        f"typ: {typ}",
        f"diarienummer: KS {ar % 100}/{1000 + i % 9000}",
        f"initiativ: {rng.choice(('näringslivet', 'näringslivet', 'kommunen', 'gemensamt'))}",
        "",
        "motpart:",
        f"  namn: {org.namn}",
        f"  organisationsnummer: {orgnr}",
        f"  kategori: {kategori}",
        "",
        "avtalsägare:                        # exakt en person i kommunen",
        f"  namn: {org.agare}",
        f"  enhet: {org.enhet}",
        "",
        f"period: {{start: {start}, slut: {slut}}}",
        "upphandling: nej",
        "",
        "finansiering:",
        "  kommunen:",
        f"    kontant: {belopp_text(kommunen, rng)}",
        "    in_kind: []",
        "  motparter:",
        f"    - namn: {org.namn}",
        "      kategori: näringsliv",
        f"      kontant: {belopp_text(motpart_kr, rng)}",
    ]
    if rng.random() < 0.4:
        rader.append("      in_kind:")
        for _ in range(rng.randrange(1, 4)):
            beskrivning = rng.choice(INKIND)
            if rng.random() < 0.5:
                timmar, pris = rng.randrange(20, 900), rng.choice((350, 450, 600, 850))
                rader.append(
                    f"        - {{beskrivning: {beskrivning}, timmar: {timmar}, "
                    f"timpris: {belopp_text(pris, rng)}}}"
                )
            else:
                rader.append(
                    f"        - {{beskrivning: {beskrivning}, "
                    f"belopp: {belopp_text(rng.randrange(1, 40) * 5_000, rng)}}}"
                )
    # En av tio motparter redovisar förlust (en varning, inget fel).
    resultat = ("-" if rng.random() < 0.1 else "") + belopp_text(rng.randrange(1, 90) * 10_000, rng)
    rader += [
        f"      garanterad: {garanterad}",
        f"      underlag: Avsiktsförklaring undertecknad {_datum(ar - 1, start_manad, 12)}",
        "",
        "insyn:",
        "  rätt_till_insyn: ja",
        f"  redovisning: {rng.choice(('årlig', 'halvårsvis', 'kvartalsvis'))}",
        "",
        "ekonomi:                            # motpartens senaste årsredovisning",
        f"  räkenskapsår: {ar - 1}",
        f"  omsättning: {belopp_text(rng.randrange(10, 900) * 100_000, rng)}",
        f"  resultat: {resultat}",
        f"  eget_kapital: {belopp_text(rng.randrange(1, 90) * 20_000, rng)}",
        f"  offentlig_finansiering: {belopp_text(rng.randrange(0, 30) * 10_000, rng)}",
        f"  källa: Årsredovisning {ar - 1}",
        "",
        "långsiktighet:",
        f"  efter_avtalstiden: Verksamheten bärs av medlemsavgifter från {slut_ar + 1}.",
        "",
    ]
    if slag != "saknar_mål":
        rader.append("mål:                                # gemensamt överenskomna mål")
        for beskrivning, indikator, varde in rng.sample(MAL, rng.randrange(1, 4)):
            rader += [
                f"  - beskrivning: {beskrivning}",
                f"    indikator: {indikator}",
                f"    målvärde: {varde}",
                "    överenskommet: ja",
            ]
        rader.append("")
    rader += [
        "utvärdering:                        # inom avtalstiden och ett år därefter",
        f"  - {{datum: {_datum(ar + langd // 2, start_manad, 1)}, typ: delutvärdering}}",
        f"  - {{datum: {_datum(slut_ar, slut_manad, 28)}, typ: slututvärdering}}",
    ]
    if slag == "okänd_nyckel":
        rader.insert(5, f"titl: {org.namn}")
    elif slag == "tvetydigt_belopp":
        rader[23] = "    kontant: 450.000"
    elif slag == "syntaxfel":
        rader[11] = f"  organisationsnummer {orgnr}"
    elif slag == "tabb":
        rader[12] = "\tkategori: företag"
    return "\n".join(rader) + "\n"


def valj_slag(rng: random.Random) -> str:
    r = rng.random()
    for slag, andel in FELSLAG:
        if r < andel:
            return slag
        r -= andel
    return "godkänd"


def generera(katalog: Path, n: int, *, seed: int, alla_godkanda: bool = False) -> list[Path]:
    """N förslag i en katalog per år; gör inget om samma uppsättning redan finns."""
    stampel = katalog / ".bench.json"
    onskad = {"n": n, "seed": seed, "alla_godkanda": alla_godkanda, "version": GENERATOR_VERSION}
    filer = [katalog / f"{i // 1000:02d}" / f"nl-{i:05d}.yaml" for i in range(n)]
    if stampel.exists() and json.loads(stampel.read_text()) == onskad:
        return filer
    if katalog.exists():
        shutil.rmtree(katalog)
    rng = random.Random(seed)
    antal_org = max(1, n // 2)
    for i, fil in enumerate(filer):
        # Förslag 0 är alltid godkänt: det är filen i mätningen av en enstaka fil.
        slag = "godkänd" if alla_godkanda or i == 0 else valj_slag(rng)
        fil.parent.mkdir(parents=True, exist_ok=True)
        fil.write_text(forslag_text(i, rng, antal_org, slag), encoding="utf-8")
    stampel.write_text(json.dumps(onskad))
    return filer


# ---------------------------------------------------------------------------------------------
# Mätning


@dataclass
class Matning:
    namn: str
    kommando: str
    sekunder: list[float] = field(default_factory=list)
    max_rss_mb: float = 0.0
    # Processorsekunder (användare + system) för hela processträdet, per körning: tål last från
    # andra processer bättre än väggklockan, och visar vad parallelliseringen kostar.
    cpu_sekunder: list[float] = field(default_factory=list)
    avslutningskod: int | None = None
    golv: str | None = None  # namnet på raden som är golvet för den här
    budget: float | None = None  # högsta tillåtna kvot mot golvet (lägsta om `minst`)
    minst: bool = False
    budget_sekunder: float | None = None
    saknas: str | None = None  # varför raden inte kunde mätas
    # Avslutningskoderna som kommandot får ge: någon annan kod avbryter hela mätningen, så att
    # en tid för ett misslyckat kommando aldrig står i tabellen.
    koder: tuple[int, ...] = (0,)

    @property
    def median(self) -> float | None:
        return statistics.median(self.sekunder) if self.sekunder else None


TIME = Path("/usr/bin/time")
LANGSAM_SEKUNDER = 30.0


def kor_process(
    cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, float, int, str]:
    """Hela processen: väggklocka, processortid, max RSS (MB, största processen i trädet),
    kod och slutet av det den skrev på stderr.

    Ett barn som skapas med fork direkt härifrån ärver bench-processens högvattenmärke för
    RSS (Linux för över det vid exec), så minnet mäts genom GNU time när det finns: dess
    barn startar från en liten process. Annars wait4, som då kan visa för mycket.
    """
    with (
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_fil,
        tempfile.TemporaryFile("w+b") as fel_fil,
    ):
        if TIME.exists():
            cmd = [str(TIME), "-f", "%M", "-o", rss_fil.name, *cmd]
        t0 = time.perf_counter()
        p = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=fel_fil,
        )  # fmt: skip
        # wait4 ger barnets egen rusage; ru_maxrss omfattar även dess avslutade barn.
        _, status, rusage = os.wait4(p.pid, 0)
        sekunder = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        kilobyte = rusage.ru_maxrss
        if TIME.exists():
            rader = rss_fil.read().split()
            kilobyte = int(rader[-1]) if rader and rader[-1].isdigit() else kilobyte
        fel_fil.seek(0)
        stderr = fel_fil.read()[-2000:].decode("utf-8", "replace")
    cpu = rusage.ru_utime + rusage.ru_stime
    return sekunder, cpu, kilobyte * 1024 / MB, p.returncode, stderr


def mat(
    namn: str,
    cmd: Sequence[str] | None,
    rep: int,
    *,
    saknas: str | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    fore: Callable[[], None] | None = None,
    **kw: Any,
) -> Matning:
    m = Matning(namn, " ".join(_kort(a) for a in cmd) if cmd else "", **kw)
    if cmd is None:
        m.saknas = saknas or "saknas"
        print(f"  {namn}: saknas ({m.saknas})", flush=True)
        return m
    for _ in range(rep):
        if fore:
            fore()
        s, cpu, rss, kod, stderr = kor_process(cmd, cwd=cwd, env=env)
        if kod not in m.koder:
            raise SystemExit(
                f"bench: {namn} avslutades med kod {kod}, inte "
                f"{' eller '.join(map(str, m.koder))}: {m.kommando}\n{stderr}"
            )
        m.sekunder.append(s)
        m.cpu_sekunder.append(cpu)
        m.max_rss_mb = max(m.max_rss_mb, rss)
        m.avslutningskod = kod
        if s > LANGSAM_SEKUNDER:
            break  # en så lång körning brusar lite; fler upprepningar ändrar inte bilden
    cpu_median = statistics.median(m.cpu_sekunder)
    print(
        f"  {namn}: {m.median:.3f} s (cpu {cpu_median:.3f} s), {m.max_rss_mb:.0f} MB, "
        f"kod {m.avslutningskod}",
        flush=True,
    )
    return m


def _kort(arg: str) -> str:
    return arg.replace(str(BENCH.parent) + os.sep, "")


def verktyg(namn: str) -> str | None:
    """Ett konsolskript i samma miljö som Python som kör mätningen, annars i PATH."""
    bredvid = Path(sys.executable).parent / namn
    return str(bredvid) if bredvid.exists() else shutil.which(namn)


# Golvet: varje fil läst med libyaml och inget mer. Med ett andra argument N delas filerna på N
# processer (var N:te fil), som partners arbetsprocesser: maskinens förmåga att räkna på flera
# kärnor samtidigt, som skiljer mycket mellan dagar på en delad maskin.
GOLV_SKRIPT = """\
import os, sys, yaml
filer = []
for rot, kataloger, namn in os.walk(sys.argv[1]):
    kataloger.sort()
    filer += [os.path.join(rot, n) for n in sorted(namn)
              if n.endswith((".yaml", ".yml")) and not n.startswith(".")]
delar = int(sys.argv[2]) if len(sys.argv) > 2 else 1
del_, barn = 0, []
for d in range(1, delar):
    pid = os.fork()
    if pid == 0:
        del_, barn = d, []
        break
    barn.append(pid)
for fil in filer[del_::delar]:
    with open(fil, "rb") as f:
        try:
            yaml.load(f, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
for pid in barn:
    os.waitpid(pid, 0)
if del_:
    os._exit(0)
"""

SAKNAS_BENCH = "installera med: pip install -e '.[bench]'"


def del_check(data: Path, n: int, rep: int, env: dict[str, str]) -> list[Matning]:
    print(f"Genererar {n} förslag i {_kort(str(data / 'forslag'))} …", flush=True)
    filer = generera(data / "forslag", n, seed=6)
    katalog = str(data / "forslag")
    partner = verktyg("partner")
    yamllint, cjs = verktyg("yamllint"), verktyg("check-jsonschema")
    assert partner is not None, "partner är inte installerat i den här miljön"
    schemafil = data / "forslag.schema.json"
    schemafil.write_bytes(
        subprocess.run([partner, "schema"], check=True, capture_output=True).stdout
    )
    py = sys.executable
    # Uppvärmning som inte räknas: partner skriver sina .pyc som hos en användare.
    subprocess.run([partner, "check", str(filer[0])], env=env, capture_output=True)
    golv = "golv: CSafeLoader, en process"
    # Golven och partner varvade, så att kvoterna mäts under samma last; några förslag är
    # underkända eller ogiltiga med avsikt (kod 1).
    rader = varvade([
        lambda: mat(golv, [py, "-c", GOLV_SKRIPT, katalog], 1, env=env),
        lambda: mat("golv: CSafeLoader, två processer", [py, "-c", GOLV_SKRIPT, katalog, "2"],
                    1, env=env, golv=golv),
        lambda: mat(f"partner check ({n} filer, json)",
                    [partner, "check", katalog, "--format", "json"], 1, env=env, golv=golv,
                    budget=0.7, koder=(1,)),
    ], rep)  # fmt: skip
    partner_rad = rader[-1].namn
    rader.append(
        mat(
            "yamllint -d relaxed",
            [yamllint, "-d", "relaxed", katalog] if yamllint else None,
            rep,
            saknas=SAKNAS_BENCH,
            env=env,
            golv=partner_rad,
            budget=10,
            minst=True,
            koder=(0, 1),  # 1 när några av de N förslagen har syntaxfel eller tabbindrag
        )
    )
    rader.append(
        mat(
            "check-jsonschema (partner schema)",
            [cjs, "--schemafile", str(schemafil), *map(str, filer)] if cjs else None,
            rep,
            saknas=SAKNAS_BENCH,
            env=env,
            golv=partner_rad,
            budget=10,
            minst=True,
            koder=(0, 1),  # 1 när några av de N förslagen är ogiltiga
        )
    )
    en_fil = str(filer[0])
    rep_en = rep * 5  # en fil går fort och brusar mer
    yamllint_en = "yamllint -d relaxed (1 fil)"
    rader += varvade([
        lambda: mat(yamllint_en, [yamllint, "-d", "relaxed", en_fil] if yamllint else None, 1,
                    saknas=SAKNAS_BENCH, env=env),
        lambda: mat("partner check (1 fil)", [partner, "check", en_fil], 1, env=env,
                    golv=yamllint_en, budget=0.8),
        lambda: mat("partner --help", [partner, "--help"], 1, env=env, golv=yamllint_en,
                    budget=0.8),
        lambda: mat("check-jsonschema (1 fil)",
                    [cjs, "--schemafile", str(schemafil), en_fil] if cjs else None, 1,
                    saknas=SAKNAS_BENCH, env=env),
    ], rep_en)  # fmt: skip
    return rader


def del_kurva(data: Path, storlekar: list[int], rep: int, env: dict[str, str]) -> list[Matning]:
    """`partner check` och golvet på växande uppsättningar: tiden ska växa linjärt."""
    partner = verktyg("partner")
    assert partner is not None
    rader = []
    for n in storlekar:
        print(f"Genererar {n} förslag för kurvan …", flush=True)
        generera(data / f"kurva-{n}", n, seed=6)
        katalog = str(data / f"kurva-{n}")
        golv = f"golv: CSafeLoader ({n} filer)"
        rader += varvade([
            functools.partial(mat, golv, [sys.executable, "-c", GOLV_SKRIPT, katalog], 1, env=env),
            functools.partial(mat, f"kurva: partner check ({n} filer, json)",
                              [partner, "check", katalog, "--format", "json"], 1, env=env,
                              golv=golv, koder=(1,)),
        ], rep)  # fmt: skip
    return rader


# ---------------------------------------------------------------------------------------------
# Registret


AR_I_REGISTRET = range(2014, 2024)
RAPPORTAR = 2019


def _har_kommando(partner: str, env: dict[str, str], *namn: str) -> bool:
    ut = subprocess.run([partner, *namn[:-1], "--help"], capture_output=True, text=True, env=env)
    return any(rad.split()[:1] == [namn[-1]] for rad in ut.stdout.splitlines())


def mall_export(data: Path, filer: list[Path], partner: str, env: dict[str, str]) -> dict[str, Any]:
    """En riktig export av ett litet register: kolumnerna och en förebild för varje tabell."""
    db, katalog = data / "mall.db", data / "mall-export"
    for p in (db, katalog):
        shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
    flagga = ["--register", str(db)]
    subprocess.run(
        [partner, "register", "add", *map(str, filer), "--sanktionerad-av", "Bench", *flagga],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    subprocess.run(
        [partner, "register", "export", "--ut", str(katalog), *flagga],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    return dict(json.loads((katalog / "register.json").read_text(encoding="utf-8")))


def generera_export(fil: Path, mall: dict[str, Any], avtal: int, antal_org: int) -> None:
    """Ett register med `avtal` avtal över `antal_org` organisationer och tio år, i exportens
    eget format (kolumnerna ur en riktig export; värden som inte varieras tas ur förebilden)."""
    from partner_cli.register import kedja

    rng = random.Random(100)
    tabeller = mall["tabeller"]

    def forebild(tabell: str) -> dict[str, Any]:
        kolumner, rader = tabeller[tabell]["kolumner"], tabeller[tabell]["rader"]
        return dict(zip(kolumner, rader[0], strict=True)) if rader else dict.fromkeys(kolumner)

    rader: dict[str, list[list[Any]]] = {t: [] for t in tabeller}

    # Händelseloggen förklarar registret (`register kontroll` prövar det): en `ny organisation`
    # per organisation och en `registrerad` per avtal med hela avtalet, i en kedja.
    handelser: list[dict[str, Any]] = []
    avtalets: dict[str, list[dict[str, Any]]] = {}

    def lagg(tabell: str, bas: dict[str, Any], **varden: Any) -> None:
        rad = {**bas, **{k: v for k, v in varden.items() if k in bas}}
        rader[tabell].append([rad[k] for k in tabeller[tabell]["kolumner"]])
        if tabell in avtalets:
            avtalets[tabell].append(rad)

    def handelse(vad: str, orgnr: str, avtal_id: str | None, efter: dict[str, Any]) -> None:
        handelser.append({**hand_bas, "vad": vad, "organisationsnummer": orgnr,
                          "avtal_id": avtal_id, "fore": None,
                          "efter": json.dumps(efter, ensure_ascii=False)})  # fmt: skip

    org_bas, avtal_bas = forebild("organisation"), forebild("avtal")
    fin_bas, mal_bas = forebild("finansiar"), forebild("mal")
    plan_bas, hand_bas = forebild("planerad_utvardering"), forebild("handelse")
    utv_bas, utvm_bas = forebild("genomford_utvardering"), forebild("genomford_utvardering_mal")
    for k in range(antal_org):
        o = organisation(k)
        lagg("organisation", org_bas, organisationsnummer=o.orgnr, namn=o.namn,
             kategori="företag", avtalsagare_namn=o.agare, avtalsagare_enhet=o.enhet)  # fmt: skip
        org_kol = tabeller["organisation"]["kolumner"]
        handelse("ny organisation", o.orgnr, None,
                 dict(zip(org_kol, rader["organisation"][-1], strict=True)))  # fmt: skip
    utv_id = 0
    for i in range(avtal):
        o = organisation(i % antal_org)
        ar = AR_I_REGISTRET[i * len(AR_I_REGISTRET) // avtal]
        manad = 1 + i % 12
        start, slut = _datum(ar, manad, 1), _datum(ar + 1 + i % 2, manad, 28)
        kommunen = rng.randrange(2, 60) * 1_000_000
        medfin = kommunen * rng.randrange(5, 30) // 10
        garanterad = medfin if rng.random() < 0.85 else 0
        id_ = f"NL-{ar}-{i:06d}"
        avtalets = {t: [] for t in ("avtal", *kedja.AVTALETS_DELAR)}
        lagg("avtal", avtal_bas, id=id_, organisationsnummer=o.orgnr,
             titel=f"Partnerskap {i} med {o.namn}",
             typ=("projekt", "verksamhetsstöd", "samarbetsavtal")[i % 3],
             initiativ=("näringslivet", "kommunen", "gemensamt")[i % 3 if i % 5 else 0],
             diarienummer=f"KS {ar % 100}/{i % 10_000}", period_start=start, period_slut=slut,
             kommunen_kontant=kommunen, kommunen_in_kind=0, medfinansiering=medfin,
             garanterad=garanterad, naringsliv=medfin, total=kommunen + medfin,
             ekonomi_rakenskapsar=ar - 1, ekonomi_omsattning=rng.randrange(10, 900) * 10_000_000,
             ekonomi_resultat=rng.randrange(-20, 90) * 1_000_000,
             ekonomi_eget_kapital=rng.randrange(-5, 90) * 2_000_000,
             ekonomi_offentlig_finansiering=rng.randrange(0, 300) * 1_000_000,
             fil=f"forslag/{ar}/nl-{i:06d}.yaml", sha256=f"{i:064x}")  # fmt: skip
        lagg("finansiar", fin_bas, avtal_id=id_, nr=1, namn=o.namn, kategori="näringsliv",
             kontant=medfin, in_kind=0, garanterad=int(garanterad > 0))  # fmt: skip
        for nr in range(1, 2 + i % 3):
            beskrivning, indikator, varde = MAL[(i + nr) % len(MAL)]
            lagg("mal", mal_bas, avtal_id=id_, nr=nr, beskrivning=beskrivning,
                 indikator=indikator, malvarde=varde)  # fmt: skip
        lagg("planerad_utvardering", plan_bas, avtal_id=id_, nr=1,
             datum=_datum(ar + 1, manad, 1), typ="delutvärdering")  # fmt: skip
        lagg("planerad_utvardering", plan_bas, avtal_id=id_, nr=2, datum=slut,
             typ="slututvärdering")  # fmt: skip
        if i % 3 == 0:
            utv_id += 1
            lagg("genomford_utvardering", utv_bas, id=utv_id, avtal_id=id_,
                 datum=_datum(ar + 1, manad, 1), typ="delutvärdering", sha256=f"{utv_id:064x}",
                 utford_av="Bench",
                 fil=f"utvarderingar/{utv_id}.yaml", registrerad=avtal_bas.get("registrerad"),
                 registrerad_av=avtal_bas.get("registrerad_av"))  # fmt: skip
            lagg("genomford_utvardering_mal", utvm_bas, genomford_utvardering_id=utv_id,
                 avtal_id=id_, mal_nr=1, utfall=MAL[(i + 1) % len(MAL)][2],
                 maluppfyllelse="1.0000")  # fmt: skip
        avtalet = kedja.avtal_i_historiken(avtalets.pop("avtal")[0], avtalets)
        handelse("registrerad", o.orgnr, id_, avtalet)
        if i % 3 == 0:
            # Som `register utvärdera`: händelsen bär utvärderingen med sina utfall, så att
            # importen och kontrollen ser att den förklarar utvärderingen.
            utv = dict(zip(tabeller["genomford_utvardering"]["kolumner"],
                           rader["genomford_utvardering"][-1], strict=True))  # fmt: skip
            utvm = dict(zip(tabeller["genomford_utvardering_mal"]["kolumner"],
                            rader["genomford_utvardering_mal"][-1], strict=True))  # fmt: skip
            mal = {k: utvm[k] for k in ("mal_nr", "utfall", "kommentar", "maluppfyllelse")}
            handelse("utvärdering", o.orgnr, id_, {**utv, "mal": [mal]})
    kedja.kedja(handelser, 1, None)
    rader["handelse"] = [[h[k] for k in tabeller["handelse"]["kolumner"]] for h in handelser]
    with fil.open("w", encoding="utf-8") as ut:
        # Samma form som `partner register export`: en tabellrad per rad.
        ut.write(json.dumps({k: v for k, v in mall.items() if k != "tabeller"})[:-1])
        ut.write(', "tabeller": {')
        for j, (tabell, lista) in enumerate(rader.items()):
            kolumner = json.dumps(tabeller[tabell]["kolumner"], ensure_ascii=False)
            ut.write(f'{"," if j else ""}\n"{tabell}": {{"kolumner": {kolumner}, "rader": [')
            ut.write(",".join("\n  " + json.dumps(r, ensure_ascii=False) for r in lista))
            ut.write("\n]}")
        ut.write("\n}}\n")


# Golven: samma siffror ur en handskriven SQL-fråga, i en egen process som partner.
SQL_GOLV = """\
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rader = conn.execute(sys.argv[2], sys.argv[3:]).fetchall()
sys.stdout.write("\\n".join("\\t".join(map(str, r)) for r in rader))
"""
SQL_AGARE = """\
SELECT o.namn, o.organisationsnummer, o.avtalsagare_namn, o.avtalsagare_enhet, count(a.id),
       count(a.id) FILTER (WHERE a.period_start <= date('now') AND a.period_slut >= date('now'))
FROM organisation o LEFT JOIN avtal a USING (organisationsnummer)
GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer"""
# Rapportens avsnitt, ett i taget, med samma urval och ordning som rapporten: årets partnerskap
# med kommunens bidrag under året och andelar, organisationerna med sina avtal, beslutade
# undantag, indikatorerna för året och året före (beloppen som årets delar), planerade
# utvärderingar med status, senaste målutfallen, ekonomiska risker, avtal som slutar utan
# slututvärdering och utvecklingsområdena. Parametrarna: år, föregående år, brytdagen, gränsen
# för offentligt beroende (täljare, nämnare) och dagen 90 dagar efter årets slut.
SQL_GOLV_AVSNITT = """\
import json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
parametrar = json.loads(sys.argv[3])
ut = []
for fraga in json.loads(sys.argv[2]):
    for r in conn.execute(fraga, parametrar):
        ut.append("\\t".join(map(str, r)))
sys.stdout.write("\\n".join(ut))
"""
_SISTA_GOLV = "coalesce(a.avslutat_datum, a.period_slut)"


def _aktiva_golv(start: str = ":start", slut: str = ":slut") -> str:
    return f"a.period_start <= {slut} AND {_SISTA_GOLV} >= {start} AND a.makulerat_beslut IS NULL"


_AKTIVA_GOLV = _aktiva_golv()


def _arsdelar_golv(
    belopp: dict[str, tuple[str, bool]], forra: bool = False, villkor: str = ""
) -> str:
    """`delar(id, namn …)`: årets del av varje belopp för årets avtal, som rapporten räknar
    den: jämnt över periodens dagar per kalenderår i hela öre, nedåt, och de öre som fattas
    till åren med störst rest (vid lika rest det tidigare); ett avtal som avslutats i förtid
    med delen för dagarna det löpte; det kontanta bidraget (`True`) ur utbetalningsplanen när
    avtalet har en. Avtal × kalenderår, dagarna som heltal ur unixepoch; `villkor` väljer
    färre avtal."""
    ar, start, slut = (":forra_ar", ":forra_start", ":forra_slut") if forra else (
        ":ar", ":start", ":slut")  # fmt: skip
    dag = "unixepoch({}) / 86400"
    b = "".join(
        f", {u} - a.kommunen_kontant * (plan IS NOT NULL) AS {n}" if kontant else f", {u} AS {n}"
        for n, (u, kontant) in belopp.items()
    )
    spridd = "".join(
        f", CASE WHEN avtalade IS NULL THEN {n} ELSE {n} * (d1 - d0 + 1) / avtalade END AS {n}"
        for n in belopp
    )
    dagar = "(min(x.d1, y.s) - max(x.d0, y.f) + 1)"
    delar = "".join(
        f", x.{n} * x.dy / x.n + (sum(x.{n} * {dagar} % x.n > x.{n} * x.dy % x.n OR "
        f"(x.{n} * {dagar} % x.n = x.{n} * x.dy % x.n AND y.k < {ar})) < "
        f"sum(x.{n} * {dagar} % x.n) / x.n) + "
        f"{'coalesce(x.arets_plan, 0)' if belopp[n][1] else '0'} AS {n}"
        for n in belopp
    )
    return f"""WITH RECURSIVE grund AS MATERIALIZED (
        SELECT id, d0, d1, d1 - d0 + 1 AS n,
            min(d1, {dag.format(slut)}) - max(d0, {dag.format(start)}) + 1 AS dy,
            arets_plan{spridd}
        FROM (SELECT a.id, a.d0, a.d1, a.avtalade, a.arets_plan{b}
            FROM (SELECT a.*, {dag.format("a.period_start")} AS d0,
                    {dag.format(_SISTA_GOLV)} AS d1,
                    CASE WHEN a.avslutat_datum IS NOT NULL THEN {dag.format("a.period_slut")}
                        - {dag.format("a.period_start")} + 1 END AS avtalade,
                    (SELECT 1 FROM utbetalning u WHERE u.avtal_id = a.id LIMIT 1) AS plan,
                    (SELECT u.belopp FROM utbetalning u WHERE u.avtal_id = a.id AND u.ar = {ar})
                        AS arets_plan
                FROM avtal a WHERE {_aktiva_golv(start, slut)} {villkor}) a)),
    ar(k, f, s) AS (
        SELECT k, {dag.format("printf('%04d-01-01', k)")}, {dag.format("printf('%04d-12-31', k)")}
        FROM (SELECT CAST(strftime('%Y', min(d0) * 86400, 'unixepoch') AS INTEGER) AS k
            FROM grund)
        UNION ALL
        SELECT k + 1, {dag.format("printf('%04d-01-01', k + 1)")},
            {dag.format("printf('%04d-12-31', k + 1)")}
        FROM ar WHERE s < (SELECT max(d1) FROM grund)),
    delar AS (
        SELECT x.id{delar}
        FROM grund x JOIN ar y ON y.f <= x.d1 AND y.s >= x.d0 GROUP BY x.id)"""


_INDIKATORBELOPP_GOLV = {
    "garanterad": ("a.garanterad", False),
    "naringsliv": ("a.naringsliv", False),
    "total": ("a.total", True),
    "offentliga": (
        "coalesce(a.fordelning_offentliga, (SELECT coalesce(sum(f.kontant + f.in_kind), 0) "
        "FROM finansiar f WHERE f.avtal_id = a.id AND f.garanterad AND f.kategori = 'offentlig'))",
        False,
    ),
}
SQL_RAPPORT_AVSNITT = [
    f"""{_arsdelar_golv({"kommunen": ("a.kommunen_kontant + a.kommunen_in_kind", True)})}
    SELECT a.id, o.namn, a.typ, a.period_start, {_SISTA_GOLV}, a.period_start >= :start,
        d.kommunen, a.garanterad * 1000 / a.total, a.naringsliv * 1000 / a.total, a.initiativ
    FROM delar d JOIN avtal a ON a.id = d.id JOIN organisation o USING (organisationsnummer)
    ORDER BY a.period_start, a.id""",
    f"""SELECT o.namn, o.organisationsnummer, o.avtalsagare_namn, o.avtalsagare_enhet, count(*),
        group_concat(a.id, ', ')
    FROM avtal a JOIN organisation o USING (organisationsnummer)
    WHERE {_AKTIVA_GOLV} GROUP BY o.organisationsnummer ORDER BY o.namn, o.organisationsnummer""",
    f"""SELECT u.avtal_id, u.regel, u.beslut, u.beslutsdatum, u.motivering, u.giltigt_till
    FROM undantag u JOIN avtal a ON a.id = u.avtal_id
    WHERE {_AKTIVA_GOLV} AND (u.giltigt_till IS NULL OR u.giltigt_till >= {_SISTA_GOLV})
    ORDER BY u.avtal_id, u.nr""",
    *(
        f"""{_arsdelar_golv(_INDIKATORBELOPP_GOLV, forra)}
        SELECT count(*), count(*) FILTER (WHERE a.period_start >= {start}),
            sum(d.garanterad), sum(d.naringsliv), sum(d.total), sum(d.offentliga),
            count(*) FILTER (WHERE a.initiativ = 'näringslivet'),
            count(*) FILTER (WHERE a.initiativ = 'gemensamt'),
            count(*) FILTER (WHERE a.initiativ = 'kommunen'),
            count(DISTINCT a.organisationsnummer)
        FROM delar d JOIN avtal a ON a.id = d.id"""
        for start, forra in ((":start", False), (":forra_start", True))
    ),
    """SELECT p.avtal_id, o.namn, p.datum, p.typ,
        (SELECT count(*) FROM planerad_utvardering q WHERE q.avtal_id = p.avtal_id
            AND q.typ = p.typ AND (q.datum < p.datum OR (q.datum = p.datum AND q.nr <= p.nr)))
        <= (SELECT count(*) FROM genomford_utvardering u WHERE u.avtal_id = p.avtal_id
            AND u.typ = p.typ AND u.datum <= :brytdag)
    FROM planerad_utvardering p JOIN avtal a ON a.id = p.avtal_id
        JOIN organisation o USING (organisationsnummer)
    WHERE p.datum BETWEEN :start AND :slut AND a.makulerat_beslut IS NULL
    ORDER BY p.datum, p.avtal_id, p.nr""",
    f"""WITH senaste AS (
        SELECT u.id, u.avtal_id, u.datum, row_number() OVER (
            PARTITION BY u.avtal_id ORDER BY u.datum DESC, u.id DESC) AS k
        FROM genomford_utvardering u JOIN avtal a ON a.id = u.avtal_id
        WHERE u.datum <= :brytdag AND {_AKTIVA_GOLV})
    SELECT s.avtal_id, s.datum, um.mal_nr, m.beskrivning, m.malvarde, um.utfall,
        um.maluppfyllelse
    FROM senaste s JOIN genomford_utvardering_mal um ON um.genomford_utvardering_id = s.id
        JOIN mal m ON m.avtal_id = s.avtal_id AND m.nr = um.mal_nr
    WHERE s.k = 1 ORDER BY s.avtal_id, um.mal_nr""",
    f"""WITH senaste AS (
        SELECT a.*, max(a.period_start || a.id) FROM avtal a
        WHERE {_AKTIVA_GOLV} GROUP BY a.organisationsnummer)
    SELECT o.namn, s.organisationsnummer, s.id, s.ekonomi_omsattning, s.ekonomi_resultat,
        s.ekonomi_eget_kapital, s.ekonomi_offentlig_finansiering, s.ekonomi_rakenskapsar
    FROM senaste s JOIN organisation o USING (organisationsnummer)
    WHERE s.ekonomi_eget_kapital < 0 OR s.ekonomi_resultat < 0
        OR s.ekonomi_offentlig_finansiering * :gn > :gt * s.ekonomi_omsattning
    ORDER BY o.namn, s.organisationsnummer""",
    f"""SELECT o.namn, a.organisationsnummer, a.id, {_SISTA_GOLV}
    FROM avtal a JOIN organisation o USING (organisationsnummer)
    WHERE {_SISTA_GOLV} > :slut AND {_SISTA_GOLV} <= :grans AND a.makulerat_beslut IS NULL
        AND NOT EXISTS (SELECT 1 FROM genomford_utvardering u
        WHERE u.avtal_id = a.id AND u.typ = 'slututvärdering' AND u.datum <= :brytdag)
    ORDER BY 4, a.id""",
    f"""{
        _arsdelar_golv(
            {
                "kommunen": (
                    "coalesce(a.fordelning_kommunen, a.kommunen_kontant + a.kommunen_in_kind)",
                    True,
                ),
                "medfinansiering": (
                    "coalesce(a.fordelning_naringslivet + a.fordelning_offentliga "
                    "+ a.fordelning_ovriga, a.garanterad)",
                    False,
                ),
                "total": ("a.total", True),
            },
            villkor="AND a.id IN (SELECT avtal_id FROM utvecklingsomrade)",
        )
    }
    SELECT u.namn, count(*), sum(d.kommunen), sum(d.medfinansiering), sum(d.total)
    FROM delar d JOIN utvecklingsomrade u ON u.avtal_id = d.id
    GROUP BY u.namn ORDER BY u.namn""",
]


def rapportparametrar(ar: int) -> dict[str, Any]:
    """Golvets parametrar för rapporten för året, som `partner report --år` räknar dem per en
    dag efter året (brytdagen är årets sista dag; gränsen är partner.toml:s standard)."""
    return {
        "ar": ar, "forra_ar": ar - 1,
        "start": f"{ar}-01-01", "slut": f"{ar}-12-31", "forra_start": f"{ar - 1}-01-01",
        "forra_slut": f"{ar - 1}-12-31", "brytdag": f"{ar}-12-31", "gt": 1, "gn": 2,
        "grans": (datetime.date(ar, 12, 31) + datetime.timedelta(days=90)).isoformat(),
    }  # fmt: skip


SAKNAS_REGISTER = "kommandot `partner register` saknas ännu"
SAKNAS_REPORT = "kommandot `partner report` saknas ännu"
SAKNAS_BEVAKA = "kommandona `partner bevaka` och `publicera` saknas ännu"


def del_register(data: Path, n: int, avtal: int, rep: int, env: dict[str, str]) -> list[Matning]:
    partner = verktyg("partner")
    assert partner is not None
    har_register = _har_kommando(partner, env, "register")
    namn_import = f"register import ({avtal} avtal)"
    namn_add, namn_check = f"register add ({n} filer)", f"partner check ({n} godkända filer)"
    namn_sync = f"register sync ({n} oförändrade avtal)"
    namn_report, namn_agare = f"report --år {RAPPORTAR}", "register ägare"
    namn_per = f"report --år {RAPPORTAR} --per {RAPPORTAR}-12-31"
    golv_report, golv_agare = "golv: SQL för report", "golv: SQL för ägare"
    if not har_register:
        return [
            mat(m, None, rep, saknas=SAKNAS_REGISTER)
            for m in (namn_import, namn_check, namn_add, namn_sync, golv_report, namn_report,
                      namn_per, golv_agare, namn_agare)
        ]  # fmt: skip
    print(f"Genererar {n} godkända förslag och ett register med {avtal} avtal …", flush=True)
    filer = generera(data / "godkanda", n, seed=7, alla_godkanda=True)
    mall = mall_export(data, filer[:3], partner, env)
    export = data / "register-export.json"
    generera_export(export, mall, avtal, max(1, avtal // 5))
    db = data / "register.db"

    rader = [
        mat(namn_import, [partner, "register", "import", str(export), "--register", str(db)], 1,
            env=env, fore=tom(db)),
        *add_rader(partner, data, n, rep, env),
    ]  # fmt: skip
    arkiv, arkivdb = arkiv_for_sync(data, partner, env)
    rader.append(
        mat(namn_sync, [partner, "register", "sync", str(arkiv), "--sanktionerad-av", "Bench",
                        "--register", str(arkivdb)],
            rep, env=env, golv=namn_check, budget=1.5)
    )  # fmt: skip
    rader += rapportens_rader(partner, db, rep, env)
    rader += [
        mat(golv_agare, [sys.executable, "-c", SQL_GOLV, str(db), SQL_AGARE], rep, env=env),
        mat(namn_agare, [partner, "register", "ägare", "--register", str(db)], rep, env=env,
            golv=golv_agare, budget=2.0, budget_sekunder=1.0),
    ]  # fmt: skip
    rader += del_bevaka_publicera(data, db, partner, rep, env)
    return rader


def tom(fil: Path) -> Callable[[], None]:
    """Tar bort registret `fil` med dess -wal och -shm, så att nästa körning skapar det."""

    def rensa() -> None:
        for p in fil.parent.glob(fil.name + "*"):
            p.unlink()

    return rensa


def add_rader(partner: str, data: Path, n: int, rep: int, env: dict[str, str]) -> list[Matning]:
    """`partner check` och `register add` av de godkända filerna i `data`, varvade och med ett
    nytt register för varje add: kvoten mäts under samma last, inte efter den."""
    namn_add, namn_check = f"register add ({n} filer)", f"partner check ({n} godkända filer)"
    db = data / "add.db"
    return varvade([
        lambda: mat(namn_check, [partner, "check", str(data / "godkanda"), "--format", "json"],
                    1, env=env),
        lambda: mat(namn_add, [partner, "register", "add", str(data / "godkanda"),
                               "--sanktionerad-av", "Bench", "--register", str(db)],
                    1, env=env, fore=tom(db), golv=namn_check, budget=1.3),
    ], rep)  # fmt: skip


def del_add(data: Path, n: int, rep: int, env: dict[str, str]) -> list[Matning]:
    """Bara `partner check` och `register add` (`--bara add`), utan registret med M avtal."""
    partner = verktyg("partner")
    assert partner is not None
    if not _har_kommando(partner, env, "register"):
        return [mat(f"register add ({n} filer)", None, rep, saknas=SAKNAS_REGISTER)]
    generera(data / "godkanda", n, seed=7, alla_godkanda=True)
    return add_rader(partner, data, n, rep, env)


def varvade(rader: Sequence[Callable[[], Matning]], rep: int) -> list[Matning]:
    """Raderna körda varvat `rep` gånger, en körning av var per varv och med en annan rad
    först varje varv: ett golv och kommandona som jämförs med det mäts under samma last på en
    delad maskin, och ingen rad får alltid den första eller sista platsen i en följd."""
    ut: list[Matning | None] = [None] * len(rader)
    for varv in range(rep):
        for j in (*range(varv % len(rader), len(rader)), *range(varv % len(rader))):
            ny = rader[j]()
            m = ut[j]
            if m is None:
                ut[j] = ny
                continue
            m.sekunder += ny.sekunder
            m.cpu_sekunder += ny.cpu_sekunder
            m.max_rss_mb = max(m.max_rss_mb, ny.max_rss_mb)
    return [m for m in ut if m is not None]


def rapportens_rader(partner: str, db: Path, rep: int, env: dict[str, str]) -> list[Matning]:
    """Golvet för rapporten, `report --år` och `report --per` på registret `db`, varvade."""
    har_report = _har_kommando(partner, env, "report")
    namn_report, golv_report = f"report --år {RAPPORTAR}", "golv: SQL för report"
    report = [partner, "report", "--år", str(RAPPORTAR), "--register", str(db)]
    # Per årets sista dag, utan versioner som gäller senare: bara genomläsningen av loggen.
    per = [*report[:4], "--per", f"{RAPPORTAR}-12-31", *report[4:]]
    return varvade([
        lambda: mat(golv_report, [sys.executable, "-c", SQL_GOLV_AVSNITT, str(db),
                                  json.dumps(SQL_RAPPORT_AVSNITT),
                                  json.dumps(rapportparametrar(RAPPORTAR))], 1, env=env),
        lambda: mat(namn_report, report if har_report else None, 1, saknas=SAKNAS_REPORT,
                    env=env, golv=golv_report, budget=1.5, budget_sekunder=1.0),
        lambda: mat(f"report --år {RAPPORTAR} --per {RAPPORTAR}-12-31",
                    per if har_report else None, 1, saknas=SAKNAS_REPORT, env=env,
                    golv=namn_report, budget=1.2),
    ], rep)  # fmt: skip


def tidigare_register(data: Path, n: int, avtal: int, env: dict[str, str]) -> Path | None:
    """Registret som en tidigare körning byggde av samma export (`--bara rapport` och `--bara
    bevaka`); saknas det byggs det först, som i registrets del (utan att mätas). None när
    `partner` saknar registret."""
    partner = verktyg("partner")
    assert partner is not None
    db, export = data / "register.db", data / "register-export.json"
    if not _har_kommando(partner, env, "register"):
        return None
    if not db.exists() or not export.exists() or db.stat().st_mtime < export.stat().st_mtime:
        print(f"Bygger ett register med {avtal} avtal …", flush=True)
        filer = generera(data / "godkanda", n, seed=7, alla_godkanda=True)
        generera_export(export, mall_export(data, filer[:3], partner, env), avtal,
                        max(1, avtal // 5))  # fmt: skip
        for p in data.glob(db.name + "*"):
            p.unlink()
        subprocess.run([partner, "register", "import", str(export), "--register", str(db)],
                       check=True, capture_output=True, env=env)  # fmt: skip
    # Ett register från en äldre schemaversion förs till den aktuella av första läsningen:
    # den görs här, utan att mätas, så att ingen mätt körning migrerar.
    subprocess.run([partner, "register", "ägare", "--register", str(db)], check=True,
                   capture_output=True, env=env)  # fmt: skip
    return db


def del_rapport(data: Path, n: int, avtal: int, rep: int, env: dict[str, str]) -> list[Matning]:
    """Bara rapportens rader (`--bara rapport`), på registret från en tidigare körning."""
    db = tidigare_register(data, n, avtal, env)
    if db is None:
        return [mat("golv: SQL för report", None, rep, saknas=SAKNAS_REGISTER)]
    partner = verktyg("partner")
    assert partner is not None
    return rapportens_rader(partner, db, rep, env)


def del_bevaka(data: Path, n: int, avtal: int, rep: int, env: dict[str, str]) -> list[Matning]:
    """Bara bevakningens, publiceringens och kontrollens rader (`--bara bevaka`), på registret
    från en tidigare körning."""
    db = tidigare_register(data, n, avtal, env)
    if db is None:
        return [mat("golv: SQL för bevaka", None, rep, saknas=SAKNAS_REGISTER)]
    partner = verktyg("partner")
    assert partner is not None
    return del_bevaka_publicera(data, db, partner, rep, env)


def arkiv_for_sync(data: Path, partner: str, env: dict[str, str]) -> tuple[Path, Path]:
    """Ett förslagsarkiv med de godkända förslagen i forslag/ och ett register som redan
    stämmer med det (byggt av en första `register sync`, som inte mäts): den mätta körningen
    känner igen varje fil som oförändrad."""
    arkiv, db = data / "arkiv", data / "arkiv.db"
    if arkiv.exists():
        shutil.rmtree(arkiv)
    shutil.copytree(data / "godkanda", arkiv / "forslag", ignore=shutil.ignore_patterns(".*"))
    (arkiv / "partner.toml").write_text("", encoding="utf-8")
    for p in data.glob(db.name + "*"):
        p.unlink()
    subprocess.run(
        [partner, "register", "sync", str(arkiv), "--sanktionerad-av", "Bench",
         "--register", str(db)],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    return arkiv, db


# Bevakningen per en dag mitt i registrets tio år, och öppna data för rapportåret.
BEVAKA_PER = f"{RAPPORTAR}-06-01"
BEVAKA_DAGAR = 60  # partner.toml:s standard för [bevaka] dagar
MAX_ALDER_AR = 2  # partner.toml:s standard för [regler.ekonomi] max_ålder_år

# Golvet för bevakningen: samma bevakningar ur handskriven SQL, en fråga per slag med raderna
# i datumets ordning och avtalsägaren ur organisationen, tabbseparerade (datum, slag, avtal,
# organisation, ägare, enhet, försenad) utan grupperingen per ägare och utan texterna.
# Planerade utvärderingar som inte är gjorda per dagen (den k:te planerade av en typ är gjord
# när minst k av typen är registrerade) och infaller senast sista dagen; avtal som slutar senast
# sista dagen utan planerad eller registrerad slututvärdering; undantag som går ut senast
# sista dagen medan avtalet löper; avtal som slutar från dagen till sista dagen med en för
# gammal årsredovisning för en förnyelse. Parametrarna: dagen, sista dagen och max_ålder_år.
_BEVAKAD = "o.namn, o.avtalsagare_namn, o.avtalsagare_enhet"
_GJORDA_GOLV = """(SELECT count(*) FROM genomford_utvardering u
    WHERE u.avtal_id = p.avtal_id AND u.typ = p.typ AND u.datum <= :idag)"""
SQL_BEVAKA_AVSNITT = [
    f"""SELECT p.datum, 'utvärdering', p.avtal_id, {_BEVAKAD}, p.datum < :idag
    FROM planerad_utvardering p JOIN avtal a ON a.id = p.avtal_id
        JOIN organisation o USING (organisationsnummer)
    WHERE p.datum <= :till AND a.makulerat_beslut IS NULL
        AND (NOT EXISTS (SELECT 1 FROM genomford_utvardering u
                WHERE u.avtal_id = p.avtal_id AND u.typ = p.typ AND u.datum <= :idag)
            OR {_GJORDA_GOLV} < (SELECT count(*) FROM planerad_utvardering q
                WHERE q.avtal_id = p.avtal_id AND q.typ IS p.typ AND (q.datum IS NULL
                    OR q.datum < p.datum OR (q.datum = p.datum AND q.nr <= p.nr))))
    ORDER BY p.datum, p.avtal_id, p.nr""",
    f"""SELECT {_SISTA_GOLV}, 'slut', a.id, {_BEVAKAD}, {_SISTA_GOLV} < :idag
    FROM avtal a JOIN organisation o USING (organisationsnummer)
    WHERE {_SISTA_GOLV} <= :till AND a.makulerat_beslut IS NULL
        AND NOT EXISTS (SELECT 1 FROM planerad_utvardering p
            WHERE p.avtal_id = a.id AND p.typ = 'slututvärdering')
        AND NOT EXISTS (SELECT 1 FROM genomford_utvardering u
            WHERE u.avtal_id = a.id AND u.typ = 'slututvärdering')
    ORDER BY 1, a.id""",
    f"""SELECT u.giltigt_till, 'undantag', a.id, {_BEVAKAD}, u.giltigt_till < :idag
    FROM undantag u JOIN avtal a ON a.id = u.avtal_id
        JOIN organisation o USING (organisationsnummer)
    WHERE u.giltigt_till <= :till AND {_SISTA_GOLV} >= :idag AND a.makulerat_beslut IS NULL
    ORDER BY 1, a.id, u.nr""",
    f"""SELECT {_SISTA_GOLV}, 'ekonomi', a.id, {_BEVAKAD}, 0
    FROM avtal a JOIN organisation o USING (organisationsnummer)
    WHERE {_SISTA_GOLV} BETWEEN :idag AND :till AND a.makulerat_beslut IS NULL
        AND a.ekonomi_rakenskapsar < CAST(strftime('%Y', {_SISTA_GOLV}, '+1 day') AS INTEGER)
            - :max_alder
    ORDER BY 1, a.id""",
]

# Golvet för publiceringen: årets avtal (aktiva någon dag under året) ur SQL med beloppen som
# kronor med två decimaler, skrivna med csv- och json-modulerna som en CSV-fil, en JSON-fil
# med en post per avtal och ett 360Giving-paket med ett bidrag per avtal: lika många rader
# och filer som `partner publicera`, utan självkontroll och skydd av personuppgifter.
GOLV_PUBLICERA = """\
import csv, json, os, sqlite3, sys
db, ut, ar = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
kr = "printf('%d.%02d', ({0}) / 100, ({0}) % 100)"
belopp = ("a.kommunen_kontant", "a.kommunen_in_kind", "a.medfinansiering", "a.garanterad",
          "a.naringsliv", "a.total", "a.kommunen_kontant + a.kommunen_in_kind")
fraga = conn.execute(
    f\"\"\"SELECT a.id, a.titel, a.typ, coalesce(a.diarienummer, ''), o.namn,
        a.organisationsnummer, 'SE-ON-' || replace(a.organisationsnummer, '-', ''), o.kategori,
        a.period_start, coalesce(a.avslutat_datum, a.period_slut),
        CASE WHEN a.period_start >= :start THEN 'ja' ELSE 'nej' END, a.initiativ,
        {", ".join(kr.format(b) for b in belopp)}, substr(a.registrerad, 1, 10)
    FROM avtal a JOIN organisation o USING (organisationsnummer)
    WHERE a.period_start <= :slut AND coalesce(a.avslutat_datum, a.period_slut) >= :start
        AND a.makulerat_beslut IS NULL
    ORDER BY a.period_start, a.id\"\"\",
    {"start": f"{ar}-01-01", "slut": f"{ar}-12-31"},
)
kolumner = [d[0] for d in fraga.description][:18]
rader = fraga.fetchall()
os.makedirs(ut, exist_ok=True)
with open(os.path.join(ut, "golv.csv"), "w", encoding="utf-8", newline="") as f:
    skrivare = csv.writer(f, lineterminator="\\n")
    skrivare.writerow(kolumner)
    skrivare.writerows(r[:18] for r in rader)
# json.dumps (C-kodaren) och en skrivning: json.dump till en fil kodar i Python, bit för bit.
with open(os.path.join(ut, "golv.json"), "w", encoding="utf-8") as f:
    f.write(json.dumps({"år": ar, "avtal": [dict(zip(kolumner, r)) for r in rader]},
                       ensure_ascii=False))
with open(os.path.join(ut, "golv-360giving.json"), "w", encoding="utf-8") as f:
    f.write(json.dumps({"grants": [
        {"id": "360G-bench-" + r[0], "title": r[1], "currency": "SEK",
         "amountAwarded": r[18], "awardDate": r[19],
         "plannedDates": [{"startDate": r[8], "endDate": r[9]}],
         "recipientOrganization": [{"id": r[6], "name": r[4]}]}
        for r in rader]}, ensure_ascii=False))
"""

# Golvet för `register kontroll`: varje händelse läst ur loggen och kedjan räknad om med
# hashlib (innehållet som kanonisk JSON med föregående händelses hash, som register/kedja.py);
# skriver antalet händelser och antalet brott. Kontrollen gör mer (invarianterna, och att
# händelserna förklarar varje organisation och avtal); ingen budget.
GOLV_KEDJA = """\
import hashlib, json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
koda = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
foregaende, antal, brott = None, 0, 0
for *innehall, lagrad_foregaende, lagrad in conn.execute(
    "SELECT id, tid, vem, vad, organisationsnummer, avtal_id, fore, efter, foregaende, sha256 "
    "FROM handelse ORDER BY id"
):
    antal += 1
    innehall.append(foregaende)
    if lagrad_foregaende != foregaende or lagrad != hashlib.sha256(
        koda(innehall).encode("ascii")
    ).hexdigest():
        brott += 1
    foregaende = lagrad
sys.stdout.write(f"{antal}\\t{brott}\\n")
"""


def bevakningsparametrar(idag: str, dagar: int = BEVAKA_DAGAR) -> dict[str, Any]:
    """Golvets parametrar för bevakningen per `idag` med `dagar` dagars framförhållning."""
    till = datetime.date.fromisoformat(idag) + datetime.timedelta(days=dagar)
    return {"idag": idag, "till": till.isoformat(), "max_alder": MAX_ALDER_AR}


def publiceringskonfig(fil: Path) -> Path:
    """En partner.toml med [kommun] och [publicera] ifyllda: publiceringen lyckas (kod 0)."""
    fil.write_text(
        '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n\n'
        '[publicera]\nbidragsprefix = "360G-bench"\nkontakt_epost = "bench@example.se"\n'
        'adress = "https://example.se/data/"\n',
        encoding="utf-8",
    )
    return fil


def del_bevaka_publicera(
    data: Path, db: Path, partner: str, rep: int, env: dict[str, str]
) -> list[Matning]:
    toml = publiceringskonfig(data / "publicera.toml")
    namn_bevaka = f"bevaka --per {BEVAKA_PER}"
    namn_ics = f"bevaka --per {BEVAKA_PER} --format ics"
    namn_publicera = f"publicera --år {RAPPORTAR}"
    golv_bevaka, golv_publicera = "golv: SQL för bevaka", "golv: SQL och json för publicera"
    golv_kedja, namn_kontroll = "golv: hashlib för händelsekedjan", "register kontroll"
    har = _har_kommando(partner, env, "bevaka")
    # Bänkens register har försenade bevakningar (kod 1, som partner bevaka säger det).
    bevaka = [partner, "bevaka", "--per", BEVAKA_PER, "--register", str(db), "--config", str(toml)]
    publicera = [partner, "publicera", "--år", str(RAPPORTAR), "--ut", str(data / "oppna-data"),
                 "--register", str(db), "--config", str(toml)]  # fmt: skip
    # Varvade, som rapportens rader: golven och kommandona mäts under samma last.
    return varvade([
        lambda: mat(golv_bevaka, [sys.executable, "-c", SQL_GOLV_AVSNITT, str(db),
                                  json.dumps(SQL_BEVAKA_AVSNITT),
                                  json.dumps(bevakningsparametrar(BEVAKA_PER))], 1, env=env),
        lambda: mat(namn_bevaka, bevaka if har else None, 1, saknas=SAKNAS_BEVAKA, env=env,
                    golv=golv_bevaka, budget_sekunder=1.0, koder=(1,)),
        lambda: mat(namn_ics, [*bevaka, "--format", "ics", "--ut", str(data / "bevakning.ics")]
                    if har else None, 1, saknas=SAKNAS_BEVAKA, env=env, golv=golv_bevaka,
                    budget_sekunder=1.0, koder=(1,)),
        lambda: mat(golv_publicera, [sys.executable, "-c", GOLV_PUBLICERA, str(db),
                                     str(data / "oppna-data-golv"), str(RAPPORTAR)], 1, env=env),
        lambda: mat(namn_publicera, publicera if har else None, 1, saknas=SAKNAS_BEVAKA,
                    env=env, golv=golv_publicera, budget_sekunder=1.0),
        lambda: mat(golv_kedja, [sys.executable, "-c", GOLV_KEDJA, str(db)], 1, env=env),
        lambda: mat(namn_kontroll, [partner, "register", "kontroll", "--register", str(db)], 1,
                    env=env, golv=golv_kedja),
    ], rep)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Tabell och resultat


def kvot(m: Matning, rader: dict[str, Matning]) -> float | None:
    if m.golv is None or m.median is None:
        return None
    golv = rader.get(m.golv)
    if golv is None or golv.median is None:
        return None
    return m.median / golv.median


def budget_uppfylld(m: Matning, rader: dict[str, Matning]) -> bool | None:
    if m.median is None:
        return None
    delar: list[bool] = []
    k = kvot(m, rader)
    if m.budget is not None and k is not None:
        delar.append(k >= m.budget if m.minst else k <= m.budget)
    if m.budget_sekunder is not None:
        delar.append(m.median < m.budget_sekunder)
    return all(delar) if delar else None


def tabell(matningar: list[Matning]) -> str:
    efter_namn = {m.namn: m for m in matningar}
    huvud = (
        "mätning",
        "median s",
        "körn.",
        "cpu s",
        "max RSS MB",
        "kod",
        "kvot",
        "mot",
        "budget",
        "uppfylld",
    )
    rader = [huvud]
    for m in matningar:
        if m.saknas:
            rader.append((m.namn, "saknas", "", "", "", "", "", "", "", m.saknas))
            continue
        k = kvot(m, efter_namn)
        ok = budget_uppfylld(m, efter_namn)
        budget = []
        if m.budget is not None:
            budget.append(f"{'≥' if m.minst else '≤'} {m.budget:g}×")
        if m.budget_sekunder is not None:
            budget.append(f"< {m.budget_sekunder:g} s")
        rader.append(
            (
                m.namn,
                f"{m.median:.3f}",
                str(len(m.sekunder)),
                f"{statistics.median(m.cpu_sekunder):.3f}",
                f"{m.max_rss_mb:.0f}",
                str(m.avslutningskod),
                f"{k:.2f}×" if k is not None else "",
                m.golv or "",
                ", ".join(budget),
                "" if ok is None else ("ja" if ok else "NEJ"),
            )
        )
    bredd = [max(len(r[i]) for r in rader) for i in range(len(huvud))]
    return "\n".join("  ".join(c.ljust(bredd[i]) for i, c in enumerate(r)).rstrip() for r in rader)


def maskin() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for rad in Path("/proc/cpuinfo").read_text().splitlines():
            if rad.startswith("model name"):
                cpu = rad.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000, help="antal förslag (standard 10 000)")
    p.add_argument("--rep", type=int, default=3, help="upprepningar per mätning (median)")
    p.add_argument(
        "--avtal", type=int, default=100_000, help="avtal i registret (standard 100 000)"
    )
    p.add_argument(
        "--bara",
        choices=("check", "register", "add", "rapport", "bevaka"),
        help=(
            "kör bara en del (add: check och register add av samma filer; rapport: rapportens "
            "rader på registret från en tidigare körning; bevaka: bevakningens, publiceringens "
            "och kontrollens rader på samma register)"
        ),
    )
    p.add_argument(
        "--kurva",
        type=lambda t: [int(x) for x in t.split(",")],
        default=[],
        help="antal filer för kurvan, till exempel 100,1000,10000,50000",
    )
    p.add_argument("--data", type=Path, default=BENCH / "data", help="arbetskatalog")
    p.add_argument("--ut", type=Path, default=BENCH / "results.json", help="resultatfil (JSON)")
    a = p.parse_args(argv)
    a.data.mkdir(parents=True, exist_ok=True)
    # Ingen partner.toml eller register från omgivningen påverkar mätningen.
    # PYTHONDONTWRITEBYTECODE bort: som hos en användare läses moduler ur .pyc, inte källan.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PARTNER_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    matningar: list[Matning] = []
    if a.bara in (None, "check"):
        matningar += del_check(a.data, a.n, a.rep, env)
        matningar += del_kurva(a.data, a.kurva, a.rep, env)
    if a.bara in (None, "register"):
        matningar += del_register(a.data, a.n, a.avtal, a.rep, env)
    if a.bara == "add":
        matningar += del_add(a.data, a.n, a.rep, env)
    if a.bara == "rapport":
        matningar += del_rapport(a.data, a.n, a.avtal, a.rep, env)
    if a.bara == "bevaka":
        matningar += del_bevaka(a.data, a.n, a.avtal, a.rep, env)
    text = tabell(matningar)
    info = maskin()
    print()
    print(f"Maskin: {info['nproc']} kärnor, {info['cpu']}, Python {info['python']}")
    print(f"N = {a.n} förslag, {a.avtal} avtal, median av {a.rep} körningar")
    print(text)
    efter_namn = {m.namn: m for m in matningar}
    resultat = {
        "maskin": info,
        "n": a.n,
        "avtal": a.avtal,
        "rep": a.rep,
        "matningar": [
            {
                **asdict(m),
                "median": m.median,
                "kvot": kvot(m, efter_namn),
                "uppfylld": budget_uppfylld(m, efter_namn),
            }
            for m in matningar
        ],
        "tabell": text,
    }
    a.ut.parent.mkdir(parents=True, exist_ok=True)
    a.ut.write_text(json.dumps(resultat, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nSkrev {a.ut}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
