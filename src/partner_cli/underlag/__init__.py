"""Beslutsunderlaget: ett förslag som näringslivsdirektörens funktion och kommunstyrelsen läser.

Modulen bygger ett dokument av avsnitt, uppställningar, tabeller och stycken, med varje tal
redan i svensk form ("1 430 000 kr", "41,9 %"); formaten i `underlag/` skriver dokumentet och
vet inget om förslaget. All text ur förslagsfilen är bara text här: formaten gör den ofarlig.

Siffrorna kommer ur granskningen (`Filresultat`) och förslaget den läste, och ur registret när
det finns: kommunens övriga avtal med organisationen och det samlade engagemanget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from partner_cli import regler
from partner_cli.modell import Avtalsagare, Filresultat, Forslag, Fynd
from partner_cli.varden import andel_text, juridisk_form, kronor, procent, procentsats


@dataclass(frozen=True, slots=True)
class Stycke:
    text: str
    klass: str = ""  # "citat" eller "not": formaten får visa dem för sig


@dataclass(frozen=True, slots=True)
class Uppstallning:
    """Rubrik och värde, rad för rad."""

    rader: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Lista:
    punkter: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tabell:
    kolumner: tuple[str, ...]
    rader: tuple[tuple[str, ...], ...]
    tal: frozenset[int] = frozenset()  # kolumner med belopp och andelar: högerställda, hela
    summa: bool = False  # sista raden är en summa


Block = Stycke | Uppstallning | Lista | Tabell


@dataclass(frozen=True, slots=True)
class Avsnitt:
    rubrik: str
    block: tuple[Block, ...]
    niva: int = 2  # rubriknivå: 2 för avsnitt, 3 för delavsnitt


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


@dataclass(frozen=True, slots=True)
class Underlag:
    id: str
    titel: str
    utfall: str
    avsnitt: tuple[Avsnitt, ...]
    datum: dt.date = field(default_factory=dt.date.today)


_BEDOMNING = {
    "fel": "uppfylls inte",
    "varning": "uppfylls, med anmärkning",
    "undantag": "uppfylls inte; beslutat undantag",
}
_UTFALL = {
    "godkänd": "Förslaget följer strategin.",
    "underkänd": "Förslaget följer inte strategin.",
    "ej_tillämplig": "Strategin är inte tillämplig på förslaget.",
}


def _ja_nej(v: bool | None) -> str:
    return "–" if v is None else "ja" if v else "nej"


def _andel(v: Fraction | None) -> str:
    return "–" if v is None else andel_text(v)


def _period(f: Forslag) -> str:
    return f"{f.period.start} – {f.period.slut}"


def _avtalsagare(f: Forslag) -> str:
    a = f.avtalsagare
    if a is None:
        return "–"
    agare: tuple[Avtalsagare, ...] = (a,) if isinstance(a, Avtalsagare) else a
    return (
        "; ".join(f"{x.namn}, {x.enhet}" if x.enhet else x.namn or "(utan namn)" for x in agare)
        or "–"
    )


def _siffror(f: Forslag, id_: str, inst: Mapping[str, Any]) -> str:
    """Figurerna som regelns bedömning vilar på, som de står i förslaget."""
    fin = f.finansiering
    if id_ == "tillämpning":
        return (
            f"Motpartens kategori: {f.motpart.kategori}; upphandling: {_ja_nej(f.upphandling)}; "
            f"organisationsnummer {f.motpart.organisationsnummer} "
            f"({juridisk_form(f.motpart.organisationsnummer)})."
        )
    if id_ == "medfinansiering":
        if not fin.total:
            return "Budgeten är 0 kr."
        grans = inst["min_andel"]
        return (
            f"Garanterat från andra parter {kronor(fin.garanterad)} av {kronor(fin.total)}: "
            f"{procent(Fraction(fin.garanterad, fin.total), grans)} "
            f"(minst {procentsats(grans)})."
        )
    if id_ == "insyn":
        kommunens = fin.andel(fin.kommunen.summa)
        grans = inst["betydande_andel"]
        text = f"Typ: {f.typ}; kommunens andel av budgeten: " + (
            f"{procent(kommunens, grans)} (betydande från {procentsats(grans)})"
            if kommunens is not None
            else "–"
        )
        insyn = f.insyn
        if insyn is not None:
            text += (
                f"; rätt till insyn: {_ja_nej(insyn.ratt_till_insyn)}; "
                f"redovisning: {insyn.redovisning or '–'}"
            )
        return text + "."
    if id_ == "ekonomi":
        e = f.ekonomi
        if e is None:
            return "Motpartens ekonomi är inte angiven."
        text = (
            f"Räkenskapsår {e.rakenskapsar or '–'} (avtalet startar {f.period.start.year}; "
            f"högst {inst['max_ålder_år']} år före)"
        )
        if e.omsattning and e.offentlig_finansiering is not None:
            grans = inst["max_offentlig_andel"]
            beroende = Fraction(e.offentlig_finansiering, e.omsattning)
            text += (
                f"; offentlig finansiering {procent(beroende, grans, strikt=True)} av "
                f"omsättningen (gräns {procentsats(grans)})"
            )
        return text + "."
    if id_ == "långsiktighet":
        efter = f.langsiktighet.efter_avtalstiden if f.langsiktighet else None
        return f"Efter avtalstiden: {efter}" if efter else "Inget sagt om tiden efter avtalet."
    if id_ == "mål":
        overens = sum(1 for m in f.mal if m.overenskommet)
        return f"{len(f.mal)} mål, varav {overens} gemensamt överenskomna."
    if id_ == "utvärdering":
        planerade = ", ".join(f"{u.typ or '–'} {u.datum or '–'}" for u in f.utvardering)
        return f"{len(f.utvardering)} planerade: {planerade}." if f.utvardering else "Inga."
    if id_ == "avtalsägare":
        return f"Avtalsägare: {_avtalsagare(f)}."
    return ""


def _bedomning(id_: str, inst: Mapping[str, Any], fynd: Sequence[Fynd], provad: bool) -> str:
    if inst["nivå"] == "av":
        return "prövas inte (avstängd i partner.toml)"
    if not provad:
        return "prövas inte: strategin är inte tillämplig"
    for niva in ("fel", "undantag", "varning"):
        if any(f.niva == niva for f in fynd):
            return _BEDOMNING[niva]
    return "uppfylls"


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
            f"{kronor(fin.kommunen.summa)} ({_andel(fin.andel(fin.kommunen.summa))})",
        ),
    ]
    if r.medfinansiering is not None:
        m = r.medfinansiering
        rader.append(
            ("Garanterad medfinansiering", f"{kronor(m.garanterad)} ({procent(m.andel, m.grans)})")
        )
    rader.append(("Avtalsägare", _avtalsagare(f)))
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
            _ja_nej(m.garanterad),
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
        (namn.capitalize(), kronor(belopp), _andel(delning.andel(belopp)))
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


def _provning(
    r: Filresultat, f: Forslag, installningar: Mapping[str, Mapping[str, Any]]
) -> list[Avsnitt]:
    provad = r.utfall != "ej_tillämplig"
    sammandrag = []
    delar = []
    for id_, modul in regler.REGLER.items():
        inst = installningar[id_]
        fynd = [x for x in r.fynd if x.regel == id_]
        bedomning = _bedomning(id_, inst, fynd, provad or id_ == "tillämpning")
        sammandrag.append((id_, modul.GRUND, bedomning))
        block: list[Block] = [
            Uppstallning(
                (
                    ("Bedömning", bedomning),
                    ("Strategin", modul.GRUND),
                    ("Underlag", _siffror(f, id_, inst)),
                )
            ),
            Stycke(f"«{modul.CITAT}»", "citat"),
        ]
        if fynd:
            block.append(Lista(tuple(f"{x.niva}: {x.text}" for x in fynd)))
        delar.append(Avsnitt(f"{id_.capitalize()}", tuple(block), niva=3))
    ovriga = [x for x in r.fynd if x.regel not in regler.REGLER]
    if ovriga:
        delar.append(
            Avsnitt(
                "Övriga anmärkningar", (Lista(tuple(f"{x.niva}: {x.text}" for x in ovriga)),), 3
            )
        )
    return [
        Avsnitt(
            "Prövning mot strategin",
            (
                Stycke(
                    "Strategi för partnerskap med näringslivet och andra aktörer inom "
                    "näringslivsområdet (kommunstyrelsen 2014-04-22 § 93), regel för regel."
                ),
                Tabell(("Regel", "Strategin", "Bedömning"), tuple(sammandrag)),
            ),
        ),
        *delar,
    ]


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
                        _ja_nej(m.overenskommet),
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
        *_provning(resultat, f, installningar),
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
