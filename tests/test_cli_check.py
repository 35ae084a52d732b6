"""Kommandoraden genom det installerade `partner`-skriptet: avslutningskoder och rapportformat."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MALLTEXT, PARTNER, andrad_mall, kor, kor_i_terminal, mallrad
from partner_cli import regler

UNDERKAND = andrad_mall(("    kontant: 400 000 kr", "    kontant: 900 000 kr"))
VARNING = andrad_mall(("resultat: 120 000 kr", "resultat: -5 000 kr"))
# Där fynden hamnar: medfinansieringen på `finansiering:`, förlusten på värdet efter `resultat:`.
FINANSIERING = mallrad("finansiering:")
RESULTAT = mallrad("  resultat:")
FYNDRAD = re.compile(
    r"^(?P<fil>.+):(?P<rad>\d+):(?P<kolumn>\d+): "
    r"(?P<niva>fel|varning) \[(?P<regel>[^\]]+)\] (?P<text>.+)$"
)


@pytest.fixture
def arkiv(tmp_path: Path) -> Path:
    """Ett litet förslagsarkiv: godkänd, underkänd, varning och ogiltig, i underkataloger."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "godkand.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "a" / "underkand.yml").write_text(
        UNDERKAND.replace("NL-2014-007", "NL-2"), encoding="utf-8"
    )
    (tmp_path / "a" / "b" / "varning.yaml").write_text(
        VARNING.replace("NL-2014-007", "NL-3"), encoding="utf-8"
    )
    (tmp_path / "a" / "b" / "trasig.yaml").write_text("id: [\n", encoding="utf-8")
    (tmp_path / "a" / "inte.txt").write_text("id: x\n", encoding="utf-8")
    (tmp_path / ".dold").mkdir()
    (tmp_path / ".dold" / "dold.yaml").write_text("id: [\n", encoding="utf-8")
    return tmp_path


# --- avslutningskoder -------------------------------------------------------------------------


def test_mallen_i_arkivet_ar_godkand() -> None:
    p = kor("check", str(Path(__file__).parents[1] / "mallar" / "forslag.yaml"))
    assert p.returncode == 0
    assert "godkänd" in p.stdout


