"""SARIF 2.1.0: för GitHub code scanning och andra verktyg som läser statisk analys.

Varje regel beskrivs med sin dokumentation och strategins stycke (`properties.grund`,
`properties.citat`); formatets och YAML-läsningens fel och undantagens varningar är regler
också. Varje resultat har regel, nivå, meddelande och en plats med sökväg relativ till
arkivets rot (`uriBaseId` PROJEKTROT) och rad och kolumn. Ett fynd som ett beslutat undantag
täcker blir `note` med en `suppressions`-post av slaget `external` som bär beslutet. Varje
fils utfall och undantag står i `artifacts[].properties`. Meddelanden och motiveringar visas
för människor och går genom `saker.synlig`; sökvägarna är filens byte, procentkodade.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from partner_cli import __version__, arkiv, regler
from partner_cli.kontroll import FORMATGRUND
from partner_cli.modell import Filresultat, Fynd, Kontrollresultat
from partner_cli.saker import json_dokument, synlig
from partner_cli.utdata.json import beslut_dict, sammanfattning, undantag_dict
from partner_cli.utdata.plats import fingeravtryck, relativ, rot, under_rot

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROT_ID = "PROJEKTROT"
_NIVA = {"fel": "error", "varning": "warning", "undantag": "note"}

# Regler som inte är strategins: (id, nivå, kort beskrivning, hjälptext, grund).
_EGNA = (
    (
        "yaml",
        "fel",
        "Filen går inte att läsa som YAML.",
        "Syntaxfel, dubblerade nycklar, taggar, alias, fel teckenkodning, en tom eller för "
        "stor fil: filen blir ogiltig och inget annat prövas.",
        FORMATGRUND,
    ),
    (
        "format",
        "fel",
        "Förslaget följer inte förslagsformatet.",
        "Okända eller saknade nycklar, fel typ, ogiltiga belopp, datum, val eller "
        "organisationsnummer, och undantag utan beslut eller motivering: filen blir ogiltig.",
        FORMATGRUND,
    ),
    (
        regler.UNDANTAG,
        "varning",
        "Ett beslutat undantag tillämpas inte.",
        "Ett undantag som slutar före avtalstiden tillämpas inte, och ett undantag för en "
        "regel utan fynd används inte; beslutet bör ses över.",
        regler.UNDANTAGSGRUND,
    ),
    (
        arkiv.ARKIVREGEL,
        "fel",
        "Förslagsarkivet stämmer inte med registret.",
        "Det som partner register sync vägrar: ett registrerat avtal vars innehåll ändrats utan "
        "ett beslut om ändring, ett beslut om ett avtal eller en organisation som varken är "
        "registrerad eller föreslagen, en utvärdering av ett avtal som inte finns.",
        arkiv.ARKIVGRUND,
    ),
)


def _regel(
    id_: str, niva: str, kort: str, hjalp: str, grund: str, citat: str | None = None
) -> dict[str, Any]:
    egenskaper = {"grund": grund, **({"citat": citat} if citat else {})}
    text = f"{hjalp}\n\nGrund: {grund}." + (f"\n\nStrategin: «{citat}»" if citat else "")
    return {
        "id": id_,
        "shortDescription": {"text": kort},
        "fullDescription": {"text": hjalp},
        "help": {"text": text},
        "defaultConfiguration": {"level": _NIVA[niva]},
        "properties": egenskaper,
    }


def regelbeskrivningar() -> list[dict[str, Any]]:
    ut = []
    for id_, modul in regler.REGLER.items():
        # Stycken utan radbrytningar: verktygen bryter texten själva.
        doc = re.sub(r"(?<!\n)\n(?!\n)", " ", (modul.__doc__ or "").strip())
        ut.append(_regel(id_, modul.NIVA, doc.partition("\n")[0], doc, modul.GRUND, modul.CITAT))
    return ut + [_regel(*egen) for egen in _EGNA]


@functools.cache  # paketets metadata ändras inte under en körning
def _hemsida() -> dict[str, str]:
    """informationUri ur paketets metadata (`[project.urls]` i pyproject.toml), när den finns."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        adresser = metadata("partner-cli").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    for post in adresser:
        _, _, adress = post.partition(", ")
        if adress.startswith("https://"):
            return {"informationUri": adress}
    return {}


