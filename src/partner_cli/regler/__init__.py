"""Strategins regler, en modul per regel, i en handskriven förteckning.

Varje regelmodul har `ID`, `GRUND` (stycket i strategin den vilar på), `NIVA`, `KONF`
(inställningar och deras typ), `STANDARD`, exempel som dokumenteras och testas (två för
regeln och, i `TOLKNINGAR`, ett godkänt och ett underkänt för varje inställning och
tolkning), och en `check()` som ger `Problem` och aldrig skriver ut något. Kärnan (`granska`)
stämplar regel, nivå, plats och grund på varje fynd, så att reglerna förblir små. Kärnan
tillämpar också förslagets beslutade undantag, så att ingen regel behöver känna till dem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from partner_cli.modell import (
    Forslag,
    Fynd,
    Niva,
    Undantag,
    UndantagsStatus,
    Undantagsutfall,
)
from partner_cli.regler import (
    avtalsagare,
    ekonomi,
    insyn,
    jambordighet,
    langsiktighet,
    mal,
    medfinansiering,
    organisationsnummer,
    tillampning,
    utvardering,
)
from partner_cli.regler.bas import Exempel, Kontext

if TYPE_CHECKING:
    from partner_cli.arkiv import Beslut

REGLER: dict[str, ModuleType] = {
    m.ID: m
    for m in (
        tillampning,
        organisationsnummer,
        medfinansiering,
        jambordighet,
        insyn,
        ekonomi,
        langsiktighet,
        mal,
        utvardering,
        avtalsagare,
    )
}
NIVAER = ("fel", "varning", "av")
# Förslagsformatets tolkningar av strategins text, dokumenterade som reglernas (`partner regler
# format`): deras fel är formatfel, som gör filen ogiltig.
FORMAT = "format"
FORMATETS_GRUND = "Syfte & mål; Förhållningsregler, punkt 1"
FORMATETS_TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "utvecklingsområden",
        'Syfte & mål: strategin ska stärka "de av kommunen utpekade strategiska '
        'utvecklingsområdena". Ett förslag kan ange vilka av [kommun] utvecklingsområden i '
        "partner.toml det tjänar; ett okänt namn (och varje namn utan listan) är ett formatfel "
        "med förslag på vad som menades.",
        "utvecklingsområden: [Logistik]\n",
        "utvecklingsområden: [Logistk]\n",
        '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n'
        '"utvecklingsområden" = ["Logistik", "Besöksnäring"]\n',
    ),
    Exempel(
        "tomt är inte noll",
        "En nyckel som står utan värde (som kommunens kontant:) är ett formatfel som namnger "
        "nyckeln, inte 0 kr: ett ofärdigt förslag går inte igenom som om kommunen inte betalar "
        "något. Bara ett belopp som inte står med alls är 0 kr.",
        "finansiering:\n  kommunen:\n    kontant: 0 kr\n    in_kind:\n"
        "      - {beskrivning: Lokaler, belopp: 400 000 kr}\n",
        "finansiering:\n  kommunen:\n    kontant:\n    in_kind:\n"
        "      - {beskrivning: Lokaler, belopp: 400 000 kr}\n",
    ),
)
# Om strategin gäller avgörs av motparten och avtalets art, inte av ett beslut.
KAN_UNDANTAS: tuple[str, ...] = tuple(i for i in REGLER if i != tillampning.ID)
# Fynd om undantagen själva (utgångna, oanvända) har detta id, som `format` och `yaml`.
UNDANTAG = "undantag"
UNDANTAGSGRUND = "Beslutade undantag (README, avsnittet Undantag)"


def standardinstallningar() -> dict[str, dict[str, Any]]:
    return {id_: {"nivå": m.NIVA, **m.STANDARD} for id_, m in REGLER.items()}


def granska(
    forslag: Forslag,
    installningar: Mapping[str, Mapping[str, Any]],
    kontext: Kontext | None = None,
) -> tuple[list[Fynd], bool]:
    """Kör reglerna; ger fynden och om strategin är tillämplig alls."""
    giltiga = _giltiga_undantag(forslag)
    fynd: list[Fynd] = []
    for id_, regel in REGLER.items():
        inst = installningar[id_]
        if inst["nivå"] == "av":
            continue
        for p in regel.check(forslag, inst, kontext):
            rad, kolumn = forslag.plats(p.sokvag)
            # En varning förblir varning; en sänkt regel sänker också sina fel.
            niva: Niva = "varning" if p.niva == "varning" else inst["nivå"]
            undantag = giltiga.get(id_)
            if undantag is not None:
                niva = "undantag"
            fynd.append(Fynd(id_, niva, p.meddelande, rad, kolumn, p.sokvag, regel.GRUND, undantag))
        if id_ == tillampning.ID and fynd:
            return fynd, False
    fynd.extend(
        _om_undantag(forslag, u) for u in undantagsutfall(forslag, fynd) if u.status != "tillämpat"
    )
    return fynd, True


def _giltiga_undantag(forslag: Forslag) -> dict[str, Undantag]:
    """Det första undantaget per regel som täcker avtalstiden."""
    giltiga: dict[str, Undantag] = {}
    for u in forslag.undantag:
        if u.galler(forslag.period):
            giltiga.setdefault(u.regel, u)
    return giltiga


def med_beslut(forslag: Forslag, beslut: Sequence[Beslut]) -> Forslag:
    """Förslaget där varje undantag som ett beslut om undantag för avtalet och regeln (med
    samma referens) ger är `beslutat`, med beslutets datum och giltighet."""
    if not forslag.undantag:
        return forslag
    efter_regel = {
        (b.regel, _referens(b.referens)): b
        for b in beslut
        if b.typ == UNDANTAG and b.avtal == forslag.id
    }
    undantag = []
    for u in forslag.undantag:
        b = efter_regel.get((u.regel, _referens(u.beslut)))
        if b is not None:
            u = u._replace(beslutsdatum=b.datum, giltigt_till=b.giltigt_till, beslutat=True)
        undantag.append(u)
    return forslag._replace(undantag=tuple(undantag))


def _referens(text: str) -> str:
    return " ".join(text.split()).casefold()


def undantagsutfall(forslag: Forslag, fynd: list[Fynd]) -> tuple[Undantagsutfall, ...]:
    """Vart och ett av förslagets undantag: tillämpat, utgånget, oanvänt eller obeslutat."""
    tillampade = {id(f.undantag) for f in fynd if f.undantag is not None}
    ut = []
    for i, u in enumerate(forslag.undantag):
        if not u.beslutat:
            sokvag = f"undantag[{i}].beslut"
            status: UndantagsStatus = "obeslutat"
        elif not u.galler(forslag.period):
            sokvag = f"undantag[{i}].giltigt_till"
            status = "utgånget"
        else:
            sokvag = f"undantag[{i}].regel"
            status = "tillämpat" if id(u) in tillampade else "oanvänt"
        ut.append(Undantagsutfall(u, status, *forslag.plats(sokvag), sokvag))
    return tuple(ut)


def _om_undantag(forslag: Forslag, utfall: Undantagsutfall) -> Fynd:
    """Ett utgånget eller oanvänt undantag är en varning: beslutet bör ses över. Ett undantag
    utan beslut är ett fel: förslaget kan inte undanta sig självt."""
    u = utfall.undantag
    forsta = _giltiga_undantag(forslag).get(u.regel)
    if utfall.status == "obeslutat":
        text = (
            f"Undantaget från {u.regel} hänvisar till beslutet {u.beslut}, men det finns inget "
            f"beslut om undantag med den referensen för {forslag.id} och {u.regel} i beslut/ "
            f"eller registret. Ett undantag gäller bara genom ett beslut: lägg det i beslut/ "
            f"(typ: undantag, referens: {u.beslut}, avtal: {forslag.id}, regel: {u.regel})"
        )
        return Fynd(UNDANTAG, "fel", text, utfall.rad, utfall.kolumn, utfall.sokvag, UNDANTAGSGRUND)
    if utfall.status == "utgånget":
        text = (
            f"Undantaget från {u.regel} ({u.beslut}) gäller till {u.giltigt_till}, före "
            f"avtalets slut {forslag.period.slut}; det tillämpas inte och regelns fynd står kvar"
        )
    elif forsta is u:
        text = f"Undantaget från {u.regel} ({u.beslut}) används inte: regeln har inga fynd"
    else:
        assert forsta is not None
        text = (
            f"Undantaget från {u.regel} ({u.beslut}) används inte: undantaget "
            f"{forsta.beslut} gäller redan för regeln"
        )
    return Fynd(UNDANTAG, "varning", text, utfall.rad, utfall.kolumn, utfall.sokvag, UNDANTAGSGRUND)


__all__ = [
    "FORMAT",
    "FORMATETS_GRUND",
    "FORMATETS_TOLKNINGAR",
    "KAN_UNDANTAS",
    "NIVAER",
    "REGLER",
    "UNDANTAG",
    "Kontext",
    "granska",
    "med_beslut",
    "standardinstallningar",
    "undantagsutfall",
]
