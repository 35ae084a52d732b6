"""`partner check`: deklarationen av flaggorna och kommandot, utan Typer.

`cli` bygger Typer-kommandot ur `PARAMETRAR`; `kommando.main` tolkar de vanliga formerna
själv efter samma deklaration och kör `check` utan att importera Typer (se `kommando`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partner_cli import systemfel
from partner_cli.kommando import (
    AVSLUT_FYND,
    AVSLUT_OK,
    KONFIG,
    Parameter,
    blockvis,
    fel,
    las_konfig,
    skriv,
    skrivfel,
)
from partner_cli.utdata import FORMAT

if TYPE_CHECKING:
    from partner_cli.modell import Kontrollresultat

PARAMETRAR = (
    Parameter(
        "sokvagar",
        (),
        "SÖKVÄG",
        "Förslagsfiler eller kataloger (alla *.yaml och *.yml, utom dolda och länkade "
        "kataloger), eller - för stdin. Utan sökväg i ett förslagsarkiv (med partner.toml): "
        "dess forslag/, beslut/ och utvarderingar/.",
        flera=True,
        visa_standard=False,
    ),
    Parameter(
        "format_",
        ("--format", "-f"),
        "FORMAT",
        FORMAT.hjalp() + " Kan upprepas, ett format per --output.",
        flera=True,
        visa_standard=False,
    ),
    Parameter(
        "output",
        ("--output", "-o"),
        "FIL",
        "Skriv rapporten (i samma ordning som --format) till fil.",
        Path,
        flera=True,
    ),
    Parameter("strikt", ("--strikt",), None, "Låt även varningar ge avslutningskod 1.", bool),
    KONFIG,
)


def check(
    sokvagar: list[str] | None,
    format_: list[str] | None = None,
    output: list[Path] | None = None,
    strikt: bool = False,
    config: Path | None = None,
) -> None:
    """Granska förslag mot strategin. Avslutar med 0 när alla är godkända, 1 annars."""
    from partner_cli import utslag
    from partner_cli.kontroll import AnvandningsFel, kontrollera, samla, samla_arkivet

    # I GitHub Actions blir standardformatet också annoteringar, utan att arbetsflödet ber om det.
    annotera = format_ is None and os.environ.get("GITHUB_ACTIONS") == "true"
    format_ = format_ or [FORMAT.standard]
    output = output or []
    for f in format_:
        if f not in FORMAT:
            fel(FORMAT.okant(f))
    if len(output) > len(format_):
        fel("fler --output än --format: ange ett format per utfil")
    if len(format_) - len(output) > 1:
        fel("bara ett format kan skrivas till terminalen; ange --output för de övriga")
    konfig = las_konfig(config)
    if not sokvagar and konfig.fil is None:
        fel("argument saknas: SÖKVÄG (eller kör i ett förslagsarkiv med partner.toml)")
    try:
        samling = samla(sokvagar) if sokvagar else samla_arkivet(konfig.katalog)
    except AnvandningsFel as e:
        fel(str(e))
    kontext = registerkontext(konfig)
    per_fil = FORMAT.per_fil(format_)
    resultat = kontrollera(samling.filer, konfig, kontext, strikt=strikt, per_fil=per_fil)._replace(
        ej_granskade=samling.ej_granskade
    )
    if utslag.i_arkivet(konfig, sokvagar):
        # I ett förslagsarkiv ger granskningen det utslag som `register sync` ger.
        from partner_cli.register import RegisterFel

        try:
            synk = utslag.forutse(konfig)
            resultat = utslag.med_utslaget(resultat, synk, per_fil, hela_arkivet=not sokvagar)
        except RegisterFel as e:
            fel(str(e), e.kod)
    for fmt, ut in zip(format_, output, strict=False):
        from partner_cli.filer import ny_fil

        try:
            with ny_fil(ut, ersatt=True) as fil:
                FORMAT.renderare(fmt)(resultat, fil)
        except OSError as e:
            skrivfel(f"kan inte skriva {ut}", e)
    terminal = format_[len(output) :]
    if terminal:
        with blockvis(sys.stdout) as strom:
            FORMAT.renderare(terminal[0])(resultat, strom)
    else:
        from partner_cli.utdata.text import sammanfattningsrad

        skriv(sammanfattningsrad(resultat), err=True)
    if annotera:
        from partner_cli.utdata.github import annoteringar

        with blockvis(sys.stdout) as strom:
            annoteringar(resultat, strom)
    if annotera or "github" in format_:
        _stegsammanfattning(resultat)
    raise SystemExit(AVSLUT_OK if resultat.godkant else AVSLUT_FYND)


def _stegsammanfattning(resultat: Kontrollresultat) -> None:
    """GitHub visar bara några annoteringar per steg; när jobbet har en sammanfattningsfil
    läggs en tabell med varje fynd till där."""
    sokvag = os.environ.get("GITHUB_STEP_SUMMARY")
    if not sokvag:
        return
    from partner_cli.saker import github_data
    from partner_cli.utdata.github import stegsammanfattning

    try:
        with open(sokvag, "a", encoding="utf-8") as fil:
            fil.write(stegsammanfattning(resultat))
    except OSError as e:
        text = f"Kan inte skriva stegsammanfattningen: {systemfel.text(e)}"
        skriv(f"::warning::{github_data(text)}")


def registerkontext(konfig: Any) -> Any:
    """Regeln `avtalsägare` prövar mot registret när det finns; en läsning skapar det aldrig.

    Ett register som användaren namngav (PARTNER_REGISTER, `[register] sökväg`) och som saknas,
    eller som inte är en vanlig fil (en katalog, ett rör), är ett fel (kod 2): regeln ska aldrig
    tyst hoppas över, och ett rör ska aldrig öppnas och hänga."""
    import stat

    from partner_cli.konfig import registerkalla, registersokvag

    sokvag = registersokvag(None, konfig)
    kalla = registerkalla(konfig)
    try:
        st = os.stat(sokvag)
    except FileNotFoundError:
        if kalla is None:
            return exportkontext(konfig)
        fel(
            f"registret {sokvag} ({kalla}) finns inte; rätta sökvägen eller skapa registret "
            "med partner register add"
        )
    except (OSError, ValueError) as e:
        orsak = systemfel.text(e) if isinstance(e, OSError) else str(e)
        fel(f"registret {sokvag} kan inte läsas: {orsak}")
    if not stat.S_ISREG(st.st_mode):
        vad = "en katalog" if stat.S_ISDIR(st.st_mode) else "inte en vanlig fil"
        fel(
            f"registret {sokvag} ({kalla or 'standardplatsen'}) är {vad}; "
            "ange registrets databasfil"
        )
    from partner_cli.register import RegisterFel, ogonblicksbild

    try:
        return ogonblicksbild.ogonblicksbild(sokvag)
    except RegisterFel as e:
        fel(str(e), e.kod)


def exportkontext(konfig: Any) -> Any:
    """Utan registerfil dömer granskningen mot arkivets inlämnade export, som
    `partner register sync` bygger registret ur: en pull request får samma utslag som
    synkningen efter sammanslagningen. En trasig export är ett fel (kod 2)."""
    from partner_cli.konfig import exportkatalog

    katalog = exportkatalog(konfig)
    if katalog is None:
        return None
    from partner_cli.register import RegisterFel, ogonblicksbild

    try:
        return ogonblicksbild.ogonblicksbild_ur_export(katalog)
    except (RegisterFel, ValueError) as e:
        fel(f"registerexporten {katalog} kan inte läsas: {e}")
