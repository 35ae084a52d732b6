"""Varje utdataformat med katalogen över fientliga strängar (`fientlig_text`), genom det
installerade `partner`: formatet förblir giltigt, inga råa styrtecken når det människor läser,
och ingen rad börjar med något som partner inte själv skrev (inget arbetsflödeskommando,
ingen förfalskad fyndrad)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import kor
from fientlig_text import (
    FIENTLIGA_FILER,
    STRANGAR,
    fientligt_forslag,
    fuzzsele,
    rader_borjar_med,
    rata_styrtecken,
    skapa_arkiv,
    yaml_text,
)

# Det partner skriver först på en rad i varje format.
SAMMANFATTNING = re.compile(r"^\d+ (filer granskade|fil granskad): ")
KOMMANDON = ("::error file=", "::warning file=", "::notice file=")


@pytest.fixture(scope="module")
def arkiv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("fientligt")
    skapa_arkiv(katalog)
    return katalog


def _check(arkiv: Path, *flaggor: str, env: dict[str, str] | None = None) -> str:
    p = kor("check", "forslag", str(FIENTLIGA_FILER), *flaggor, cwd=arkiv, env=env)
    assert p.returncode == 1, p.stderr  # korpusen har ogiltiga filer
    fel = [r for r in p.stderr.splitlines() if not SAMMANFATTNING.match(r)]
    assert rader_borjar_med("\n".join(fel), ("partner: ",)) == []
    assert rata_styrtecken(p.stderr) == []
    return p.stdout


def _fran_partner(rad: str, *prefix: str) -> bool:
    return rad.startswith(("forslag/", str(FIENTLIGA_FILER), *prefix)) or bool(
        SAMMANFATTNING.match(rad)
    )


def test_textformatet(arkiv: Path) -> None:
    ut = _check(arkiv)
    assert rata_styrtecken(ut) == []
    assert [r for r in ut.splitlines() if not _fran_partner(r)] == []
    # Varje fientlig sträng syns, som flyktsekvenser: inget försvinner i tysthet.
    assert "\\x1b[2J" in ut and "\\u202e" in ut and "::stop-commands::tok" in ut


def test_github_och_stegsammanfattningen(arkiv: Path, tmp_path: Path) -> None:
    sammanfattning = tmp_path / "sammanfattning.md"
    ut = _check(arkiv, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(sammanfattning)})
    assert rata_styrtecken(ut) == []
    assert [r for r in ut.splitlines() if not (r.startswith(KOMMANDON) or _fran_partner(r))] == []
    # Inom ett kommando: egenskaperna kan inte avslutas i förtid, meddelandet inte brytas.
    for rad in ut.splitlines():
        if rad.startswith(KOMMANDON):
            egenskaper, _, meddelande = rad.partition(" ")[2].partition("::")
            assert "\n" not in meddelande and "\r" not in meddelande
            assert all(del_.count("=") >= 1 for del_ in egenskaper.split(",")), rad
    md = sammanfattning.read_text(encoding="utf-8")
    assert rata_styrtecken(md) == []
    rader = [r for r in md.splitlines() if r]
    assert rader_borjar_med(md, ("|", "## partner check", "Inga fynd")) == [
        r for r in rader if SAMMANFATTNING.match(r)
    ]
    # Inga länkar, bilder eller HTML ur filerna; varje tabellrad har sina kolumner.
    assert "](http" not in md.replace("\\](http", "")
    assert "<script" not in md and "<b>" not in md
    for rad in rader:
        if rad.startswith("|"):
            celler = re.split(r"(?<!\\)\|", rad)
            assert len(celler) in (7, 8), rad  # 5 eller 6 kolumner och kanterna


@pytest.mark.parametrize("format_", ["json", "gitlab", "sarif"])
def test_json_formaten(arkiv: Path, tmp_path: Path, format_: str) -> None:
    ut = _check(arkiv, "--format", format_)
    fil = tmp_path / f"rapport.{format_}"
    _check(arkiv, "--format", format_, "--output", str(fil))
    for text in (ut, fil.read_text(encoding="utf-8")):
        json.loads(text)
        assert rata_styrtecken(text) == []
        # Varje rad är JSON-struktur; en sträng kan inte börja en ny rad.
        assert rader_borjar_med(text, ("{", "}", "[", "]", " ")) == []
    dokument = json.dumps(json.loads(ut), ensure_ascii=False)
    if format_ == "json":
        # JSON bär texten exakt (som partner läser den: utan blanktecken i kanterna), och
        # filnamnets byte som inte är UTF-8 som text.
        for s in STRANGAR:
            assert json.dumps(s.strip(), ensure_ascii=False)[1:-1] in dokument
        assert "\\\\xff\\\\xfe-inte-utf8.yaml" in ut


def test_junit(arkiv: Path, tmp_path: Path) -> None:
    fil = tmp_path / "junit.xml"
    ut = _check(arkiv, "--format", "junit", "--output", str(fil), "--format", "junit")
    for text in (ut, fil.read_text(encoding="utf-8")):
        ET.fromstring(text)
        assert rata_styrtecken(text) == []
        assert rader_borjar_med(text, ("<", " ")) == [
            r for r in text.splitlines() if _fran_partner(r)
        ]


@pytest.fixture(scope="module")
def register(arkiv: Path) -> Path:
    db = arkiv / "register.db"
    p = kor(
        "register",
        "add",
        *sorted(str(f.relative_to(arkiv)) for f in (arkiv / "forslag").glob("f[0-9]*.yaml")),
        "--sanktionerad-av",
        "\x1b[2J::notice::x",
        "--register",
        str(db),
        cwd=arkiv,
    )
    assert p.returncode == 0, p.stderr
    assert rata_styrtecken(p.stdout + p.stderr) == []
    assert [r for r in p.stdout.splitlines() if not _fran_partner(r)] == []
    assert rader_borjar_med(p.stderr, ("forslag/", "partner: ")) == []
    return db


@pytest.mark.parametrize("format_", ["text", "markdown", "html", "json"])
def test_rapportens_format(arkiv: Path, register: Path, format_: str) -> None:
    p = kor("report", "--år", "2014", "--format", format_, "--register", str(register), cwd=arkiv)
    assert p.returncode == 0, p.stderr
    ut = p.stdout
    assert rata_styrtecken(ut) == []
    assert "::" not in "".join(r[:2] for r in ut.splitlines())
    assert not [r for r in ut.splitlines() if r.startswith("##[")]
    if format_ == "json":
        json.loads(ut)
    elif format_ == "html":
        assert "<script>" not in ut and "<b>fet" not in ut and "\\x1b[2J" in ut
    elif format_ == "markdown":
        assert "](http" not in ut.replace("\\](http", "") and "<script>" not in ut
        for rad in ut.splitlines():
            if rad.startswith("|"):
                antal = len(re.split(r"(?<!\\)\|", rad))
                forsta = next(r for r in ut.splitlines() if r.startswith("|"))
                assert antal >= 3 and "\\|" not in forsta, rad


def test_rapportens_csv_oppnas_utan_formler(arkiv: Path, register: Path, tmp_path: Path) -> None:
    ut = tmp_path / "csv"
    p = kor(
        "report",
        "--år",
        "2014",
        "--format",
        "csv",
        "--ut",
        str(ut),
        "--register",
        str(register),
        cwd=arkiv,
    )
    assert p.returncode == 0, p.stderr
    celler = []
    for fil in ut.glob("*.csv"):
        with fil.open(encoding="utf-8", newline="") as f:
            celler += [c for rad in csv.reader(f) for c in rad]
    assert '\'=HYPERLINK("http://e")' in celler and "'+cmd|' /C calc'!A0" in celler
    farliga = [c for c in celler if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert farliga == []
    # Ett minus får bara inleda ett tal som partner själv skriver.
    assert [c for c in celler if c.startswith("-") and not re.fullmatch(r"-\d+(\.\d+)?", c)] == []
    assert os.listdir(ut)


def test_fuzzselen_med_katalogen_och_korpusen() -> None:
    """Fuzzningens kropp (läsaren och varje format) med varje fientlig sträng och varje fil i
    korpusen, deterministiskt; fuzz/README.md beskriver de längre körningarna."""
    fuzz = fuzzsele()
    for i, s in enumerate(STRANGAR):
        data = fientligt_forslag(i, s).encode()
        fuzz.prova(data)
        fuzz.prova(s.encode("utf-8", "surrogatepass")[:24] + data)
    for fil in sorted(FIENTLIGA_FILER.glob("*.yaml")):
        fuzz.prova(fil.read_bytes())


@pytest.mark.parametrize("kommando", ["underlag", "utvärdera"])
def test_meddelanden_som_citerar_en_ogiltig_fil(tmp_path: Path, kommando: str) -> None:
    """Felraderna om en fil som inte går att läsa citerar dess nycklar: aldrig råa."""
    fil = tmp_path / "f.yaml"
    nycklar = "".join(f"{yaml_text(s)}: x\n" for s in STRANGAR if s.strip())
    fil.write_text(nycklar, encoding="utf-8")
    if kommando == "underlag":
        p = kor("underlag", "f.yaml", cwd=tmp_path)
    else:
        env = {"PARTNER_REGISTER": str(tmp_path / "reg.db")}
        p = kor("register", "utvärdera", "NL-1", "f.yaml", cwd=tmp_path, env=env)
    assert p.returncode == 1, p.stderr
    assert "\\x1b[2J" in p.stdout + p.stderr
    assert rata_styrtecken(p.stdout + p.stderr) == []
    assert rader_borjar_med(p.stdout + p.stderr, ("f.yaml:", "partner: ")) == []


def test_snabbvagen_for_utskrivbar_text_ger_samma_text() -> None:
    """`synlig`, `markdown` och kalenderns `text` lämnar utskrivbar text utan sökning; med en
    tab först (inte utskrivbar) går samma tecken den långa vägen och ska ge samma sak."""
    from partner_cli.bevakning.ics import text
    from partner_cli.saker import markdown, synlig

    utskrivbara = [chr(k) for k in range(0x110000) if chr(k).isprintable()]
    assert len(utskrivbara) > 100_000
    for funktion in (synlig, markdown, text):
        olika = [t for t in utskrivbara if funktion(t) != funktion("\t" + t)[1:]]
        assert olika == [], (funktion.__name__, olika[:5])


def test_json_dokumentets_snabbvag_ger_samma_dokument() -> None:
    """Ett dokument med bara tecken under U+0100 prövas som latin-1 i stället för med
    sökningen: för varje sådant tecken, och med ett tecken över U+00FF som tar den vanliga
    vägen, ska dokumentet bli detsamma som sökningens."""
    from partner_cli.saker import json_dokument

    def sokningens(text: str) -> str:
        return "".join(json_dokument(t + "\u0100")[:-1] for t in text)

    for k in range(0x100):
        text = f'{{"a": "Ö{chr(k)}x"}}'
        assert json_dokument(text) == sokningens(text), hex(k)
    assert json_dokument("å\x85ä") == "å\\u0085ä"
    assert json_dokument("å\x7f") == "å\\u007f"
    assert json_dokument("å\u2028\x85") == "å\\u2028\\u0085"
    assert json_dokument("\udcff\x9f") == "\\\\xff\\u009f"
    assert json_dokument("åäö – ~\xa0") == "åäö – ~\xa0"


def test_kalkylrader_ger_kalkylcell_for_varje_cell() -> None:
    """En sökning i alla celler avgör om någon behöver skyddas: samma celler som
    `kalkylcell` för var och en, var formeln än står och med NUL inuti en cell."""
    from partner_cli.saker import kalkylcell, kalkylrader

    rena = [("a", "b-c", "ä@"), ("x\0y", "", "1")]
    assert kalkylrader(rena) is rena
    for start in ("=", "+", "-", "@", "\t", "\r"):
        for rad in range(2):
            for kolumn in range(3):
                rader = [list(r) for r in rena]
                rader[rad][kolumn] = start + "SUM(A1)"
                ut = [list(r) for r in kalkylrader(rader)]
                assert ut == [[kalkylcell(c) for c in r] for r in rader]
                assert ut[rad][kolumn] == "'" + start + "SUM(A1)"
    assert [list(r) for r in kalkylrader([("a\0=b", "c")])] == [["a\0=b", "c"]]


@pytest.fixture(scope="module")
def avslutat(arkiv: Path, register: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """En kopia av registret med ett avtal avslutat med en fientlig orsak och beslutsreferens,
    och ett makulerat med en fientlig referens: texter som bara registerkommandona tar emot."""
    kopia = tmp_path_factory.mktemp("avslutat") / "register.db"
    shutil.copyfile(register, kopia)
    for i, (kommando, extra) in enumerate(
        (("avsluta", ("--slut", "2015-06-30", "--orsak", STRANGAR[3])), ("makulera", ()))
    ):
        p = kor(
            "register",
            kommando,
            f"F-{i}",
            *extra,
            "--beslut",
            STRANGAR[2 + i * 12],
            "--beslutsdatum",
            "2015-06-01",
            "--register",
            str(kopia),
            cwd=arkiv,
        )
        assert p.returncode == 0, p.stderr
        assert rata_styrtecken(p.stdout + p.stderr) == []
    # F-2: en utvärdering med fientlig utförare, rättad och rättelsen makulerad med en
    # fientlig motivering, i filer med fientliga namn.
    katalog = tmp_path_factory.mktemp("utvarderingar")
    q = yaml_text(STRANGAR[14])
    utv = (
        f"datum: 2015-03-01\ntyp: delutvärdering\nutförd_av: {q}\nmål:\n  - {{mål: 1, utfall: 3}}\n"
    )
    forsta, rattelse, makulering = (katalog / f"{n}{STRANGAR[2]}.yaml" for n in "abc")
    forsta.write_text(utv, encoding="utf-8")
    rattelse.write_text(
        utv.replace("utfall: 3", "utfall: 4") + f"ersätter: {yaml_text(forsta.name)}\n",
        encoding="utf-8",
    )
    makulering.write_text(
        f"makulerar: {yaml_text(rattelse.name)}\ndatum: 2015-04-01\n"
        f"motivering: {yaml_text(STRANGAR[3])}\n",
        encoding="utf-8",
    )
    for fil in (forsta, rattelse, makulering):
        p = kor("register", "utvärdera", "F-2", str(fil), "--register", str(kopia), cwd=arkiv)
        assert p.returncode == 0, p.stdout + p.stderr
        assert rata_styrtecken(p.stdout + p.stderr) == []
    return kopia


@pytest.mark.parametrize(
    "argument",
    [
        ("register", "show", "F-0"),
        ("register", "show", "F-1"),
        ("register", "show", "F-2"),
        ("register", "show", "F-2", "--format", "json"),
        ("register", "historik", "F-2"),
        ("register", "show", "F-4", "--format", "json"),
        ("register", "list"),
        ("register", "list", "--format", "json"),
        ("register", "list", "--format", "csv"),
        ("register", "ägare"),
        ("register", "ägare", "--format", "csv"),
        ("register", "historik"),
        ("register", "historik", "--format", "json"),
        ("bevaka", "--per", "2015-06-01", "--dagar", "365"),
        ("bevaka", "--per", "2015-06-01", "--dagar", "365", "--format", "markdown"),
        ("bevaka", "--per", "2015-06-01", "--dagar", "365", "--format", "json"),
        ("bevaka", "--per", "2015-06-01", "--dagar", "365", "--format", "ics"),
        ("report", "--år", "2014", "--format", "text"),
    ],
    ids=" ".join,
)
def test_registrets_lasande_kommandon(
    arkiv: Path, avslutat: Path, argument: tuple[str, ...]
) -> None:
    p = kor(*argument, "--register", str(avslutat), cwd=arkiv)
    assert p.returncode in (0, 1), p.stderr
    assert rata_styrtecken(p.stdout.replace("\r\n", "\n") + p.stderr) == []
    rader = p.stdout.splitlines()
    assert not [r for r in rader if r.startswith(("::", "##["))], argument
    # Strängarna syns som flyktsekvenser: inget försvinner i tysthet.
    if argument[-1] not in ("csv", "ics") and "ägare" not in argument:
        assert "\\x1b" in p.stdout or "\\u001b" in p.stdout, argument


@pytest.mark.parametrize(
    "argument",
    [
        ("register", "list"),
        ("register", "ägare"),
        ("register", "historik"),
        ("report", "--år", "2014"),
    ],
    ids=" ".join,
)
def test_kalkylbladen_bar_texten_som_text(
    arkiv: Path, avslutat: Path, tmp_path: Path, argument: tuple[str, ...]
) -> None:
    import openpyxl

    fil = tmp_path / "blad.xlsx"
    p = kor(*argument, "-f", "xlsx", "--ut", str(fil), "--register", str(avslutat), cwd=arkiv)
    assert p.returncode == 0, p.stderr
    celler = [
        c
        for blad in openpyxl.load_workbook(fil).worksheets
        for rad in blad.iter_rows()
        for c in rad
        if isinstance(c.value, str)
    ]
    assert rata_styrtecken("".join(c.value for c in celler)) == []
    # Synlig, inte borttagen (historikens före och efter är JSON, med JSON:s flyktsekvens).
    assert any("\\x1b[2J" in c.value or "\\u001b[2J" in c.value for c in celler), argument
    # En text som ser ut som en formel står som text, med Excels citatprefix.
    formler = [c for c in celler if c.value.startswith(("=", "+", "-", "@"))]
    assert all(c.data_type == "s" and c.quotePrefix for c in formler)
    assert formler or argument[1] == "historik"  # där står texterna inom händelsernas JSON


@pytest.mark.parametrize("format_", ["markdown", "html"])
def test_beslutsunderlaget(arkiv: Path, avslutat: Path, format_: str) -> None:
    for i, s in enumerate(STRANGAR):
        p = kor(
            "underlag",
            f"forslag/f{i:02}.yaml",
            "-f",
            format_,
            "--register",
            str(avslutat),
            cwd=arkiv,
        )
        assert p.returncode in (0, 1), p.stderr
        assert rata_styrtecken(p.stdout) == [], s
        assert not [r for r in p.stdout.splitlines() if r.startswith(("::", "##["))], s
        assert "<script>" not in p.stdout, s
