"""Årsrapporten: strategins uppföljning för ett år, räknad ur registrets rader.

Rapporten är ren: `berakna` får registrets `Underlag` (typade rader, läsningarna finns i
`partner_cli.register.rapportlasning`) och ger den färdiga `Arsrapport`, som formaten i
`rapport/` renderar. Inget flyttal; andelar är exakta bråk.

Statusen för planerade utvärderingar räknas per `brytdag`, som är årets sista dag eller
rapportdagen om den infaller tidigare. Rapporten för ett år ändras alltså inte av
utvärderingar som registreras efter årets slut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from partner_cli.register.arsbelopp import Indikatorer, Partnerskap, Utvecklingsomrade
from partner_cli.register.rapportlasning import (
    GallandeUndantag,
    Malutfall,
    Organisation,
    Underlag,
)

Status = Literal["utförd", "försenad", "kommande"]
# Avtal som slutar inom så här många dagar efter årets slut utan slututvärdering är en risk.
DAGAR_EFTER_ARET = 90


@dataclass(frozen=True, slots=True)
class PlaneradUtvardering:
    avtal_id: str
    organisation: str
    organisationsnummer: str
    datum: dt.date
    typ: str
    status: Status


@dataclass(frozen=True, slots=True)
class Risk:
    organisation: str
    organisationsnummer: str
    avtal_id: str | None
    risk: str


@dataclass(frozen=True, slots=True)
class Typantal:
    """Årets partnerskap av en typ, eller av en grupp typer (`typ` None), räknade både som
    avtal och som organisationer."""

    grupp: str
    typ: str | None
    avtal: int
    organisationer: int


UTVECKLINGSPROJEKT = "Gemensamma utvecklingsprojekt och samverkan"
OVRIGA = "Verksamhetsstöd och övriga"


def per_typ(
    partnerskap: tuple[Partnerskap, ...], utvecklingsprojekt: frozenset[str]
) -> tuple[Typantal, ...]:
    """Först gruppen av gemensamma utvecklingsprojekt (typerna i `utvecklingsprojekt`), sedan
    övriga; i varje grupp en rad per typ och en för hela gruppen. En organisation räknas en
    gång per rad, hur många avtal den än har."""
    ut: list[Typantal] = []
    if not partnerskap:
        return ()
    for grupp, i_gruppen in ((UTVECKLINGSPROJEKT, True), (OVRIGA, False)):
        avtal = [a for a in partnerskap if (a.typ in utvecklingsprojekt) == i_gruppen]
        for typ in sorted({a.typ for a in avtal}):
            av_typen = [a for a in avtal if a.typ == typ]
            ut.append(
                Typantal(grupp, typ, len(av_typen), len({a.organisationsnummer for a in av_typen}))
            )
        ut.append(Typantal(grupp, None, len(avtal), len({a.organisationsnummer for a in avtal})))
    return tuple(ut)


@dataclass(frozen=True, slots=True)
class Arsrapport:
    ar: int
    brytdag: dt.date
    min_andel: Fraction
    partnerskap: tuple[Partnerskap, ...]
    organisationer: tuple[Organisation, ...]
    undantag: tuple[GallandeUndantag, ...]
    indikatorer: Indikatorer
    foregaende: Indikatorer
    uppfoljning: tuple[PlaneradUtvardering, ...]
    malutfall: tuple[Malutfall, ...]
    risker: tuple[Risk, ...]
    historik: tuple[Indikatorer, ...]  # registrets år till och med rapportens, för diagrammen
    utan_risker: bool = False  # den publika rapporten (`--publik`) har ingen risktabell
    utvecklingsomraden: tuple[Utvecklingsomrade, ...] = ()
    typer: tuple[Typantal, ...] = ()
    utvecklingsprojekt: tuple[str, ...] = ()  # typerna i gruppen, ur partner.toml

    def publik(self, *, dolj_enskild_firmas_namn: bool, med_risker: bool) -> Arsrapport:
        """Rapporten att publicera: en enskild firmas personnummer visas aldrig, dess namn inte
        när partner.toml säger det, och risktabellen (organisationers förluster) kan utelämnas."""
        from dataclasses import replace

        from partner_cli import publicering

        def namn(organisation: str, nummer: str) -> str:
            return publicering.namn(organisation, nummer, dolj_enskild_firmas_namn)

        return replace(
            self,
            partnerskap=tuple(
                a._replace(
                    organisation=namn(a.organisation, a.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(a.organisationsnummer),
                )
                for a in self.partnerskap
            ),
            organisationer=tuple(
                o._replace(
                    organisation=namn(o.organisation, o.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(o.organisationsnummer),
                )
                for o in self.organisationer
            ),
            uppfoljning=tuple(
                replace(
                    u,
                    organisation=namn(u.organisation, u.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(u.organisationsnummer),
                )
                for u in self.uppfoljning
            ),
            risker=tuple(
                replace(
                    k,
                    organisation=namn(k.organisation, k.organisationsnummer),
                    organisationsnummer=publicering.visat_nummer(k.organisationsnummer),
                )
                for k in self.risker
            )
            if med_risker
            else (),
            utan_risker=not med_risker,
        )

    def undantagen(self, regel: str) -> frozenset[str]:
        """Avtalen där ett beslut undantar regeln."""
        return frozenset(u.avtal_id for u in self.undantag if u.regel == regel)


def brytdag(ar: int, idag: dt.date) -> dt.date:
    """Dagen som utvärderingarnas status räknas per: årets sista dag, eller i dag om tidigare."""
    return min(idag, dt.date(ar, 12, 31))


def _status(datum: dt.date, utford: bool, brytdag: dt.date) -> Status:
    return "utförd" if utford else "försenad" if datum <= brytdag else "kommande"


def risker(underlag: Underlag, max_offentlig_andel: Fraction) -> tuple[Risk, ...]:
    from partner_cli.varden import kronor, procent, procentsats

    ut: list[Risk] = []
    for e in underlag.ekonomi:
        texter = []
        if e.omsattning and e.offentlig is not None:
            beroende = Fraction(e.offentlig, e.omsattning)
            if beroende > max_offentlig_andel:
                visad = procent(beroende, max_offentlig_andel, strikt=True)
                texter.append(
                    f"offentligt beroende: {visad} av omsättningen {e.ar} "
                    f"(gräns {procentsats(max_offentlig_andel)})"
                )
        if e.eget_kapital is not None and e.eget_kapital < 0:
            texter.append(f"negativt eget kapital {e.ar}: {kronor(e.eget_kapital)}")
        if e.resultat is not None and e.resultat < 0:
            texter.append(f"förlust {e.ar}: {kronor(e.resultat)}")
        ut.extend(Risk(e.organisation, e.organisationsnummer, e.avtal_id, t) for t in texter)
    for s in underlag.slutande:
        ut.append(
            Risk(
                s.organisation,
                s.organisationsnummer,
                s.avtal_id,
                f"slutar {s.period_slut} utan registrerad slututvärdering",
            )
        )
    return tuple(ut)


def berakna(
    underlag: Underlag,
    *,
    min_andel: Fraction,
    max_offentlig_andel: Fraction,
    utvecklingsprojekt: tuple[str, ...],
) -> Arsrapport:
    return Arsrapport(
        ar=underlag.ar,
        brytdag=underlag.brytdag,
        min_andel=min_andel,
        partnerskap=underlag.partnerskap,
        organisationer=underlag.organisationer,
        undantag=underlag.undantag,
        indikatorer=underlag.indikatorer,
        foregaende=underlag.foregaende,
        uppfoljning=tuple(
            PlaneradUtvardering(
                p.avtal_id,
                p.organisation,
                p.organisationsnummer,
                p.datum,
                p.typ,
                _status(p.datum, p.utford, underlag.brytdag),
            )
            for p in underlag.planerade
        ),
        malutfall=underlag.malutfall,
        risker=risker(underlag, max_offentlig_andel),
        historik=underlag.historik,
        utvecklingsomraden=underlag.utvecklingsomraden,
        typer=per_typ(underlag.partnerskap, frozenset(utvecklingsprojekt)),
        utvecklingsprojekt=utvecklingsprojekt,
    )


__all__ = [
    "Arsrapport",
    "GallandeUndantag",
    "Indikatorer",
    "Malutfall",
    "Organisation",
    "Partnerskap",
    "PlaneradUtvardering",
    "Risk",
    "Typantal",
    "Utvecklingsomrade",
    "berakna",
    "brytdag",
]
