"""Utvärderingsfilen (`partner register utvärdera`, mall: mallar/utvardering.yaml): en
genomförd utvärdering med utfallet per mål, tolkad som förslagen med rad och kolumn. I ett
förslagsarkivs utvarderingar/ har filen också `avtal: ID`.

En registrerad utvärdering ändras inte: en nyare fil ersätter den (`ersätter:` med den
tidigare filens namn, och ett helt nytt utfall) eller makulerar den (`makulerar:` och
`motivering:`, inget utfall). Den tidigare står kvar i registret och historiken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from partner_cli import laddning, schema
from partner_cli.modell import Fynd, Period
from partner_cli.regler import utvardering as regeln
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
    ersatter: str | None = None  # filen med den registrerade utvärdering som den ersätter
    # Nycklarnas rad och kolumn (sökväg → plats), för fynden mot avtalet.
    platser: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Makulering:
    """En registrerad utvärdering som aldrig borde ha registrerats: den räknas inte längre."""

    datum: dt.date
    makulerar: str
    motivering: str
    avtal: str | None = None
    platser: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)


_ERSATTER = Falt(
    "ersätter",
    "text",
    "Filnamnet på avtalets registrerade utvärdering som den här ersätter (en rättelse).",
)
_AVTAL = Falt("avtal", "id", "Det registrerade avtalet som utvärderades.", True)

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
    _ERSATTER,
)
MAKULERING_FALT: tuple[Falt, ...] = (
    Falt("makulerar", "text", "Filnamnet på den registrerade utvärdering som makuleras.", True),
    Falt("datum", "datum", "När makuleringen bestämdes, ÅÅÅÅ-MM-DD.", True),
    Falt("motivering", "text", "Varför utvärderingen inte ska räknas.", True),
)

# En fil i förslagsarkivets utvarderingar/: avtalet den gäller, sedan samma fält.
UTVARDERINGSFIL_FALT: tuple[Falt, ...] = (_AVTAL, *UTVARDERING_FALT)
MAKULERINGSFIL_FALT: tuple[Falt, ...] = (_AVTAL, *MAKULERING_FALT)


def filens_namn(fil: str) -> str:
    """Namnet som `ersätter:` och `makulerar:` anger en registrerad utvärdering med: filens
    sista del, så att den är densamma var kommandot än körs ifrån."""
    return fil.rsplit("/", 1)[-1]


def las_utvardering(
    data: bytes, *, med_avtal: bool = False
) -> Utvardering | Makulering | list[Formatfel]:
    """Tolkar en utvärderingsfil på samma sätt som förslag: fel med rad och kolumn; en fil med
    `makulerar:` är en makulering. `med_avtal`: en fil i utvarderingar/, som säger vilket
    avtal den gäller."""
    nod = laddning.las_bytes(data)
    if isinstance(nod, laddning.LasFel):
        return [Formatfel(nod.meddelande, nod.rad, nod.kolumn, "")]
    if isinstance(nod, laddning.Karta) and "makulerar" in nod.poster:
        falt = MAKULERINGSFIL_FALT if med_avtal else MAKULERING_FALT
        varden_, fel, platser = tolka_karta(nod, falt, "En makulering")
        if fel or varden_ is None:
            return sorted(fel, key=lambda f: (f.rad, f.kolumn))
        return Makulering(**varden_, platser=platser)
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
    return Utvardering(**varden_, platser=platser)


def prova(
    utv: Utvardering,
    id_: str,
    period: Period,
    malnr: Collection[int],
    installningar: Mapping[str, Any],
    idag: dt.date,
) -> list[Fynd]:
    """Om utvärderingen passar avtalet (`id_` med `period` och målen `malnr` i dess gällande
    version), med regeln `utvärdering`s grund: datumet från periodens start till
    `max_dagar_efter_slut` dagar efter dess slut och inte efter i dag, och ett utfall för
    vart och ett av avtalets mål och inga andra. `partner check`, `register sync` och
    `register utvärdera` prövar med den här."""
    fynd: list[Fynd] = []

    def fel(sokvag: str, meddelande: str) -> None:
        rad, kolumn = utv.platser.get(sokvag, (1, 1))
        fynd.append(Fynd(regeln.ID, "fel", meddelande, rad, kolumn, sokvag, regeln.GRUND))

    dagar: int = installningar["max_dagar_efter_slut"]
    sista = period.slut + dt.timedelta(days=dagar)
    if utv.datum < period.start:
        fel(
            "datum",
            f"Utvärderingen {utv.datum} ligger före avtalet {id_}s start {period.start} "
            f"(avtalstiden {period.start}–{period.slut}); ett partnerskap utvärderas under "
            "eller efter avtalstiden",
        )
    elif utv.datum > sista:
        fel(
            "datum",
            f"Utvärderingen {utv.datum} ligger mer än {dagar} dagar efter avtalet {id_}s slut "
            f'{period.slut} (senast {sista}; [regler."utvärdering"] max_dagar_efter_slut i '
            "partner.toml)",
        )
    if utv.datum > idag:
        fel(
            "datum",
            f"Utvärderingen {utv.datum} ligger efter i dag ({idag}): en gjord utvärdering kan "
            "inte vara daterad framåt",
        )
    sedda = {m.mal for m in utv.mal}
    for i, m in enumerate(utv.mal):
        if m.mal not in malnr:
            har = f"mål 1–{len(malnr)}" if malnr else "inga mål"
            fel(
                f"mål[{i}].mål",
                f"Avtalet {id_} har inget mål nummer {m.mal} i sin gällande version (det har "
                f"{har}; se `partner register show {id_}`)",
            )
    saknade = sorted(set(malnr) - sedda)
    if saknade:
        fel(
            "mål",
            f"Utfall saknas för mål {', '.join(map(str, saknade))} i avtalet {id_}: "
            "partnerskapet utvärderas mot vart och ett av de överenskomna målen",
        )
    return sorted(fynd, key=lambda f: (f.rad, f.kolumn))
