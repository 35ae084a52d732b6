"""`partner publicera` utan Typer: årets avtal som öppna data i en katalog, efter en
självkontroll.

Flaggorna deklareras en gång (`PUBLICERA`); `publicera_cli` bygger Typer-kommandot ur samma
deklaration, och `kommando.main` tolkar de vanliga formerna av `partner publicera` själv (se
`kommando`), så att publiceringen startar utan Typer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from partner_cli.barnprocess import med_barn
from partner_cli.formatregister import Format, Formatregister
from partner_cli.kommando import (
    AVSLUT_ANVANDNING,
    AVSLUT_FYND,
    KONFIG,
    Parameter,
    fel,
    las_konfig,
    rimligt_ar,
    skriv,
    skrivfel,
    utan_skrapsamling,
    valj_format,
)
from partner_cli.registervy import REGISTER, registret

_MODUL = "partner_cli.oppna_data"
# Varje fil som publiceras; renderarna tar `Publicering` och en textström.
PUBLICERINGSFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("csv", "kolumnerna i README", _MODUL, funktion="csv_"),
    Format("json", "samma kolumner", _MODUL, funktion="json_"),
    Format("360giving", "360Giving Data Standard", _MODUL, funktion="giving360"),
    Format("dcat", "katalogpost enligt DCAT-AP-SE, JSON-LD", _MODUL, funktion="dcat"),
)

PUBLICERA = (
    Parameter("ar", ("--år", "--ar"), "ÅR", "Året att publicera.", int, kravs=True),
    Parameter("ut", ("--ut",), "KATALOG", "Katalogen att skriva filerna i.", Path, kravs=True),
    Parameter(
        "format_",
        ("--format", "-f"),
        "FORMAT",
        PUBLICERINGSFORMAT.hjalp() + " Kan upprepas; standard är alla.",
        flera=True,
        visa_standard=False,
    ),
    REGISTER,
    KONFIG,
)


def publicera(
    ar: int,
    ut: Path,
    format_: list[str] | None = None,
    register: Path | None = None,
    config: Path | None = None,
) -> None:
    """Årets avtal som öppna data: CSV, JSON, 360Giving och en DCAT-AP-SE-post."""
    import datetime as dt

    from partner_cli import oppna_data
    from partner_cli.filer import ny_fil

    valda = format_ or list(PUBLICERINGSFORMAT)
    for f in valda:
        valj_format(f, PUBLICERINGSFORMAT)
    rimligt_ar(ar)
    konfig = las_konfig(config)
    utgivare = oppna_data.Utgivare.ur(konfig.publicering, konfig.kommun)
    if installningar := oppna_data.utgivarens_fel(utgivare):
        var = f"i {konfig.fil}" if konfig.fil else "i partner.toml ([publicera] och [kommun])"
        _fel_och_inget_skrivet(installningar, f"ange inställningarna {var}", ut, AVSLUT_ANVANDNING)
    # Tiotusentals avtal, deras rader och texten.
    with utan_skrapsamling():
        with registret(register, config, skriv=False) as reg:
            from partner_cli.register.lasning import publiceras

            avtal = publiceras(reg, ar)
        namn = oppna_data.filnamn(ar)
        filer = {f: ut / namn[f] for f in valda}
        barnets = {f: filer.pop(f) for f in _BARNETS if f in filer}
        idag = dt.date.today()

        def publicering() -> oppna_data.Publicering:
            return oppna_data.Publicering.bygg(ar, avtal, utgivare, idag)

        try:
            # Barnet gör sina egna rader av avtalen i stället för att vänta på förälderns: samma
            # arbete på var sin kärna, och färre av förälderns sidor att kopiera när de rörs.
            with med_barn(lambda: _formaterade(publicering, barnets)) as barn:
                data = publicering()
                if problem := data.kontrollera():
                    _fel_och_inget_skrivet(
                        problem, f"självkontrollen hittade {len(problem)} fel", ut, AVSLUT_FYND
                    )
                ut.mkdir(parents=True, exist_ok=True)
                barn.skriv()
                for f, fil in filer.items():
                    with ny_fil(fil, ersatt=True) as strom:
                        PUBLICERINGSFORMAT.renderare(f)(data, strom)
        except OSError as e:
            skrivfel(f"kan inte skriva i {ut}", e)
    for f in valda:
        skriv(f"skrev {ut / namn[f]}")


# Filerna med avtalens rader formateras i en andra process medan självkontrollen prövar
# 360Giving-paketet och paketet formateras: ungefär hälften av arbetet på var sin kärna.
_BARNETS = ("csv", "json")


def _formaterade(publicering: Callable[[], Any], filer: dict[str, Path]) -> Callable[[], None]:
    """Filernas text, formaterad i förväg ur `publicering()` (bara när det finns filer att
    formatera); skrivningen av dem."""
    import io

    from partner_cli.filer import ny_fil

    texter = {}
    data = publicering() if filer else None
    for f, fil in filer.items():
        strom = io.StringIO()
        PUBLICERINGSFORMAT.renderare(f)(data, strom)
        texter[fil] = strom.getvalue()

    def skriv_filerna() -> None:
        for fil, text in texter.items():
            with ny_fil(fil, ersatt=True) as strom:
                strom.write(text)

    return skriv_filerna


def _fel_och_inget_skrivet(problem: list[str], sammanfattning: str, ut: Path, kod: int) -> NoReturn:
    from partner_cli.saker import synlig

    for p in problem:
        skriv(f"partner: {synlig(p)}", err=True)
    fel(f"{sammanfattning}; inget skrevs i {ut}", kod)
