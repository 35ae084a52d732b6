"""Beslutsunderlaget i Markdown, för ett ärende, en wiki eller ett e-postmeddelande.

Text ur förslaget kan inte bli Markdown eller HTML (`saker.markdown`): tecknen som betyder
något escapas, styrtecken och radbrytningar visas som `\\n`, och en cell kan inte avsluta
sin tabell. Varje text ur filen står efter en fast text på sin rad (`- **Namn:** …`), så att
den aldrig kan börja en rubrik eller en lista.
"""

from __future__ import annotations

from typing import TextIO

from partner_cli.saker import markdown as text
from partner_cli.underlag.dokument import Lista, Stycke, Tabell, Underlag, Uppstallning


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
