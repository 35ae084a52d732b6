"""Excel och svensk CSV: xlsx läst tillbaka med openpyxl (innehåll, typer och talformat),
`--csv-stil excel`, en konvention för belopp i maskinläsbar utdata, och formler som aldrig
blir formler. Genom det installerade `partner` på ett register byggt ur exemplen."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import PARTNER, ROT, kor, kor_i_terminal
from registerhjalp import miljo, skriv_forslag

BELOPP = '#,##0 "kr"'
FORMLER = ['=HYPERLINK("http://x.example";"klicka")', "+46 19 21 10 00", "-1+1", "@SUMMA(A1)"]


@pytest.fixture(scope="module")
def registret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("kalkyl")
    db = katalog / "partnerskap.db"
    p = kor(
        "register", "add", str(ROT / "exempel" / "forslag"), "--sanktionerad-av", "Karin Ek",
        env=miljo(db),
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    return db


def xlsx(*argument: str, register: Path, fil: Path) -> Any:
    p = kor(*argument, "--format", "xlsx", "--ut", str(fil), env=miljo(register))
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    return openpyxl.load_workbook(fil)


def rader(ark: Any) -> list[dict[str, Any]]:
    rubrik, *resten = list(ark.iter_rows())
    return [{k.value: c for k, c in zip(rubrik, r, strict=True)} for r in resten]


def test_register_list_som_xlsx(registret: Path, tmp_path: Path) -> None:
    bok = xlsx("register", "list", register=registret, fil=tmp_path / "avtal.xlsx")
    (ark,) = bok.worksheets
    assert ark.title == "Avtal"
    assert ark.freeze_panes == "A2"
    assert all(c.font.b for c in ark[1])
    avtal = {r["id"].value: r for r in rader(ark)}
    assert list(avtal) == ["NL-2014-001", "NL-2014-002", "NL-2014-003", "NL-2015-004"]
    rad = avtal["NL-2014-001"]
    # Belopp som tal i kronor med talformat, datum som datum.
    assert rad["kommunen_kontant"].value == 400_000
    assert rad["kommunen_kontant"].data_type == "n"
    assert rad["kommunen_kontant"].number_format == BELOPP
    assert rad["total"].value == 1_180_000
    assert rad["period_start"].value == dt.datetime(2014, 3, 1)
    assert rad["period_start"].is_date and rad["period_start"].number_format == "yyyy-mm-dd"
    assert rad["organisationsnummer"].value == "556781-2341"  # text, inte ett tal
    assert rad["titel"].data_type == "s"
    # Kolumnbredder efter innehållet: titeln är bredare än id.
    bredd = {k: ark.column_dimensions[c.column_letter].width for k, c in rad.items()}
    assert bredd["titel"] > bredd["id"] >= len("NL-2014-001")


def test_agare_och_historik_som_xlsx(registret: Path, tmp_path: Path) -> None:
    bok = xlsx("register", "ägare", register=registret, fil=tmp_path / "ägare.xlsx")
    agare = {r["organisationsnummer"].value: r for r in rader(bok.active)}
    assert agare["556912-3457"]["avtalsagare_namn"].value == "Maria Holm"
    assert agare["556912-3457"]["antal_avtal"].value == 1
    bok = xlsx("register", "historik", register=registret, fil=tmp_path / "historik.xlsx")
    handelser = rader(bok.active)
    assert [h["vad"].value for h in handelser].count("registrerad") == 4


def test_rapporten_som_xlsx(registret: Path, tmp_path: Path) -> None:
    argument = ("report", "--år", "2015", "--per", "2016-06-01")
    bok = xlsx(*argument, register=registret, fil=tmp_path / "rapport.xlsx")
    assert bok.sheetnames == [
        "partnerskap", "organisationer", "typer", "undantag", "indikatorer", "utvecklingsomraden",
        "utvarderingar", "malutfall", "risker",
    ]  # fmt: skip
    assert all(ark.freeze_panes == "A2" for ark in bok.worksheets)
    partnerskap = {r["id"].value: r for r in rader(bok["partnerskap"])}
    rad = partnerskap["NL-2014-002"]
    # Kommunens 260 000 kr över 579 dagar, 365 av dem under 2015: årets del i kronor och öre.
    assert Decimal(str(rad["kommunen"].value)) == Decimal("163903.28")
    assert rad["kommunen"].number_format == BELOPP
    # Perioden som två datum; andelar som tal med procentformat (fyra decimaler, som csv).
    assert rad["period_start"].value == dt.datetime(2014, 6, 1)
    assert rad["period_slut"].value == dt.datetime(2015, 12, 31)
    assert rad["naringslivsandel"].value == pytest.approx(0.5633)
    assert rad["naringslivsandel"].number_format == "0.0 %"
    indikatorer = {r["indikator"].value: r for r in rader(bok["indikatorer"])}
    assert indikatorer["Aktiva partnerskap"]["varde"].value == 4
    utv = rader(bok["utvarderingar"])
    assert {u["datum"].value for u in utv} >= {dt.datetime(2015, 3, 1)}


def test_xlsx_till_ett_ror_men_aldrig_en_terminal(registret: Path, tmp_path: Path) -> None:
    fil = tmp_path / "avtal.xlsx"
    with fil.open("wb") as ut:
        p = subprocess.run(
            [PARTNER, "register", "list", "-f", "xlsx"],
            stdout=ut,
            env={**os.environ, **miljo(registret)},
            timeout=60,
        )
    assert p.returncode == 0
    forsta = rader(openpyxl.load_workbook(fil).active)[0]
    assert forsta["id"].value == "NL-2014-001"
    p = kor_i_terminal("register", "list", "-f", "xlsx", env=miljo(registret))
    assert p.returncode == 2
    assert "--format xlsx är binärt: ange filen med --ut FIL" in p.stderr


def test_csv_i_excels_stil(registret: Path, tmp_path: Path) -> None:
    p = kor("register", "list", "-f", "csv", "--csv-stil", "excel", env=miljo(registret))
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("\ufeffid;titel;typ;")
    assert "\r\n" in p.stdout
    rad = next(csv.DictReader(io.StringIO(p.stdout.lstrip("\ufeff")), delimiter=";"))
    assert rad["kommunen_kontant"] == "400000,00" and rad["total"] == "1180000,00"
    assert rad["period_start"] == "2014-03-01"
    # Rapportens csv-filer i samma stil.
    katalog = tmp_path / "rapport"
    p = kor(
        "report", "--år", "2015", "--per", "2016-06-01", "-f", "csv", "--ut", str(katalog),
        "--csv-stil", "excel", env=miljo(registret),
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    text = (katalog / "partnerskap.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeffid;organisation;typ;period;")
    assert ";163903,28;0,5633;0,5633;gemensamt\r\n" in text


def test_standardstilen_ar_oforandrad(registret: Path) -> None:
    p = kor("register", "list", "-f", "csv", env=miljo(registret))
    rad = next(csv.DictReader(io.StringIO(p.stdout)))
    assert not p.stdout.startswith("\ufeff")
    assert rad["kommunen_kontant"] == "400000.00"


@pytest.mark.parametrize(
    ("argument", "text"),
    [
        (("register", "list", "-f", "json", "--csv-stil", "excel"),
         "--csv-stil gäller --format csv, inte json"),
        (("register", "list", "--csv-stil", "libre"),
         "ogiltigt värde för --csv-stil: 'libre'; välj en av 'standard', 'excel'"),
        (("report", "-f", "xlsx", "--csv-stil", "excel"),
         "--csv-stil gäller --format csv, inte xlsx"),
    ],
)  # fmt: skip
def test_stil_och_format_som_inte_gar_ihop(
    registret: Path, argument: tuple[str, ...], text: str
) -> None:
    p = kor(*argument, env=miljo(registret))
    assert p.returncode == 2
    assert text in p.stderr


def test_en_konvention_for_belopp(registret: Path, tmp_path: Path) -> None:
    # Kronor som exakt decimaltext i list, show och rapportens json; öre bara i exporten.
    lista = json.loads(kor("register", "list", "-f", "json", env=miljo(registret)).stdout)
    assert lista[0]["kommunen_kontant"] == "400000.00"
    visa = json.loads(
        kor("register", "show", "NL-2014-001", "-f", "json", env=miljo(registret)).stdout
    )
    assert visa["total"] == "1180000.00" and visa["ekonomi_omsattning"] == "24000000.00"
    assert visa["finansiarer"][0]["kontant"] == "300000.00"
    assert visa["finansiarer"][0]["garanterad"] == 1  # ja/nej, inget belopp
    assert visa["period_start"] == "2014-03-01"
    rapport = json.loads(kor("report", "--år", "2015", "-f", "json", env=miljo(registret)).stdout)
    assert re.fullmatch(r"\d+\.\d\d", rapport["indikatorer"]["år"]["total"])
    export = json.loads(kor("register", "export", env=miljo(registret)).stdout)
    avtal = export["tabeller"]["avtal"]
    forsta = dict(zip(avtal["kolumner"], avtal["rader"][0], strict=True))
    assert forsta["kommunen_kontant"] == 40_000_000  # öre, förlustfritt


def test_formler_blir_aldrig_formler(tmp_path: Path) -> None:
    db = tmp_path / "partnerskap.db"
    filer = [
        skriv_forslag(tmp_path, f"f{i}.yaml", id_=f"NL-F{i}", titel=json.dumps(titel))
        for i, titel in enumerate(FORMLER)
    ]
    p = kor("register", "add", *map(str, filer), "--sanktionerad-av", "K", env=miljo(db))
    assert p.returncode == 0, p.stdout + p.stderr
    p = kor("register", "list", "-f", "csv", env=miljo(db))
    titlar = [r["titel"] for r in csv.DictReader(io.StringIO(p.stdout))]
    assert sorted(titlar) == sorted("'" + t for t in FORMLER)
    bok = xlsx("register", "list", register=db, fil=tmp_path / "f.xlsx")
    celler = [r["titel"] for r in rader(bok.active)]
    assert sorted(c.value for c in celler) == sorted(FORMLER)  # texten exakt
    for c in celler:
        assert c.data_type == "s" and c.quotePrefix, c.value
    # Vanlig text får inget citatprefix.
    assert not rader(bok.active)[0]["typ"].quotePrefix


def test_tab_och_cr_forst_i_en_cell() -> None:
    # Förslagens text trimmas när den läses; kalkylbladen skyddar ändå varje textcell. CR är
    # ett styrtecken och står som `\\r`, som i terminalen; tab står kvar och skyddas.
    from partner_cli import kalkyl

    stil = kalkyl.CSV_STILAR["excel"]
    assert kalkyl.text("\tx", stil) == "'\tx" and kalkyl.text("\rx", stil) == "\\rx"
    assert kalkyl.text("x=1", stil) == "x=1"
    ut = io.BytesIO()
    kalkyl.skriv_xlsx(ut, [kalkyl.Blad("a", ["k"], [["\tx"], ["\rx"], ["\x1b[2Jx"], ["x"]])])
    celler = [r[0] for r in openpyxl.load_workbook(io.BytesIO(ut.getvalue())).active.iter_rows()]
    assert [(c.value, c.quotePrefix) for c in celler[1:]] == [
        ("\tx", True), ("\\rx", False), ("\\x1b[2Jx", False), ("x", False)
    ]  # fmt: skip


@pytest.mark.parametrize("stil", ["standard", "excel"])
def test_en_cell_forst_pa_raden_blir_aldrig_ett_arbetsflodeskommando(stil: str) -> None:
    from partner_cli import kalkyl

    ut = io.StringIO()
    rader = [["::error::x", "1"], ['##[error]"y"', "2"], ["::ensam"], ["vanlig", "3"]]
    kalkyl.skriv_csv(ut, ["a", "b"], rader, kalkyl.CSV_STILAR[stil])
    text = ut.getvalue().lstrip("\ufeff")
    assert not [r for r in text.splitlines() if r.startswith(("::", "##["))]
    avgransare = kalkyl.CSV_STILAR[stil].avgransare
    assert list(csv.reader(io.StringIO(text), delimiter=avgransare))[1:] == rader
