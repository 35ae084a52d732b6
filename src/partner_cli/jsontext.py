"""JSON-dokument med en lång lista, en post per rad.

json-modulens C-kodare används bara utan indrag; med indrag tar den Python-vägen, som är
tiotals gånger långsammare vid tiotusentals poster. Här skrivs huvudets nycklar på första
raden och listans poster en per rad: snabbt, och ändå läsbart och lätt att diffa.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any


def med_lista(huvud: Mapping[str, Any], nyckel: str, poster: Iterable[Any]) -> str:
    # En kodare för alla poster: json.dumps med egna flaggor bygger en ny för varje anrop.
    koda = json.JSONEncoder(ensure_ascii=False).encode
    text = koda(dict(huvud))
    rader = ",\n".join(map(koda, poster))
    lista = f"[\n{rader}\n]" if rader else "[]"
    avgransare = ", " if huvud else ""
    return f"{text[:-1]}{avgransare}{koda(nyckel)}: {lista}}}\n"
