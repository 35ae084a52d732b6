"""Förslagsformatet: formatfel med rad och kolumn, och JSON Schema som `partner schema` ger."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import MALLTEXT, andrad_mall, granska, kor, mallrad
from partner_cli import schema, tolkning, varden
from partner_cli.modell import Avtalsagare


def formatfel(skriv: Callable[..., Path], text: str) -> list[tuple[int, int, str, str]]:
    """(rad, kolumn, sökväg, meddelande) för en fil som ska vara ogiltig."""
    r = granska(skriv(text))
    assert r.utfall == "ogiltig", r.fynd
    assert {f.regel for f in r.fynd} == {"format"}
    return [(f.rad, f.kolumn, f.sokvag, f.meddelande) for f in r.fynd]


@pytest.mark.parametrize(
    ("gammal", "ny", "plats", "text"),
    [
        (
            "\nfinansiering:",
            "\nmedfinansering:",
            (25, 1),
            "'medfinansering' (menade du 'finansiering'?)",
        ),
        ("titel:", "tittel:", (7, 1), "'tittel' (menade du 'titel'?)"),
        ("  enhet:", "  enheten:", (20, 3), "'enheten' (menade du 'enhet'?)"),
        ("garanterad: ja", "garanterat: ja", (36, 7), "'garanterat' (menade du 'garanterad'?)"),
        ("timpris: 450 kr", "timpris: 450 kr, pris: 1", (34, 71), "Okänd nyckel 'pris'"),
        ("upphandling: nej", "xyz: nej", (23, 1), "Okänd nyckel 'xyz'"),
    ],
)
def test_okand_nyckel_med_forslag(
    skriv: Callable[..., Path], gammal: str, ny: str, plats: tuple[int, int], text: str
) -> None:
    fel = formatfel(skriv, andrad_mall((gammal, ny)))
    traffar = [f for f in fel if text in f[3]]
    assert traffar, fel
    assert traffar[0][:2] == plats


def test_okand_nyckel_utan_forslag_namner_inget() -> None:
    meddelande = tolkning._okand_nyckel("qqq", {f.nyckel: f for f in schema.FALT})
    assert meddelande == "Okänd nyckel 'qqq'"


@pytest.mark.parametrize("nyckel", ["id", "titel", "typ", "initiativ", "motpart", "period"])
def test_identitetsfalt_saknas(skriv: Callable[..., Path], nyckel: str) -> None:
    rader = MALLTEXT.splitlines(keepends=True)
    i = next(n for n, r in enumerate(rader) if r.startswith(f"{nyckel}:"))
    slut = next(
        (n for n in range(i + 1, len(rader)) if rader[n][:1] not in (" ", "\n", "#")), len(rader)
    )
    text = "".join(rader[:i] + rader[slut:])
    fel = formatfel(skriv, text)
    assert (6, 1, nyckel, f"Nyckeln {nyckel!r} saknas eller är tom") in fel


def test_finansiering_saknas(skriv: Callable[..., Path]) -> None:
    start = MALLTEXT.index("\nfinansiering:") + 1
    slut = MALLTEXT.index("insyn:")
    fel = formatfel(skriv, MALLTEXT[:start] + MALLTEXT[slut:])
    assert fel == [(6, 1, "finansiering", "Nyckeln 'finansiering' saknas eller är tom")]


@pytest.mark.parametrize("tomt", ["", " ~", " null", ' ""'])
def test_tomt_identitetsfalt(skriv: Callable[..., Path], tomt: str) -> None:
    fel = formatfel(
        skriv, andrad_mall(("titel: Logistikregionens etableringsprojekt", f"titel:{tomt}"))
    )
    assert len(fel) == 1
    assert fel[0][:3] in ((7, 1, "titel"), (7, 8, "titel"))
    assert "tom" in fel[0][3]


@pytest.mark.parametrize(
    ("gammal", "ny", "plats", "text"),
    [
        (
            "period: {start",
            "period: [1, 2]\nx: {start",
            (22, 9),
            "'period' ska vara en karta, inte en lista",
        ),
        (
            "titel: Logistikregionens etableringsprojekt",
            "titel: [a, b]",
            (7, 8),
            "ska vara ett enkelt värde",
        ),
        ("    in_kind: []", "    in_kind: inga", (28, 14), "'in_kind' ska vara en lista"),
        ("  motparter:", "  motparter: {}\n  x:", (29, 14), "'motparter' ska vara en lista"),
        ("    kontant: 400 000 kr", "    kontant: 400.000", (27, 14), "tvetydigt"),
        ("    kontant: 400 000 kr", "    kontant: -400 000 kr", (27, 14), "negativa"),
        ("    kontant: 400 000 kr", "    kontant: 1e6", (27, 14), "kontant:"),
        ("garanterad: ja", "garanterad: yes", (36, 19), "skriv ja eller nej"),
        ("{start: 2014-09-01", "{start: 2014-02-30", (22, 17), "giltigt datum"),
        ("räkenskapsår: 2013", "räkenskapsår: 2013.5", (44, 17), "inget heltal"),
        ("556781-2341", "556781-2342", (14, 24), "Luhn"),
        ("id: NL-2014-007", "id: -NL", (6, 5), "Ogiltigt id"),
        ("id: NL-2014-007", f"id: {'N' * 65}", (6, 5), "Ogiltigt id"),
    ],
)
def test_fel_typ(
    skriv: Callable[..., Path], gammal: str, ny: str, plats: tuple[int, int], text: str
) -> None:
    fel = formatfel(skriv, andrad_mall((gammal, ny)))
    traffar = [f for f in fel if text in f[3]]
    assert traffar, fel
    assert traffar[0][:2] == plats


@pytest.mark.parametrize(
    ("gammal", "ny", "text"),
    [
        (
            "typ: projekt",
            "typ: projket",
            "'projket' är inte ett tillåtet värde för 'typ' (menade du 'projekt'?)",
        ),
        (
            "initiativ: näringslivet",
            "initiativ: staten",
            "tillåtna: näringslivet, kommunen, gemensamt",
        ),
        ("  kategori: företag ", "  kategori: Företag ", "(menade du 'företag'?)"),
        ("kategori: näringsliv", "kategori: naringsliv", "(menade du 'näringsliv'?)"),
        ("redovisning: årlig", "redovisning: varje år", "tillåtna: årlig, halvårsvis"),
        ("typ: slututvärdering", "typ: slutrapport", "'typ'"),
    ],
)
def test_felaktigt_val(skriv: Callable[..., Path], gammal: str, ny: str, text: str) -> None:
    fel = formatfel(skriv, andrad_mall((gammal, ny)))
    assert any(text in f[3] for f in fel), fel


@pytest.mark.parametrize("slut", ["2014-09-01", "2014-08-31"])
def test_period_slut_efter_start(skriv: Callable[..., Path], slut: str) -> None:
    fel = formatfel(skriv, andrad_mall(("slut: 2016-08-31", f"slut: {slut}")))
    assert fel == [(22, 35, "period.slut", "period.slut ska vara efter period.start")]


@pytest.mark.parametrize(
    "insats",
    [
        "{beskrivning: Projektledning, timmar: 800}",
        "{beskrivning: Projektledning, timpris: 450 kr}",
        "{beskrivning: Projektledning}",
        "{beskrivning: Projektledning, timmar: 800, timpris: 450 kr, belopp: 1 kr}",
        "{beskrivning: Projektledning, timmar: 800, belopp: 1 kr}",
    ],
)
def test_in_kind_exakt_en_form(skriv: Callable[..., Path], insats: str) -> None:
    fel = formatfel(
        skriv,
        andrad_mall(("{beskrivning: Projektledning, timmar: 800, timpris: 450 kr}", insats)),
    )
    assert fel == [
        (
            34,
            11,
            "finansiering.motparter[0].in_kind[0]",
            "Ange exakt en av formerna: timmar och timpris eller belopp",
        )
    ]


def test_in_kind_timmar_gange_timpris(skriv: Callable[..., Path]) -> None:
    r = granska(skriv(andrad_mall(("timmar: 800, timpris: 450 kr", "timmar: 12.5, timpris: 3.33"))))
    assert r.medfinansiering is not None
    # 12,5 × 3,33 kr = 41,625 kr, avrundat till 41,63 kr; hela summan exakt i öre.
    assert r.medfinansiering.garanterad == 300_000_00 + 41_63 + 120_000_00


def test_avtalsagare_som_lista_nar_regeln(skriv: Callable[..., Path]) -> None:
    fil = skriv(
        andrad_mall(
            (
                "  namn: Anna Lind\n  enhet:",
                "  - namn: Anna Lind\n  - namn: Per\n    enhet:",
            )
        )
    )
    from partner_cli import laddning

    forslag = schema.tolka(laddning.las_bytes(fil.read_bytes()))
    assert not isinstance(forslag, list)
    assert forslag.avtalsagare == (
        Avtalsagare("Anna Lind"),
        Avtalsagare("Per", "Avdelningen för näringsliv och kompetens"),
    )
    r = granska(fil)
    assert r.utfall == "underkänd"
    assert [(f.regel, f.rad, f.kolumn) for f in r.fynd] == [("avtalsägare", 18, 1)]


def test_alla_fel_samlas(skriv: Callable[..., Path]) -> None:
    fel = formatfel(
        skriv,
        andrad_mall(
            ("typ: projekt", "typ: x"),
            ("garanterad: ja", "garanterad: kanske"),
            ("titel:", "tietel:"),
        ),
    )
    assert [f[0] for f in fel] == [6, 7, 8, 36]  # titel saknas, tietel okänd


def test_toppnivan_ska_vara_en_karta(skriv: Callable[..., Path]) -> None:
    fel = formatfel(skriv, "- id: x\n")
    assert fel == [(1, 1, "", "Ett förslag ska vara en karta, inte en lista")]


# --- JSON Schema ------------------------------------------------------------------------------


def _json_vanlig(data: Any) -> Any:
    """Som en redigerare med YAML 1.2 ser mallen: datum förblir text."""
    if isinstance(data, dict):
        return {k: _json_vanlig(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_vanlig(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


@pytest.fixture(scope="module")
def json_schema() -> dict[str, Any]:
    p = kor("schema")
    assert p.returncode == 0
    data: dict[str, Any] = json.loads(p.stdout)
    assert data == json.loads(json.dumps(schema.json_schema()))
    return data


def test_json_schema_ar_giltigt(json_schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(json_schema)
    assert json_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(json_schema["required"]) >= {
        "id",
        "titel",
        "typ",
        "initiativ",
        "motpart",
        "period",
        "finansiering",
    }


def test_mallen_foljer_json_schema(json_schema: dict[str, Any]) -> None:
    mall = _json_vanlig(yaml.safe_load(MALLTEXT))
    fel = list(Draft202012Validator(json_schema).iter_errors(mall))
    assert fel == []


@pytest.mark.parametrize(
    ("sokvag", "varde"),
    [
        (("medfinansering",), 1),
        (("typ",), "projket"),
        (("finansiering", "kommunen", "kontant"), "450.000"),
        (("finansiering", "kommunen", "kontant"), "12,555"),
        (("finansiering", "kommunen", "kontant"), -5),
        (("motpart", "organisationsnummer"), "556781 2341"),
        (("period", "start"), "1 sep 2014"),
        (("id",), "-x"),
    ],
)
def test_json_schema_avvisar_felaktiga(
    json_schema: dict[str, Any], sokvag: tuple[str, ...], varde: Any
) -> None:
    mall = _json_vanlig(yaml.safe_load(MALLTEXT))
    del_ = mall
    for nyckel in sokvag[:-1]:
        del_ = del_[nyckel]
    del_[sokvag[-1]] = varde
    assert not Draft202012Validator(json_schema).is_valid(mall)


@pytest.mark.parametrize(
    "belopp", ["400 000 kr", "1,5 mnkr", "12 500:-", "400000", "450 tkr", "3 MSEK"]
)
def test_json_schema_godtar_belopp(json_schema: dict[str, Any], belopp: str) -> None:
    mall = _json_vanlig(yaml.safe_load(MALLTEXT))
    mall["finansiering"]["kommunen"]["kontant"] = belopp
    assert Draft202012Validator(json_schema).is_valid(mall)


@pytest.mark.parametrize(
    ("gammal", "ny"),
    [
        ("    in_kind: []", "    in_kind:"),
        ("    in_kind: []", "    in_kind: ~"),
        ("diarienummer: KS 14/1234", "diarienummer:"),
    ],
)
def test_tomma_valfria_nycklar_far_standardvardet(
    skriv: Callable[..., Path], gammal: str, ny: str
) -> None:
    r = granska(skriv(andrad_mall((gammal, ny))))
    assert r.utfall in ("godkänd", "underkänd"), r.fynd
    assert all(f.regel != "format" for f in r.fynd)


@pytest.mark.parametrize(
    ("gammal", "ny", "sokvag"),
    [
        ("    kontant: 400 000 kr", "    kontant:", "finansiering.kommunen.kontant"),
        ("    kontant: 400 000 kr", "    kontant: ~", "finansiering.kommunen.kontant"),
        ("      kontant: 300 000 kr", "      kontant: null", "finansiering.motparter[0].kontant"),
        ("timpris: 450 kr}", "timpris: }", "finansiering.motparter[0].in_kind[0].timpris"),
        ("upphandling: nej", "upphandling: null", "upphandling"),
        ("  omsättning: 2 400 000 kr", "  omsättning:", "ekonomi.omsättning"),
        ("  räkenskapsår: 2013", "  räkenskapsår:", "ekonomi.räkenskapsår"),
        ("{datum: 2015-09-01,", "{datum: ,", "utvärdering[0].datum"),
    ],
)
def test_tom_nyckel_ar_inte_noll_utan_formatfel(
    skriv: Callable[..., Path], gammal: str, ny: str, sokvag: str
) -> None:
    # Ett ofärdigt förslag (`kontant:` tomt) ska inte gå igenom som om kommunen betalar 0 kr.
    r = granska(skriv(andrad_mall((gammal, ny))))
    assert r.utfall == "ogiltig"
    ((regel, plats, text),) = [(f.regel, f.sokvag, f.meddelande) for f in r.fynd]
    assert (regel, plats) == ("format", sokvag)
    assert f"Nyckeln {sokvag.rsplit('.', 1)[-1]!r} står utan värde" in text


def test_utelamnat_belopp_ar_noll_genom_skriptet(tmp_path: Path) -> None:
    # Utan nyckeln är beloppet 0 kr; med nyckeln utan värde är filen ogiltig och namnger den.
    (tmp_path / "utan.yaml").write_text(
        andrad_mall(("    kontant: 400 000 kr\n", "")), encoding="utf-8"
    )
    (tmp_path / "tom.yaml").write_text(
        andrad_mall(("    kontant: 400 000 kr", "    kontant:")), encoding="utf-8"
    )
    p = kor("check", "utan.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stdout
    assert "(780 000 kr av 780 000 kr)" in p.stdout
    p = kor("check", "tom.yaml", cwd=tmp_path)
    assert p.returncode == 1
    rad = mallrad("    kontant: 400 000 kr")
    assert f"tom.yaml:{rad}:5: fel [format] Nyckeln 'kontant' står utan värde" in p.stdout


@pytest.mark.parametrize(
    ("insats", "giltig"),
    [
        ({"beskrivning": "P", "timmar": 800, "timpris": "450 kr"}, True),
        ({"beskrivning": "L", "belopp": "120 000 kr"}, True),
        ({"beskrivning": "P", "timmar": 800}, False),
        ({"beskrivning": "P", "timpris": "450 kr"}, False),
        ({"beskrivning": "P"}, False),
        ({"beskrivning": "P", "timmar": 800, "timpris": "450 kr", "belopp": "1 kr"}, False),
        ({"beskrivning": "P", "timmar": 800, "belopp": "1 kr"}, False),
    ],
)
def test_json_schema_in_kind_exakt_en_form(
    json_schema: dict[str, Any], insats: dict[str, Any], giltig: bool
) -> None:
    mall = _json_vanlig(yaml.safe_load(MALLTEXT))
    mall["finansiering"]["motparter"][0]["in_kind"] = [insats]
    assert Draft202012Validator(json_schema).is_valid(mall) == giltig


@pytest.mark.parametrize(
    ("nyckel", "varde", "giltig"),
    [
        ("upphandling", "nej", True),
        ("upphandling", "NEJ", True),
        ("upphandling", "jA", True),
        ("upphandling", "False", True),
        ("upphandling", False, True),
        ("upphandling", "yes", False),
        ("upphandling", "on", False),
        ("upphandling", 1, False),
        ("räkenskapsår", 2013, True),
        ("räkenskapsår", "2013", True),
        ("räkenskapsår", "2013.0", False),
        ("räkenskapsår", -1, False),
    ],
)
def test_json_schema_foljer_vardetyperna(
    json_schema: dict[str, Any], nyckel: str, varde: Any, giltig: bool
) -> None:
    mall = _json_vanlig(yaml.safe_load(MALLTEXT))
    if nyckel == "räkenskapsår":
        mall["ekonomi"][nyckel] = varde
    else:
        mall[nyckel] = varde
    assert Draft202012Validator(json_schema).is_valid(mall) == giltig


_BELOPPSDELAR = st.sampled_from(
    [
        *["0", "1", "4", "00", "12", "450", "000", "1000", " ", "\u00a0", "\u202f", ",", ".", "5"],
        *["-", "−", "kr", " kr", "SEK", "Sek", ":-", " tkr", "MNKR", "Mkr", "msek", "x", "e"],
    ]
)


def _schema_godtar(varde: str, monster: str) -> bool:
    # ECMA-262 och Pythons re är lika för de konstruktioner mönstret använder, med de
    # ASCII-siffror som testet ger (\\s omfattar U+00A0 och U+202F i båda).
    return re.fullmatch(monster.removeprefix("^").removesuffix("$"), varde) is not None


def _varden_godtar(varde: str, negativ: bool) -> bool:
    try:
        varden.belopp(varde, negativ=negativ)
    except varden.VardeFel as e:
        return "orimligt stort" in str(e)  # storleken är ingen fråga om grammatik
    return True


@settings(max_examples=400)
@given(st.lists(_BELOPPSDELAR, min_size=1, max_size=6).map("".join))
def test_json_schemats_beloppsmonster_ar_verktygets_grammatik(text: str) -> None:
    egenskaper = json.loads(json.dumps(schema.json_schema()))["properties"]
    for falt, negativ in (("omsättning", False), ("resultat", True)):
        monster = egenskaper["ekonomi"]["properties"][falt]["pattern"]
        assert _schema_godtar(text, monster) == _varden_godtar(text, negativ), (falt, text)
