"""Det som rapporterna för CI delar: sökvägar relativa till arkivets rot och fingeravtryck.

Roten är arbetskatalogen som CI checkar ut arkivet i (GITHUB_WORKSPACE på GitHub,
CI_PROJECT_DIR på GitLab), annars aktuell katalog.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from partner_cli.modell import Fynd


def rot() -> Path:
    miljo = os.environ.get("GITHUB_WORKSPACE") or os.environ.get("CI_PROJECT_DIR")
    return Path(miljo or Path.cwd()).resolve()


def under_rot(fil: str) -> str | None:
    """Sökvägen relativ till roten med snedstreck, eller None för en fil utanför roten."""
    try:
        return Path(fil).resolve().relative_to(rot()).as_posix()
    except ValueError:
        return None


def relativ(fil: str) -> str:
    return under_rot(fil) or Path(fil).as_posix()


def fingeravtryck(fil: str, fynd: Sequence[Fynd]) -> list[str]:
    """Ett avtryck per fynd som består när orelaterade rader flyttas.

    Byggt på filen, regeln, sökvägen i dokumentet och meddelandet, aldrig på rad och kolumn:
    en ny rad överst i filen ska inte se ut som ett nytt fynd i granskningen av en
    sammanslagningsbegäran. Likadana fynd i samma fil numreras i ordning för att vara unika.
    """
    sedda: dict[str, int] = {}
    ut = []
    for f in fynd:
        nyckel = "\0".join((fil, f.regel, f.sokvag, f.meddelande))
        n = sedda.get(nyckel, 0)
        sedda[nyckel] = n + 1
        ut.append(hashlib.sha256(f"{nyckel}\0{n}".encode("utf-8", "surrogateescape")).hexdigest())
    return ut
