"""Granskningen i ett förslagsarkiv ger det utslag som `partner register sync` ger efter
sammanslagningen: synkningen provkörs i ett register i minnet (`synk.forutse`) och varje
vägran blir ett fynd med fil, rad och kolumn i den fil som den gäller.

Fynden läggs till filer som granskningen annars godkände; en fil som redan är underkänd har
sina egna fynd (`sync` vägrar den av samma skäl). Utan sökväg (CI-mallens `partner check`)
gäller utslaget hela arkivet, och en fil med en vägran läggs till resultatet; med sökvägar
bara de granskade filerna.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from partner_cli import arkiv
from partner_cli.modell import Filresultat, Fynd, Kontrollresultat, Utfall

if TYPE_CHECKING:
    from partner_cli.konfig import Konfig
    from partner_cli.kontroll import PerFil
    from partner_cli.synk import Problem, Synkning


def i_arkivet(konfig: Konfig, sokvagar: list[str] | None) -> bool:
    """Om granskningen gäller ett förslagsarkiv: partner.toml med forslag/ bredvid sig (som
    `partner init` lägger upp det), och inga sökvägar eller bara sökvägar i arkivet."""
    if konfig.fil is None or not (konfig.katalog / arkiv.FORSLAG).is_dir():
        return False
    rot = os.path.realpath(konfig.katalog)
    return all(
        s != "-" and os.path.commonpath([rot, os.path.realpath(s)]) == rot for s in sokvagar or ()
    )


def forutse(konfig: Konfig) -> Synkning:
    """Provkör synkningen mot registret som `sync` skulle bygga: registerfilen när den finns,
    annars arkivets inlämnade export."""
    from partner_cli.konfig import exportkatalog, registersokvag
    from partner_cli.synk import forutse as provkor

    sokvag = registersokvag(None, konfig)
    registerfil = sokvag if sokvag.is_file() else None
    export = None if registerfil is not None else exportkatalog(konfig)
    return provkor(Path(os.path.relpath(konfig.katalog)), konfig, registerfil, export)


def med_utslaget(
    resultat: Kontrollresultat,
    synk: Synkning,
    per_fil: Mapping[str, PerFil],
    *,
    hela_arkivet: bool = True,
) -> Kontrollresultat:
    """Granskningens resultat med synkningens vägran som fynd; utan `hela_arkivet` (sökvägar
    som `partner check forslag/x.yaml` i en pre-commit-krok) bara i de granskade filerna."""
    filer = list(resultat.filer)
    renderat = {namn: list(t) for namn, t in resultat.renderat.items()}
    index = {os.path.realpath(r.fil): i for i, r in enumerate(filer)}
    granskade = {
        os.path.realpath(r.fil): r for r in (synk.granskning.filer if synk.granskning else ())
    }
    per_fil_problem: dict[str, list[Problem]] = {}
    for p in synk.problem:
        per_fil_problem.setdefault(os.path.realpath(p.fil), []).append(p)
    andrade = False
    for nyckel, problem in per_fil_problem.items():
        i = index.get(nyckel)
        if (i is not None and filer[i].utfall != "godkänd") or (i is None and not hela_arkivet):
            continue
        if i is None and nyckel in granskade:
            ny = granskade[nyckel]  # ett förslag som sync inte godkänner, med sina fynd
        else:
            fore = filer[i] if i is not None else Filresultat(problem[0].fil, "godkänd", ())
            fynd = [*fore.fynd, *(_fynd(p) for p in problem if p.plats is not None)]
            ogiltig = any(p.regel in ("yaml", "format") for p in problem)
            utfall: Utfall = "ogiltig" if ogiltig else "underkänd"
            ny = fore._replace(utfall=utfall, fynd=tuple(sorted(fynd, key=_ordning)))
        andrade = True
        if i is None:
            filer.append(ny)
            for namn, rendera in per_fil.items():
                renderat[namn].append(rendera(ny))
        else:
            filer[i] = ny
            for namn, rendera in per_fil.items():
                renderat[namn][i] = rendera(ny)
    if not andrade:
        return resultat
    return resultat._replace(
        filer=tuple(filer), renderat={namn: tuple(t) for namn, t in renderat.items()}
    )


def _fynd(p: Problem) -> Fynd:
    assert p.plats is not None
    return Fynd(p.regel, "fel", p.meddelande, *p.plats, p.sokvag, p.grund)


def _ordning(f: Fynd) -> tuple[int, int]:
    return f.rad, f.kolumn
