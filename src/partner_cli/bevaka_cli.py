"""`partner bevaka`: utvärderingar, avtalsslut, undantag och årsredovisningar att bevaka."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from partner_cli.cli import Kommando, KonfigFlagga
from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import AVSLUT_FYND, fel, las_konfig
from partner_cli.register_cli import RegisterFlagga, registret

# Renderarna tar `Bevakningar` och en textström.
BEVAKNINGSFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("text", "per avtalsägare", "partner_cli.bevakning.text"),
    Format("json", "", "partner_cli.bevakning.json"),
    Format("markdown", "för ett ärende eller e-post", "partner_cli.bevakning.markdown"),
    Format("ics", "iCalendar, en händelse per datum", "partner_cli.bevakning.ics"),
)

bevaka_app = typer.Typer(
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    import datetime as dt

    from partner_cli import bevakning

    if format_ not in BEVAKNINGSFORMAT:
        fel(BEVAKNINGSFORMAT.okant(format_))
    idag = dt.date.today()
    if per is not None:
        from partner_cli.varden import VardeFel, datum

        try:
            idag = datum(per)
        except VardeFel as e:
            fel(f"--per: {e}")
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
            fel(f"kan inte skriva {ut}: {e.strerror}")
    if resultat.forsenade:
        raise SystemExit(AVSLUT_FYND)
