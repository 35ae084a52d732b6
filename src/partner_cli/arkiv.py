"""Förslagsarkivets kataloger och dess beslut (`beslut/`); de gjorda utvärderingarna i
`utvarderingar/` har sitt format i `utvarderingsfil`.

Beslutsformatet deklareras med `tolkning.Falt` som förslagsformatet och tolkas av samma
läsare, så att varje fel har rad och kolumn. Ett beslut är den sanktionerande funktionens eller den
politiska instansens: det enda som kan ge ett undantag från en regel, byta avtalsägare eller
ändra, förlänga, avsluta eller makulera ett registrerat avtal.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from partner_cli import laddning, modell
from partner_cli.namn import attributnamn
from partner_cli.tolkning import Falt, Formatfel, tolka_karta

FORSLAG, BESLUT, UTVARDERINGAR = "forslag", "beslut", "utvarderingar"
KATALOGER = (FORSLAG, BESLUT, UTVARDERINGAR)
# Fynden om arkivet mot registret (`register sync` vägrar dem, `partner check` förutser dem):
# ett ändrat avtal utan beslut om ändring, ett beslut om något som inte finns.
ARKIVREGEL = "arkiv"
ARKIVGRUND = "Förslagsarkivet och registret (README, register sync)"

BESLUTSTYPER = ("undantag", "ägarbyte", "ändring", "förlängning", "avslut", "makulering")
# Fälten som varje typ av beslut kräver, utöver de gemensamma; och de den får ha.
KRAVS_PER_TYP: dict[str, tuple[str, ...]] = {
    "undantag": ("avtal", "regel"),
    "ägarbyte": ("organisationsnummer", "avtalsägare"),
    "ändring": ("avtal",),
    "förlängning": ("avtal", "slut"),
    "avslut": ("avtal", "slut", "orsak"),
    "makulering": ("avtal",),
}
VALFRIA_PER_TYP: dict[str, tuple[str, ...]] = {"undantag": ("giltigt_till",)}
GEMENSAMMA = ("typ", "referens", "datum", "beslutat_av", "motivering")


class Beslut(NamedTuple):
    typ: str
    referens: str
    datum: dt.date
    beslutat_av: str
    motivering: str
    avtal: str | None = None
    regel: str | None = None
    giltigt_till: dt.date | None = None
    organisationsnummer: str | None = None
    avtalsagare: modell.Avtalsagare | None = None
    slut: dt.date | None = None
    orsak: str | None = None
    platser: Mapping[str, tuple[int, int]] = MappingProxyType({})


BESLUT_FALT: tuple[Falt, ...] = (
    Falt("typ", "val", "Slag av beslut.", True, val=BESLUTSTYPER),
    Falt("referens", "text", "Beslutets referens, till exempel KS 2014/123 § 45.", True),
    Falt("datum", "datum", "Beslutets datum, ÅÅÅÅ-MM-DD.", True),
    Falt("beslutat_av", "text", "Vem som beslutade; en av [beslut] beslutande.", True),
    Falt("motivering", "text", "Varför beslutet fattades.", True),
    Falt("avtal", "id", "Avtalet som beslutet gäller (alla typer utom ägarbyte)."),
    Falt("regel", "regel", "Regeln som undantas (undantag)."),
    Falt("giltigt_till", "datum", "Sista dagen undantaget gäller (undantag)."),
    Falt("organisationsnummer", "orgnr", "Organisationen som byter avtalsägare (ägarbyte)."),
    Falt(
        "avtalsägare",
        "karta",
        "Den nya avtalsägaren (ägarbyte).",
        klass=modell.Avtalsagare,
        under=(
            Falt("namn", "text", "Avtalsägarens namn.", True),
            Falt("enhet", "text", "Avtalsägarens enhet."),
        ),
    ),
    Falt("slut", "datum", "Avtalets nya sista dag (förlängning, avslut)."),
    Falt("orsak", "text", "Varför avtalet avslutas i förtid (avslut)."),
)


def katalog(fil: str) -> str | None:
    """Arkivkatalogen (forslag, beslut, utvarderingar) som filen ligger under, närmast först."""
    # Sökvägens led som text, inte Path(fil).parents: det här görs för varje granskad fil.
    return next((d for d in reversed(fil.split(os.sep)[:-1]) if d in KATALOGER), None)


def _rot(data: bytes) -> laddning.Nod | list[Formatfel]:
    nod = laddning.las_bytes(data)
    if isinstance(nod, laddning.LasFel):
        return [Formatfel(nod.meddelande, nod.rad, nod.kolumn, "")]
    return nod


def jamforbart(namn: str) -> str:
    """Ett namn som det jämförs: utan hänsyn till skiftläge och mellanslag."""
    return " ".join(namn.split()).casefold()


def bland(namn: str, tillatna: tuple[str, ...]) -> bool:
    """Om namnet är ett av de tillåtna (jämförda som `jamforbart`)."""
    return jamforbart(namn) in {jamforbart(t) for t in tillatna}


def las_beslut(data: bytes, beslutande: tuple[str, ...] = ()) -> Beslut | list[Formatfel]:
    """Ett beslut, eller formatfelen med rad och kolumn. `beslutande` är namnen i
    partner.toml ([beslut] beslutande); när listan är tom prövas inte `beslutat_av`."""
    rot = _rot(data)
    if isinstance(rot, list):
        return rot
    varden_, fel, platser = tolka_karta(rot, BESLUT_FALT, "Ett beslut")
    if varden_ is not None:
        typ = varden_["typ"]
        kravs = KRAVS_PER_TYP[typ]
        tillatna = {*GEMENSAMMA, *kravs, *VALFRIA_PER_TYP.get(typ, ())}
        rad, kolumn = platser["typ"]
        for nyckel in kravs:
            if varden_[attributnamn(nyckel)] is None:
                text = f"Ett beslut om {typ} kräver nyckeln {nyckel!r}"
                fel.append(Formatfel(text, rad, kolumn, nyckel))
        for f in BESLUT_FALT:
            if f.nyckel not in tillatna and varden_[f.attr] is not None:
                text = f"{f.nyckel!r} hör inte till ett beslut om {typ}"
                fel.append(Formatfel(text, *platser[f.nyckel], f.nyckel))
        vem = varden_["beslutat_av"]
        if beslutande and not bland(vem, beslutande):
            text = (
                f"beslutat_av: {vem!r} finns inte bland de beslutande i partner.toml "
                f"([beslut] beslutande: {', '.join(beslutande)})"
            )
            fel.append(Formatfel(text, *platser["beslutat_av"], "beslutat_av"))
    if fel or varden_ is None:
        return sorted(fel, key=lambda f: (f.rad, f.kolumn))
    return Beslut(**varden_, platser=platser)
