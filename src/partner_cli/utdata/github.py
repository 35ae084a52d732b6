"""GitHub Actions: arbetsflödeskommandon (`::error file=…,line=…::…`) som blir annoteringar.

Egenskaper och meddelanden kodas enligt reglerna för arbetsflödeskommandon, och sökvägar
görs relativa till arkivets rot (GITHUB_WORKSPACE) så att annoteringarna hamnar rätt.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from partner_cli.modell import Kontrollresultat
from partner_cli.utdata.text import sammanfattningsrad

_NIVA = {"fel": "error", "varning": "warning"}


def koda_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def koda_egenskap(text: str) -> str:
    return koda_data(text).replace(":", "%3A").replace(",", "%2C")


def relativ(fil: str) -> str:
    rot = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        return Path(fil).resolve().relative_to(rot).as_posix()
    except ValueError:
        return Path(fil).as_posix()


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    for r in resultat.filer:
        fil = koda_egenskap(relativ(r.fil))
        for f in r.fynd:
            titel = koda_egenskap(f"partner: {f.regel}")
            meddelande = koda_data(f"{relativ(r.fil)}:{f.rad}:{f.kolumn}: {f.meddelande}")
            ut.write(
                f"::{_NIVA[f.niva]} file={fil},line={f.rad},col={f.kolumn},title={titel}::"
                f"{meddelande}\n"
            )
    ut.write(sammanfattningsrad(resultat) + "\n")
