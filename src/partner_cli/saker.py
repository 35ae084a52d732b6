"""Text från filer görs säker för varje slags utdata, på ett ställe.

Allt som kommer ur en förslagsfil, ett register eller ett filnamn är främmande text. Varje
utdata skickar den genom funktionen för sitt slag:

- `synlig`: det människor läser (textformatet, tabeller, stderr, JUnit, GitLabs och SARIF:s
  meddelanden). Styrtecken (C0 utom tab, DEL, C1), radavgränsare (U+2028, U+2029) och
  riktningsstyrning (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) visas som
  `\\x1b`, `\\r`, `\\n`, `\\u202e`; ett filnamn som inte är giltig UTF-8 visas med sina byte
  (`\\xff`). Ingen text från en fil kan då flytta markören, rensa skärmen, länka, vända
  texten eller börja en ny rad.
- `filnamn`: som `synlig`, och ett relativt namn som börjar med `:` eller `#` får `./`
  framför (samma fil), så att inget namn först på en rad kan läsas som ett
  arbetsflödeskommando (`::…`, `##[…]`) i GitHub Actions.
- `radborjan`: en tabells första cell får ett mellanslag framför när den börjar med `:`
  eller `#`, av samma skäl.
- `github_data` och `github_egenskap`: arbetsflödeskommandon. `%`, CR och LF kodas som
  `%25`, `%0D` och `%0A` i meddelanden; i egenskaper (`file=`, `title=`) också `:` och `,`
  (`%3A`, `%2C`), enligt reglerna i GitHubs actions/toolkit.
- `markdown`: stegsammanfattningen och rapportens Markdown. Som `synlig`, och `&`, `<`, `>`
  som HTML-entiteter och `\\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~` med `\\` framför: inga
  länkar, bilder, HTML eller nya tabellceller ur en fil.
- `html_text`: rapportens HTML-sida, `synlig` och sedan HTML-kodning.
- `json_dokument`: ett serialiserat JSON-dokument (json, sarif, gitlab). Texten står exakt som i
  filen: DEL, C1, radavgränsare och riktningsstyrning skrivs som JSON:s `\\u0085` (som
  json-modulen redan gör med C0), så att dokumentet inte har ett enda rått styrtecken. Ett
  filnamn som inte är UTF-8 (ensamma surrogat) skrivs som texten `\\xff`, så att dokumentet
  alltid är giltig UTF-8 som varje tolk godtar.
- `kalkylcell`: rapportens CSV-filer. En textcell som börjar med `=`, `+`, `-`, `@`, tab
  eller CR får `'` framför, som OWASP rekommenderar mot formler i kalkylprogram;
  `kalkylrader` gör det för varje cell i en tabell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_OSYNLIGA = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_KORTA = {"\n": "\\n", "\r": "\\r"}
# Det json-modulen lämnar råa med ensure_ascii=False (C0 kodar den själv).
_I_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_ELLER_HTML = re.compile(r"[\\`*_\[\]|~&<>]")
_KOMMANDOSTART = (":", "#")
_FORMELSTART = ("=", "+", "-", "@", "\t", "\r")


def _synligt(m: re.Match[str]) -> str:
    tecken = m.group()
    if tecken in _KORTA:
        return _KORTA[tecken]
    kod = ord(tecken)
    if 0xDC80 <= kod <= 0xDCFF:  # en byte som inte var UTF-8 (surrogateescape)
        return f"\\x{kod - 0xDC00:02x}"
    return f"\\x{kod:02x}" if kod < 0x100 else f"\\u{kod:04x}"


def synlig(text: str) -> str:
    """Texten med varje styrtecken som en synlig flyktsekvens; tab står kvar."""
    # Inget tecken som visas är utskrivbart (`isprintable`): det vanliga fallet utan sökning.
    return text if text.isprintable() else _OSYNLIGA.sub(_synligt, text)


def ren(text: str) -> bool:
    """Sant när `synlig` inte skulle ändra texten."""
    return _OSYNLIGA.search(text) is None


def kommandostart(text: str) -> bool:
    """Sant när texten först på en rad kunde läsas som ett arbetsflödeskommando (`::`, `##[`)."""
    return text.startswith(_KOMMANDOSTART)


def filnamn(namn: str) -> str:
    """Ett filnamn att visa, som aldrig börjar ett arbetsflödeskommando."""
    namn = synlig(namn)
    return f"./{namn}" if kommandostart(namn) else namn


def radborjan(text: str) -> str:
    """Text som står först på en rad (en tabells första cell): aldrig ett arbetsflödeskommando."""
    return f" {text}" if kommandostart(text) else text


def github_data(text: str) -> str:
    return synlig(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_egenskap(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown(text: str) -> str:
    if text.isprintable() and _MARKDOWN_ELLER_HTML.search(text) is None:
        return text
    t = synlig(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", t)


def html_text(text: str) -> str:
    from html import escape

    return escape(synlig(text))


def _json_escape(m: re.Match[str]) -> str:
    kod = ord(m.group())
    if 0xD800 <= kod <= 0xDFFF:
        # Inom en JSON-sträng skrivs ett omvänt snedstreck `\\`: texten `\\xff`.
        return "\\" + _synligt(m)
    return f"\\u{kod:04x}"


# Under U+0100 är `_I_JSON`:s tecken DEL och C1 (U+007F–U+009F): varje annan byte i latin-1.
_UTOM_DEL_OCH_C1 = bytes(b for b in range(0x100) if not 0x7F <= b <= 0x9F)


def json_dokument(dokument: str) -> str:
    """Ett serialiserat JSON-dokument (`ensure_ascii=False`) utan råa styrtecken."""
    # Ett dokument med bara tecken under U+0100 (svensk text) prövas som latin-1: kvar när
    # alla andra byte är borttagna är DEL och C1. Det är tio gånger snabbare än att söka tecken
    # för tecken i tiotals MB, och ett dokument utan dem är färdigt som det är.
    try:
        if not dokument.encode("latin-1").translate(None, _UTOM_DEL_OCH_C1):
            return dokument
    except UnicodeEncodeError:
        pass
    return _I_JSON.sub(_json_escape, dokument)


def formellik(text: str) -> bool:
    """Sant när ett kalkylprogram skulle läsa texten som en formel."""
    return text.startswith(_FORMELSTART)


def kalkylcell(text: str) -> str:
    return "'" + text if text.startswith(_FORMELSTART) else text  # formellik, utan ett anrop


_FORMEL_EFTER_NOLL = re.compile("\0[" + re.escape("".join(_FORMELSTART)) + "]")


def kalkylrader(rader: Sequence[Sequence[str]]) -> Iterable[Iterable[str]]:
    """Raderna med `kalkylcell` för varje cell. Tiotusentals rader: en sökning i alla celler
    (var och en efter ett NUL) avgör om någon börjar som en formel, och utan en sådan lämnas
    raderna som de är i stället för ett anrop per cell. Ett NUL inuti en cell kan bara ge en
    onödig genomgång, aldrig missa en cell."""
    from itertools import chain

    if _FORMEL_EFTER_NOLL.search("\0" + "\0".join(chain.from_iterable(rader))) is None:
        return rader
    return (map(kalkylcell, r) for r in rader)
