"""`register list` med villkor: organisation, avtalsägare, typ, aktiva en dag och år, på ett
register byggt ur exemplen med arkivets kommandon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROT, kor
from registerhjalp import forslag, miljo, orgnr


@pytest.fixture(scope="module")
def registret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("urval") / "partnerskap.db"
    p = kor(
        "register", "add", str(ROT / "exempel" / "forslag"), "--sanktionerad-av", "Karin Ek",
        env=miljo(db),
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    return db


def idn(registret: Path, *villkor: str) -> list[str]:
    p = kor("register", "list", *villkor, "--format", "json", env=miljo(registret))
    assert p.returncode == 0, p.stderr
    return [r["id"] for r in json.loads(p.stdout)]


ALLA = ["NL-2014-001", "NL-2014-002", "NL-2014-003", "NL-2015-004"]


@pytest.mark.parametrize(
    ("villkor", "vantat"),
    [
        ((), ALLA),
        (("--organisation", "556912-3457"), ["NL-2015-004"]),
        (("--organisation", "5569123457"), ["NL-2015-004"]),  # numret utan bindestreck
        (("--organisation", "ÖREBRO"), ["NL-2014-001"]),  # skiftläge, också för Ö
        (("--organisation", "närke"), ["NL-2014-002", "NL-2015-004"]),
        (("--organisation", "finns inte"), []),
        (("--ägare", "maria holm"), ["NL-2014-003", "NL-2015-004"]),
        (("--agare", "Johan"), ["NL-2014-002"]),
        (("--typ", "projekt"), ["NL-2014-001", "NL-2015-004"]),
        (("--typ", "samarbetsavtal"), ["NL-2014-002"]),
        (("--aktiva-per", "2014-03-01"), ["NL-2014-001"]),  # första dagen räknas
        (("--aktiva-per", "2016-02-29"), ["NL-2014-001", "NL-2014-003", "NL-2015-004"]),
        (("--aktiva-per", "2017-02-01"), []),
        (("--år", "2017"), ["NL-2015-004"]),
        (("--ägare", "Maria", "--typ", "projekt", "--aktiva-per", "2015-06-01"), ["NL-2015-004"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_villkor(registret: Path, villkor: tuple[str, ...], vantat: list[str]) -> None:
    assert idn(registret, *villkor) == vantat


def test_villkoren_galler_alla_format(registret: Path) -> None:
    p = kor("register", "list", "--typ", "samarbetsavtal", env=miljo(registret))
    assert "NL-2014-002" in p.stdout and "NL-2014-001" not in p.stdout
    assert p.stdout.endswith("1 avtal\n")
    p = kor("register", "list", "--typ", "samarbetsavtal", "-f", "csv", env=miljo(registret))
    assert len(p.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("villkor", "text"),
    [
        (
            ("--typ", "avtal"),
            "ogiltigt värde för --typ: 'avtal'; välj en av 'projekt', 'verksamhetsstöd', "
            "'samarbetsavtal'",
        ),
        (
            ("--aktiva-per", "2015-02-30"),
            "ogiltigt värde för --aktiva-per: '2015-02-30' är inget datum",
        ),
        (("--aktiva-per", "1/3 2015"), "är inget datum i formen ÅÅÅÅ-MM-DD"),
    ],
)
def test_ogiltiga_villkor(registret: Path, villkor: tuple[str, ...], text: str) -> None:
    p = kor("register", "list", *villkor, env=miljo(registret))
    assert p.returncode == 2
    assert text in p.stderr
    assert "Invalid" not in p.stderr and "does not" not in p.stderr


def test_utvecklingsomrade(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text(
        '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n'
        '"utvecklingsområden" = ["Logistik", "Besöksnäring"]\n',
        encoding="utf-8",
    )
    db = tmp_path / "partnerskap.db"
    for i, omraden in enumerate(["[Logistik]", "[Logistik, Besöksnäring]", None]):
        text = forslag(id_=f"NL-U{i}", org=orgnr(i))
        if omraden is not None:
            text = text.replace(
                "# utvecklingsområden: [Logistik]", f"utvecklingsområden: {omraden}"
            )
        (tmp_path / f"u{i}.yaml").write_text(text, encoding="utf-8")
    p = kor("register", "add", "u0.yaml", "u1.yaml", "u2.yaml", "--sanktionerad-av", "K",
            cwd=tmp_path, env=miljo(db))  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr

    def idn_(*villkor: str) -> list[str]:
        p = kor("register", "list", *villkor, "-f", "json", cwd=tmp_path, env=miljo(db))
        assert p.returncode == 0, p.stderr
        return [r["id"] for r in json.loads(p.stdout)]

    assert idn_("--utvecklingsområde", "logistik") == ["NL-U0", "NL-U1"]
    assert idn_("--utvecklingsomrade", "BESÖKSNÄRING") == ["NL-U1"]
    assert idn_("--utvecklingsområde", "Logist") == []  # hela namnet
    assert idn_() == ["NL-U0", "NL-U1", "NL-U2"]
