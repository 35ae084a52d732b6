"""Varje registrerat format i varje kommandofamilj är helt inkopplat: det står i `--format`s
hjälp, kommandot tar emot det, och renderaren skriver något som handlar om resultatet.

Ett nytt format i ett `Formatregister` prövas här utan att testet ändras."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import ROT, kor
from partner_cli import konfig, kontroll
from partner_cli.bevakningsvy import BEVAKNINGSFORMAT
from partner_cli.formatregister import Format, Formatregister
from partner_cli.publiceringsvy import PUBLICERINGSFORMAT
from partner_cli.rapportvy import RAPPORTFORMAT
from partner_cli.registerformat import AVTALSFORMAT, EXPORTFORMAT, TABELLFORMAT
from partner_cli.underlag_cli import UNDERLAGSFORMAT
from partner_cli.utdata import FORMAT
from registerhjalp import miljo

GODKANDA = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
UNDERKAND = ROT / "exempel" / "avvisade" / "nl-2014-005-matkluster.yaml"
# Registrets kommandon med sina format, och något som utdata ska innehålla i varje format.
REGISTERKOMMANDON: list[tuple[tuple[str, ...], Formatregister[object], str]] = [
    (("register", "list"), TABELLFORMAT, "NL-2014-001"),
    (("register", "ägare"), TABELLFORMAT, "Närkes Innovationspark"),
    (("register", "historik"), TABELLFORMAT, "NL-2014-001"),
    (("register", "show", "NL-2014-001"), AVTALSFORMAT, "NL-2014-001"),
    (("register", "export"), EXPORTFORMAT, "NL-2014-001"),
]


def hjalpens_format(*kommando: str) -> str:
    p = kor(*kommando, "--help")
    assert p.returncode == 0, p.stderr
    return " ".join(p.stdout.split())


@pytest.mark.parametrize(
    ("kommando", "register"),
    [
        (("check", str(UNDERKAND)), FORMAT),
        (("report",), RAPPORTFORMAT),
        (("underlag", str(UNDERKAND)), UNDERLAGSFORMAT),
        (("publicera", "--år", "2015", "--ut", "data"), PUBLICERINGSFORMAT),
        (("bevaka",), BEVAKNINGSFORMAT),
        *((k, r) for k, r, _ in REGISTERKOMMANDON),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_hjalpen_och_felmeddelandet_namner_varje_format(
    kommando: tuple[str, ...], register: Formatregister[object]
) -> None:
    hjalp = hjalpens_format(*kommando)
    assert " ".join(register.hjalp().split()) in hjalp
    for namn in register:
        assert re.search(rf"\b{namn}\b", hjalp), namn
    p = kor(*kommando, "--format", "finns-inte")
    assert p.returncode == 2
    assert register.okant("finns-inte") in p.stderr


@pytest.mark.parametrize("namn", list(FORMAT))
def test_varje_granskningsformat_renderar_resultatet(namn: str) -> None:
    # I processen, på ett riktigt resultat: godkända förslag, ett med varning och ett underkänt.
    resultat = kontroll.kontrollera(
        [*map(str, GODKANDA), str(UNDERKAND)], konfig.ladda(start=ROT / "exempel")
    )
    ut = io.StringIO()
    FORMAT.renderare(namn)(resultat, ut)
    assert UNDERKAND.name in ut.getvalue()
    assert "medfinansiering" in ut.getvalue()


def test_varje_granskningsformat_genom_kommandot(tmp_path: Path) -> None:
    argument = [a for f in FORMAT for a in ("--format", f, "--output", str(tmp_path / f))]
    p = kor("check", str(UNDERKAND), *argument)
    assert p.returncode == 1, p.stderr
    for namn in FORMAT:
        assert UNDERKAND.name in (tmp_path / namn).read_text(encoding="utf-8"), namn


def kor_format(argument: list[str], format_: Format, register: Path, katalog: Path) -> str:
    """Kommandot i formatet; ett katalogformat skriver i `katalog`, och ger då filernas text,
    ett binärt format en fil i `--ut FIL`, och ger då dess text läst med sitt bibliotek."""
    fil = katalog / f"ut.{format_.namn}"
    ut = ["--ut", str(katalog)] if format_.katalog else ["--ut", str(fil)] if format_.binar else []
    p = kor(*argument, "--format", format_.namn, *ut, env=miljo(register))
    assert p.returncode == 0, p.stderr
    if format_.binar:
        return las_utfil(fil, format_)
    if not format_.katalog:
        return p.stdout
    return "".join(f.read_text(encoding="utf-8") for f in sorted(katalog.iterdir()))


@pytest.fixture(scope="module")
def registret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("format") / "partnerskap.db"
    p = kor("register", "add", *map(str, GODKANDA), "--sanktionerad-av", "N", env=miljo(db))
    assert p.returncode == 0, p.stdout + p.stderr
    return db


@pytest.mark.parametrize("format_", [RAPPORTFORMAT[n] for n in RAPPORTFORMAT], ids=lambda f: f.namn)
def test_varje_rapportformat_genom_kommandot(
    format_: Format, registret: Path, tmp_path: Path
) -> None:
    argument = ["report", "--år", "2015", "--per", "2016-06-01"]
    # Varje format redovisar avtalen: ett av exemplens id står i utdata.
    assert "NL-2014-001" in kor_format(argument, format_, registret, tmp_path)


@pytest.mark.parametrize(
    ("kommando", "format_", "vantat"),
    [(k, r[n], v) for k, r, v in REGISTERKOMMANDON for n in r],
    ids=lambda v: v.namn if isinstance(v, Format) else " ".join(v) if isinstance(v, tuple) else "",
)
def test_varje_registerformat_genom_kommandot(
    kommando: tuple[str, ...], format_: Format, vantat: str, registret: Path, tmp_path: Path
) -> None:
    assert vantat in kor_format(list(kommando), format_, registret, tmp_path)


def las_utfil(fil: Path, format_: Format) -> str:
    """Texten i en utfil; ett binärt format läses tillbaka med sitt bibliotek."""
    if format_.namn == "docx":
        import docx

        doc = docx.Document(str(fil))
        return "\n".join(
            [s.text for s in doc.paragraphs]
            + [c.text for t in doc.tables for r in t.rows for c in r.cells]
        )
    if format_.namn == "xlsx":
        import openpyxl

        bok = openpyxl.load_workbook(fil)
        return "\n".join(str(c.value) for ark in bok.worksheets for r in ark.iter_rows() for c in r)
    assert not format_.binar, f"{format_.namn}: binärt format utan läsare i testet"
    return fil.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "format_", [UNDERLAGSFORMAT[n] for n in UNDERLAGSFORMAT], ids=lambda f: f.namn
)
def test_varje_underlagsformat_genom_kommandot(format_: Format, tmp_path: Path) -> None:
    fil = tmp_path / f"underlag.{format_.namn}"
    p = kor("underlag", str(UNDERKAND), "--format", format_.namn, "--ut", str(fil))
    assert p.returncode == 1, p.stderr
    text = las_utfil(fil, format_)
    assert "NL-2014-005" in text
    assert "1 430 000 kr" in text


@pytest.mark.parametrize(
    "format_", [PUBLICERINGSFORMAT[n] for n in PUBLICERINGSFORMAT], ids=lambda f: f.namn
)
def test_varje_publiceringsformat_genom_kommandot(
    format_: Format, registret: Path, tmp_path: Path
) -> None:
    toml = tmp_path / "partner.toml"
    toml.write_text(
        '[kommun]\nnamn = "K"\norganisationsnummer = "212000-1967"\n'
        '[publicera]\nbidragsprefix = "360G-x"\nkontakt_epost = "a@example.se"\n'
        'adress = "https://example.se/"\n',
        encoding="utf-8",
    )
    ut = tmp_path / "data"
    argument = ["publicera", "--år", "2015", "--ut", str(ut), "--config", str(toml)]
    p = kor(*argument, "--format", format_.namn, env=miljo(registret))
    assert p.returncode == 0, p.stderr
    (fil,) = ut.iterdir()
    # Datafilerna redovisar avtalen; katalogposten pekar ut dem.
    vantat = "partnerskap-2015.csv" if format_.namn == "dcat" else "NL-2014-001"
    assert vantat in fil.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "format_", [BEVAKNINGSFORMAT[n] for n in BEVAKNINGSFORMAT], ids=lambda f: f.namn
)
def test_varje_bevakningsformat_genom_kommandot(
    format_: Format, registret: Path, tmp_path: Path
) -> None:
    # Per 2015-06-15: NL-2014-003:s delutvärdering 2015-06-30 är kommande, NL-2014-001:s
    # 2015-03-01 försenad (kod 1).
    p = kor("bevaka", "--per", "2015-06-15", "--format", format_.namn, env=miljo(registret))
    assert p.returncode == 1, p.stderr
    assert "NL-2014-003" in p.stdout
