"""YAML-nycklarnas namn i koden: å och ä blir a, ö blir o (`avtalsägare` → `avtalsagare`).

Egen modul, eftersom formatet, reglerna och konfigurationen alla behöver den och ingen av
dem ska behöva importera en annan för det.
"""

from __future__ import annotations

_ASCII = str.maketrans("åäöÅÄÖ", "aaoAAO")


def attributnamn(nyckel: str) -> str:
    return nyckel.translate(_ASCII)
