"""Årsrapportens underlag läses på två anslutningar samtidigt (årets belopp i en egen tråd,
`anslutning.Bredvid`): samma underlag som en läsning på en anslutning, ur ett och samma
ögonblick också när någon skriver mellan de två anslutningarnas ögonblick, och ett fel i den
ena når användaren eller avbryter den andra."""

from __future__ import annotations

import datetime as dt
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from registerhjalp import bygg, orgnr, skriv_forslag

AR = 2015
BRYTDAG = dt.date(AR, 12, 31)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    db = tmp_path / "partnerskap.db"
    bygg(
        db,
        skriv_forslag(tmp_path, "a.yaml", id_="NL-1", org=orgnr(1)),
        skriv_forslag(tmp_path, "b.yaml", id_="NL-2", org=orgnr(2), start="2015-02-01"),
    )
    return db


def underlag(db: Path) -> Any:
    from partner_cli import register
    from partner_cli.register import rapportlasning

    reg = register.las(db)
    try:
        return rapportlasning.underlag(
            reg,
            AR,
            BRYTDAG,
            max_offentlig_andel=Fraction(1, 2),
            dagar_efter_aret=90,
            med_historik=True,
        )
    finally:
        reg.stang()


def pa_en_anslutning(db: Path) -> Any:
    """Underlaget läst fråga för fråga i ett ögonblick på en anslutning, som jämförelse."""
    from partner_cli import register
    from partner_cli.register import arsbelopp, rapportlasning, uppfoljning

    reg = register.las(db)
    try:
        with reg.ogonblick():
            return rapportlasning.Underlag(
                ar=AR,
                brytdag=BRYTDAG,
                partnerskap=arsbelopp.partnerskap(reg, AR),
                organisationer=rapportlasning.organisationer(reg, AR),
                undantag=rapportlasning.undantag(reg, AR),
                indikatorer=arsbelopp.indikatorer(reg, AR),
                foregaende=arsbelopp.indikatorer(reg, AR - 1),
                planerade=uppfoljning.planerade(reg, AR, BRYTDAG),
                malutfall=rapportlasning.malutfall(reg, AR, BRYTDAG),
                ekonomi=rapportlasning.ekonomiska_risker(reg, AR, Fraction(1, 2)),
                slutande=uppfoljning.slutar_utan_slututvardering(reg, AR, 90, BRYTDAG),
                historik=arsbelopp.indikatorer_per_ar(reg, AR),
                utvecklingsomraden=arsbelopp.utvecklingsomraden(reg, AR),
            )
    finally:
        reg.stang()


def test_samma_underlag_som_pa_en_anslutning_och_beloppen_ur_traden(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partner_cli.register import rapportlasning

    tradar: list[str] = []
    rakna = rapportlasning._arets_belopp

    def spionera(*argument: Any) -> Any:
        tradar.append(threading.current_thread().name)
        return rakna(*argument)

    monkeypatch.setattr(rapportlasning, "_arets_belopp", spionera)
    forvantat = pa_en_anslutning(register)
    assert forvantat.indikatorer.aktiva == len(forvantat.partnerskap) == 2
    assert underlag(register) == forvantat
    assert tradar and threading.main_thread().name not in tradar


def test_en_skrivning_mellan_ogonblicken_ger_huvudanslutningens_ogonblick(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ett tredje avtal registreras (en riktig skrivning, på en egen anslutning) efter att
    huvudanslutningen läst men innan tråden öppnat sin: hela underlaget är från före."""
    from partner_cli.register.anslutning import Register

    fore = pa_en_anslutning(register)
    oppna = Register.bredvid

    def skriv_forst(self: Register) -> Register:
        bygg(register, skriv_forslag(tmp_path, "c.yaml", id_="NL-3", org=orgnr(3)))
        return oppna(self)

    monkeypatch.setattr(Register, "bredvid", skriv_forst)
    assert underlag(register) == fore
    monkeypatch.setattr(Register, "bredvid", oppna)
    efter = underlag(register)
    assert efter.indikatorer.aktiva == len(efter.partnerskap) == 3


def test_ett_fel_i_traden_nar_anvandaren(register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from partner_cli.register import rapportlasning
    from partner_cli.register.anslutning import RegisterFel

    def trasig(*_: Any) -> Any:
        raise RegisterFel("registret är skadat")

    monkeypatch.setattr(rapportlasning, "indikatorer", trasig)
    with pytest.raises(RegisterFel, match="skadat"):
        underlag(register)


def test_ett_fel_i_huvudtraden_avbryter_tradens_fraga(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trådens fråga räknar annars i en halv minut eller mer; felet når användaren när den
    avbrutits."""
    from partner_cli.register import rapportlasning
    from partner_cli.register.anslutning import Register, RegisterFel

    def lang(reg: Register, *_: Any) -> Any:
        return reg.rader(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3e8) "
            "SELECT count(*) FROM r"
        )

    def trasig(*_: Any) -> Any:
        time.sleep(0.05)  # trådens fråga hinner börja
        raise RegisterFel("registret är skadat")

    monkeypatch.setattr(rapportlasning, "_arets_belopp", lang)
    monkeypatch.setattr(rapportlasning, "malutfall", trasig)
    fore = threading.active_count()
    borjan = time.monotonic()
    with pytest.raises(RegisterFel, match="skadat"):
        underlag(register)
    assert time.monotonic() - borjan < 5
    assert threading.active_count() == fore
