"""GitLab: en Code Quality-rapport (JSON-lista) för widgeten i sammanslagningsbegäran.

Varje fynd har `description`, `check_name` (regelns id), ett stabilt `fingerprint` (se
`plats.fingeravtryck`), `severity` och `location` med sökvägen relativ till arkivets rot
(CI_PROJECT_DIR) och en 1-baserad rad. Allvarlighet:

- `critical`: filen går inte att läsa som förslag (`yaml`, `format`), inget annat prövas;
- `major`: en regels fel, förslaget är underkänt;
- `minor`: en varning;
- `info`: ett fynd som ett beslutat undantag täcker.

Beskrivningen visas för människor och går genom `saker.synlig`. Rapporten skrivs en post i
taget, så att minnet inte växer med antalet fynd.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from partner_cli.modell import Fynd, Kontrollresultat
from partner_cli.saker import json_dokument, synlig
from partner_cli.utdata.plats import fingeravtryck, relativ

_OLASBAR = ("yaml", "format")
_ALLVARLIGHET = {"fel": "major", "varning": "minor", "undantag": "info"}


def allvarlighet(f: Fynd) -> str:
    if f.niva == "fel" and f.regel in _OLASBAR:
        return "critical"
    return _ALLVARLIGHET[f.niva]


def render(resultat: Kontrollresultat, ut: TextIO) -> None:
    forsta = True
    ut.write("[")
    for r in resultat.filer:
        fil = relativ(r.fil)
        for f, avtryck in zip(r.fynd, fingeravtryck(fil, r.fynd), strict=True):
            post: dict[str, Any] = {
                "type": "issue",
                "description": f"[{f.regel}] {synlig(f.text)}",
                "check_name": f.regel,
                "fingerprint": avtryck,
                "severity": allvarlighet(f),
                "location": {"path": fil, "lines": {"begin": f.rad}},
            }
            ut.write("\n  " if forsta else ",\n  ")
            ut.write(json_dokument(json.dumps(post, ensure_ascii=False)))
            forsta = False
    ut.write("]\n" if forsta else "\n]\n")
