"""`partner report`: årsrapporten räknad ur ett register byggt med `register add` och
`utvärdera` från riktiga förslagsfiler (exempel/forslag och ett andra avtal för en av
organisationerna)."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import ROT, kor, kor_i_terminal
from registerhjalp import miljo, skriv_forslag

EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
PER = "2016-06-01"  # rapportdag efter 2015: årets brytdag blir 2015-12-31


def rapport(register: Path, *argument: str) -> Any:
    return kor("report", "--per", PER, *argument, env=miljo(register))


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("rapport")
    db = katalog / "partnerskap.db"
    # Ett andra avtal för Närkes Innovationspark under 2015, med samma avtalsägare.
    andra = skriv_forslag(
        katalog,
        "nl-2015-009.yaml",
        id_="NL-2015-009",
        org="556912-3457",
        agare="Maria Holm",
        start="2015-05-01",
        slut="2016-04-30",
        titel="Innovationsparkens exportsteg",
    )
    svar = kor(
        "register",
        "add",
        *map(str, EXEMPEL),
        str(andra),
        "--sanktionerad-av",
        "Näringslivsdirektören",
        env=miljo(db),
    )
    assert svar.returncode == 0, svar.stdout + svar.stderr
    utvardering = katalog / "utv.yaml"
    utvardering.write_text(
        "datum: 2015-03-10\ntyp: delutvärdering\nutförd_av: Revisor Rask\nmål:\n"
        "  - {mål: 1, utfall: 12, kommentar: Tolv etableringar}\n"
        "  - {mål: 2, utfall: 150}\n",
        encoding="utf-8",
    )
    svar = kor("register", "utvärdera", "NL-2014-001", str(utvardering), env=miljo(db))
    assert svar.returncode == 0, svar.stdout + svar.stderr
    return db


def json_rapport(register: Path, ar: int) -> dict[str, Any]:
    svar = rapport(register, "--år", str(ar), "--format", "json")
    assert svar.returncode == 0, svar.stderr
    dokument: dict[str, Any] = json.loads(svar.stdout)
    return dokument


def rader(dokument: dict[str, Any], avsnitt: str) -> list[dict[str, Any]]:
    return list(dokument["avsnitt"][avsnitt]["rader"])


def test_partnerskap_under_aret_med_nya_markerade(register: Path) -> None:
    d = json_rapport(register, 2015)
    partnerskap = {r["id"]: r for r in rader(d, "partnerskap")}
    assert set(partnerskap) == {
        "NL-2014-001",
        "NL-2014-002",
        "NL-2014-003",
        "NL-2015-004",
        "NL-2015-009",
    }
    assert partnerskap["NL-2015-004"]["ny"] == "ny" and partnerskap["NL-2015-004"]["markerad"]
    assert partnerskap["NL-2014-001"]["ny"] == "" and "markerad" not in partnerskap["NL-2014-001"]
    # 780 000 av 1 180 000 kr garanterat; kommunens 400 000 kr över 731 dagar, 365 av dem
    # under 2015.
    assert partnerskap["NL-2014-001"]["garanterad_andel"] == "0.6610"
    assert partnerskap["NL-2014-001"]["kommunen"] == "199726.40"
    # Företagarföreningen: näringslivets 400 000 av 710 000 kr (regionens 50 000 kr är offentliga).
    assert partnerskap["NL-2014-002"]["naringslivsandel"] == "0.5633"
    assert partnerskap["NL-2014-002"]["initiativ"] == "gemensamt"


def test_indikatorerna_mot_foregaende_ar(register: Path) -> None:
    d = json_rapport(register, 2015)
    ind = d["indikatorer"]
    assert ind["år"]["aktiva"] == 5 and ind["föregående"]["aktiva"] == 3
    assert ind["år"]["nya"] == 2 and ind["föregående"]["nya"] == 3
    # Årets del av varje avtal, jämnt över dess dagar. 2015 garanterat: 780 000 × 365/731
    # + 400 000 × 365/579 + 400 000 × 365/731 + 1 500 000 × 334/731 + 780 000 × 245/366;
    # budgeten likadant, utom NL-2015-004:s kontanta 1,2 mnkr som följer planen (700 000 kr).
    assert ind["år"]["garanterad"] == "2048845.44" and ind["år"]["total"] == "3711344.16"
    # 2014: 780 000 × 306/731 + 400 000 × 214/579 + 400 000 × 184/731 av 1 008 081,44 kr.
    assert ind["föregående"]["garanterad"] == "575036.74"
    assert ind["föregående"]["total"] == "1008081.44"
    tabell = {r["indikator"]: r for r in rader(d, "indikatorer")}
    medfin = tabell["Garanterad medfinansiering, viktad med budget"]
    assert (medfin["varde"], medfin["foregaende"]) == ("0.5520", "0.5704")
    assert medfin["riktning"] == "↓ minskar"
    # Initiativ 2015: näringslivet 001, 004 och 009 (mallen) av 5; gemensamt 002.
    assert tabell["Initierade av näringslivet"]["varde"] == "0.6000"
    assert tabell["Initierade av näringslivet"]["foregaende"] == "0.3333"
    assert tabell["Initierade gemensamt"]["riktning"] == "↓ minskar"
    assert tabell["Aktiva partnerskap"]["riktning"] == "↑ ökar"


def test_partnerskap_som_avtal_och_som_organisationer_och_offentligas_andel(
    register: Path,
) -> None:
    # Närkes Innovationspark har två avtal 2015: fem avtal men fyra organisationer. Att slå
    # ihop dem till ett avtal per organisation, som strategin föredrar, syns inte som en
    # minskning av antalet organisationer.
    d = json_rapport(register, 2015)
    ind = d["indikatorer"]
    assert (ind["år"]["aktiva"], ind["år"]["organisationer"]) == (5, 4)
    assert ind["föregående"]["organisationer"] == 3
    tabell = {r["indikator"]: r for r in rader(d, "indikatorer")}
    assert tabell["Aktiva organisationer"]["varde"] == 4
    # Regionens bidrag i NL-2014-002 är inte garanterat: andra offentliga bär inget.
    assert ind["år"]["offentliga"] == "0.00"
    assert tabell["Andra offentligas andel av finansieringen"]["varde"] == "0.0000"


def test_en_agare_per_organisation_och_flera_avtal_sticker_ut(register: Path) -> None:
    d = json_rapport(register, 2015)
    organisationer = {r["organisationsnummer"]: r for r in rader(d, "organisationer")}
    park = organisationer["556912-3457"]
    assert park["avtalsagare_namn"] == "Maria Holm"
    assert park["antal_avtal"] == 2 and park["avtal"] == "NL-2015-004, NL-2015-009"
    assert park["markerad"] is True
    assert "markerad" not in organisationer["556781-2341"]
    assert len(organisationer) == 4


def test_uppfoljning_utford_forsenad_och_kommande(register: Path) -> None:
    d = json_rapport(register, 2015)
    status = {(r["avtal_id"], r["datum"]): r["status"] for r in rader(d, "utvarderingar")}
    assert status == {
        ("NL-2014-001", "2015-03-01"): "utförd",
        ("NL-2014-003", "2015-06-30"): "försenad",
        ("NL-2014-002", "2015-12-15"): "försenad",
    }
    # Samma år sett från 2015-06-01: utvärderingen i december har inte passerat.
    svar = kor(
        "report", "--år", "2015", "--per", "2015-06-01", "--format", "json", env=miljo(register)
    )
    status = {
        r["avtal_id"]: r["status"]
        for r in json.loads(svar.stdout)["avsnitt"]["utvarderingar"]["rader"]
    }
    assert status == {"NL-2014-001": "utförd", "NL-2014-003": "kommande", "NL-2014-002": "kommande"}


def test_maluppfyllelse_per_avtal_fran_utvarderingen(register: Path) -> None:
    d = json_rapport(register, 2015)
    mal = {r["mal_nr"]: r for r in rader(d, "malutfall") if r["avtal_id"] == "NL-2014-001"}
    assert mal[1]["utfall"] == "12" and mal[1]["maluppfyllelse"] == "0.6000"
    assert mal[2]["maluppfyllelse"] == "0.5000"
    assert mal[1]["utvardering_datum"] == "2015-03-10"


def test_beslutade_undantag_redovisas_for_sig(register: Path) -> None:
    d = json_rapport(register, 2015)
    assert rader(d, "undantag") == [
        {
            "avtal_id": "NL-2014-003",
            "regel": "medfinansiering",
            "beslut": "KS 2014/123 § 45",
            "beslutsdatum": "2014-06-10",
            "motivering": "Strategiskt viktig näring i uppbyggnadsskede; kommunstyrelsen "
            "beslutade om undantag.",
            "giltigt_till": "2016-12-31",
        }
    ]
    text = rapport(register, "--år", "2015").stdout
    assert "NL-2014-003" in text and "40,0 % (beslutat undantag)" in text


def test_risker(register: Path) -> None:
    d = json_rapport(register, 2015)
    risker = [(r["avtal_id"], r["risk"]) for r in rader(d, "risker")]
    assert (
        "NL-2014-002",
        "offentligt beroende: 61,1 % av omsättningen 2013 (gräns 50 %)",
    ) in risker
    # Parkens förlust 2014 står i NL-2015-004, men dess senast registrerade avtal (009) har
    # mallens ekonomi: rapporten väger in den senaste uppgiften.
    assert not any(r.startswith("förlust") for _, r in risker)
    # 001 slutar 2016-02-29, inom 90 dagar efter årets slut, utan slututvärdering.
    assert ("NL-2014-001", "slutar 2016-02-29 utan registrerad slututvärdering") in risker


def test_tomt_ar_sager_det_och_avslutar_med_noll(register: Path) -> None:
    svar = rapport(register, "--år", "2030")
    assert svar.returncode == 0
    assert "Inga partnerskap var aktiva under 2030." in svar.stdout
    d = json_rapport(register, 2030)
    assert rader(d, "partnerskap") == [] and d["indikatorer"]["år"]["aktiva"] == 0


def test_text_visar_alla_avsnitt_och_en_stapel_per_avtal(register: Path) -> None:
    svar = rapport(register, "--år", "2015")
    assert svar.returncode == 0, svar.stderr
    for rubrik in (
        "Partnerskap 2015",
        "Organisationer och avtalsägare",
        "Måluppfyllelse",
        "Uppföljning: planerade utvärderingar 2015",
        "Risker",
    ):
        assert rubrik in svar.stdout
    staplar = [rad for rad in svar.stdout.splitlines() if "█" in rad]
    assert len(staplar) == 5
    assert any(rad.startswith("NL-2014-001") and rad.endswith("66,1 %") for rad in staplar)


def test_markdown(register: Path) -> None:
    svar = rapport(register, "--år", "2015", "--format", "markdown")
    assert "## Partnerskap 2015" in svar.stdout
    assert "| NL-2014-001 | Örebro Logistikpartner AB | projekt |" in svar.stdout
    assert "**Närkes Innovationspark AB**" in svar.stdout  # flera avtal sticker ut


def test_csv_en_fil_per_avsnitt(register: Path, tmp_path: Path) -> None:
    svar = rapport(register, "--år", "2015", "--format", "csv", "--ut", str(tmp_path / "ut"))
    assert svar.returncode == 0, svar.stderr
    filer = sorted(p.name for p in (tmp_path / "ut").iterdir())
    assert filer == [
        "indikatorer.csv",
        "malutfall.csv",
        "organisationer.csv",
        "partnerskap.csv",
        "risker.csv",
        "typer.csv",
        "undantag.csv",
        "utvarderingar.csv",
        "utvecklingsomraden.csv",
    ]
    with (tmp_path / "ut" / "partnerskap.csv").open(encoding="utf-8") as f:
        partnerskap = list(csv.DictReader(f))
    assert {r["id"] for r in partnerskap} >= {"NL-2014-001", "NL-2015-004"}
    assert next(r for r in partnerskap if r["id"] == "NL-2014-001")["kommunen"] == "199726.40"


class _Sida(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.idn: set[str] = set()
        self.taggar: list[str] = []
        self.text: list[str] = []
        self.externa: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.taggar.append(tag)
        varden = dict(attrs)
        if varden.get("id"):
            self.idn.add(str(varden["id"]))
        for namn in ("src", "href"):
            if varden.get(namn):
                self.externa.append(str(varden[namn]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_ar_fristaende_med_alla_avsnitt_och_diagram(register: Path) -> None:
    svar = rapport(register, "--år", "2015", "--format", "html")
    assert svar.returncode == 0, svar.stderr
    sida = _Sida()
    sida.feed(svar.stdout)
    assert {
        "partnerskap",
        "organisationer",
        "indikatorer",
        "utvarderingar",
        "risker",
    } <= sida.idn
    assert {"diagram-medfinansiering", "diagram-indikatorer"} <= sida.idn
    assert sida.externa == []  # inga externa resurser
    assert sida.taggar.count("svg") == 2 and "polyline" in sida.taggar
    text = " ".join(sida.text)
    assert "Partnerskap 2015" in text and "66,1 %" in text and "199 726,40 kr" in text
    assert "NL-2015-009" in text and "Maria Holm" in text
    # Ett streck för gränsen och en stapel per avtal.
    assert sida.taggar.count("rect") >= 5 and "line" in sida.taggar


@pytest.mark.parametrize(
    ("argument", "text"),
    [
        (("--år", "19"), "inget rimligt år"),
        (("--år", "två"), "ogiltigt värde"),
        (("--format", "pdf"), "okänt format 'pdf'"),
        (("--format", "csv"), "--ut KATALOG"),
        (("--per", "2015-02-30"), "giltigt datum"),
    ],
)
def test_anvandningsfel(register: Path, argument: tuple[str, ...], text: str) -> None:
    svar = kor("report", *argument, env=miljo(register))
    assert svar.returncode == 2
    assert text in svar.stderr


def test_saknat_register_pekar_pa_register_add(tmp_path: Path) -> None:
    saknas = tmp_path / "inget.db"
    svar = kor("report", "--år", "2015", env=miljo(saknas))
    assert svar.returncode == 2
    assert "partner register add" in svar.stderr
    assert not saknas.exists()


def test_i_en_terminal_ritar_rich_och_staplarna_far_farg(register: Path) -> None:
    p = kor_i_terminal("report", "--år", "2015", "--per", PER, env=miljo(register))
    assert p.returncode == 0, p.stderr
    staplar = [r for r in p.stdout.splitlines() if "█" in r]
    rader = {re.sub(r"\x1b\[[0-9;]*m", "", r).split(" ")[0]: r for r in staplar}
    assert "\x1b[32m" in rader["NL-2014-001"]  # grön: över gränsen
    assert "\x1b[33m" in rader["NL-2014-003"]  # gul: under gränsen med beslutat undantag
    assert "─" in p.stdout  # Rich-tabellernas linjer


def test_en_senare_slututvardering_andrar_inte_ett_avslutat_ars_risker(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    forslag = ROT / "exempel" / "forslag" / "nl-2014-001-logistik.yaml"
    svar = kor("register", "add", str(forslag), "--sanktionerad-av", "N", env=miljo(db))
    assert svar.returncode == 0, svar.stdout + svar.stderr
    risk = ["NL-2014-001", "slutar 2016-02-29 utan registrerad slututvärdering"]

    def risker() -> list[list[str]]:
        svar = kor(
            "report", "--år", "2015", "--per", "2015-12-31", "--format", "json", env=miljo(db)
        )
        assert svar.returncode == 0, svar.stderr
        d = json.loads(svar.stdout)
        return [[r["avtal_id"], r["risk"]] for r in rader(d, "risker")]

    fore = risker()
    assert risk in fore
    utvardering = tmp_path / "slut.yaml"
    utvardering.write_text(
        "datum: 2016-03-15\ntyp: slututvärdering\nutförd_av: Revisor Rask\nmål:\n"
        "  - {mål: 1, utfall: 20}\n  - {mål: 2, utfall: 200}\n",
        encoding="utf-8",
    )
    svar = kor("register", "utvärdera", "NL-2014-001", str(utvardering), env=miljo(db))
    assert svar.returncode == 0, svar.stdout + svar.stderr
    assert risker() == fore


def test_en_tabell_per_utvecklingsomrade(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text(
        '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1355"\n'
        '"utvecklingsområden" = ["Logistik", "Besöksnäring"]\n',
        encoding="utf-8",
    )
    a = skriv_forslag(tmp_path, "a.yaml", id_="NL-A")
    a.write_text(a.read_text(encoding="utf-8") + "utvecklingsområden: [Logistik]\n", "utf-8")
    b = skriv_forslag(tmp_path, "b.yaml", id_="NL-B", start="2015-01-01", slut="2016-06-30")
    b.write_text(
        b.read_text(encoding="utf-8") + "utvecklingsområden: [Logistik, Besöksnäring]\n", "utf-8"
    )
    skriv_forslag(tmp_path, "c.yaml", id_="NL-C", start="2015-01-01", slut="2016-06-30")
    db = tmp_path / "r.db"
    svar = kor(
        "register", "add", "a.yaml", "b.yaml", "c.yaml", "--sanktionerad-av", "N",
        cwd=tmp_path, env=miljo(db),
    )  # fmt: skip
    assert svar.returncode == 0, svar.stdout + svar.stderr
    svar = kor("report", "--år", "2015", "--format", "json", cwd=tmp_path, env=miljo(db))
    assert svar.returncode == 0, svar.stderr
    omraden = {
        r["utvecklingsomrade"]: r for r in rader(json.loads(svar.stdout), "utvecklingsomraden")
    }
    assert set(omraden) == {"Logistik", "Besöksnäring"}
    assert omraden["Logistik"]["avtal"] == 2 and omraden["Besöksnäring"]["avtal"] == 1
    # Årets del: NL-A 365 av 731 dagar, NL-B 365 av 547; kommunen 400 000 kr och garanterat
    # 780 000 kr i vardera.
    assert omraden["Logistik"]["kommunen"] == "466636.82"
    assert omraden["Logistik"]["medfinansiering"] == "909941.80"
    assert omraden["Besöksnäring"]["andel"] == "0.6610"


def arets(db: Path, ar: int, cwd: Path) -> dict[str, Any]:
    svar = kor(
        "report", "--år", str(ar), "--per", "2017-06-01", "--format", "json",
        cwd=cwd, env=miljo(db),
    )  # fmt: skip
    assert svar.returncode == 0, svar.stderr
    dokument: dict[str, Any] = json.loads(svar.stdout)
    return dokument


@pytest.mark.parametrize("med_plan", [False, True])
def test_arets_belopp_ar_avtalets_del_av_aret(tmp_path: Path, med_plan: bool) -> None:
    """Ett avtal 2014-09-01 – 2016-08-31 (122, 365 och 244 av 731 dagar): varje år bär sin
    del, aldrig hela budgeten, och åren summerar exakt till avtalets belopp."""
    fil = skriv_forslag(tmp_path, "a.yaml", id_="NL-A")
    if med_plan:
        text = fil.read_text(encoding="utf-8").replace(
            "    kontant: 400 000 kr\n    in_kind: []\n",
            "    kontant: 400 000 kr\n    in_kind: []\n    utbetalningar:\n"
            "      - {år: 2015, belopp: 300 000 kr}\n      - {år: 2016, belopp: 100 000 kr}\n",
        )
        fil.write_text(text, encoding="utf-8")
    db = tmp_path / "r.db"
    svar = kor("register", "add", "a.yaml", "--sanktionerad-av", "N", cwd=tmp_path, env=miljo(db))
    assert svar.returncode == 0, svar.stdout + svar.stderr
    ar = {a: arets(db, a, tmp_path) for a in (2014, 2015, 2016)}
    kommunen = {a: rader(d, "partnerskap")[0]["kommunen"] for a, d in ar.items()}
    garanterad = {a: d["indikatorer"]["år"]["garanterad"] for a, d in ar.items()}
    total = {a: d["indikatorer"]["år"]["total"] for a, d in ar.items()}
    # Garanterat 780 000 kr jämnt över dagarna: 130 177,8386 + 389 466,4843 + 260 355,6772 kr,
    # nedåt till hela öre och de två öre som fattas till de två största resterna.
    assert garanterad == {2014: "130177.84", 2015: "389466.48", 2016: "260355.68"}
    if med_plan:
        # Kommunens kontanta 400 000 kr enligt planen; resten av budgeten (780 000 kr) jämnt.
        assert kommunen == {2014: "0.00", 2015: "300000.00", 2016: "100000.00"}
        assert total == {2014: "130177.84", 2015: "689466.48", 2016: "360355.68"}
        andel = [r for r in rader(ar[2014], "indikatorer") if r["indikator"].startswith("Gar")]
        assert andel[0]["varde"] == "1.0000"  # 2014 bär bara medfinansieringen
        # Avtalets andel är hela avtalets, som regeln prövar: 780 000 av 1 180 000 kr.
        assert rader(ar[2014], "partnerskap")[0]["garanterad_andel"] == "0.6610"
    else:
        # 400 000 kr: 66 757,8659 + 199 726,4022 + 133 515,7319; den största resten får öret.
        assert kommunen == {2014: "66757.87", 2015: "199726.40", 2016: "133515.73"}
        # 1 180 000 kr: 196 935,7045 + 589 192,8865 + 393 871,4090; två öre till 2016 och 2015.
        assert total == {2014: "196935.70", 2015: "589192.89", 2016: "393871.41"}
    for belopp, summa in ((kommunen, 400_000), (garanterad, 780_000), (total, 1_180_000)):
        assert sum(map(Decimal, belopp.values())) == summa


def test_partnerskap_per_typ_som_avtal_och_organisationer(register: Path) -> None:
    # 2015: projekt NL-2014-001, NL-2015-004 och NL-2015-009 (de två senare samma
    # organisation), samarbetsavtal NL-2014-002 och verksamhetsstöd NL-2014-003.
    typer = [
        (r["grupp"], r["typ"], r["avtal"], r["organisationer"], r.get("markerad", False))
        for r in rader(json_rapport(register, 2015), "typer")
    ]
    gemensamma = "Gemensamma utvecklingsprojekt och samverkan"
    assert typer == [
        (gemensamma, "projekt", 3, 2, False),
        (gemensamma, "samarbetsavtal", 1, 1, False),
        (gemensamma, "alla", 4, 3, True),
        ("Verksamhetsstöd och övriga", "verksamhetsstöd", 1, 1, False),
        ("Verksamhetsstöd och övriga", "alla", 1, 1, True),
    ]


def test_gruppen_av_utvecklingsprojekt_star_i_partner_toml(register: Path, tmp_path: Path) -> None:
    toml = tmp_path / "partner.toml"
    toml.write_text('[rapport]\nutvecklingsprojekt = ["projekt"]\n', encoding="utf-8")
    svar = rapport(register, "--år", "2015", "--format", "json", "--config", str(toml))
    assert svar.returncode == 0, svar.stderr
    typer = {(r["grupp"], r["typ"]): r["avtal"] for r in rader(json.loads(svar.stdout), "typer")}
    assert typer[("Verksamhetsstöd och övriga", "samarbetsavtal")] == 1
    assert typer[("Gemensamma utvecklingsprojekt och samverkan", "alla")] == 3
    toml.write_text('[rapport]\nutvecklingsprojekt = ["projekten"]\n', encoding="utf-8")
    svar = rapport(register, "--år", "2015", "--config", str(toml))
    assert svar.returncode == 2
    assert "rapport.utvecklingsprojekt" in svar.stderr and "projekten" in svar.stderr
    assert "Traceback" not in svar.stderr


def test_malutfallet_visas_mot_malet_det_mattes_mot(tmp_path: Path) -> None:
    """Ett beslut om ändring som ger ett nytt målvärde ändrar inte vad en tidigare utvärdering
    mätte: rapporten visar den mot det gamla målet (12 av 20, 60 %), och en utvärdering efter
    ändringen mot det nya (12 av 40)."""
    db = tmp_path / "r.db"
    fil = skriv_forslag(tmp_path, "a.yaml", id_="NL-1")
    kor("register", "add", str(fil), "--sanktionerad-av", "N", env=miljo(db))
    utv = tmp_path / "u.yaml"

    def utvardera(datum: str) -> None:
        utv.write_text(
            f"datum: {datum}\ntyp: delutvärdering\nutförd_av: Eva Berg\n"
            "mål:\n  - {mål: 1, utfall: 12}\n",
            encoding="utf-8",
        )
        p = kor("register", "utvärdera", "NL-1", str(utv), env=miljo(db))
        assert p.returncode == 0, p.stdout + p.stderr

    def malutfall() -> list[tuple[str, str, str]]:
        p = kor("report", "--år", "2015", "-f", "json", env=miljo(db))
        rader = json.loads(p.stdout)["avsnitt"]["malutfall"]["rader"]
        return [(r["utvardering_datum"], r["malvarde"], r["maluppfyllelse"]) for r in rader]

    utvardera("2015-03-01")
    fil.write_text(
        fil.read_text(encoding="utf-8").replace("målvärde: 20", "målvärde: 40"), encoding="utf-8"
    )
    p = kor(
        "register", "ändra", str(fil), "--beslut", "KS 2015/9", "--beslutsdatum", "2015-06-01",
        "--sanktionerad-av", "N", env=miljo(db),
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    assert malutfall() == [("2015-03-01", "20", "0.6000")]
    utvardera("2015-09-01")
    assert malutfall() == [("2015-09-01", "40", "0.3000")]
