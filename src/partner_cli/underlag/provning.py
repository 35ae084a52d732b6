"""Beslutsunderlagets prövning mot strategin: regel för regel bedömningen, strategins stycke
och citat, och siffrorna ur förslaget som bedömningen vilar på."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from partner_cli import regler
from partner_cli.modell import Filresultat, Forslag, Fynd
from partner_cli.underlag.dokument import (
    Avsnitt,
    Block,
    Lista,
    Stycke,
    Tabell,
    Uppstallning,
    avtalsagare,
    ja_nej,
)
from partner_cli.varden import juridisk_form, kronor, procent, procentsats

_BEDOMNING = {
    "fel": "uppfylls inte",
    "varning": "uppfylls, med anmärkning",
    "undantag": "uppfylls inte; beslutat undantag",
}


def _siffror(f: Forslag, id_: str, inst: Mapping[str, Any]) -> str:
    """Figurerna som regelns bedömning vilar på, som de står i förslaget."""
    fin = f.finansiering
    if id_ == "tillämpning":
        return (
            f"Motpartens kategori: {f.motpart.kategori}; upphandling: {ja_nej(f.upphandling)}; "
            f"organisationsnummer {f.motpart.organisationsnummer} "
            f"({juridisk_form(f.motpart.organisationsnummer)})."
        )
    if id_ == "medfinansiering":
        # Granskningens fördelning, som regeln räknar: kommunens bolag är kommunen.
        fordelning = f.fordelning
        if not fordelning.total:
            return "Budgeten är 0 kr."
        grans = inst["min_andel"]
        garanterad = fordelning.medfinansiering
        return (
            f"Garanterat från andra parter {kronor(garanterad)} av "
            f"{kronor(fordelning.total)}: "
            f"{procent(Fraction(garanterad, fordelning.total), grans)} "
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
                f"; rätt till insyn: {ja_nej(insyn.ratt_till_insyn)}; "
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
        return f"Avtalsägare: {avtalsagare(f)}."
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


def avsnitt(
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
