"""JSON: ett stabilt, dokumenterat dokument (version 1). Belopp i kronor som exakt decimaltext."""

from __future__ import annotations

from typing import Any, TextIO

from partner_cli.jsontext import KODA
from partner_cli.modell import (
    UTFALL,
    Filresultat,
    Fynd,
    Kontrollresultat,
    Medfinansiering,
    Undantag,
    Undantagsutfall,
)
from partner_cli.saker import json_dokument
from partner_cli.varden import INGEN_GRANS, andel_decimaltext, decimal_kronor

VERSION = 1


def sammanfattning(resultat: Kontrollresultat) -> dict[str, Any]:
    return {
        "filer": len(resultat.filer),
        **{u: resultat.antal(u) for u in UTFALL},
        "fel": sum(f.antal("fel") for f in resultat.filer),
        "varningar": sum(f.antal("varning") for f in resultat.filer),
        "undantag": sum(f.antal("undantag") for f in resultat.filer),
        "ej_granskade": dict(resultat.ej_granskade),
    }


def beslut_dict(u: Undantag) -> dict[str, Any]:
    return {
        "regel": u.regel,
        "beslut": u.beslut,
        "beslutsdatum": u.beslutsdatum.isoformat() if u.beslutsdatum else None,
        "motivering": u.motivering,
        "giltigt_till": u.giltigt_till.isoformat() if u.giltigt_till else None,
    }


def undantag_dict(u: Undantagsutfall) -> dict[str, Any]:
    return {
        **beslut_dict(u.undantag),
        "status": u.status,
        "rad": u.rad,
        "kolumn": u.kolumn,
        "sökväg": u.sokvag,
    }


def fynd_dict(f: Fynd) -> dict[str, Any]:
    d: dict[str, Any] = {
        "regel": f.regel,
        "nivå": f.niva,
        "meddelande": f.meddelande,
        "rad": f.rad,
        "kolumn": f.kolumn,
        "sökväg": f.sokvag,
        "grund": f.grund,
    }
    if f.undantag is not None:
        d["undantag"] = beslut_dict(f.undantag)
    return d


def fil_dict(r: Filresultat) -> dict[str, Any]:
    d: dict[str, Any] = {"fil": r.fil, "id": r.id, "utfall": r.utfall}
    if r.medfinansiering is not None:
        m = r.medfinansiering
        d["medfinansiering"] = {
            "andel": andel_decimaltext(m.garanterad, m.total, m.grans),
            "garanterad": decimal_kronor(m.garanterad),
            "total": decimal_kronor(m.total),
        }
        if m.fordelning is not None:
            d["fördelning"] = fordelning_dict(m)
    d["fynd"] = [fynd_dict(f) for f in r.fynd]
    d["undantag"] = [undantag_dict(u) for u in r.undantag]
    return d


_DELAR = (
    ("näringslivet", "naringslivet"),
    ("andra_offentliga", "offentliga"),
    ("övriga", "ovriga"),
    ("kommunen", "kommunen"),
    ("ej_garanterat", "ej_garanterat"),
    ("in_kind_som_inte_räknas", "ej_medraknat"),
)


def fordelning_dict(m: Medfinansiering) -> dict[str, Any]:
    """Budgetens fördelning: belopp och andel av budgeten per del, och näringslivets andel av
    medfinansieringen avkortad mot jämbördighetens gräns (null när den inte går att räkna)."""
    f = m.fordelning
    assert f is not None and f.total
    d: dict[str, Any] = {}
    total = f.total
    for nyckel, attr in _DELAR:
        belopp: int = getattr(f, attr)
        # Ingen gräns att hålla sig på rätt sida om: avkortad till fyra decimaler.
        andel = andel_decimaltext(belopp, total)
        d[nyckel] = {"belopp": decimal_kronor(belopp), "andel": andel}
    d["in_kind_ej_personal"] = decimal_kronor(f.in_kind_ej_personal)
    grans = m.jamn_grans if m.jamn_grans is not None else INGEN_GRANS
    medfinansiering = f.medfinansiering
    d["näringslivets_andel_av_medfinansieringen"] = (
        andel_decimaltext(f.naringslivet, medfinansiering, grans) if medfinansiering else None
    )
    return d


def fil_rad(r: Filresultat) -> str:
    """Filens rad i dokumentet; skrivs i arbetsprocesserna, där resultatet finns."""
    return json_dokument(KODA(fil_dict(r)))


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    # En rad per fil: läsbart och diffbart, och utan indrag skriver json-modulens C-kodare
    # (med indent=2 tar den rena Python-kodaren halva huvudprocessens tid vid 10 000 filer).
    rader = resultat.renderat.get("json") or tuple(map(fil_rad, resultat.filer))
    huvud = KODA(sammanfattning(resultat))
    konfiguration = json_dokument(KODA(dict(resultat.konfiguration)))
    ut.write(
        f'{{"version": {VERSION}, "sammanfattning": {huvud}, '
        f'"konfiguration": {konfiguration}, "filer": ['
    )
    for i, rad in enumerate(rader):
        ut.write(",\n" if i else "\n")
        ut.write(rad)
    ut.write("\n]}\n")
