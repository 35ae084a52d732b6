"""partner.toml: var den hittas, vad som är fel i den, och att gränserna ändrar utfallen."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import MALLTEXT, andrad_mall, granska, kor
from partner_cli import konfig
from partner_cli.modell import Kommun


def toml(katalog: Path, text: str) -> Path:
    fil = katalog / "partner.toml"
    fil.write_text(text, encoding="utf-8")
    return fil


def test_ingen_fil_ger_standard(tmp_path: Path) -> None:
    k = konfig.ladda(start=tmp_path)
    assert k.fil is None
    assert k.regler["medfinansiering"]["min_andel"] == Fraction(1, 2)
    assert k.regler["insyn"]["betydande_andel"] == Fraction(1, 4)
    assert k.regler["ekonomi"]["max_ålder_år"] == 2
    assert k.regler["ekonomi"]["max_offentlig_andel"] == Fraction(1, 2)
    assert k.regler["utvärdering"]["max_dagar_efter_slut"] == 365
    assert k.max_filstorlek == 1_000_000


def test_hittas_i_en_foralder(tmp_path: Path) -> None:
    fil = toml(tmp_path, "[regler.medfinansiering]\nmin_andel = 0.6\n")
    under = tmp_path / "a" / "b"
    under.mkdir(parents=True)
    k = konfig.ladda(start=under)
    assert k.fil == fil
    assert k.regler["medfinansiering"]["min_andel"] == Fraction(3, 5)


def test_hittas_uppat_fran_arbetskatalogen(tmp_path: Path) -> None:
    toml(tmp_path, "[regler.medfinansiering]\nmin_andel = 0.7\n")
    under = tmp_path / "forslag"
    under.mkdir()
    (under / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "f.yaml", cwd=under)
    assert p.returncode == 1
    assert "minst 70 % krävs" in p.stdout


def test_config_flaggan(tmp_path: Path) -> None:
    annan = tmp_path / "annan"
    annan.mkdir()
    fil = toml(annan, '[regler.medfinansiering]\n"nivå" = "av"\n')
    toml(tmp_path, "[regler.medfinansiering]\nmin_andel = 0.9\n")  # den närmaste, som ska vika
    (tmp_path / "f.yaml").write_text(
        andrad_mall(("    kontant: 400 000 kr", "    kontant: 9 mnkr")), encoding="utf-8"
    )
    assert kor("check", "f.yaml", cwd=tmp_path).returncode == 1
    p = kor("check", "--config", str(fil), "f.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout


@pytest.mark.parametrize(
    ("text", "nyckel", "vad"),
    [
        ("[regler.medfinansering]\n", "regler.medfinansering", "okänd nyckel"),
        ("[regler.medfinansiering]\nmin_del = 0.5\n", "regler.medfinansiering.min_del", "okänd"),
        ("[check]\nmax_storlek = 1\n", "check.max_storlek", "okänd nyckel"),
        ("[kontroll]\n", "kontroll", "okänd nyckel"),
        ('[regler.medfinansiering]\nmin_andel = "hälften"\n', "min_andel", "andel mellan 0 och 1"),
        ("[regler.medfinansiering]\nmin_andel = 1.5\n", "min_andel", "andel mellan 0 och 1"),
        ("[regler.medfinansiering]\nmin_andel = true\n", "min_andel", "andel mellan 0 och 1"),
        ('[regler.ekonomi]\n"max_ålder_år" = 2.5\n', "max_ålder_år", "heltal"),
        ("[regler.ekonomi]\nmax_alder_ar = -1\n", "max_ålder_år", "heltal"),
        ('[check]\nmax_filstorlek = "1 MB"\n', "check.max_filstorlek", "heltal"),
        (
            '[regler."utvärdering"]\n"kräv_slututvärdering" = "ja"\n',
            "regler.utvärdering.kräv_slututvärdering",
            "true eller false",
        ),
        (
            "[regler.utvardering]\nkrav_slututvardering = 1\n",
            "kräv_slututvärdering",
            "true eller false",
        ),
        ('[regler."mål"]\n"nivå" = "hög"\n', "regler.mål.nivå", "fel, varning, av"),
        ('[regler."tillämpning"]\nniva = "varning"\n', "tillämpning.nivå", "fel eller av"),
        ("regler = 3\n", "regler", "tabell"),
        (
            '[regler.medfinansiering]\n"in_kind_som_räknas" = ["personal", "lokal"]\n',
            "regler.medfinansiering.in_kind_som_räknas",
            "okänt värde 'lokal'",
        ),
        (
            '[regler.medfinansiering]\nin_kind_som_raknas = "personal"\n',
            "in_kind_som_räknas",
            "lista",
        ),
        ('[kommun]\nnamn = "K"\n', "kommun.organisationsnummer", "saknas"),
        ('[kommun]\norganisationsnummer = "212000-1967"\n', "kommun.namn", "saknas"),
        ('[kommun]\nnamn = "K"\norganisationsnummer = 2120001967\n', "kommun.org", "citattecken"),
        ('[kommun]\nnamn = "K"\norganisationsnummer = "212000-1356"\n', "kommun.org", "Luhn"),
        ('[kommun]\nnamn = "K"\norganisationsnummer = "556781-2341"\n', "kommun.org", "med 2"),
        (
            '[kommun]\nnamn = "K"\norganisationsnummer = "212000-1967"\nbolag = "556781-2341"\n',
            "kommun.bolag",
            "lista",
        ),
        (
            '[kommun]\nnamn = "K"\norganisationsnummer = "212000-1967"\nbolag = ["1"]\n',
            "kommun.bolag[0]",
            "inget organisationsnummer",
        ),
        ('[kommun]\nnamn = "K"\nkod = 1\n', "kommun.kod", "okänd nyckel"),
        ('[register]\n"sökväg" = 3\n', "register.sökväg", "sökväg"),
        ("[regler\n", "partner.toml", "inte giltig TOML"),
        ('[regler.mal]\nniva = "av"\n"nivå" = "fel"\n', "regler.mål.nivå", "två gånger"),
        ('[regler.mal]\n[regler."mål"]\n', "regler.mål", "två gånger"),
    ],
)
def test_fel_i_partner_toml_namnger_nyckeln(
    tmp_path: Path, text: str, nyckel: str, vad: str
) -> None:
    fil = toml(tmp_path, text)
    with pytest.raises(konfig.KonfigFel) as fel:
        konfig.ladda(start=tmp_path)
    assert str(fel.value).startswith(f"{fil}: ")
    assert nyckel in str(fel.value)
    assert vad in str(fel.value)


@pytest.mark.parametrize(
    "text",
    [
        "[regler.medfinansering]\n",
        "[regler.medfinansiering]\nmin_andel = 1.5\n",
        '[regler."mål"]\n"nivå" = "hög"\n',
    ],
)
def test_fel_i_partner_toml_ger_kod_2(tmp_path: Path, text: str) -> None:
    toml(tmp_path, text)
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stdout == ""
    with pytest.raises(konfig.KonfigFel) as fel:
        konfig.ladda(start=tmp_path)
    assert p.stderr == f"partner: {fel.value}\n"


def test_config_som_inte_finns(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "--config", "saknas.toml", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "saknas.toml: filen finns inte" in p.stderr


def test_config_som_inte_ar_utf8(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_bytes(b"# \xe5\xe4\xf6\n")
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "kan inte läsas" in p.stderr


# --- gränserna ändrar utfallen -----------------------------------------------------------------


def utfall(skriv: Callable[..., Path], text: str, installning: str | None) -> str:
    fil = skriv(text)
    if installning is not None:
        toml(fil.parent, installning)
    return granska(fil).utfall


GRANSER = [
    # (mallens ändring, partner.toml, utfall utan, utfall med)
    pytest.param(
        ("", ""),
        "[regler.medfinansiering]\nmin_andel = 0.67\n",
        "godkänd",
        "underkänd",
        id="min_andel",
    ),
    pytest.param(
        ("    kontant: 400 000 kr", "    kontant: 900 000 kr"),
        "[regler.medfinansiering]\nmin_andel = 0.4\n",
        "underkänd",
        "godkänd",
        id="min_andel_lagre",
    ),
    pytest.param(
        ("rätt_till_insyn: ja", "rätt_till_insyn: nej"),
        "[regler.insyn]\nbetydande_andel = 0.34\n",
        "underkänd",
        "godkänd",
        id="betydande_andel",
    ),
    pytest.param(
        ("räkenskapsår: 2013", "räkenskapsår: 2011"),
        '[regler."ekonomi"]\n"max_ålder_år" = 3\n',
        "underkänd",
        "godkänd",
        id="max_ålder_år",
    ),
    pytest.param(
        ("räkenskapsår: 2013", "räkenskapsår: 2013"),
        "[regler.ekonomi]\nmax_alder_ar = 0\n",
        "godkänd",
        "underkänd",
        id="max_alder_ar",
    ),
    pytest.param(
        ("{datum: 2016-09-30", "{datum: 2016-10-01"),
        '[regler."utvärdering"]\nmax_dagar_efter_slut = 30\n',
        "godkänd",
        "underkänd",
        id="max_dagar_efter_slut",
    ),
    pytest.param(
        ("{datum: 2016-09-30, typ: slututvärdering}", "{datum: 2016-09-30, typ: delutvärdering}"),
        "[regler.utvardering]\nkrav_slututvardering = false\n",
        "underkänd",
        "godkänd",
        id="kräv_slututvärdering",
    ),
    pytest.param(
        ("", ""), "[check]\nmax_filstorlek = 1000\n", "godkänd", "ogiltig", id="max_filstorlek"
    ),
    pytest.param(
        ("överenskommet: ja", "överenskommet: nej"),
        "[regler.mal]\nniva = 'varning'\n",
        "underkänd",
        "godkänd",
        id="niva_mal",
    ),
    pytest.param(
        ("efter_avtalstiden: Verksamheten bärs av medlemsavgifter från 2017.", "x: 1"),
        "[regler.langsiktighet]\nniva = 'av'\n",
        "ogiltig",
        "ogiltig",
        id="langsiktighet_ogiltig_oavsett",
    ),
    pytest.param(
        (
            "efter_avtalstiden: Verksamheten bärs av medlemsavgifter från 2017.",
            "efter_avtalstiden:",
        ),
        "[regler.langsiktighet]\nniva = 'av'\n",
        "underkänd",
        "godkänd",
        id="langsiktighet",
    ),
]


@pytest.mark.parametrize(("andring", "installning", "utan", "med"), GRANSER)
def test_granser_andrar_utfallet(
    skriv: Callable[..., Path],
    andring: tuple[str, str],
    installning: str,
    utan: str,
    med: str,
) -> None:
    text = andrad_mall(andring) if andring[0] else MALLTEXT
    assert utfall(skriv, text, None) == utan
    assert utfall(skriv, text, installning) == med


def test_max_offentlig_andel_ger_varning(skriv: Callable[..., Path]) -> None:
    # 240 000 av 2 400 000 kr är 10 % offentliga medel.
    fil = skriv(MALLTEXT)
    assert granska(fil).fynd == ()
    toml(fil.parent, "[regler.ekonomi]\nmax_offentlig_andel = 0.05\n")
    r = granska(fil)
    assert r.utfall == "godkänd"
    assert [(f.regel, f.niva) for f in r.fynd] == [("ekonomi", "varning")]
    assert "10,0 % av motpartens omsättning" in r.fynd[0].meddelande
    assert "över 5 %" in r.fynd[0].meddelande


def test_andel_ur_toml_ar_exakt(tmp_path: Path) -> None:
    toml(tmp_path, "[regler.medfinansiering]\nmin_andel = 0.1\n")
    assert konfig.ladda(start=tmp_path).regler["medfinansiering"]["min_andel"] == Fraction(1, 10)


def test_register_sokvag_relativ_till_filen(tmp_path: Path) -> None:
    toml(tmp_path, '[register]\n"sökväg" = "data/avtal.db"\n')
    under = tmp_path / "x"
    under.mkdir()
    assert konfig.ladda(start=under).register == tmp_path / "data" / "avtal.db"


def test_kommun_ur_partner_toml(tmp_path: Path) -> None:
    toml(
        tmp_path,
        '[kommun]\nnamn = " Örebro kommun "\norganisationsnummer = "2120001967"\n'
        'bolag = ["556781-2341", "5569123457"]\n',
    )
    k = konfig.ladda(start=tmp_path).kommun
    assert k == Kommun("Örebro kommun", "212000-1967", ("556781-2341", "556912-3457"))
    assert konfig.Konfig().kommun is None