def _plats(fil: str) -> dict[str, Any]:
    relativ_ = under_rot(fil)
    if relativ_ is None:
        return {"uri": Path(fil).resolve().as_uri()}
    return {"uri": quote(os.fsencode(relativ_)), "uriBaseId": ROT_ID}


def _resultat(f: Fynd, index: dict[str, int], fil: dict[str, Any], n: int, avtryck: str) -> Any:
    r: dict[str, Any] = {
        "ruleId": f.regel,
        "ruleIndex": index[f.regel],
        "level": _NIVA[f.niva],
        "message": {"text": synlig(f.text)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {**fil, "index": n},
                    "region": {"startLine": f.rad, "startColumn": f.kolumn},
                },
                "logicalLocations": [{"fullyQualifiedName": f.sokvag}] if f.sokvag else [],
            }
        ],
        "partialFingerprints": {"partner/v1": avtryck},
        "properties": {"sökväg": f.sokvag, "grund": f.grund},
    }
    if f.undantag is not None:
        r["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": synlig(f.undantag.motivering),
                "properties": beslut_dict(f.undantag),
            }
        ]
    return r


def _artefakt(r: Filresultat) -> dict[str, Any]:
    return {
        "location": _plats(r.fil),
        "properties": {
            "id": r.id,
            "utfall": r.utfall,
            "undantag": [undantag_dict(u) for u in r.undantag],
        },
    }


def _resultaten(resultat: Kontrollresultat, index: dict[str, int]) -> Iterator[dict[str, Any]]:
    for n, r in enumerate(resultat.filer):
        fil = _plats(r.fil)
        avtryck = fingeravtryck(relativ(r.fil), r.fynd)
        for f, a in zip(r.fynd, avtryck, strict=True):
            yield _resultat(f, index, fil, n, a)


def _dokument(resultat: Kontrollresultat, resultat_: Any) -> dict[str, Any]:
    beskrivningar = regelbeskrivningar()
    index = {b["id"]: i for i, b in enumerate(beskrivningar)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "partner",
                        "version": __version__,
                        **_hemsida(),
                        "rules": beskrivningar,
                    }
                },
                "originalUriBaseIds": {ROT_ID: {"uri": rot().as_uri() + "/"}},
                "artifacts": [_artefakt(r) for r in resultat.filer],
                "results": resultat_(index) if callable(resultat_) else resultat_,
                "properties": {
                    "sammanfattning": sammanfattning(resultat),
                    "konfiguration": dict(resultat.konfiguration),
                },
            }
        ],
    }


def rapport(resultat: Kontrollresultat) -> dict[str, Any]:
    return _dokument(resultat, lambda index: list(_resultaten(resultat, index)))


# Står i dokumentet där resultaten ska in; de skrivs sedan ett i taget.
_PLATSHALLARE = "\0resultaten\0"


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    """Dokumentet med resultaten skrivna ett i taget: minnet växer inte med antalet fynd."""
    index: dict[str, int] = {}

    def platshallare(i: dict[str, int]) -> str:
        index.update(i)
        return _PLATSHALLARE

    text = json.dumps(_dokument(resultat, platshallare), ensure_ascii=False, indent=2)
    fore, _, efter = text.partition(json.dumps(_PLATSHALLARE))
    ut.write(json_dokument(fore) + "[")
    tom = True
    for r in _resultaten(resultat, index):
        ut.write("\n        " if tom else ",\n        ")
        ut.write(json_dokument(json.dumps(r, ensure_ascii=False)))
        tom = False
    ut.write(("]" if tom else "\n      ]") + json_dokument(efter) + "\n")
