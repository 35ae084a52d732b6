"""`partner bevaka`: utvärderingar, avtalsslut, undantag och årsredovisningar att bevaka."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from partner_cli.cli import Kommando, KonfigFlagga, ny_app
from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import AVSLUT_FYND, fel, las_konfig, per_dag, skrivfel, valj_format
from partner_cli.register_cli import RegisterFlagga
from partner_cli.registervy import registret

# Renderarna tar `Bevakningar` och en textström.
BEVAKNINGSFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("text", "per avtalsägare", "partner_cli.bevakning.text"),
    Format("json", "", "partner_cli.bevakning.json"),
    Format("markdown", "för ett ärende eller e-post", "partner_cli.bevakning.markdown"),
    Format("ics", "iCalendar, en händelse per datum", "partner_cli.bevakning.ics"),
)

bevaka_app = ny_app()


@bevaka_app.command("bevaka", cls=Kommando)
def bevaka(
    dagar: Annotated[
        int | None,
        typer.Option(
            "--dagar",
            metavar="N",
            help="Dagar framåt (standard: [bevaka] dagar i partner.toml, 60).",
            show_default=False,
        ),
    ] = None,
    per: Annotated[
        str | None,
        typer.Option(
            "--per", metavar="ÅÅÅÅ-MM-DD", help="Räkna per detta datum (standard: i dag)."
        ),
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=BEVAKNINGSFORMAT.hjalp())
    ] = BEVAKNINGSFORMAT.standard,
    ut: Annotated[
        Path | None, typer.Option("--ut", "-o", metavar="FIL", help="Skriv till filen.")
    ] = None,
    register: RegisterFlagga = None,
    config: KonfigFlagga = None,
) -> None:
    """Bevakning: utvärderingar, avtalsslut, undantag och årsredovisningar per avtalsägare."""

    from partner_cli import bevakning

    valj_format(format_, BEVAKNINGSFORMAT)
    idag = per_dag(per)
    konfig = las_konfig(config)
    dagar = konfig.bevakning["dagar"] if dagar is None else dagar
    if not 0 <= dagar <= 3660:
        fel(f"--dagar {dagar}: ange 0 till 3660 dagar")
    with registret(register, config, skriv=False) as reg:
        resultat = bevakning.bevaka(
            reg,
            idag,
            dagar,
            konfig.regler["ekonomi"]["max_ålder_år"],
            konfig.kommun.organisationsnummer if konfig.kommun is not None else None,
        )
    render = BEVAKNINGSFORMAT.renderare(format_)
    if ut is None:
        render(resultat, sys.stdout)
    else:
        try:
            with ut.open("w", encoding="utf-8", newline="") as fil:
                render(resultat, fil)
        except OSError as e:
            skrivfel(f"kan inte skriva {ut}", e)
    if resultat.forsenade:
        raise SystemExit(AVSLUT_FYND)
