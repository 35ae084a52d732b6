"""Årsrapporten som en arbetsbok: ett blad per avsnitt (`kalkyl`), med belopp i kronor och
andelar som tal, datum och perioders start och slut som datum, och fryst rubrikrad."""

from __future__ import annotations

from typing import IO

from partner_cli import kalkyl
from partner_cli.rapport import Arsrapport
from partner_cli.rapport.tabeller import kalkylblad, tabeller


def render(rapport: Arsrapport, ut: IO[bytes]) -> None:
    kalkyl.skriv_xlsx(
        ut,
        [kalkyl.Blad(t.nyckel, *kalkylblad(t, perioder_som_datum=True)) for t in tabeller(rapport)],
    )
