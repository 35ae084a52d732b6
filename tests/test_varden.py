"""Värdetyperna: belopp, sanningsvärden, datum, organisationsnummer och svensk formatering."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partner_cli import varden
from partner_cli.modell import Bidrag, Finansiering, Medfinansiar
from partner_cli.varden import VardeFel


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("0", 0),
        ("400000", 400_000_00),
        ("400 000", 400_000_00),
        ("400\u00a0000", 400_000_00),
        ("400\u202f000", 400_000_00),
        ("1 234 567", 1_234_567_00),
        ("12,5", 12_50),
        ("12.5", 12_50),
        ("12,50", 12_50),
        ("0,05", 5),
        ("12 500,75", 12_500_75),
        ("400 000 kr", 400_000_00),
        ("400000kr", 400_000_00),
        ("400 000 KR", 400_000_00),
        ("400 000 SEK", 400_000_00),
        ("400 000 sek", 400_000_00),
        ("12 500:-", 12_500_00),
        ("12 500 :-", 12_500_00),
        ("450 tkr", 450_000_00),
        ("1,5 mnkr", 1_500_000_00),
        ("2 Mkr", 2_000_000_00),
        ("3 MSEK", 3_000_000_00),
        ("0,25 MSEK", 250_000_00),
        ("1,55 tkr", 1_550_00),
        ("  300 000 kr  ", 300_000_00),
    ],
)
def test_belopp_godtas(text: str, ore: int) -> None:
    assert varden.belopp(text) == ore


@pytest.mark.parametrize(
    ("text", "ore"),
    [("-120 000", -120_000_00), ("−120 000 kr", -120_000_00), ("-0,5", -50), ("- 7", -700)],
)
def test_negativt_belopp_bara_dar_det_far_vara(text: str, ore: int) -> None:
    assert varden.belopp(text, negativ=True) == ore
    with pytest.raises(VardeFel, match="negativa värden är inte tillåtna"):
        varden.belopp(text)


@pytest.mark.parametrize(
    ("text", "fel"),
    [
        ("450.000", "tvetydigt"),
        ("450,000", "tvetydigt"),
        ("1,000,000", "tvetydigt"),
        ("12,505", "tvetydigt"),
        ("12,5055", "fler än två decimaler"),
        ("1e6", "inget belopp|okänd enhet"),
        ("0x10", "inget belopp|okänd enhet"),
        (".inf", "inget belopp"),
        ("-.inf", "negativa värden"),
        ("NaN", "inget belopp"),
        ("nan", "inget belopp"),
        ("9" * 400, "orimligt stort"),
        ("1 000 000 000 000", "orimligt stort"),
        ("007", "inledande nollor"),
        ("0400 000", "inledande nollor"),
        ("", "inget belopp"),
        ("kr", "inget belopp"),
        ("400 000 euro", "okänd enhet"),
        ("4000 000", "inget belopp|okänd enhet"),
        ("40 00", "inget belopp|okänd enhet"),
        ("1_000", "inget belopp|okänd enhet"),
        ("+400", "inget belopp"),
        ("٤٠٠", "inget belopp"),  # arabisk-indiska siffror
        ("４００", "inget belopp"),  # helbreddssiffror
        ("0,001 mnkr", "tvetydigt"),
        ("0,5 öre", "okänd enhet"),
    ],
)
def test_belopp_avvisas(text: str, fel: str) -> None:
    with pytest.raises(VardeFel, match=fel):
        varden.belopp(text)


def test_tal_och_heltal() -> None:
    assert varden.tal("800") == Decimal(800)
    assert varden.tal("12,5") == Decimal("12.5")
    assert varden.heltal("2013") == 2013
    for text in ("12,5 kr", "-3", "1e3", "450.000"):
        with pytest.raises(VardeFel):
            varden.tal(text)
    for text in ("2013.0", "-2013", "２０１３", "", "20 13"):
        with pytest.raises(VardeFel, match="inget heltal"):
            varden.heltal(text)


@pytest.mark.parametrize(
    ("text", "varde"),
    [
        *[(t, True) for t in ("ja", "JA", "Ja", "true", "True")],
        *[(t, False) for t in ("nej", "NEJ", "false", "FALSE")],
    ],
)
def test_sanningsvarden(text: str, varde: bool) -> None:
    assert varden.sanning(text) is varde


@pytest.mark.parametrize("text", ["yes", "no", "on", "off", "1", "0", "j", "", "jaa"])
def test_andra_ord_an_ja_nej_true_false_avvisas(text: str) -> None:
    with pytest.raises(VardeFel, match="skriv ja eller nej"):
        varden.sanning(text)


def test_datum() -> None:
    assert varden.datum("2014-09-01") == dt.date(2014, 9, 1)
    assert varden.datum("2016-02-29") == dt.date(2016, 2, 29)
    for text in ("2014-02-30", "2015-02-29", "2014-13-01", "2014-00-10"):
        with pytest.raises(VardeFel, match="giltigt datum i kalendern"):
            varden.datum(text)
    for text in ("2014-9-1", "20140901", "1 sep 2014", "2014-09-01T00:00", "２０１４-09-01"):
        with pytest.raises(VardeFel, match="ÅÅÅÅ-MM-DD"):
            varden.datum(text)


def test_organisationsnummer_med_luhn() -> None:
    assert varden.organisationsnummer("556781-2341") == "556781-2341"
    assert varden.organisationsnummer("5567812341") == "556781-2341"
    assert varden.organisationsnummer("212000-1967") == "212000-1967"  # Örebro kommun
    with pytest.raises(VardeFel, match="Luhn"):
        varden.organisationsnummer("556781-2342")
    for text in ("556781 2341", "55678-12341", "556781-234", "５５６７８１-２３４１", "abc"):
        with pytest.raises(VardeFel, match="NNNNNN-NNNN"):
            varden.organisationsnummer(text)


@given(st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_precis_en_kontrollsiffra_stammer(nio: str) -> None:
    giltiga = [d for d in "0123456789" if varden.luhn_giltig(nio + d)]
    assert len(giltiga) == 1


@pytest.mark.parametrize(
    ("ore", "text"),
    [
        (0, "0 kr"),
        (5, "0,05 kr"),
        (130_000_000, "1 300 000 kr"),
        (1_250_050, "12 500,50 kr"),
        (-12_000_000, "−120 000 kr"),
    ],
)
def test_kronor(ore: int, text: str) -> None:
    assert varden.kronor(ore) == text


def test_decimal_kronor() -> None:
    assert varden.decimal_kronor(60_000_000) == "600000.00"
    assert varden.decimal_kronor(-5) == "-0.05"


def test_procent_motsager_aldrig_utfallet() -> None:
    halv = Fraction(1, 2)
    assert varden.procent(Fraction(49_996, 100_000), halv) == "49,9 %"
    assert varden.procent(Fraction(1, 2), halv) == "50,0 %"
    assert varden.procent(Fraction(6, 13), halv) == "46,1 %"
    # En gräns med fler decimaler än visningen: fler decimaler bara när de behövs.
    assert varden.procent(Fraction(3354, 10_000), Fraction(3355, 10_000)) == "33,5 %"
    assert varden.procent(Fraction(3355, 10_000), Fraction(3355, 10_000)) == "33,55 %"
    # Strikt jämförelse (över gränsen): 50,001 % får inte visas som 50,0 % "över 50 %".
    assert varden.procent(Fraction(50_001, 100_000), halv, strikt=True) == "50,001 %"


def test_procentsats() -> None:
    assert varden.procentsats(Fraction(1, 2)) == "50 %"
    assert varden.procentsats(Fraction(335, 1000)) == "33,5 %"
    assert varden.procentsats(Fraction("0.1234567")) == "12,34567 %"
    assert varden.procentsats(Fraction(1)) == "100 %"


belopp_ore = st.integers(min_value=0, max_value=varden.MAX_KRONOR * 100 - 1)


@given(belopp_ore)
def test_kronor_tolkas_tillbaka_exakt(ore: int) -> None:
    assert varden.belopp(varden.kronor(ore)) == ore


@given(st.integers(min_value=-(varden.MAX_KRONOR * 100 - 1), max_value=0))
def test_negativa_kronor_tolkas_tillbaka_exakt(ore: int) -> None:
    assert varden.belopp(varden.kronor(ore), negativ=True) == ore


@given(belopp_ore, st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.sampled_from([",", "."]))
def test_varje_skrivsatt_ger_samma_belopp(ore: int, avgransare: str, komma: str) -> None:
    kr, rest = divmod(ore, 100)
    heltal = f"{kr:,}".replace(",", avgransare)
    text = f"{heltal}{komma}{rest:02d}"
    assert varden.belopp(text) == ore
    assert varden.belopp(text + " kr") == ore
    assert varden.belopp(text + ":-") == ore


# Gränser som partner.toml kan ge: decimaltal (0.5, 0.335), aldrig periodiska bråk.
grans = st.decimals(min_value=0, max_value=1, places=4).map(lambda d: Fraction(str(d)))
andel = st.fractions(min_value=0, max_value=1, max_denominator=10**9)


@given(andel, grans)
def test_procent_och_andel_decimal_motsager_aldrig_jamforelsen(a: Fraction, g: Fraction) -> None:
    visad = Fraction(varden.andel_decimal(a, g))
    assert (visad >= g) == (a >= g)
    assert visad <= a  # avkortad, aldrig uppåt
    text = varden.procent(a, g)
    assert (Fraction(Decimal(text.removesuffix(" %").replace(",", "."))) >= g * 100) == (a >= g)


# Andelar av öre-belopp (nämnare upp till 10^14) mot gränser med upp till 17 decimaler, som
# ett flyttal i partner.toml kan ge: ingen fast gräns för antalet visade decimaler räcker.
fin_grans = st.decimals(min_value=0, max_value=1, places=17).map(lambda d: Fraction(str(d)))
fin_andel = st.fractions(min_value=0, max_value=1, max_denominator=10**14)


# En andel av öre-belopp som täljare och nämnare, som reglerna och JSON-raden får den.
taljare_ = st.integers(min_value=0, max_value=10**14)
namnare_ = st.integers(min_value=1, max_value=10**14)


@given(st.one_of(fin_andel, fin_grans), fin_grans)
def test_andel_decimal_med_manga_decimaler(a: Fraction, g: Fraction) -> None:
    assert (Fraction(varden.andel_decimal(a, g)) >= g) == (a >= g)
    assert (Fraction(varden.andel_decimal(a, g, strikt=True)) > g) == (a > g)


@given(taljare_, namnare_, fin_grans)
def test_andel_som_decimaltext(taljare: int, namnare: int, g: Fraction) -> None:
    # Granskningens JSON: alltid fast decimalform (aldrig 1E-7), minst fyra decimaler,
    # avkortad nedåt och på samma sida om gränsen som andelen.
    a = Fraction(taljare, namnare)
    text = varden.andel_decimaltext(taljare, namnare, g)
    assert re.fullmatch(r"\d+\.\d{4,}", text), text
    visad = Fraction(text)
    decimaler = len(text.partition(".")[2])
    assert visad <= a < visad + Fraction(1, 10**decimaler)
    assert (visad >= g) == (a >= g)
    assert Fraction(varden.andel_decimal(a, g, 4)) == visad


@given(taljare_, namnare_, fin_grans)
def test_jamfor_andel_ar_bradets_jamforelse(taljare: int, namnare: int, g: Fraction) -> None:
    a = Fraction(taljare, namnare)
    assert varden.jamfor_andel(taljare, namnare, g) == (a > g) - (a < g)
    assert varden.jamfor_andel(g.numerator, g.denominator, g) == 0


def _tal(procent: str) -> Fraction:
    return Fraction(Decimal(procent.removesuffix(" %").replace(",", ".")))


@given(st.one_of(fin_andel, fin_grans), fin_grans)
def test_visad_andel_och_visad_grans_motsager_aldrig_utfallet(a: Fraction, g: Fraction) -> None:
    # "är 12,34566 %; minst 12,3456 % krävs" vore en motsägelse: båda sidor visas trogna.
    assert (_tal(varden.procent(a, g)) >= _tal(varden.procentsats(g))) == (a >= g)
    assert (_tal(varden.procent(a, g, strikt=True)) > _tal(varden.procentsats(g))) == (a > g)


def test_periodisk_grans_kraschar_inte() -> None:
    tredjedel = Fraction(1, 3)
    assert varden.andel_decimal(tredjedel, tredjedel) == Decimal("0." + "3" * 40)
    assert varden.procentsats(tredjedel) == "33,3333 %"


def test_andel_lika_med_gransen_med_17_decimaler() -> None:
    g = Fraction("0.12345678901234567")
    assert Fraction(varden.andel_decimal(g, g)) == g
    assert varden.procent(g, g) == "12,345678901234567 %"


@given(andel, grans)
def test_strikt_procent_motsager_aldrig_jamforelsen(a: Fraction, g: Fraction) -> None:
    text = varden.procent(a, g, strikt=True)
    visad = Fraction(Decimal(text.removesuffix(" %").replace(",", ".")))
    assert (visad > g * 100) == (a > g)


def _finansiering(kommunen: int, garanterad: int, ej_garanterad: int = 0) -> Finansiering:
    motparter = [Medfinansiar("AB", "näringsliv", True, garanterad, (), "Avtal")]
    if ej_garanterad:
        motparter.append(Medfinansiar("Osäker AB", "näringsliv", False, ej_garanterad))
    return Finansiering(Bidrag(kommunen), tuple(motparter))


@given(belopp_ore, belopp_ore, belopp_ore, st.integers(min_value=1, max_value=10**14))
def test_mer_garanterade_pengar_sanker_aldrig_andelen(
    kommunen: int, garanterad: int, ej: int, tillskott: int
) -> None:
    fore = _finansiering(kommunen, garanterad, ej)
    efter = _finansiering(kommunen, garanterad + tillskott, ej)
    assert fore.total == kommunen + garanterad + ej
    assert efter.andel(efter.garanterad) is not None
    if fore.total:
        assert efter.andel(efter.garanterad) >= fore.andel(fore.garanterad)  # type: ignore[operator]


@given(st.integers(min_value=1, max_value=10**13))
def test_exakt_halften_ar_femtio_procent_och_ett_ore_mindre_ar_under(ore: int) -> None:
    exakt = _finansiering(ore, ore)
    assert exakt.andel(exakt.garanterad) == Fraction(1, 2)
    assert varden.procent(Fraction(1, 2), Fraction(1, 2)) == "50,0 %"
    # Samma budget, ett öre flyttat från motparten till kommunen.
    under = _finansiering(ore + 1, ore - 1)
    a = under.andel(under.garanterad)
    assert under.total == exakt.total
    assert a is not None and a < Fraction(1, 2)
    assert not varden.procent(a, Fraction(1, 2)).startswith("50")


@pytest.mark.parametrize(
    ("nummer", "form"),
    [
        ("556781-2341", "aktiebolag"),
        ("769623-4561", "ekonomisk förening, bostadsrättsförening eller samfällighet"),
        ("212000-1967", "stat, region, kommun eller församling"),
        ("802002-4280", "ideell förening eller stiftelse"),
        ("811218-9876", varden.ENSKILD_FIRMA),
        ("640823-3234", varden.ENSKILD_FIRMA),
    ],
)
def test_juridisk_form_ur_numret(nummer: str, form: str) -> None:
    assert varden.juridisk_form(nummer) == form
    # Ett personnummer har en månad som tredje och fjärde siffra; en juridisk person 20 eller mer.
    assert varden.ar_personnummer(nummer) == (form == varden.ENSKILD_FIRMA)


def test_andel_text_avkortar_som_de_provade_andelarna() -> None:
    # 600 000 av 1 430 000 är 41,958 %: samma siffra som medfinansieringen visar, aldrig 42,0.
    assert varden.andel_text(Fraction(600_000, 1_430_000)) == "41,9 %"
    assert varden.andel_text(Fraction(1)) == "100,0 %"
    assert varden.andel_text(Fraction(0)) == "0,0 %"
