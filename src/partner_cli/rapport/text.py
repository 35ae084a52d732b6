"""Årsrapporten som tabeller (Rich i en terminal, enkel text annars), med en stapel per avtal
för medfinansieringen mot gränsen."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from fractions import Fraction
from typing import TextIO

from partner_cli import terminal
from partner_cli.rapport import Arsrapport
from partner_cli.rapport.tabeller import tabeller, visa_kolumn
from partner_cli.varden import procentsats

STAPELBREDD = 40


@functools.cache
def stapel(fylld: int, streck: int, bredd: int = STAPELBREDD) -> str:
    """`██████░░░│░░░`: `fylld` tecken av `bredd` fyllda, gränsen som ett streck på plats
    `streck`. En gång per längd: en rapport har tiotusentals staplar av några få slag."""
    if fylld > streck:
        return "█" * streck + "┃" + "█" * (fylld - streck - 1) + "░" * (bredd - fylld)
    return "█" * fylld + "░" * (streck - fylld) + "│" + "░" * (bredd - streck - 1)


def _heltal(andel: Fraction, bredd: int) -> int:
    """`int(andel * bredd)` (mot noll) i heltal, utan ett nytt bråk per stapel."""
    produkt = abs(andel.numerator) * bredd // andel.denominator
    return produkt if andel.numerator >= 0 else -produkt


def staplar(rapport: Arsrapport, visade: Sequence[str]) -> list[tuple[str, str]]:
    """En rad per avtal och dess färg: grön över gränsen, gul under den med ett beslutat
    undantag, röd annars. `visade`: varje avtals garanterade andel som tabellen visar den."""
    undantagna = rapport.undantagen("medfinansiering")
    bredd = max(len(a.id) for a in rapport.partnerskap)
    # Gränsen är densamma för alla: strecket och jämförelsen i heltal, en gång.
    grans = rapport.min_andel
    gt, gn = grans.numerator, grans.denominator
    streck = min(STAPELBREDD - 1, _heltal(grans, STAPELBREDD))
    rader = []
    for a, visad in zip(rapport.partnerskap, visade, strict=True):
        t, n = a.andel.numerator, a.andel.denominator
        over = t * gn >= gt * n
        undantag = not over and a.id in undantagna
        fylld = min(STAPELBREDD, _heltal(a.andel, STAPELBREDD))
        text = f"{a.id:<{bredd}} {stapel(fylld, streck)} {visad}" + (
            " (beslutat undantag)" if undantag else ""
        )
        rader.append((text, "green" if over else "yellow" if undantag else "red"))
    return rader


def render(rapport: Arsrapport, ut: TextIO) -> None:
    ut.write(f"Årsrapport {rapport.ar} — partnerskap med näringslivet\n")
    for t in tabeller(rapport):
        ut.write("\n")
        if not t.rader:
            ut.write(f"{t.rubrik}\n{t.tom}\n")
            continue
        # Kolumn för kolumn: typen avgörs en gång per kolumn, inte per cell.
        kolumner = [visa_kolumn([rad[j] for rad in t.rader]) for j in range(len(t.kolumner))]
        terminal.tabell(
            ut,
            t.rubrik,
            [k.rubrik for k in t.kolumner],
            list(zip(*kolumner, strict=True)),
            markerade=t.markerade,
            fri=[k.fri for k in t.kolumner],
        )
        if t.not_:
            ut.write(f"{t.not_}\n")
        if t.nyckel == "partnerskap":
            j = [k.nyckel for k in t.kolumner].index("garanterad_andel")
            rader = staplar(rapport, kolumner[j])
            ut.write(f"\nMedfinansiering per avtal (strecket: {procentsats(rapport.min_andel)})\n")
            if terminal.ar_terminal(ut):
                konsol = terminal.konsol(ut)
                for text, farg in rader:
                    terminal.rad(konsol, f"[{farg}]{terminal.escape(text)}[/]")
            else:
                ut.write("\n".join(text for text, _ in rader) + "\n")
