"""Format per kommandofamilj: namn → renderare och hjälptext, på ett ställe.

Varje familj (`check`, `report`, registrets kommandon) har ett `Formatregister`. Flaggan
`--format` får sina val och sin hjälp därifrån, kommandot hämtar renderaren därifrån, och
ett test går igenom varje registrerat format i varje familj, så att ett format inte kan vara
halvt inkopplat. En renderare är en ren funktion av resultatet och en ström (eller, för
`katalog`-format, en katalog); var utdata hamnar bestämmer kommandot.

Renderarens modul importeras först när formatet används: en granskning i text ska inte
betala för XML-biblioteket som junit behöver.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, NamedTuple, TypeVar, cast

R = TypeVar("R")


# NamedTuple och inte en dataclass: granskningens start ska inte importera dataclasses.
class Format(NamedTuple):
    namn: str
    hjalp: str  # kort, i parentes efter namnet i `--format`s hjälp; tom om namnet räcker
    modul: str  # renderarens modul
    funktion: str = "render"
    katalog: bool = False  # skriver en fil per avsnitt i en katalog (`--ut`), inte till en ström
    binar: bool = False  # skriver byte (docx, xlsx), inte text: till en fil eller ett rör
    historik: bool = False  # behöver avtalens händelser (rapporten)
    per_fil: str | None = None  # en fils post, som granskningens arbetsprocesser kan skriva
    kalkylstil: bool = False  # tar `stil=` (kalkyl.Stil) från --csv-stil


class Formatregister(Generic[R]):
    def __init__(self, *format_: Format) -> None:
        self._format = {f.namn: f for f in format_}
        self.standard = format_[0].namn

    def __iter__(self) -> Iterator[str]:
        return iter(self._format)

    def __contains__(self, namn: object) -> bool:
        return namn in self._format

    def __getitem__(self, namn: str) -> Format:
        return self._format[namn]

    def renderare(self, namn: str) -> R:
        f = self._format[namn]
        return cast(R, getattr(importlib.import_module(f.modul), f.funktion))

    def per_fil(self, namn: Iterable[str]) -> dict[str, Callable[..., str]]:
        """Funktionerna som skriver en fils post, för de av formaten som har en."""
        ut = {}
        for n in namn:
            f = self._format[n]
            if f.per_fil is not None:
                ut[n] = getattr(importlib.import_module(f.modul), f.per_fil)
        return ut

    def hjalp(self) -> str:
        """`text (standard), json, github (annoteringar) eller junit.`"""
        delar = []
        for f in self._format.values():
            forklaring = ", ".join(
                d for d in ("standard" if f.namn == self.standard else "", f.hjalp) if d
            )
            delar.append(f"{f.namn} ({forklaring})" if forklaring else f.namn)
        return (", ".join(delar[:-1]) + " eller " if len(delar) > 1 else "") + delar[-1] + "."

    def okant(self, namn: str) -> str:
        return f"okänt format {namn!r}; välj bland {', '.join(self._format)}"
