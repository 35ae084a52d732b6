"""Utvärderingsfilen (`partner register utvärdera`, mall: mallar/utvardering.yaml): en
genomförd utvärdering med utfallet per mål, tolkad som förslagen med rad och kolumn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from partner_cli import laddning, schema
from partner_cli.tolkning import Falt, Formatfel, Tolkning


@dataclass(frozen=True, slots=True)
class Malutfall:
    mal: int
    utfall: str
    kommentar: str | None = None


@dataclass(frozen=True, slots=True)
class Utvardering:
    datum: dt.date
    typ: str
    utford_av: str
    mal: tuple[Malutfall, ...]


UTVARDERING_FALT: tuple[Falt, ...] = (
    Falt("datum", "datum", "När utvärderingen gjordes, ÅÅÅÅ-MM-DD.", True),
    Falt("typ", "val", "Slag av utvärdering.", True, val=schema.UTVARDERINGSTYPER),
    Falt("utförd_av", "text", "Vem som gjorde utvärderingen.", True),
    Falt(
        "mål",
        "lista",
        "Utfallet per mål i avtalet, numrerade som i `partner register show ID`.",
        True,
        klass=Malutfall,
        under=(
            Falt("mål", "heltal", "Målets nummer (1 för det första).", True),
            Falt("utfall", "text", "Det uppmätta utfallet för målets indikator.", True),
            Falt("kommentar", "text", "Kommentar till utfallet."),
        ),
    ),
)


def las_utvardering(data: bytes) -> Utvardering | list[Formatfel]:
    """Tolkar en utvärderingsfil på samma sätt som förslag: fel med rad och kolumn."""
    nod = laddning.las_bytes(data)
    if isinstance(nod, laddning.LasFel):
        return [Formatfel(nod.meddelande, nod.rad, nod.kolumn, "")]
    if not isinstance(nod, laddning.Karta):
        return [Formatfel("En utvärdering ska vara en karta", nod.rad, 1, "")]
    # Samma tolkning som förslagsformatet, med utvärderingens fält.
    tolkning = Tolkning()
    varden_ = tolkning.karta(nod, UTVARDERING_FALT, "")
    if varden_ is not None and not tolkning.fel:
        sedda: dict[int, int] = {}
        for i, m in enumerate(varden_["mal"]):
            if m.mal in sedda:
                rad, kolumn = tolkning.platser[f"mål[{i}].mål"]
                tolkning.fel.append(
                    Formatfel(
                        f"Mål {m.mal} har redan ett utfall (post {sedda[m.mal] + 1})",
                        rad,
                        kolumn,
                        f"mål[{i}].mål",
                    )
                )
            sedda[m.mal] = i
    if tolkning.fel or varden_ is None:
        return sorted(tolkning.fel, key=lambda f: (f.rad, f.kolumn))
    return Utvardering(**varden_)