def test_kod_0_1(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "nej.yaml").write_text(UNDERKAND.replace("NL-2014-007", "NL-9"), encoding="utf-8")
    assert kor("check", "ok.yaml", cwd=tmp_path).returncode == 0
    assert kor("check", "nej.yaml", cwd=tmp_path).returncode == 1
    assert kor("check", "ok.yaml", "nej.yaml", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("argument", "text"),
    [
        (["check", "finns-inte.yaml"], "Sökvägen finns-inte.yaml finns inte"),
        (["check", "tom"], "innehåller inga .yaml- eller .yml-filer"),
        (["check", "--inte-en-flagga", "ok.yaml"], "okänd flagga: --inte-en-flagga"),
        (["check", "-f", "xml", "ok.yaml"], "okänt format 'xml'"),
        (["check", "-f", "json", "-f", "text", "ok.yaml"], "bara ett format"),
        (["check", "-f", "json", "-o", "a", "-o", "b", "ok.yaml"], "fler --output än --format"),
        (["check"], "argument saknas"),
        (["check", "--config"], "kräver ett värde"),
        (["inget-kommando"], "okänt kommando"),
        (["regler", "ingen-regel"], "okänd regel 'ingen-regel'"),
        (["regler", "mål", "insyn"], "oväntade argument: insyn"),
        (["check", "--strikt=ja", "ok.yaml"], "flaggan --strikt tar inget värde"),
        (["ny"], "argument saknas: FIL"),
        ([], "Användning: partner"),
    ],
)
def test_kod_2_med_svenskt_meddelande(tmp_path: Path, argument: list[str], text: str) -> None:
    (tmp_path / "ok.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "tom").mkdir()
    (tmp_path / "tom" / "las-mig.txt").write_text("", encoding="utf-8")
    p = kor(*argument, cwd=tmp_path)
    assert p.returncode == 2
    assert text in p.stderr
    assert p.stdout == ""
    for engelska in ("Usage:", "Error:", "No such", "Missing", "Invalid", "Option", "Got "):
        assert engelska not in p.stderr


def test_felaktig_konfiguration_ger_kod_2(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "partner.toml").write_text("[regler.medfinans]\n", encoding="utf-8")
    p = kor("check", "ok.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "regler.medfinans" in p.stderr


def test_strikt_later_varningar_falla(tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text(VARNING, encoding="utf-8")
    p = kor("check", "v.yaml", cwd=tmp_path)
    assert p.returncode == 0
    assert "varning [ekonomi]" in p.stdout
    assert kor("check", "--strikt", "v.yaml", cwd=tmp_path).returncode == 1


# --- filer, kataloger och stdin ---------------------------------------------------------------


def test_katalog_granskas_rekursivt(arkiv: Path) -> None:
    p = kor("check", "-f", "json", ".", cwd=arkiv)
    assert p.returncode == 1
    dok = json.loads(p.stdout)
    filer = {Path(f["fil"]).as_posix(): f["utfall"] for f in dok["filer"]}
    assert filer == {
        "godkand.yaml": "godkänd",
        "a/underkand.yml": "underkänd",
        "a/b/varning.yaml": "godkänd",
        "a/b/trasig.yaml": "ogiltig",
    }


def test_stdin(tmp_path: Path) -> None:
    p = kor("check", "-", stdin=MALLTEXT.encode(), cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.splitlines()[0].startswith("-: godkänd")
    p = kor("check", "-", stdin=UNDERKAND.encode(), cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout.startswith(f"-:{FINANSIERING}:1: fel [medfinansiering] ")


def test_en_trasig_fil_stoppar_inte_de_andra(arkiv: Path) -> None:
    p = kor("check", "a/b/trasig.yaml", "godkand.yaml", cwd=arkiv)
    assert p.returncode == 1
    assert "a/b/trasig.yaml: ogiltig" in p.stdout
    assert "godkand.yaml: godkänd" in p.stdout


# --- textformatet -----------------------------------------------------------------------------


def test_textformatets_rader(arkiv: Path) -> None:
    p = kor("check", ".", cwd=arkiv)
    rader = p.stdout.splitlines()
    fynd = [FYNDRAD.match(r) for r in rader]
    traffar = [{**m.groupdict(), "fil": Path(m["fil"]).as_posix()} for m in fynd if m]
    assert {"fil": "a/underkand.yml", "rad": "25", "kolumn": "1", "niva": "fel"}.items() <= (
        next(t for t in traffar if t["regel"] == "medfinansiering").items()
    )
    assert any(t["fil"] == "a/b/trasig.yaml" and t["regel"] == "yaml" for t in traffar)
    assert any(t["niva"] == "varning" and t["regel"] == "ekonomi" for t in traffar)
    utfall = [r for r in rader if not FYNDRAD.match(r)]
    assert (
        "./godkand.yaml: godkänd · medfinansiering 66,1 % (780 000 kr av 1 180 000 kr) · "
        "näringslivet 66,1 %, andra offentliga 0,0 %, kommunen 33,8 % · "
        "varav 120 000 kr in kind som inte är personal"
    ) in utfall
    assert any(r.startswith("./a/underkand.yml: underkänd · 1 fel, 0 varningar") for r in utfall)
    assert rader[-1] == (
        "4 filer granskade: 2 godkänd, 1 underkänd, 0 ej tillämplig, 1 ogiltig · 2 fel, 1 varning"
        " · ej granskade: 1 dold"
    )


# --- json -------------------------------------------------------------------------------------


def test_json_dokumentet(arkiv: Path) -> None:
    p = kor("check", "--format", "json", ".", cwd=arkiv)
    dok = json.loads(p.stdout)
    assert dok["version"] == 1
    assert dok["sammanfattning"] == {
        **dok["sammanfattning"],
        "filer": 4,
        "godkänd": 2,
        "underkänd": 1,
        "ej_tillämplig": 0,
        "ogiltig": 1,
        "fel": 2,
        "varningar": 1,
    }
    efter_fil = {Path(f["fil"]).as_posix(): f for f in dok["filer"]}
    godkand = efter_fil["godkand.yaml"]
    assert godkand["id"] == "NL-2014-007"
    assert godkand["medfinansiering"] == {
        "andel": "0.6610",
        "garanterad": "780000.00",
        "total": "1180000.00",
    }
    assert godkand["fynd"] == []
    underkand = efter_fil["a/underkand.yml"]
    assert underkand["medfinansiering"]["andel"] == "0.4642"
    (fynd,) = underkand["fynd"]
    assert {"regel", "nivå", "meddelande", "rad", "kolumn", "sökväg", "grund"} <= set(fynd)
    assert (fynd["regel"], fynd["nivå"], fynd["rad"], fynd["kolumn"], fynd["sökväg"]) == (
        "medfinansiering",
        "fel",
        25,
        1,
        "finansiering",
    )
    assert fynd["grund"] == regler.REGLER["medfinansiering"].GRUND
    trasig = efter_fil["a/b/trasig.yaml"]
    assert trasig["utfall"] == "ogiltig"
    assert trasig["id"] is None
    assert "medfinansiering" not in trasig


def test_json_andel_motsager_inte_utfallet(tmp_path: Path) -> None:
    # Ett öre under hälften: andelen får inte skrivas som 0.5000.
    fil = tmp_path / "f.yaml"
    fil.write_text(andrad_mall(("    kontant: 400 000 kr", "    kontant: 780 000,01")), "utf-8")
    dok = json.loads(kor("check", "-f", "json", str(fil)).stdout)
    assert dok["filer"][0]["utfall"] == "underkänd"
    assert dok["filer"][0]["medfinansiering"]["andel"].startswith("0.4999")


# --- github -----------------------------------------------------------------------------------


def test_github_kommandon_relativt_arbetsytan(
    arkiv: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    annan = tmp_path_factory.mktemp("annan")
    p = kor(
        "check",
        "-f",
        "github",
        str(arkiv / "a"),
        cwd=annan,
        env={"GITHUB_WORKSPACE": str(arkiv)},
    )
    assert p.returncode == 1
    rader = p.stdout.splitlines()
    kommandon = [r for r in rader if r.startswith("::")]
    assert (
        f"::error file=a/underkand.yml,line={FINANSIERING},col=1,title=partner%3A medfinansiering::"
        f"a/underkand.yml:{FINANSIERING}:1: Garanterad medfinansiering"
    ) in "\n".join(kommandon)
    kolumn = len("  resultat: ") + 1
    varning = f"::warning file=a/b/varning.yaml,line={RESULTAT},col={kolumn},"
    assert any(r.startswith(varning) for r in kommandon)
    assert any(r.startswith("::error file=a/b/trasig.yaml,line=") for r in kommandon)
    assert rader[-1].startswith("3 filer granskade")


def test_github_kodar_egenskaper_och_data(tmp_path: Path) -> None:
    namn = "50%,a:b\nc.yaml"
    (tmp_path / namn).write_text(UNDERKAND, encoding="utf-8")
    p = kor("check", "-f", "github", namn, cwd=tmp_path, env={"GITHUB_WORKSPACE": str(tmp_path)})
    (kommando,) = [r for r in p.stdout.splitlines() if r.startswith("::")]
    egenskaper, _, data = kommando[2:].partition("::")
    assert egenskaper == (
        f"error file=50%25%2Ca%3Ab\\nc.yaml,line={FINANSIERING},col=1,"
        "title=partner%3A medfinansiering"
    )
    # I data kodas bara %, CR och LF (en radbrytning ur filnamnet visas som \\n); kolon och
    # komma står kvar.
    assert data.startswith(
        f"50%25,a:b\\nc.yaml:{FINANSIERING}:1: Garanterad medfinansiering från andra parter "
        "är 46,4 %25 ("
    )


# --- flera format -----------------------------------------------------------------------------


def test_flera_format_och_utfiler(arkiv: Path) -> None:
    p = kor(
        "check",
        "-f", "json", "-o", "r.json",
        "-f", "github", "--output", "g.txt",
        "--format", "text",
        ".",
        cwd=arkiv,
    )  # fmt: skip
    assert p.returncode == 1
    assert json.loads((arkiv / "r.json").read_text("utf-8"))["sammanfattning"]["filer"] == 4
    assert (arkiv / "g.txt").read_text("utf-8").startswith("::")
    assert FYNDRAD.match(p.stdout.splitlines()[0])


def test_bara_utfiler_ger_sammanfattning_pa_stderr(arkiv: Path) -> None:
    p = kor("check", "-f", "json", "-o", "r.json", "godkand.yaml", cwd=arkiv)
    assert p.returncode == 0
    assert p.stdout == ""
    assert "1 fil granskad: 1 godkänd" in p.stderr
    assert json.loads((arkiv / "r.json").read_text("utf-8"))["version"] == 1


def test_utfil_som_inte_kan_skrivas(arkiv: Path) -> None:
    p = kor("check", "-f", "json", "-o", "saknas/r.json", "godkand.yaml", cwd=arkiv)
    assert p.returncode == 2
    assert "kan inte skriva saknas/r.json" in p.stderr


# --- regler, schema, ny -----------------------------------------------------------------------


def test_regler_listar_alla_med_grund() -> None:
    p = kor("regler")
    assert p.returncode == 0
    rader = p.stdout.splitlines()
    for id_, modul in regler.REGLER.items():
        assert any(r.startswith(id_ + "  ") and modul.GRUND in r for r in rader), id_
    # Grunden börjar i samma kolumn på varje rad, efter det längsta id:t och två mellanslag.
    kolumn = max(map(len, (*regler.REGLER, regler.FORMAT))) + 2
    assert [r[kolumn - 2 : kolumn + 1] for r in rader] == [
        "  " + m.GRUND[0] for m in regler.REGLER.values()
    ] + ["  " + regler.FORMATETS_GRUND[0]]


@pytest.mark.parametrize("id_", list(regler.REGLER))
def test_regler_en_regel(id_: str) -> None:
    # Med id:t translittererat (langsiktighet, avtalsagare), som det kan skrivas.
    p = kor("regler", id_.translate(str.maketrans("åäö", "aao")))
    assert p.returncode == 0
    modul = regler.REGLER[id_]
    assert p.stdout.startswith(f"{modul.ID} — {modul.GRUND}")
    assert modul.CITAT in p.stdout
    for exempel in (modul.EXEMPEL_GODKANT, modul.EXEMPEL_UNDERKANT):
        for rad in exempel.splitlines():
            assert f"    {rad}" in p.stdout
    # Varje inställning och tolkning med sin text, sin partner.toml och sina två exempel.
    for tolkning in modul.TOLKNINGAR:
        assert f"{tolkning.namn}: {tolkning.text}" in p.stdout
        for text in (tolkning.toml, tolkning.godkant, tolkning.underkant):
            for rad in text.splitlines():
                assert f"        {rad}" in p.stdout


def test_regler_format_visar_formatets_tolkningar() -> None:
    assert any(r.startswith("format ") for r in kor("regler").stdout.splitlines())
    p = kor("regler", "format")
    assert p.returncode == 0
    assert p.stdout.startswith(f"format — {regler.FORMATETS_GRUND}")
    for tolkning in regler.FORMATETS_TOLKNINGAR:
        assert f"{tolkning.namn}: {tolkning.text}" in p.stdout
        for rad in (tolkning.toml + tolkning.godkant + tolkning.underkant).splitlines():
            assert f"        {rad}" in p.stdout


def test_schema_ar_json() -> None:
    p = kor("schema")
    assert p.returncode == 0
    assert json.loads(p.stdout)["properties"]["finansiering"]["required"] == [
        "kommunen",
        "motparter",
    ]


def test_ny_skriver_platshallare_som_underkanns_tills_de_fylls_i(tmp_path: Path) -> None:
    p = kor("ny", "nl-2015-012-park.yaml", cwd=tmp_path)
    assert p.returncode == 0
    assert "Skapade nl-2015-012-park.yaml" in p.stdout
    fil = tmp_path / "nl-2015-012-park.yaml"
    text = fil.read_text("utf-8")
    assert "id: NL-2015-012 " in text  # ur filnamnet
    svar = kor("check", "--format", "json", fil.name, cwd=tmp_path)
    assert svar.returncode == 1
    (resultat,) = json.loads(svar.stdout)["filer"]
    assert resultat["utfall"] == "ogiltig"
    assert {f["sökväg"] for f in resultat["fynd"]} == {
        "motpart.namn",
        "motpart.organisationsnummer",
        "avtalsägare.namn",
        "finansiering.motparter[0].namn",
    }
    assert all("står kvar från mallen" in f["meddelande"] for f in resultat["fynd"])
    # Ifyllt går det igenom.
    for platshallare, varde in (
        ("(motpartens namn)", "Karlslunds Verkstäder AB"),
        ("(motpartens organisationsnummer)", "556781-2341"),
        ("(avtalsägarens namn)", "Per Berg"),
    ):
        text = text.replace(platshallare, varde)
    fil.write_text(text, encoding="utf-8")
    assert kor("check", fil.name, cwd=tmp_path).returncode == 0


def test_ny_utan_id_i_filnamnet_skriver_en_platshallare(tmp_path: Path) -> None:
    assert kor("ny", "nytt.yaml", cwd=tmp_path).returncode == 0
    svar = kor("check", "nytt.yaml", cwd=tmp_path)
    assert svar.returncode == 1
    rad = mallrad("id:")
    assert (
        f"nytt.yaml:{rad}:5: fel [format] id: '(förslagets id)' står kvar från mallen"
        in svar.stdout
    )


def test_ny_skriver_aldrig_over(tmp_path: Path) -> None:
    (tmp_path / "nytt.yaml").write_text("mitt arbete\n", encoding="utf-8")
    p = kor("ny", "nytt.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "finns redan" in p.stderr
    assert (tmp_path / "nytt.yaml").read_text("utf-8") == "mitt arbete\n"
    p = kor("ny", "x" * 300 + ".yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "kan inte skriva xxx" in p.stderr


# --- installation -----------------------------------------------------------------------------


@pytest.mark.langsam
def test_hjulet_installeras_i_en_ny_venv(tmp_path: Path) -> None:
    """`pip install` av hjulet ger ett fungerande `partner` med mallarna i paketet.

    Hjulet byggs med pip (hatchling hämtas från PyPI i en isolerad byggmiljö). Beroendena
    (typer, rich, PyYAML, sqlite-utils) lånas från den här miljön genom en sökväg, så att
    testet inte laddar ned dem; paketet självt kommer bara från hjulet.
    """
    rot = Path(__file__).parents[1]
    hjul = tmp_path / "hjul"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(hjul), str(rot)],
        check=True,
        timeout=300,
    )
    (fil,) = hjul.glob("partner_cli-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(fil)],
        check=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    import typer

    beroenden = Path(typer.__file__).parents[1]
    (Path(site) / "beroenden.pth").write_text(f"{beroenden}\n", encoding="utf-8")
    arbete = tmp_path / "arbete"
    arbete.mkdir()
    partner = str(venv / "bin" / "partner")
    var = subprocess.run(
        [str(python), "-c", "import partner_cli; print(partner_cli.__file__)"],
        capture_output=True, text=True, check=True, cwd=arbete,
    ).stdout  # fmt: skip
    assert var.startswith(site)
    ny = subprocess.run([partner, "ny", "f.yaml"], capture_output=True, text=True, cwd=arbete)
    assert ny.returncode == 0, ny.stderr
    check = subprocess.run([partner, "check", "f.yaml"], capture_output=True, text=True, cwd=arbete)
    # Mallen följer med hjulet och är ett giltigt förslag så när som på platshållarna, som
    # aldrig går igenom förrän de fyllts i.
    assert check.returncode == 1, check.stdout + check.stderr
    fel = [r for r in check.stdout.splitlines() if ": fel [" in r]
    assert fel and all("står kvar från mallen" in r for r in fel), check.stdout
    # Samma fil som utcheckningens partner ny skriver.
    assert kor("ny", str(tmp_path / "f.yaml")).returncode == 0
    assert (arbete / "f.yaml").read_text("utf-8") == (tmp_path / "f.yaml").read_text("utf-8")
    # Utvärderingens mall följer också med hjulet.
    ny = subprocess.run(
        [partner, "ny", "--utvardering", "u/u.yaml"], capture_output=True, text=True, cwd=arbete
    )
    assert ny.returncode == 0, ny.stderr
    mall = (rot / "mallar" / "utvardering.yaml").read_text("utf-8")
    assert (arbete / "u" / "u.yaml").read_text("utf-8") == mall


def test_samma_id_i_tva_filer(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "a.yaml", "b.yaml", cwd=tmp_path)
    assert p.returncode == 1
    assert "b.yaml:6:5: fel [format] id 'NL-2014-007' används redan i a.yaml" in p.stdout
    assert "a.yaml: godkänd" in p.stdout
    # En ogiltig fil har ingen medfinansiering att redovisa, inte heller i JSON.
    filer = json.loads(kor("check", "a.yaml", "b.yaml", "-f", "json", cwd=tmp_path).stdout)["filer"]
    assert "medfinansiering" in filer[0] and "medfinansiering" not in filer[1]


def test_stdin_over_storleksgransen(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text("[check]\nmax_filstorlek = 1000\n", encoding="utf-8")
    p = kor("check", "-", stdin=MALLTEXT.encode(), cwd=tmp_path)
    assert p.returncode == 1
    assert "-:1:1: fel [yaml] Indata är större än gränsen på 1 000 byte" in p.stdout


def test_terminal_far_farg_men_samma_rader(tmp_path: Path) -> None:
    """I en terminal skriver Rich; markeringsliknande text i filen visas ordagrant."""
    (tmp_path / "f.yaml").write_text("id: x\n'[bold]x[/]': 1\n", encoding="utf-8")
    p = kor_i_terminal("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 1
    assert "\x1b[" in p.stdout
    rader = re.sub(r"\x1b\[[0-9;]*m", "", p.stdout).splitlines()
    assert "f.yaml:2:1: fel [format] Okänd nyckel '[bold]x[/]'" in rader
    assert rader[-1].startswith("1 fil granskad: 0 godkänd")


def test_manga_filer_granskas_parallellt_i_ordning(tmp_path: Path) -> None:
    # Över kontroll.MIN_FILER_PARALLELLT går granskningen i flera processer; utfallet och
    # ordningen ska vara desamma som i en process.
    from partner_cli.kontroll import MIN_FILER_PARALLELLT

    antal = MIN_FILER_PARALLELLT + 10
    for i in range(antal):
        text = UNDERKAND if i % 7 == 0 else MALLTEXT
        (tmp_path / f"f{i:04d}.yaml").write_text(
            text.replace("NL-2014-007", f"NL-{i}"), encoding="utf-8"
        )
    (tmp_path / "f0003.yaml").write_text("id: [\n", encoding="utf-8")
    dok = json.loads(kor("check", "-f", "json", ".", cwd=tmp_path).stdout)
    assert [Path(f["fil"]).name for f in dok["filer"]] == [f"f{i:04d}.yaml" for i in range(antal)]
    forvantat = [
        "ogiltig" if i == 3 else "underkänd" if i % 7 == 0 else "godkänd" for i in range(antal)
    ]
    assert [f["utfall"] for f in dok["filer"]] == forvantat
    assert dok["sammanfattning"]["underkänd"] == len(range(0, antal, 7))


def test_json_fran_arbetsprocesserna_ar_samma_som_i_en_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arbetsprocesserna skriver varje fils JSON-rad; en fil vars id redan används skrivs om
    # av huvudprocessen. Dokumentet ska vara byte för byte det som renderaren själv skriver.
    from partner_cli import kontroll
    from partner_cli.konfig import Konfig
    from partner_cli.utdata import FORMAT

    for i in range(kontroll.MIN_FILER_PARALLELLT + 10):
        id_ = "NL-dubblett" if i in (5, 150) else f"NL-{i}"
        text = UNDERKAND if i % 7 == 0 else MALLTEXT
        (tmp_path / f"f{i:04d}.yaml").write_text(text.replace("NL-2014-007", id_), "utf-8")
    p = kor("check", "-f", "json", ".", cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    resultat = kontroll.kontrollera(kontroll.samla_filer(["."]), Konfig())
    assert not resultat.renderat
    forvantat = io.StringIO()
    FORMAT.renderare("json")(resultat, forvantat)
    assert p.stdout == forvantat.getvalue()
    assert "id 'NL-dubblett' används redan" in p.stdout


def test_lankad_fil_granskas_en_gang(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "c.yaml").symlink_to("../a.yaml")
    dok = json.loads(kor("check", "-f", "json", ".", "k", cwd=tmp_path).stdout)
    assert [f["fil"] for f in dok["filer"]] == ["./a.yaml"]


def test_samma_fil_tva_ganger_granskas_en_gang(arkiv: Path) -> None:
    p = kor("check", "-f", "json", "godkand.yaml", ".", "./godkand.yaml", cwd=arkiv)
    filer = [Path(f["fil"]).as_posix() for f in json.loads(p.stdout)["filer"]]
    assert filer == ["godkand.yaml", "a/b/trasig.yaml", "a/b/varning.yaml", "a/underkand.yml"]


def test_json_andel_skrivs_alltid_som_decimaltal(tmp_path: Path) -> None:
    # 1 öre av en miljard kronor: med en lika liten gräns krävs många decimaler.
    (tmp_path / "partner.toml").write_text(
        "[regler.medfinansiering]\nmin_andel = 0.000000000009\n", encoding="utf-8"
    )
    text = andrad_mall(
        ("    kontant: 400 000 kr", "    kontant: 1 000 mnkr"),
        ("      kontant: 300 000 kr", "      kontant: 0,01"),
        ("        - {beskrivning: Projektledning, timmar: 800, timpris: 450 kr}\n", ""),
        ("        - {beskrivning: Lokaler, belopp: 120 000 kr}\n", ""),
        ("      in_kind:  ", "      in_kind: [] "),
    )
    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    dok = json.loads(kor("check", "-f", "json", "f.yaml", cwd=tmp_path).stdout)
    (fil,) = dok["filer"]
    assert fil["medfinansiering"]["andel"] == "0.000000000009"
    assert fil["medfinansiering"]["garanterad"] == "0.01"


def test_ctrl_c_ger_kod_130_utan_traceback() -> None:
    # `check -` väntar på standard in; avbrottet kommer medan processen blockerar där.
    # SIGINT återställs i barnet: körs testsviten som bakgrundsjobb ärvs annars SIG_IGN.
    p = subprocess.Popen(
        [PARTNER, "check", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    _, fel = p.communicate(timeout=30)
    assert p.returncode == 130
    assert b"Traceback" not in fel
    assert "Avbrutet." in fel.decode("utf-8")
