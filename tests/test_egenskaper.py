"""Egenskaper hos hela granskningen, med hypothesis.

Strategin bygger giltiga förslag som data (belopp i öre) och skriver dem som YAML i flera
stilar: block, flöde eller allt citerat, med blandad nyckelordning och beloppen stavade på
olika sätt (`400000`, `400 000 kr`, `400 tkr`, `0,4 mnkr`, `400 000:-`). Varianter tar bort,
dubblerar, byter typ på och byter namn på nycklar och rubbar belopp. Kärnan anropas direkt
(`kontroll.kontrollera_bytes`) för fart; katalogen i test_fientliga.py kör skriptet.

Antalet exempel styrs av en hypothesis-profil: `egenskaper` (standard) eller
`egenskaper-grundlig` via miljövariabeln PARTNER_HYPOTESPROFIL.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import zlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fientlig_text import fuzzsele
from partner_cli import kontroll, varden
from partner_cli.konfig import Konfig
from partner_cli.modell import UTFALL, Filresultat
from partner_cli.schema import FINANSIARSKATEGORIER, INITIATIV, REDOVISNING, TYPER
from partner_cli.tolkning import PLATSHALLARE

settings.register_profile(
    "egenskaper", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "egenskaper-grundlig",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFIL = settings.get_profile(os.environ.get("PARTNER_HYPOTESPROFIL", "egenskaper"))
KONFIG = Konfig()
# Identitetsfälten: utan dem är förslaget ogiltigt, vad som än står i övrigt.
KRAVDA = ("id", "titel", "typ", "initiativ", "motpart", "period", "finansiering")


@dataclass(frozen=True)
class Belopp:
    """Ett belopp i öre, som får sin stavning först när förslaget skrivs som YAML."""

    ore: int


def _grupperad(kr: int, mellanrum: str = " ") -> str:
    return f"{kr:,}".replace(",", mellanrum)


def stava(ore: int, stil: str) -> str:
    """Beloppet i en av formatets stavningar; stilar som inte går för beloppet blir `400 000`."""
    kr, rest = divmod(ore, 100)
    decimaler = f",{rest:02d}" if rest else ""
    if stil == "tkr" and ore % 100_000 == 0:
        return f"{kr // 1000} tkr"
    if stil == "mnkr" and ore % 1_000_000 == 0:
        heltal, del_ = divmod(kr // 10_000, 100)  # miljoner med två decimaler
        return f"{heltal},{del_:02d}".rstrip("0").rstrip(",") + " mnkr"
    ovriga = {
        "heltal": f"{kr}{decimaler}",
        "kr": f"{_grupperad(kr)}{decimaler} kr",
        "nbsp": f"{_grupperad(kr, chr(0xA0))}{decimaler}",
        "smalt": f"{_grupperad(kr, chr(0x202F))}{decimaler} SEK",
        "kolon": f"{_grupperad(kr)}{decimaler}:-",
        "punkt": f"{kr}.{rest:02d}",
    }
    return ovriga.get(stil, f"{_grupperad(kr)}{decimaler}")


BELOPPSSTILAR = ("heltal", "mellanrum", "kr", "nbsp", "smalt", "kolon", "punkt", "tkr", "mnkr")


def _orgnr(nio: str) -> str:
    kontroll_ = next(str(d) for d in range(10) if varden.luhn_giltig(f"{nio}{d}"))
    return f"{nio[:6]}-{nio[6:]}{kontroll_}"


text_ = (
    st.text(
        st.sampled_from(
            "abcdefghijklmnopqrstuvwxyzåäöÅÄÖABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789.,()"
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    # Mallarnas platshållare är formatfel, inte giltig text.
    .filter(lambda t: t and t not in PLATSHALLARE)
)
# Hela kronor oftast, ibland öre; runda belopp så att tkr och mnkr kommer till användning.
belopp_ = st.one_of(
    st.integers(0, 5_000_000).map(lambda kr: Belopp(kr * 100)),
    st.integers(0, 500).map(lambda tkr: Belopp(tkr * 100_000)),
    st.integers(0, 10**9).map(Belopp),
)
in_kind_ = st.one_of(
    st.fixed_dictionaries(
        {"beskrivning": text_, "timmar": st.integers(1, 5000).map(str), "timpris": belopp_}
    ),
    st.fixed_dictionaries({"beskrivning": text_, "belopp": belopp_}),
)


@st.composite
def motpart_(draw: st.DrawFn, garanterad: bool | None = None) -> dict[str, Any]:
    ja = draw(st.booleans()) if garanterad is None else garanterad
    post: dict[str, Any] = {
        "namn": draw(text_),
        "kategori": draw(st.sampled_from(FINANSIARSKATEGORIER)),
        "kontant": draw(belopp_),
        "in_kind": draw(st.lists(in_kind_, max_size=2)),
        "garanterad": "ja" if ja else "nej",
    }
    if ja:
        post["underlag"] = draw(text_)
    return post


@st.composite
def forslag_(draw: st.DrawFn) -> dict[str, Any]:
    """Ett förslag med giltigt format; utfallet (godkänd eller underkänd) följer av beloppen."""
    start = draw(st.dates(dt.date(2012, 1, 1), dt.date(2030, 1, 1)))
    slut = start + dt.timedelta(days=draw(st.integers(1, 1500)))
    dagar = (slut - start).days + 365
    utvardering = [
        {
            "datum": (start + dt.timedelta(days=draw(st.integers(0, dagar)))).isoformat(),
            "typ": typ,
        }
        for typ in draw(
            st.lists(st.sampled_from(["delutvärdering", "slututvärdering"]), min_size=1, max_size=3)
        )
    ]
    return {
        "id": draw(st.from_regex(r"[A-Z]{2}-20[0-9]{2}-[0-9]{3}", fullmatch=True)),
        "titel": draw(text_),
        "typ": draw(st.sampled_from(TYPER)),
        "initiativ": draw(st.sampled_from(INITIATIV)),
        "motpart": {
            "namn": draw(text_),
            "organisationsnummer": _orgnr(
                draw(st.from_regex(r"[5789][0-9][2-9][0-9]{6}", fullmatch=True))
            ),
            "kategori": draw(st.sampled_from(["företag", "företagsorganisation"])),
        },
        "avtalsägare": {"namn": draw(text_), "enhet": draw(text_)},
        "period": {"start": start.isoformat(), "slut": slut.isoformat()},
        "upphandling": "nej",
        "finansiering": {
            "kommunen": {"kontant": draw(belopp_), "in_kind": draw(st.lists(in_kind_, max_size=2))},
            # Ofta en garanterad huvudpart, så att både godkända och underkända förekommer.
            "motparter": draw(st.lists(motpart_(garanterad=True), max_size=1))
            + draw(st.lists(motpart_(), max_size=2)),
        },
        "insyn": {"rätt_till_insyn": "ja", "redovisning": draw(st.sampled_from(REDOVISNING))},
        "ekonomi": {
            "räkenskapsår": str(start.year - draw(st.integers(0, 1))),
            "omsättning": draw(belopp_),
            "resultat": draw(belopp_),
            "eget_kapital": draw(belopp_),
            "offentlig_finansiering": draw(belopp_),
            "källa": draw(text_),
        },
        "långsiktighet": {"efter_avtalstiden": draw(text_)},
        "mål": [
            {
                "beskrivning": draw(text_),
                "indikator": draw(text_),
                "målvärde": draw(text_),
                "överenskommet": "ja",
            }
        ],
        "utvärdering": utvardering,
    }


@dataclass(frozen=True)
class Stil:
    """Hur ett förslag skrivs: YAML-stil, nyckelordning och beloppens stavning."""

    yaml: str  # "block" | "flode" | "citerat"
    ordning: int  # frö för nyckelordningen; 0 = som i mallen
    belopp: tuple[str, ...]  # en stavning per belopp, i den ordning de påträffas

    def skriv(self, data: Any) -> bytes:
        stavningar = iter(self.belopp * (1 + _antal_belopp(data)))
        rendert = _som_text(data, stavningar, self.ordning)
        return yaml.safe_dump(
            rendert,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=self.yaml == "flode",
            default_style='"' if self.yaml == "citerat" else None,
            width=10_000,
        ).encode("utf-8")


stil_ = st.builds(
    Stil,
    st.sampled_from(["block", "flode", "citerat"]),
    st.integers(0, 1000),
    st.lists(st.sampled_from(BELOPPSSTILAR), min_size=1, max_size=8).map(tuple),
)


def _antal_belopp(data: Any) -> int:
    if isinstance(data, Belopp):
        return 1
    if isinstance(data, dict):
        return sum(_antal_belopp(v) for v in data.values())
    if isinstance(data, list):
        return sum(_antal_belopp(v) for v in data)
    return 0


def _som_text(data: Any, stavningar: Any, ordning: int) -> Any:
    if isinstance(data, Belopp):
        return stava(data.ore, next(stavningar))
    if isinstance(data, dict):
        nycklar = list(data)
        if ordning:
            # Deterministisk omkastning per frö; samma frö ger samma ordning i varje karta.
            nycklar.sort(key=lambda k: zlib.crc32(f"{ordning}:{k}".encode()))
        return {k: _som_text(data[k], stavningar, ordning) for k in nycklar}
    if isinstance(data, list):
        return [_som_text(v, stavningar, ordning) for v in data]
    return data


def granska(data: bytes) -> Filresultat:
    return kontroll.kontrollera_bytes("forslag.yaml", data, KONFIG)


def utslag(r: Filresultat) -> tuple[Any, ...]:
    """Allt i resultatet som inte beror på hur filen är skriven (rader och kolumner gör det)."""
    fynd = sorted((f.regel, f.niva, f.meddelande, f.sokvag) for f in r.fynd)
    m = r.medfinansiering
    return r.utfall, r.id, tuple(fynd), (m.garanterad, m.total) if m else None


def _sund(r: Filresultat) -> None:
    assert r.utfall in UTFALL
    for f in r.fynd:
        assert f.meddelande.strip()
        assert f.rad >= 1
        assert f.kolumn >= 1
        assert f.niva in ("fel", "varning")


@PROFIL
@given(forslag_(), stil_)
def test_genererade_forslag_har_giltigt_format(data: dict[str, Any], stil: Stil) -> None:
    r = granska(stil.skriv(data))
    _sund(r)
    assert r.utfall in ("godkänd", "underkänd"), r.fynd
    assert r.id == data["id"]


@PROFIL
@given(forslag_(), stil_, stil_)
def test_utslaget_beror_inte_pa_stil_ordning_eller_stavning(
    data: dict[str, Any], a: Stil, b: Stil
) -> None:
    assert utslag(granska(a.skriv(data))) == utslag(granska(b.skriv(data)))


@PROFIL
@given(forslag_(), stil_, st.data())
def test_medfinansieringen_ar_monoton(data: dict[str, Any], stil: Stil, d: st.DataObject) -> None:
    """Mer garanterade pengar från andra parter sänker aldrig andelen och fäller aldrig regeln."""
    fore = granska(stil.skriv(data))
    ny = d.draw(motpart_(garanterad=True))
    ny["kontant"] = Belopp(ny["kontant"].ore + d.draw(st.integers(1, 10**8)))
    data["finansiering"]["motparter"].append(ny)
    efter = granska(stil.skriv(data))

    assert efter.medfinansiering is not None
    if fore.medfinansiering is not None:
        assert efter.medfinansiering.andel >= fore.medfinansiering.andel
    if not _medfinansieringsfel(fore):
        assert not _medfinansieringsfel(efter), efter.fynd


@PROFIL
@given(forslag_(), stil_, st.integers(1, 10**10), st.integers(-2, 2), st.booleans())
def test_beroendet_av_offentliga_medel_prövas_exakt(
    data: dict[str, Any], stil: Stil, omsattning: int, skillnad: int, vid_gransen: bool
) -> None:
    """Varningen om beroende följer den exakta andelen med kommunens största årliga kontanta
    stöd (jämnt fördelat över periodens dagar), också ett öre från gränsen."""
    grans = KONFIG.regler["ekonomi"]["max_offentlig_andel"]
    start, slut = (dt.date.fromisoformat(data["period"][k]) for k in ("start", "slut"))
    kontant = data["finansiering"]["kommunen"]["kontant"].ore
    dagar = (slut - start).days + 1
    stod = max(
        Fraction(
            kontant * ((min(slut, dt.date(ar, 12, 31)) - max(start, dt.date(ar, 1, 1))).days + 1),
            dagar,
        )
        for ar in range(start.year, slut.year + 1)
    )
    if vid_gransen:  # de offentliga medel som ger exakt gränsen med stödet, ± några öre
        offentlig = max(0, math.floor(grans * (omsattning + stod) - stod) + skillnad)
    else:
        offentlig = data["ekonomi"]["offentlig_finansiering"].ore
    data["ekonomi"]["omsättning"] = Belopp(omsattning)
    data["ekonomi"]["offentlig_finansiering"] = Belopp(offentlig)
    r = granska(stil.skriv(data))
    varnad = any(f.sokvag == "ekonomi.offentlig_finansiering" for f in r.fynd)
    assert varnad == ((offentlig + stod) / (omsattning + stod) > grans), r.fynd


def _medfinansieringsfel(r: Filresultat) -> bool:
    return any(f.regel == "medfinansiering" and f.niva == "fel" for f in r.fynd)


# Varianter: var i trädet, och vad som görs där.
def _sokvagar(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    ut = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            ut += _sokvagar(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            ut += _sokvagar(v, (*prefix, i))
    return ut


def _forlder(data: Any, sokvag: tuple[Any, ...]) -> Any:
    for steg in sokvag[:-1]:
        data = data[steg]
    return data


ANNAN_TYP = st.one_of(
    st.just([]),
    st.just({}),
    st.just(["a", "b"]),
    st.just({"x": "y"}),
    st.just(""),
    st.sampled_from(
        ["ja", "nej", "no", "off", "~", "0", "-1", "1e6", "0x10", ".inf", "2014-13-01"]
    ),
    st.text(max_size=20),
)
STORDA_BELOPP = st.one_of(
    st.sampled_from(
        ["1.000.000", "1,000,000", "1e6", "0x10", ".inf", "NaN", "-0", "9" * 400, "010", "1_000"]
    ),
    st.sampled_from(["450.000", "12,345", "−5", "5 mnkr 3", "  ", "kr", "12 500 :-", "1 0000"]),
    st.text(st.sampled_from("0123456789 ,.-−:krtkmnSEK\u00a0\u202f"), max_size=15),
)


@PROFIL
@given(forslag_(), stil_, st.data())
def test_varianter_kraschar_aldrig(data: dict[str, Any], stil: Stil, d: st.DataObject) -> None:
    """Ta bort, byt typ på, byt namn på nycklar och rubba belopp: alltid ett resultat."""
    for _ in range(d.draw(st.integers(1, 4))):
        sokvag = d.draw(st.sampled_from(_sokvagar(data)))
        forlder, sista = _forlder(data, sokvag), sokvag[-1]
        atgard = d.draw(st.sampled_from(["ta_bort", "byt_typ", "byt_namn", "rubba"]))
        if atgard == "ta_bort":
            del forlder[sista]
        elif atgard == "byt_typ":
            forlder[sista] = d.draw(ANNAN_TYP)
        elif atgard == "byt_namn" and isinstance(forlder, dict):
            forlder[d.draw(st.text(min_size=1, max_size=12))] = forlder.pop(sista)
        elif isinstance(forlder[sista], Belopp):
            forlder[sista] = d.draw(STORDA_BELOPP)
    _sund(granska(stil.skriv(data)))


@PROFIL
@given(forslag_(), st.sampled_from(KRAVDA))
def test_saknat_identitetsfalt_gor_forslaget_ogiltigt(data: dict[str, Any], falt: str) -> None:
    del data[falt]
    r = granska(Stil("block", 0, ("kr",)).skriv(data))
    assert r.utfall == "ogiltig"
    assert any(f"'{falt}' saknas" in f.meddelande for f in r.fynd), r.fynd


@PROFIL
@given(forslag_(), st.data())
def test_dubblerad_nyckel_namns_med_bada_raderna(data: dict[str, Any], d: st.DataObject) -> None:
    rader = Stil("block", 0, ("kr",)).skriv(data).decode().splitlines(keepends=True)
    # En rad med `nyckel: värde` (inte en listpost, inte en fortsättning) dubbleras direkt under.
    kandidater = [
        i for i, r in enumerate(rader) if ": " in r and not r.lstrip().startswith(("- ", "'"))
    ]
    i = d.draw(st.sampled_from(kandidater))
    r = granska("".join([*rader[: i + 1], rader[i], *rader[i + 1 :]]).encode())
    assert r.utfall == "ogiltig"
    assert any(f"rad {i + 1} och rad {i + 2}" in f.meddelande for f in r.fynd), r.fynd


FUZZSELE = fuzzsele()


@PROFIL
@given(st.one_of(st.binary(max_size=2000), forslag_().map(Stil("flode", 0, ("kr",)).skriv)))
def test_fuzzselen_med_hypothesis(data: bytes) -> None:
    """Kroppen i fuzz/fuzz_laddning.py, med godtyckliga bytes och förslag; även utan atheris."""
    FUZZSELE.prova(data)


@PROFIL
@given(forslag_(), st.integers(0, 10_000), st.binary(min_size=1, max_size=8))
def test_fuzzselen_med_skadade_forslag(data: dict[str, Any], plats: int, skrap: bytes) -> None:
    """Ett giltigt förslag med några bytes utbytta: oftast nära giltigt, därför intressant."""
    text = Stil("block", 0, ("kr",)).skriv(data)
    plats %= len(text)
    FUZZSELE.prova(text[:plats] + skrap + text[plats + len(skrap) :])
