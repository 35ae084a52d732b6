"""Beslutsunderlaget: ett förslag som näringslivsdirektörens funktion och kommunstyrelsen läser.

Modulen bygger ett dokument (`dokument`: avsnitt, uppställningar, tabeller och stycken) med
varje tal redan i svensk form ("1 430 000 kr", "41,9 %"), och prövningen mot strategin regel
för regel i `provning`; formaten i `underlag/` skriver dokumentet och vet inget om förslaget.
All text ur förslagsfilen är bara text här: formaten gör den ofarlig.

Siffrorna kommer ur granskningen (`Filresultat`) och förslaget den läste, och ur registret när
det finns: kommunens övriga avtal med organisationen och det samlade engagemanget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partner_cli.modell import Filresultat, Forslag
from partner_cli.underlag import provning
from partner_cli.underlag.dokument import (
    Avsnitt,
    Block,
    Stycke,
    Tabell,
    Underlag,
    Uppstallning,
    andel_eller_streck,
    avtalsagare,
    ja_nej,
)
from partner_cli.varden import juridisk_form, kronor, procent, procentsats


@dataclass(frozen=True, slots=True)
class Avtal:
    """Ett av kommunens avtal med organisationen, ur registret."""

    id: str
    titel: str
    typ: str
    start: dt.date
    slut: dt.date
    kommunen: int  # öre


@dataclass(frozen=True, slots=True)
class Engagemang:
    """Kommunens avtal med organisationen enligt registret, och dess avtalsägare."""

    avtal: tuple[Avtal, ...]
    avtalsagare: tuple[str, str | None] | None


_UTFALL = {
    "godkänd": "Förslaget följer strategin.",
    "underkänd": "Förslaget följer inte strategin.",
    "ej_tillämplig": "Strategin är inte tillämplig på förslaget.",
}


def _period(f: Forslag) -> str:
    return f"{f.period.start} – {f.period.slut}"


def _sammanfattning(r: Filresultat, f: Forslag) -> Avsnitt:
    fin = f.finansiering
    ingress = _UTFALL[r.utfall]
    ej_uppfyllda = sorted({x.regel for x in r.fynd if x.niva == "fel"})
    undantagna = sorted({x.regel for x in r.fynd if x.niva == "undantag"})
    if ej_uppfyllda:
        ingress += f" Regler som inte uppfylls: {', '.join(ej_uppfyllda)}."
    if undantagna:
        ingress += f" Beslutat undantag från: {', '.join(undantagna)}."
    rader = [
        ("Förslag", f"{f.id}: {f.titel}"),
        ("Typ", f.typ),
        ("Diarienummer", f.diarienummer or "–"),
        ("Initiativ", f.initiativ),
        ("Motpart", f.motpart.namn),
        ("Avtalsperiod", _period(f)),
        ("Total budget", kronor(fin.total)),
        (
            "Kommunens bidrag",
            f"{kronor(fin.kommunen.summa)} ({andel_eller_streck(fin.andel(fin.kommunen.summa))})",
        ),
    ]
    if r.medfinansiering is not None:
        m = r.medfinansiering
        rader.append(
            ("Garanterad medfinansiering", f"{kronor(m.garanterad)} ({procent(m.andel, m.grans)})")
        )
    rader.append(("Avtalsägare", avtalsagare(f)))
    return Avsnitt("Sammanfattning", (Stycke(ingress), Uppstallning(tuple(rader))))


def _motpart(f: Forslag) -> Avsnitt:
    m = f.motpart
    return Avsnitt(
        "Motpart",
        (
            Uppstallning(
                (
                    ("Namn", m.namn),
                    ("Organisationsnummer", m.organisationsnummer),
                    ("Juridisk form", juridisk_form(m.organisationsnummer)),
                    ("Kategori", m.kategori),
                )
            ),
        ),
    )


def _finansiering(r: Filresultat, f: Forslag) -> Avsnitt:
    fin = f.finansiering
    k = fin.kommunen
    parter = [
        (
            "Kommunen",
            "kommunen",
            kronor(k.kontant),
            kronor(k.summa - k.kontant),
            kronor(k.summa),
            "–",
            "–",
        )
    ]
    parter += [
        (
            m.namn if m.organisationsnummer is None else f"{m.namn} ({m.organisationsnummer})",
            m.kategori,
            kronor(m.kontant),
            kronor(m.summa - m.kontant),
            kronor(m.summa),
            ja_nej(m.garanterad),
            m.underlag or "–",
        )
        for m in fin.motparter
    ]
    parter.append(
        ("Totalt", "", "", "", kronor(fin.total), kronor(fin.garanterad) + " garanterat", "")
    )
    # Granskningens fördelning: kommunens egna bolag räknas som kommunen, en medfinansiär med
    # gruppsiffran 2 som offentlig, det som inte är garanterat för sig.
    delning = r.medfinansiering.fordelning if r.medfinansiering else None
    delning = delning or f.fordelning
    fordelning: list[tuple[str, ...]] = [
        (namn.capitalize(), kronor(belopp), andel_eller_streck(delning.andel(belopp)))
        for namn, belopp in delning.delar
    ]
    fordelning.append(("Totalt", kronor(delning.total), "100,0 %" if delning.total else "–"))
    return Avsnitt(
        "Finansiering",
        (
            Tabell(
                ("Part", "Kategori", "Kontant", "In kind", "Summa", "Garanterad", "Underlag"),
                tuple(parter),
                frozenset({2, 3, 4}),
                summa=True,
            ),
            Tabell(("Finansiär", "Belopp", "Andel"), tuple(fordelning), frozenset({1, 2}), True),
            *_utbetalningar(f),
            Stycke(
                "In kind är insatser i annat än pengar, värderade i förslaget (timmar × timpris "
                "eller ett angivet belopp).",
                "not",
            ),
        ),
    )


def _utbetalningar(f: Forslag) -> tuple[Block, ...]:
    """Kommunens kontanta bidrag per år, när förslaget har en utbetalningsplan."""
    if not f.finansiering.kommunen.utbetalningar:
        return ()
    from partner_cli.regler.ekonomi import ore

    per_ar = f.kommunens_kontant_per_ar()
    rader = tuple((str(ar), kronor(ore(b))) for ar, b in sorted(per_ar.items()))
    return (
        Stycke("Kommunens kontanta bidrag per år enligt utbetalningsplanen:"),
        Tabell(
            ("År", "Kommunens kontanta bidrag"),
            (*rader, ("Totalt", kronor(f.finansiering.kommunen.kontant))),
            frozenset({1}),
            summa=True,
        ),
    )


def _undantag(r: Filresultat) -> Avsnitt:
    if not r.undantag:
        return Avsnitt("Beslutade undantag", (Stycke("Förslaget har inga beslutade undantag."),))
    rader = tuple(
        (
            u.undantag.regel,
            u.undantag.beslut,
            str(u.undantag.beslutsdatum or "–"),
            str(u.undantag.giltigt_till or "–"),
            u.status,
            u.undantag.motivering,
        )
        for u in r.undantag
    )
    return Avsnitt(
        "Beslutade undantag",
        (
            Tabell(
                ("Regel", "Beslut", "Beslutsdatum", "Giltigt till", "Status", "Motivering"), rader
            ),
            Stycke(
                "Tillämpat: beslutet täcker regelns fynd. Utgånget: beslutet gäller inte hela "
                "avtalstiden och regelns fynd står kvar. Oanvänt: regeln har inga fynd.",
                "not",
            ),
        ),
    )


def _ekonomi(f: Forslag, installningar: Mapping[str, Mapping[str, Any]]) -> Avsnitt:
    e = f.ekonomi
    if e is None:
        return Avsnitt(
            "Motpartens ekonomi och beroende", (Stycke("Motpartens ekonomi är inte angiven."),)
        )

    def kr(v: int | None) -> str:
        return "–" if v is None else kronor(v)

    block: list[Block] = [
        Uppstallning(
            (
                ("Räkenskapsår", str(e.rakenskapsar or "–")),
                ("Omsättning", kr(e.omsattning)),
                ("Resultat", kr(e.resultat)),
                ("Eget kapital", kr(e.eget_kapital)),
                ("Offentlig finansiering", kr(e.offentlig_finansiering)),
                ("Källa", e.kalla or "–"),
            )
        )
    ]
    if e.omsattning and e.offentlig_finansiering is not None:
        from partner_cli.regler.ekonomi import beroende, ore

        grans = installningar["ekonomi"]["max_offentlig_andel"]
        fore, efter, stod = beroende(f, e.omsattning, e.offentlig_finansiering)
        tillskott = ore(stod)
        block += [
            Tabell(
                ("", "Offentliga medel per år", "Omsättning per år", "Andel offentligt"),
                (
                    (
                        "Före avtalet",
                        kronor(e.offentlig_finansiering),
                        kronor(e.omsattning),
                        procent(fore, grans, strikt=True),
                    ),
                    (
                        "Med avtalets stöd",
                        kronor(e.offentlig_finansiering + tillskott),
                        kronor(e.omsattning + tillskott),
                        procent(efter, grans, strikt=True),
                    ),
                ),
                frozenset({1, 2, 3}),
            ),
            Stycke(
                f"Med avtalets stöd: kommunens kontanta bidrag det största året "
                f"({kronor(tillskott)}, ur utbetalningsplanen eller fördelat jämnt över "
                f"avtalstiden) läggs till både de offentliga medlen och omsättningen, som regeln "
                f"ekonomi räknar. Gränsen för beroende är {procentsats(grans)} (strategins "
                f"Utmaningar; ekonomi.max_offentlig_andel).",
                "not",
            ),
        ]
    return Avsnitt("Motpartens ekonomi och beroende", tuple(block))


def _engagemang(f: Forslag, engagemang: Engagemang | None) -> Avsnitt:
    rubrik = "Kommunens engagemang i organisationen"
    if engagemang is None:
        return Avsnitt(
            rubrik, (Stycke("Inget register finns; kommunens övriga avtal redovisas inte.", "not"),)
        )
    ovriga = [a for a in engagemang.avtal if a.id != f.id]
    block: list[Block] = []
    if engagemang.avtalsagare is not None:
        namn, enhet = engagemang.avtalsagare
        block.append(
            Stycke(
                f"Organisationens avtalsägare enligt registret: {namn}"
                + (f", {enhet}." if enhet else ".")
            )
        )
    if not ovriga:
        block.append(Stycke("Kommunen har inga andra registrerade avtal med organisationen."))
    else:
        block.append(
            Tabell(
                ("Avtal", "Titel", "Typ", "Period", "Kommunens bidrag"),
                (
                    *(
                        (a.id, a.titel, a.typ, f"{a.start} – {a.slut}", kronor(a.kommunen))
                        for a in ovriga
                    ),
                    ("Övriga avtal", "", "", "", kronor(sum(a.kommunen for a in ovriga))),
                ),
                frozenset({4}),
                summa=True,
            )
        )
    totalt = sum(a.kommunen for a in ovriga) + f.finansiering.kommunen.summa
    block.append(
        Stycke(
            f"Kommunens samlade engagemang med förslaget: {kronor(totalt)} "
            f"({len(ovriga)} andra avtal och det här förslaget)."
        )
    )
    if ovriga:
        block.append(
            Stycke(
                "Strategin vill helst ha ett samarbetsavtal per organisation (Det kommunala "
                "ansvaret).",
                "not",
            )
        )
    return Avsnitt(rubrik, tuple(block))


def _mal(f: Forslag) -> Avsnitt:
    mal: list[Block] = (
        [
            Tabell(
                ("Nr", "Mål", "Indikator", "Målvärde", "Överenskommet"),
                tuple(
                    (
                        str(i),
                        m.beskrivning or "–",
                        m.indikator or "–",
                        m.malvarde or "–",
                        ja_nej(m.overenskommet),
                    )
                    for i, m in enumerate(f.mal, 1)
                ),
            )
        ]
        if f.mal
        else [Stycke("Förslaget har inga mål.")]
    )
    plan: list[Block] = (
        [
            Tabell(
                ("Datum", "Typ"),
                tuple((str(u.datum or "–"), u.typ or "–") for u in f.utvardering),
            )
        ]
        if f.utvardering
        else [Stycke("Inga utvärderingar är planerade.")]
    )
    if f.insyn is not None and f.insyn.redovisning:
        plan.append(Stycke(f"Motparten redovisar {f.insyn.redovisning} till kommunen."))
    return Avsnitt("Mål och utvärderingsplan", (*mal, Stycke("Planerade utvärderingar:"), *plan))


def bygg(
    resultat: Filresultat,
    installningar: Mapping[str, Mapping[str, Any]],
    engagemang: Engagemang | None = None,
    datum: dt.date | None = None,
) -> Underlag:
    """Underlaget för ett granskat förslag (granskat med `behall_forslag`, inte ogiltigt)."""
    f = resultat.forslag
    if f is None:
        raise ValueError("underlaget behöver det granskade förslaget")
    avsnitt = (
        _sammanfattning(resultat, f),
        _motpart(f),
        _finansiering(resultat, f),
        *provning.avsnitt(resultat, f, installningar),
        _undantag(resultat),
        _ekonomi(f, installningar),
        _engagemang(f, engagemang),
        _mal(f),
    )
    return Underlag(
        id=f.id,
        titel=f"Beslutsunderlag: {f.titel}",
        utfall=resultat.utfall,
        avsnitt=avsnitt,
        datum=datum or dt.date.today(),
    )
