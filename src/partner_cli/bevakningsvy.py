"""`partner bevaka` utan Typer: utvärderingar, avtalsslut, undantag och årsredovisningar att
bevaka, ur registret.

Flaggorna deklareras en gång (`BEVAKA`); `bevaka_cli` bygger Typer-kommandot ur samma
deklaration, och `kommando.main` tolkar de vanliga formerna av `partner bevaka` själv (se
`kommando`), så att bevakningen startar utan Typer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import (
    AVSLUT_FYND,
    KONFIG,
    Parameter,
    fel,
    las_konfig,
    per_dag,
    skrivfel,
    utan_skrapsamling,
    valj_format,
)
from partner_cli.registervy import REGISTER, registret

# Renderarna tar `Bevakningar` och en textström.
BEVAKNINGSFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("text", "per avtalsägare", "partner_cli.bevakning.text"),
    Format("json", "", "partner_cli.bevakning.json"),
    Format("markdown", "för ett ärende eller e-post", "partner_cli.bevakning.markdown"),
    Format("ics", "iCalendar, en händelse per datum", "partner_cli.bevakning.ics"),
)

BEVAKA = (
    Parameter(
        "dagar",
        ("--dagar",),
        "N",
        "Dagar framåt (standard: [bevaka] dagar i partner.toml, 60).",
        int,
        visa_standard=False,
    ),
    Parameter("per", ("--per",), "ÅÅÅÅ-MM-DD", "Räkna per detta datum (standard: i dag)."),
    Parameter(
        "format_",
        ("--format", "-f"),
        "FORMAT",
        BEVAKNINGSFORMAT.hjalp(),
        standard=BEVAKNINGSFORMAT.standard,
    ),
    Parameter("ut", ("--ut", "-o"), "FIL", "Skriv till filen.", Path),
    REGISTER,
    KONFIG,
)


def bevaka(
    dagar: int | None = None,
    per: str | None = None,
    format_: str = BEVAKNINGSFORMAT.standard,
    ut: Path | None = None,
    register: Path | None = None,
    config: Path | None = None,
) -> None:
    """Bevakning: utvärderingar, avtalsslut, undantag och årsredovisningar per avtalsägare."""

    from partner_cli import bevakning

    valj_format(format_, BEVAKNINGSFORMAT)
    idag = per_dag(per)
    konfig = las_konfig(config)
    dagar = konfig.bevakning["dagar"] if dagar is None else dagar
    if not 0 <= dagar <= 3660:
        fel(f"--dagar {dagar}: ange 0 till 3660 dagar")
    # Tiotusentals bevakningar och deras text.
    with utan_skrapsamling():
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
                from partner_cli.filer import ny_fil

                with ny_fil(ut, ersatt=True, newline="") as fil:
                    render(resultat, fil)
            except OSError as e:
                skrivfel(f"kan inte skriva {ut}", e)
    if resultat.forsenade:
        raise SystemExit(AVSLUT_FYND)
