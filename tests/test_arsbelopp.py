"""Avtalens del av året räknas i SQL (`register.arsbelopp`) och ska vara exakt den här
fördelningen: jämnt över periodens dagar per kalenderår, nedåt i hela öre, och de öre som då
fattas ett i taget till åren med störst rest (vid lika rest det tidigare året), så att åren
summerar till beloppet; ett avtal som avslutats i förtid med delen för dagarna det löpte (nedåt),
fördelad över de dagarna; kommunens kontanta bidrag ur utbetalningsplanen när avtalet har en.

Prövas mot en fristående beräkning i Python på slumpade perioder, belopp, avslut och planer, i
ett riktigt register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partner_cli import register
from partner_cli.register import Register, arsbelopp

ORGNR = "556781-2341"


def _dagar_per_ar(start: dt.date, slut: dt.date) -> list[int]:
    return [
        (min(slut, dt.date(ar, 12, 31)) - max(start, dt.date(ar, 1, 1))).days + 1
        for ar in range(start.year, slut.year + 1)
    ]


def _fordelat(belopp: int, dagar: list[int]) -> list[int]:
    """Största rest: nedåt, och de öre som fattas till de största resterna, tidigare år först
    vid lika rest."""
    summa = sum(dagar)
    delar = [belopp * d // summa for d in dagar]
    rester = [belopp * d % summa for d in dagar]
    fattas = belopp - sum(delar)
    for i in sorted(range(len(dagar)), key=lambda i: (-rester[i], i))[:fattas]:
        delar[i] += 1
    return delar


def forvantat(
    belopp: int,
    start: dt.date,
    slut: dt.date,
    avslutat: dt.date | None,
    kontant: int = 0,
    plan: dict[int, int] | None = None,
) -> dict[int, int]:
    """Beloppets del per år; med en plan fördelas beloppet utom det kontanta jämnt och planens
    belopp läggs till sitt år."""
    sista = avslutat or slut
    dagar = _dagar_per_ar(start, sista)
    jamnt = belopp - kontant if plan is not None else belopp
    if avslutat is not None:
        jamnt = jamnt * sum(dagar) // ((slut - start).days + 1)
    delar = _fordelat(jamnt, dagar)
    return {
        start.year + i: del_ + (plan or {}).get(start.year + i, 0) for i, del_ in enumerate(delar)
    }


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    r = register.skriv(tmp_path_factory.mktemp("arsbelopp") / "register.db")
    r.conn.execute(
        "INSERT INTO organisation (organisationsnummer, namn, kategori, avtalsagare_namn) "
        "VALUES (?, 'Motparten AB', 'företag', 'Anna Lind')",
        [ORGNR],
    )
    yield r
    r.stang()


def _lagg_in(
    reg: Register,
    start: dt.date,
    slut: dt.date,
    avslutat: dt.date | None,
    kontant: int,
    in_kind: int,
    garanterad: int,
    plan: dict[int, int] | None,
) -> None:
    conn = reg.conn
    conn.execute("DELETE FROM utbetalning")
    conn.execute("DELETE FROM avtal")
    conn.execute(
        """INSERT INTO avtal (id, organisationsnummer, titel, typ, initiativ, period_start,
            period_slut, upphandling, kommunen_kontant, kommunen_in_kind, medfinansiering,
            garanterad, naringsliv, total, fil, sha256, registrerad, registrerad_av,
            sanktionerad_av, avslutat_datum, avslutat_orsak, avslutat_beslut)
        VALUES ('NL-1', ?, 'Titel', 'projekt', 'gemensamt', ?, ?, 0, ?, ?, ?, ?, ?, ?,
            'forslag/nl-1.yaml', ?, '2014-01-01T00:00:00Z', 'Test', 'Test', ?, ?, ?)""",
        [
            ORGNR, start.isoformat(), slut.isoformat(), kontant, in_kind, garanterad,
            garanterad, garanterad, kontant + in_kind + garanterad, "0" * 64,
            avslutat and avslutat.isoformat(), avslutat and "Avslutat", avslutat and "KS 1",
        ],
    )  # fmt: skip
    for nr, (ar, belopp) in enumerate(sorted((plan or {}).items()), 1):
        conn.execute(
            "INSERT INTO utbetalning (avtal_id, nr, ar, belopp) VALUES ('NL-1', ?, ?, ?)",
            [nr, ar, belopp],
        )


@settings(max_examples=150, deadline=None)
@given(
    st.dates(dt.date(1990, 1, 1), dt.date(2090, 1, 1)),
    st.integers(1, 3000),
    st.integers(0, 10**11),
    st.integers(0, 10**10),
    st.integers(1, 10**11),
    st.one_of(st.none(), st.integers(0, 10**6)),
    st.booleans(),
    st.data(),
)
def test_arets_del_ar_storsta_resten_av_periodens_dagar(
    reg: Register,
    start: dt.date,
    langd: int,
    kontant: int,
    in_kind: int,
    garanterad: int,
    avslut: int | None,
    med_plan: bool,
    data: st.DataObject,
) -> None:
    slut = start + dt.timedelta(days=langd)
    # Avslutat i förtid: någon dag från starten till dagen före periodens slut.
    avslutat = None if avslut is None else start + dt.timedelta(days=avslut % langd)
    sista = avslutat or slut
    plan = None
    if med_plan:
        ar = range(start.year, sista.year + 1)
        plan = {a: data.draw(st.integers(0, kontant)) for a in ar if data.draw(st.booleans())}
        plan = plan or {start.year: kontant}
    total = kontant + in_kind + garanterad
    _lagg_in(reg, start, slut, avslutat, kontant, in_kind, garanterad, plan)
    kommunen = forvantat(kontant + in_kind, start, slut, avslutat, kontant, plan)
    budget = forvantat(total, start, slut, avslutat, kontant, plan)
    medfinansiering = forvantat(garanterad, start, slut, avslutat)
    with reg.ogonblick():
        for ar in range(start.year, sista.year + 1):
            (partnerskap,) = arsbelopp.partnerskap(reg, ar)
            indikatorer = arsbelopp.indikatorer(reg, ar)
            assert partnerskap.kommunen == kommunen[ar], ar
            assert indikatorer.total == budget[ar], ar
            assert indikatorer.garanterad == indikatorer.naringsliv == medfinansiering[ar], ar
    # Utan avslut summerar åren till beloppet.
    if avslutat is None and plan is None:
        assert sum(budget.values()) == total


def test_lika_rest_ger_oret_till_det_tidigare_aret() -> None:
    # 1 öre över två år med lika många dagar: resterna är lika, det första året får det.
    start, slut = dt.date(2015, 7, 3), dt.date(2016, 6, 30)
    assert _dagar_per_ar(start, slut) == [182, 182]
    assert forvantat(1, start, slut, None) == {2015: 1, 2016: 0}


def test_samma_del_i_registret_vid_lika_rest(reg: Register) -> None:
    _lagg_in(reg, dt.date(2015, 7, 3), dt.date(2016, 6, 30), None, 0, 0, 1, None)
    with reg.ogonblick():
        assert [arsbelopp.indikatorer(reg, ar).garanterad for ar in (2015, 2016)] == [1, 0]
