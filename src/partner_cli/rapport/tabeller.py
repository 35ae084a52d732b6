"""Årsrapportens avsnitt som tabeller med typade celler, gemensamma för alla format.

Text, Markdown och HTML visar cellerna för människor (`visa`); JSON och CSV skriver dem
exakt för maskiner (`raa`). Kolumnernas nycklar är registrets ord, rubrikerna rapportens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, cast

from partner_cli.kalkyl import Andelstal, Varde
from partner_cli.rapport import Arsrapport, Indikatorer
from partner_cli.varden import (
    INGEN_GRANS,
    andel_decimaltext,
    andel_text,
    decimal_kronor,
    kronor,
    procent,
)


# Cellerna är NamedTuple: en rapport har hundratusentals, och en fryst dataklass kostar flera
# gånger mer att skapa.
class Kronor(NamedTuple):
    ore: int


class Andel(NamedTuple):
    varde: Fraction | None
    grans: Fraction | None = None  # andelar som prövas mot en gräns visas aldrig på fel sida


class Period(NamedTuple):
    start: dt.date
    slut: dt.date


Cell = str | int | dt.date | Kronor | Andel | Period | None


@dataclass(frozen=True, slots=True)
class Kolumn:
    nyckel: str
    rubrik: str
    fri: bool = False  # fritext som får radbrytas; övriga kolumner hålls på en rad


@dataclass(frozen=True, slots=True)
class Tabell:
    nyckel: str
    rubrik: str
    kolumner: tuple[Kolumn, ...]
    rader: tuple[tuple[Cell, ...], ...]
    markerade: frozenset[int] = frozenset()  # radindex som ska sticka ut
    not_: str | None = None
    tom: str = "Inget att redovisa."


def visa(cell: Cell) -> str:
    # De vanligaste först (rapporter har hundratusentals celler); typen är exakt vad
    # tabellerna lägger i cellerna.
    if type(cell) is str:
        return cell
    if cell is None:
        return "–"
    if type(cell) is Andel:
        varde, grans = cell
        if varde is None:
            return "–"
        if grans is not None:
            return procent(varde, grans)
        return andel_text(varde)
    if type(cell) is Kronor:
        return kronor(cell.ore)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, Period):
        return f"{cell.start} – {cell.slut}"
    return str(cell)


def visa_kolumn(celler: Sequence[Cell]) -> list[str]:
    """`visa` för en hel kolumn: cellerna i en kolumn har samma typ (eller är tomma), så typen
    avgörs en gång och text står kvar som den är."""
    typer = set(map(type, celler))
    if typer <= {str}:
        return list(cast("Sequence[str]", celler))
    if typer == {Kronor}:
        return [kronor(c.ore) for c in cast("Sequence[Kronor]", celler)]
    if typer == {Period}:
        return [f"{c.start} – {c.slut}" for c in cast("Sequence[Period]", celler)]
    if typer == {int}:
        return list(map(str, celler))
    if typer == {Andel}:
        return [
            "–" if v is None else andel_text(v) if g is None else procent(v, g)
            for v, g in cast("Sequence[Andel]", celler)
        ]
    return list(map(visa, celler))


def raa(cell: Cell) -> str | int | None:
    """Exakt och maskinläsbart: belopp i kronor som decimaltext, andelar med fyra decimaler."""
    if isinstance(cell, Kronor):
        return decimal_kronor(cell.ore)
    if isinstance(cell, Andel):
        if cell.varde is None:
            return None
        # Utan gräns avkortad som granskningens JSON: samma andel, samma siffror.
        v = cell.varde
        return andel_decimaltext(v.numerator, v.denominator, cell.grans or INGEN_GRANS)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, Period):
        return f"{cell.start}/{cell.slut}"  # ISO 8601-intervall
    return cell


def kalkylvarde(cell: Cell) -> Varde:
    """Exakt och typat för kalkylblad (csv, xlsx): belopp som kronor, andelar som `Andelstal`
    med fyra decimaler, datum som datum och en period som ISO 8601-intervall."""
    if isinstance(cell, Kronor):
        return Decimal(decimal_kronor(cell.ore))
    if isinstance(cell, Andel):
        varde = raa(cell)
        return None if varde is None else Andelstal(varde)
    if isinstance(cell, Period):
        return f"{cell.start}/{cell.slut}"
    return cell


def kalkylblad(
    t: Tabell, *, perioder_som_datum: bool = False
) -> tuple[list[str], list[list[Varde]]]:
    """Avsnittets kolumnnycklar och typade rader; med `perioder_som_datum` blir en period två
    kolumner med datum (`period_start`, `period_slut`)."""
    kolumner: list[str] = []
    for j, k in enumerate(t.kolumner):
        delas = perioder_som_datum and any(isinstance(r[j], Period) for r in t.rader)
        kolumner += [f"{k.nyckel}_start", f"{k.nyckel}_slut"] if delas else [k.nyckel]
    rader: list[list[Varde]] = []
    for rad in t.rader:
        varden: list[Varde] = []
        for cell in rad:
            if perioder_som_datum and isinstance(cell, Period):
                varden += [cell.start, cell.slut]
            else:
                varden.append(kalkylvarde(cell))
        rader.append(varden)
    return kolumner, rader


def riktning(nu: Fraction | int | None, forra: Fraction | int | None) -> str:
    if nu is None or forra is None:
        return "–"
    return "↑ ökar" if nu > forra else "↓ minskar" if nu < forra else "→ oförändrad"


def _indikatorrader(r: Arsrapport) -> tuple[tuple[Cell, ...], ...]:
    nu, forra = r.indikatorer, r.foregaende

    def andel(namn: str, varde: str, grans: Fraction | None = None) -> tuple[Cell, ...]:
        a, b = Andel(getattr(nu, varde), grans), Andel(getattr(forra, varde), grans)
        # Två andelar som visas lika är oförändrade, fast bråken skiljer sig bortom den visade
        # decimalen: annars står det "56,3 % → 56,3 % ↓ minskar".
        lika = a.varde is not None and b.varde is not None and visa(a) == visa(b)
        return (namn, a, b, riktning(a.varde, a.varde if lika else b.varde))

    def antal(namn: str, varde: str) -> tuple[Cell, ...]:
        a, b = getattr(nu, varde), getattr(forra, varde)
        return (namn, a, b, riktning(a, b))

    return (
        antal("Aktiva partnerskap", "aktiva"),
        antal("Aktiva organisationer", "organisationer"),
        antal("Nya partnerskap", "nya"),
        andel(
            "Garanterad medfinansiering, viktad med budget", "medfinansieringsandel", r.min_andel
        ),
        andel("Näringslivets andel av finansieringen", "naringslivsandel"),
        andel("Andra offentligas andel av finansieringen", "offentlig_andel"),
        andel("Initierade av näringslivet", "andel_naringslivets_initiativ"),
        andel("Initierade gemensamt", "andel_gemensamt_initiativ"),
    )


def indikatorvarden(i: Indikatorer) -> dict[str, str | int | None]:
    """Indikatorerna med sina underlag, för JSON."""
    return {
        "år": i.ar,
        "aktiva": i.aktiva,
        "nya": i.nya,
        "garanterad": decimal_kronor(i.garanterad),
        "naringsliv": decimal_kronor(i.naringsliv),
        "total": decimal_kronor(i.total),
        "organisationer": i.organisationer,
        "offentliga": decimal_kronor(i.offentliga),
        "initiativ_naringslivet": i.initiativ_naringslivet,
        "initiativ_gemensamt": i.initiativ_gemensamt,
        "initiativ_kommunen": i.initiativ_kommunen,
        "medfinansieringsandel": raa(Andel(i.medfinansieringsandel)),
        "naringslivsandel": raa(Andel(i.naringslivsandel)),
        "offentlig_andel": raa(Andel(i.offentlig_andel)),
        "andel_naringslivets_initiativ": raa(Andel(i.andel_naringslivets_initiativ)),
        "andel_gemensamt_initiativ": raa(Andel(i.andel_gemensamt_initiativ)),
    }


def tabeller(r: Arsrapport) -> list[Tabell]:
    ar = r.ar
    utvarderingar = r.uppfoljning
    antal = {
        s: sum(1 for u in utvarderingar if u.status == s)
        for s in ("utförd", "försenad", "kommande")
    }
    avsnitt = [
        Tabell(
            "partnerskap",
            f"Partnerskap {ar}",
            (
                Kolumn("id", "Id"),
                Kolumn("organisation", "Organisation", fri=True),
                Kolumn("typ", "Typ"),
                Kolumn("period", "Period", fri=True),
                Kolumn("ny", "Ny"),
                Kolumn("kommunen", "Kommunen"),
                Kolumn("garanterad_andel", "Garanterat"),
                Kolumn("naringslivsandel", "Näringsliv"),
                Kolumn("initiativ", "Initiativ"),
            ),
            tuple(
                (
                    a.id,
                    a.organisation,
                    a.typ,
                    Period(a.period_start, a.period_slut),
                    "ny" if a.ny else "",
                    Kronor(a.kommunen),
                    Andel(a.andel, r.min_andel),
                    Andel(a.naringslivsandel),
                    a.initiativ,
                )
                for a in r.partnerskap
            ),
            frozenset(i for i, a in enumerate(r.partnerskap) if a.ny),
            not_=(
                f"Kommunen: kommunens bidrag under {ar}, kontant och in kind (det kontanta "
                "enligt utbetalningsplanen när avtalet har en, annars jämnt över periodens "
                "dagar). Garanterat: garanterad medfinansiering från andra parter. Näringsliv: "
                "näringslivets andel av finansieringen; andelarna gäller hela avtalet. Ny: "
                f"partnerskapet började {ar}."
            ),
            tom=f"Inga partnerskap var aktiva under {ar}.",
        ),
        Tabell(
            "organisationer",
            "Organisationer och avtalsägare",
            (
                Kolumn("organisation", "Organisation", fri=True),
                Kolumn("organisationsnummer", "Organisationsnummer"),
                Kolumn("avtalsagare_namn", "Avtalsägare", fri=True),
                Kolumn("avtalsagare_enhet", "Enhet", fri=True),
                Kolumn("antal_avtal", f"Avtal {ar}"),
                Kolumn("avtal", "Avtal"),
            ),
            tuple(
                (
                    o.organisation,
                    o.organisationsnummer,
                    o.avtalsagare_namn,
                    o.avtalsagare_enhet,
                    len(o.avtal),
                    ", ".join(o.avtal),
                )
                for o in r.organisationer
            ),
            frozenset(i for i, o in enumerate(r.organisationer) if o.flera),
            not_=(
                "Markerade organisationer har mer än ett avtal under året; strategin vill helst "
                "ha ett samarbetsavtal per organisation."
                if any(o.flera for o in r.organisationer)
                else None
            ),
            tom=f"Inga organisationer hade avtal under {ar}.",
        ),
        Tabell(
            "typer",
            f"Partnerskap per typ {ar}",
            (
                Kolumn("grupp", "Grupp", fri=True),
                Kolumn("typ", "Typ"),
                Kolumn("avtal", "Avtal"),
                Kolumn("organisationer", "Organisationer"),
            ),
            tuple((t.grupp, t.typ or "alla", t.avtal, t.organisationer) for t in r.typer),
            frozenset(i for i, t in enumerate(r.typer) if t.typ is None),
            not_=(
                "Årets partnerskap som avtal och som organisationer. Gemensamma "
                f"utvecklingsprojekt och samverkan: {', '.join(r.utvecklingsprojekt) or 'inga'} "
                "(rapport.utvecklingsprojekt i partner.toml); övriga är stöd till en "
                "organisations verksamhet. Markerade rader gäller hela gruppen."
            ),
            tom=f"Inga partnerskap var aktiva under {ar}.",
        ),
        Tabell(
            "undantag",
            "Beslutade undantag",
            (
                Kolumn("avtal_id", "Avtal"),
                Kolumn("regel", "Regel"),
                Kolumn("beslut", "Beslut", fri=True),
                Kolumn("beslutsdatum", "Beslutsdatum"),
                Kolumn("motivering", "Motivering", fri=True),
                Kolumn("giltigt_till", "Giltigt till"),
            ),
            tuple(
                (u.avtal_id, u.regel, u.beslut, u.beslutsdatum, u.motivering, u.giltigt_till)
                for u in r.undantag
            ),
            not_="Avtal som ingåtts trots att en regel inte uppfylls, efter ett politiskt beslut.",
            tom=f"Inga beslutade undantag gällde avtalen under {ar}.",
        ),
        Tabell(
            "indikatorer",
            "Måluppfyllelse",
            (
                Kolumn("indikator", "Indikator", fri=True),
                Kolumn("varde", str(ar)),
                Kolumn("foregaende", str(ar - 1)),
                Kolumn("riktning", "Riktning"),
            ),
            _indikatorrader(r),
            not_=(
                "Strategins mål: fler partnerskap, mer jämbördig finansiering och ett ökat "
                "kravställande från näringslivet."
            ),
        ),
        Tabell(
            "utvecklingsomraden",
            f"Utvecklingsområden {ar}",
            (
                Kolumn("utvecklingsomrade", "Utvecklingsområde", fri=True),
                Kolumn("avtal", "Avtal"),
                Kolumn("kommunen", "Kommunen"),
                Kolumn("medfinansiering", "Medfinansiering"),
                Kolumn("andel", "Andel"),
            ),
            tuple(
                (u.namn, u.avtal, Kronor(u.kommunen), Kronor(u.medfinansiering), Andel(u.andel))
                for u in r.utvecklingsomraden
            ),
            not_=(
                "Årets avtal per strategiskt utvecklingsområde (utvecklingsområden i "
                "förslagen); ett avtal som tjänar flera områden räknas i vart och ett. "
                "Beloppen är avtalens del av året. Medfinansiering: garanterad från andra "
                "parter; Andel: av avtalens budget under året."
            ),
            tom=f"Inga av årets avtal angav utvecklingsområden under {ar}.",
        ),
        Tabell(
            "utvarderingar",
            f"Uppföljning: planerade utvärderingar {ar}",
            (
                Kolumn("avtal_id", "Avtal"),
                Kolumn("organisation", "Organisation", fri=True),
                Kolumn("datum", "Planerad"),
                Kolumn("typ", "Typ"),
                Kolumn("status", "Status"),
            ),
            tuple((u.avtal_id, u.organisation, u.datum, u.typ, u.status) for u in utvarderingar),
            frozenset(i for i, u in enumerate(utvarderingar) if u.status == "försenad"),
            not_=(
                f"{antal['utförd']} utförda, {antal['försenad']} försenade och "
                f"{antal['kommande']} kommande per {r.brytdag}. Försenade är markerade."
            ),
            tom=f"Inga utvärderingar var planerade under {ar}.",
        ),
        Tabell(
            "malutfall",
            "Uppföljning: måluppfyllelse per avtal",
            (
                Kolumn("avtal_id", "Avtal"),
                Kolumn("utvardering_datum", "Utvärderad"),
                Kolumn("mal_nr", "Mål"),
                Kolumn("beskrivning", "Beskrivning", fri=True),
                Kolumn("malvarde", "Målvärde"),
                Kolumn("utfall", "Utfall", fri=True),
                Kolumn("maluppfyllelse", "Måluppfyllelse"),
            ),
            tuple(
                (
                    m.avtal_id,
                    m.utvardering_datum,
                    m.mal_nr,
                    m.beskrivning,
                    m.malvarde,
                    m.utfall,
                    Andel(m.maluppfyllelse),
                )
                for m in r.malutfall
            ),
            not_="Enligt den senaste registrerade utvärderingen av varje avtal.",
            tom="Inga utvärderingar med utfall per mål är registrerade för årets avtal.",
        ),
        Tabell(
            "risker",
            "Risker",
            (
                Kolumn("organisation", "Organisation", fri=True),
                Kolumn("organisationsnummer", "Organisationsnummer"),
                Kolumn("avtal_id", "Avtal"),
                Kolumn("risk", "Risk", fri=True),
            ),
            tuple((k.organisation, k.organisationsnummer, k.avtal_id, k.risk) for k in r.risker),
            not_=(
                "Ekonomin enligt organisationens senast registrerade avtal; avtal som slutar "
                "inom 90 dagar efter årets slut utan slututvärdering."
            ),
            tom="Inga risker att redovisa.",
        ),
    ]
    return [t for t in avsnitt if not (r.utan_risker and t.nyckel == "risker")]
