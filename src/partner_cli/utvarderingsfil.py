"""Utvärderingsfilen (`partner register utvärdera`, mall: mallar/utvardering.yaml): en
genomförd utvärdering med utfallet per mål, tolkad som förslagen med rad och kolumn. I ett
förslagsarkivs utvarderingar/ har filen också `avtal: ID`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from partner_cli import laddning, schema
from partner_cli.tolkning import Falt, Formatfel, tolka_karta


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
    avtal: str | None = None  # i en fil i utvarderingar/


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


# En fil i förslagsarkivets utvarderingar/: avtalet den gäller, sedan samma fält.
UTVARDERINGSFIL_FALT: tuple[Falt, ...] = (
    Falt("avtal", "id", "Det registrerade avtalet som utvärderades.", True),
    *UTVARDERING_FALT,
)


def las_utvardering(data: bytes, *, med_avtal: bool = False) -> Utvardering | list[Formatfel]:
    """Tolkar en utvärderingsfil på samma sätt som förslag: fel med rad och kolumn.
    `med_avtal`: en fil i utvarderingar/, som säger vilket avtal den gäller."""
    nod = laddning.las_bytes(data)
    if isinstance(nod, laddning.LasFel):
        return [Formatfel(nod.meddelande, nod.rad, nod.kolumn, "")]
    falt = UTVARDERINGSFIL_FALT if med_avtal else UTVARDERING_FALT
    varden_, fel, platser = tolka_karta(nod, falt, "En utvärdering")
    if varden_ is not None:
        sedda: dict[int, int] = {}
        for i, m in enumerate(varden_["mal"]):
            if m.mal in sedda:
                text = f"Mål {m.mal} har redan ett utfall (post {sedda[m.mal] + 1})"
                fel.append(Formatfel(text, *platser[f"mål[{i}].mål"], f"mål[{i}].mål"))
            sedda[m.mal] = i
    if fel or varden_ is None:
        return sorted(fel, key=lambda f: (f.rad, f.kolumn))
    return Utvardering(**varden_)
