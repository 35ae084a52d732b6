"""Katalogen över fientliga strängar som varje utdataformat prövas med, och arkiven de bor i.

Strängarna hamnar där förslagets text citeras (motpartens och medfinansiärens namn, ett
undantags beslut och motivering, titeln, målen) och i filnamn; `tests/fientliga/` (korpusen
som fuzzningen också utgår från) granskas i samma körningar.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

from conftest import andrad_mall

FIENTLIGA_FILER = Path(__file__).parent / "fientliga"

C0 = "".join(chr(i) for i in range(0x20) if i not in (0x09, 0x0A))
C1 = "".join(chr(i) for i in range(0x7F, 0xA0))
RIKTNING = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

STRANGAR: tuple[str, ...] = (
    "::notice ::x",
    "::stop-commands::tok",
    "\x1b[2J",
    "\x1b]8;;http://x\x1b\\länk\x1b]8;;\x1b\\",
    "före\refter",
    "\u202eAB gnilknaB",
    "[x](http://e)",
    "![i](http://e/i.png)",
    '=HYPERLINK("http://e")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUMMA(A1)",
    "\tflik",
    "\rvagnretur",
    "rad\n::error file=x::falsk",
    "rad\r\n::warning::falsk",
    "%0A::notice::kodad",
    "rad\x85::notice::nel",
    "rad\u2028::notice::ls",
    "##[error]gammal form",
    "<script>alert(1)</script> & <b>fet</b>",
    "a | b | c",
    "`kod` *fet* _kursiv_ ~genom~ \\ [ ]",
    "C0 " + C0,
    "C1 " + C1,
    "riktning " + RIKTNING,
    "\x7f",
    "%25 %3A %2C : ,",
    "section_start:1700000000:falsk\r\x1b[0Kfalsk sektion",
    "rad\nsection_end:1700000000:falsk\r\x1b[0K",
)

# Ett filnamn som inte är UTF-8.
OGILTIG_UTF8 = b"\xff\xfe-inte-utf8.yaml"


def yaml_text(s: str) -> str:
    """Strängen som en YAML-skalär inom dubbla citattecken (JSON:s flyktsekvenser är YAML:s)."""
    return json.dumps(s)


def organisationsnummer(i: int) -> str:
    """Ett giltigt organisationsnummer per förslag (kontrollsiffra enligt Luhn)."""
    nio = f"55678{i:04}"
    summa = sum(sum(divmod(int(c) * (2 - j % 2), 10)) for j, c in enumerate(nio))
    return f"{nio[:6]}-{nio[6:]}{(10 - summa % 10) % 10}"


def fientligt_forslag(i: int, s: str) -> str:
    """Ett förslag som citerar s i varje fynd och i registret. Medfinansiärens bidrag saknar
    underlag (ett fel som citerar namnet), och ett undantag med s som beslut och motivering
    täcker felet: förslaget är godkänt och kan registreras."""
    q = yaml_text(s)
    return andrad_mall(
        ("id: NL-2014-007", f"id: F-{i}"),
        ("organisationsnummer: 556781-2341", f"organisationsnummer: {organisationsnummer(i)}"),
        ("titel: Logistikregionens", f"titel: {yaml_text(s + ' Logistikregionens')}  #"),
        ("  namn: Örebro Logistikpartner AB\n", f"  namn: {q}\n"),
        ("    - namn: Örebro Logistikpartner AB", f"    - namn: {q}"),
        ("      underlag: Avsiktsförklaring undertecknad 2014-05-12\n", ""),
        ("  namn: Anna Lind", f"  namn: {q}"),
        ("  - beskrivning: Fler etableringar", f"  - beskrivning: {q}"),
    ) + (
        f"\nundantag:\n  - regel: medfinansiering\n    beslut: {q}\n    motivering: {q}\n"
        f"  - regel: insyn\n    beslut: {q}\n    motivering: {q}\n"
    )


def fientliga_beslut(i: int, s: str) -> dict[str, str]:
    """Besluten (filnamn → text) som ger förslag i:s undantag, med s som referens."""
    q = yaml_text(s)
    return {
        f"b{i:02}-{regel}.yaml": (
            f"typ: undantag\nreferens: {q}\ndatum: 2014-06-10\nbeslutat_av: {q}\n"
            f"motivering: {q}\navtal: F-{i}\nregel: {regel}\n"
        )
        for regel in ("medfinansiering", "insyn")
    }


def skapa_arkiv(katalog: Path) -> Path:
    """katalog/forslag/ med ett fientligt förslag per sträng, en fil per sträng med strängen
    i namnet, och en fil vars namn inte är UTF-8; katalog/beslut/ med besluten som ger
    undantagen. Ger forslag/."""
    mapp = katalog / "forslag"
    mapp.mkdir(parents=True)
    (katalog / "beslut").mkdir()
    n = len(STRANGAR)
    for i, s in enumerate(STRANGAR):
        (mapp / f"f{i:02}.yaml").write_text(fientligt_forslag(i, s), encoding="utf-8")
        for namn, text in fientliga_beslut(i, s).items():
            (katalog / "beslut" / namn).write_text(text, encoding="utf-8")
        namn = s.replace("/", "⁄").replace("\0", "")[:100] + ".yaml"
        (mapp / namn).write_text(fientligt_forslag(n + i, "namn"), encoding="utf-8")
    fil = os.path.join(os.fsencode(mapp), OGILTIG_UTF8)
    with open(fil, "w", encoding="utf-8") as ut:
        ut.write(fientligt_forslag(2 * n, "bytes"))
    return mapp


def radstarter(text: str) -> list[str]:
    """Varje rad i texten, delad vid varje radbrytning som Unicode känner (även CR, NEL och
    U+2028): den strängaste läsaren av en logg."""
    return text.splitlines()


def rader_borjar_med(text: str, tillatna: tuple[str, ...]) -> list[str]:
    """Raderna som inte börjar med något partner själv skriver (tom lista: allt väl)."""
    return [r for r in radstarter(text) if r and not r.startswith(tillatna)]


def rata_styrtecken(text: str) -> list[str]:
    """Råa styrtecken och riktningsstyrning i texten (utom tab och radslut)."""
    return sorted({c for c in text if c in C0 + C1 + RIKTNING + "\u2028\u2029" and c != "\n"})


@functools.cache
def fuzzsele() -> Any:
    """Kroppen i fuzz/fuzz_laddning.py som modul, så att testerna prövar samma kropp som
    fuzzningen (fuzz/ är inget paket)."""
    fil = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_laddning.py"
    spec = importlib.util.spec_from_file_location("fuzz_laddning", fil)
    assert spec is not None and spec.loader is not None
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul
