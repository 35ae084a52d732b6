"""GitHub Actions: arbetsflödeskommandon (`::error file=…,line=…::…`) som blir annoteringar.

Egenskaper och meddelanden kodas enligt reglerna för arbetsflödeskommandon (`saker`), och
sökvägar görs relativa till arkivets rot (GITHUB_WORKSPACE) så att annoteringarna hamnar rätt.
GitHub visar bara ett fåtal annoteringar per steg; därför finns också `stegsammanfattning`,
en Markdowntabell med varje fynd, som kommandot lägger i GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

from typing import TextIO

from partner_cli.modell import Kontrollresultat
from partner_cli.saker import filnamn, github_data, github_egenskap, markdown
from partner_cli.utdata.plats import relativ
from partner_cli.utdata.text import sammanfattningsrad

_NIVA = {"fel": "error", "varning": "warning", "undantag": "notice"}


def annoteringar(resultat: Kontrollresultat, ut: TextIO) -> None:
    """Ett kommando per fynd."""
    for r in resultat.filer:
        fil = relativ(r.fil)
        for f in r.fynd:
            titel = github_egenskap(f"partner: {f.regel}")
            meddelande = github_data(f"{filnamn(fil)}:{f.rad}:{f.kolumn}: {f.text}")
            ut.write(
                f"::{_NIVA[f.niva]} file={github_egenskap(fil)},line={f.rad},col={f.kolumn},"
                f"title={titel}::{meddelande}\n"
            )


def stegsammanfattning(resultat: Kontrollresultat) -> str:
    rader = ["## partner check", "", sammanfattningsrad(resultat), ""]
    rader += ["| Fil | Utfall | Fel | Varningar | Undantag |", "| --- | --- | ---: | ---: | ---: |"]
    for r in resultat.filer:
        rader.append(
            f"| {markdown(relativ(r.fil))} | {r.utfall.replace('_', ' ')} | {r.antal('fel')} "
            f"| {r.antal('varning')} | {r.antal('undantag')} |"
        )
    rader.append("")
    if any(r.fynd for r in resultat.filer):
        rader += [
            "| Fil | Rad | Kolumn | Nivå | Regel | Meddelande |",
            "| --- | ---: | ---: | --- | --- | --- |",
        ]
        for r in resultat.filer:
            for f in r.fynd:
                rader.append(
                    f"| {markdown(relativ(r.fil))} | {f.rad} | {f.kolumn} | {f.niva} "
                    f"| {markdown(f.regel)} | {markdown(f.text)} |"
                )
    else:
        rader.append("Inga fynd.")
    return "\n".join(rader) + "\n\n"


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    annoteringar(resultat, ut)
    ut.write(sammanfattningsrad(resultat) + "\n")
