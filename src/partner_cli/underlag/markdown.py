"""Beslutsunderlaget i Markdown, för ett ärende, en wiki eller ett e-postmeddelande.

Text ur förslaget kan inte bli Markdown eller HTML: tecknen som betyder något escapas,
radbrytningar blir mellanslag och en cell kan inte avsluta sin tabell.
"""

from __future__ import annotations

import re
from typing import TextIO

from partner_cli.underlag import Lista, Stycke, Tabell, Underlag, Uppstallning

# Tecken som är Markdown eller HTML var de än står (CommonMark: varje ASCII-skiljetecken får
# escapas med \).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&!#])")
# Det som bara betyder något först på en rad: en lista, ett citat, en rubrik eller ett streck.
_BORJAN = re.compile(r"^([+\-=>:])|^(\d+)([.)])")


def text(varde: str) -> str:
    """Ofarlig Markdown som visar texten som den är, på en rad."""
    enrad = " ".join(varde.split())
    escapad = _INLINE.sub(r"\\\1", enrad)
    return _BORJAN.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escapad)


def _tabell(t: Tabell) -> str:
    def rad(celler: tuple[str, ...]) -> str:
        return "| " + " | ".join(text(c) or " " for c in celler) + " |"

    streck = "| " + " | ".join("---:" if i in t.tal else "---" for i in range(len(t.kolumner)))
    return "\n".join([rad(t.kolumner), streck + " |", *map(rad, t.rader)]) + "\n"


def render(underlag: Underlag, ut: TextIO) -> None:
    ut.write(f"# {text(underlag.titel)}\n\n{text(underlag.id)} · upprättat {underlag.datum}\n")
    for a in underlag.avsnitt:
        ut.write(f"\n{'#' * a.niva} {text(a.rubrik)}\n\n")
        for b in a.block:
            if isinstance(b, Stycke):
                ut.write(f"> {text(b.text)}\n\n" if b.klass == "citat" else f"{text(b.text)}\n\n")
            elif isinstance(b, Uppstallning):
                ut.write("".join(f"- **{text(t)}:** {text(v)}\n" for t, v in b.rader) + "\n")
            elif isinstance(b, Lista):
                ut.write("".join(f"- {text(p)}\n" for p in b.punkter) + "\n")
            else:
                ut.write(_tabell(b) + "\n")
