"""Text: en rad per fynd i formen `FIL:RAD:KOLUMN: nivå [regel] meddelande`, som grep och
redigerare förstår, sedan utfallet per fil och en sammanfattning. Färg i en terminal (`terminal`).
Filnamn och meddelanden visas genom `saker`: inga styrtecken ur en fil når terminalen.
"""

from __future__ import annotations

from typing import TextIO

from partner_cli import terminal
from partner_cli.modell import Filresultat, Fynd, Kontrollresultat
from partner_cli.saker import filnamn, synlig
from partner_cli.varden import kronor, procent

_FARG = {
    "fel": "red",
    "varning": "yellow",
    "undantag": "cyan",
    "godkänd": "green",
    "underkänd": "red",
    "ej_tillämplig": "blue",
    "ogiltig": "magenta",
}


def _plural(n: int, en: str, flera: str) -> str:
    return f"{n} {en if n == 1 else flera}"


def utfallsrad(r: Filresultat) -> str:
    delar = [r.utfall.replace("_", " ")]
    if r.antal("fel") or r.antal("varning"):
        delar.append(
            f"{_plural(r.antal('fel'), 'fel', 'fel')}, "
            f"{_plural(r.antal('varning'), 'varning', 'varningar')}"
        )
    if r.antal("undantag"):
        delar.append(f"{r.antal('undantag')} undantag")
    if r.medfinansiering is not None and r.utfall in ("godkänd", "underkänd"):
        m = r.medfinansiering
        delar.append(
            f"medfinansiering {procent(m.andel, m.grans)} "
            f"({kronor(m.garanterad)} av {kronor(m.total)})"
        )
        if m.fordelning is not None:
            delar.append(m.fordelning.text)
            if m.fordelning.in_kind_ej_personal:
                delar.append(
                    f"varav {kronor(m.fordelning.in_kind_ej_personal)} in kind som inte är personal"
                )
    return f"{filnamn(r.fil)}: {' · '.join(delar)}"


def fyndrad(r: Filresultat, f: Fynd) -> str:
    return f"{filnamn(r.fil)}:{f.rad}:{f.kolumn}: {f.niva} [{f.regel}] {synlig(f.text)}"


def sammanfattningsrad(resultat: Kontrollresultat) -> str:
    n = len(resultat.filer)
    utfall = ", ".join(
        f"{resultat.antal(u)} {u.replace('_', ' ')}"
        for u in ("godkänd", "underkänd", "ej_tillämplig", "ogiltig")
    )
    fel = sum(r.antal("fel") for r in resultat.filer)
    varningar = sum(r.antal("varning") for r in resultat.filer)
    undantag = sum(r.antal("undantag") for r in resultat.filer)
    return (
        f"{n} {'fil granskad' if n == 1 else 'filer granskade'}: {utfall} · "
        f"{_plural(fel, 'fel', 'fel')}, {_plural(varningar, 'varning', 'varningar')}"
        + (f", {undantag} undantag" if undantag else "")
        + ej_granskade(resultat)
    )


def ej_granskade(resultat: Kontrollresultat) -> str:
    """` · ej granskade: 1 dold, 2 andra filer`, eller inget när allt granskades."""
    from partner_cli.kontroll import EJ_GRANSKADE

    delar = [_plural(n, *EJ_GRANSKADE[slag]) for slag, n in resultat.ej_granskade.items() if n]
    return f" · ej granskade: {', '.join(delar)}" if delar else ""


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    if ut.isatty():
        _render_rich(resultat, ut)
        return
    for r in resultat.filer:
        for f in r.fynd:
            ut.write(fyndrad(r, f) + "\n")
        ut.write(utfallsrad(r) + "\n")
    ut.write(sammanfattningsrad(resultat) + "\n")


def _render_rich(resultat: Kontrollresultat, ut: TextIO) -> None:
    konsol, escape = terminal.konsol(ut), terminal.escape
    for r in resultat.filer:
        fil = escape(filnamn(r.fil))
        for f in r.fynd:
            terminal.rad(
                konsol,
                f"[bold]{fil}:{f.rad}:{f.kolumn}:[/] [{_FARG[f.niva]}]{f.niva}[/] "
                f"[dim]\\[{escape(f.regel)}][/] {escape(synlig(f.text))}",
            )
        terminal.rad(konsol, f"[{_FARG[r.utfall]}]{escape(utfallsrad(r))}[/]")
    farg = "green" if resultat.godkant else "red"
    terminal.rad(konsol, f"[bold {farg}]{escape(sammanfattningsrad(resultat))}[/]")
