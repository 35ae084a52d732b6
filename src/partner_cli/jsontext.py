"""JSON-dokument med en lång lista, en post per rad.

json-modulens C-kodare används bara utan indrag; med indrag tar den Python-vägen, som är
tiotals gånger långsammare vid tiotusentals poster. Här skrivs huvudets nycklar på första
raden och listans poster en per rad: snabbt, och ändå läsbart och lätt att diffa.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def med_lista(huvud: Mapping[str, Any], nyckel: str, poster: Iterable[Any]) -> str:
    # En kodare för alla poster: json.dumps med egna flaggor bygger en ny för varje anrop.
    return med_listans_rader(huvud, nyckel, map(KODA, poster))


def med_listans_rader(huvud: Mapping[str, Any], nyckel: str, rader: Iterable[str]) -> str:
    """Som `med_lista`, med posterna redan kodade, en per rad (till exempel med `strang`)."""
    text = KODA(dict(huvud))
    lista = ",\n".join(rader)
    lista = f"[\n{lista}\n]" if lista else "[]"
    avgransare = ", " if huvud else ""
    return f"{text[:-1]}{avgransare}{KODA(nyckel)}: {lista}}}\n"


KODA = json.JSONEncoder(ensure_ascii=False).encode
# En sträng som JSON-text, som KODA kodar den (json-modulens C-funktion, utan Python-vägen).
strang: Callable[[str], str] = json.encoder.encode_basestring
