"""Läser en förslagsfil till ett träd av skalärer, kartor och listor med rad och kolumn.

Säkert mot fientliga filer: storleken begränsas innan filen läses hel, bara UTF-8 godtas,
taggar och alias avvisas (inget konstrueras eller körs, och en aliasbomb stoppas vid första
upprepningen), dubblerade nycklar anges med båda raderna. libyaml används när det finns.
Fel blir data (`LasFel`), aldrig undantag som når användaren.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from partner_cli import systemfel

if TYPE_CHECKING:
    import yaml


# NamedTuple och inte frysta dataclasser: ett förslag har ett hundratal noder, och en tupel
# skapas på en tredjedel av tiden (utan att modulen importerar dataclasses).
class Skalar(NamedTuple):
    text: str
    rad: int
    kolumn: int
    tom: bool  # `nyckel:` utan värde, `~` eller `null` utan citattecken


class Karta(NamedTuple):
    # nyckel -> (nyckelns skalär, värdet)
    poster: dict[str, tuple[Skalar, Nod]]
    rad: int
    kolumn: int


class Lista(NamedTuple):
    element: list[Nod]
    rad: int
    kolumn: int


Nod = Skalar | Karta | Lista


class LasFel(NamedTuple):
    meddelande: str
    rad: int = 1
    kolumn: int = 1


STANDARD_MAX_BYTE = 1_000_000
# Ett förslag har några hundra värden; en fil med hundratusentals (`mål: [{}, {}, …]` på 1 MB)
# stoppas innan trädet byggs, så att tid och minne följer gränsen och inte filen.
STANDARD_MAX_VARDEN = 20_000
# Ett riktigt förslag är ett fåtal nivåer djupt; libyaml själv stoppar vid 1 000.
MAX_DJUP = 50
_STD_TAGGAR = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_TOMT = frozenset({"", "~", "null", "Null", "NULL"})
_tupel = tuple.__new__
_KONFLIKT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def las_fil_bytes(sokvag: str | Path, max_byte: int = STANDARD_MAX_BYTE) -> bytes | LasFel:
    """Läser högst `max_byte` + 1 byte, så att en jättefil aldrig läses hel."""
    try:
        # O_NONBLOCK: att öppna en namngiven rör (FIFO) utan skrivare hänger annars för evigt.
        # Därefter blockerande läsning, så att `<(kommando)` och rör med skrivare fungerar.
        fd = os.open(sokvag, os.O_RDONLY | os.O_NONBLOCK)
        try:
            os.set_blocking(fd, True)
            data = _las_hogst(fd, max_byte + 1)
        finally:
            os.close(fd)
    except OSError as e:
        vad = "katalogen" if os.path.isdir(sokvag) else "filen"
        return LasFel(f"Kan inte läsa {vad}: {_oserror(e)}")
    if len(data) > max_byte:
        return LasFel(f"Filen är större än gränsen på {max_byte:,} byte".replace(",", " "))
    return data


def _las_hogst(fd: int, n: int) -> bytes:
    # En vanlig fil läses med sin egen storlek (oftast ett anrop; en buffert på gränsens
    # storlek kostade mer än läsningen); rör och enheter i bitar tills de tar slut.
    st = os.fstat(fd)
    vanlig = stat.S_ISREG(st.st_mode)
    bit = min(n, st.st_size + 1 if vanlig else 65536)
    delar = []
    while n > 0:
        data = os.read(fd, min(n, bit))
        if not data:
            break
        delar.append(data)
        n -= len(data)
        if vanlig and len(data) < bit:
            break  # en kort läsning ur en vanlig fil är filens slut
    return b"".join(delar)


def _oserror(e: OSError) -> str:
    if e.errno == errno.ENOENT:
        return "finns inte (flyttad eller borttagen under körningen?)"
    return systemfel.text(e)


def las_bytes(data: bytes, max_varden: int = STANDARD_MAX_VARDEN) -> Nod | LasFel:
    text = _avkoda(data)
    if isinstance(text, LasFel):
        return text
    if not text.strip():
        return LasFel("Filen är tom; ett förslag är en YAML-karta (se `partner ny`)")
    if "<<<<<<<" in text or ">>>>>>>" in text:
        m = _KONFLIKT.search(text)
        if m:
            rad = text.count("\n", 0, m.start()) + 1
            return LasFel("Filen innehåller git-konfliktmarkeringar; lös konflikten först", rad)
    # Ett värde tar minst ett halvt tecken: vanliga förslag (några kB) räknas inte alls.
    if 2 * len(text) + 1 > max_varden and _hogst_antal_varden(text) > max_varden:
        fel = _for_manga_varden(text, max_varden)
        if fel is not None:
            return fel
    return _komponera(text)


def _hogst_antal_varden(text: str) -> int:
    """En övre gräns för antalet värden, räknad på tecknen (några mikrosekunder per förslag):
    en post i en blockkarta har ett kolon (nyckel och värde), i en blocklista ett streck, i en
    flödessamling ett kommatecken eller en hakparentes."""
    c = text.count
    return 2 * c(":") + c("-") + c(",") + c("[") + c("{") + c("?") + 1


def _for_manga_varden(text: str, max_varden: int) -> LasFel | None:
    """Räknar värdena med YAML-tolkens händelser, utan att bygga trädet, och stannar vid
    gränsen; None när filen håller sig under den (eller har ett syntaxfel, som rapporteras
    av den vanliga läsningen)."""
    import yaml

    laddare = _laddare_klass()(text)
    varden = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
    antal = 0
    try:
        while laddare.check_event():
            h = laddare.get_event()
            if isinstance(h, varden):
                antal += 1
                if antal > max_varden:
                    mark = h.start_mark
                    return LasFel(
                        f"Filen har fler än {max_varden:,} värden; ett förslag har några hundra "
                        "(gränsen är check.max_värden i partner.toml)".replace(",", " "),
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                    )
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        laddare.dispose()
    return None


def _avkoda(data: bytes) -> str | LasFel:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return LasFel("Filen är kodad i UTF-16; spara den som UTF-8")
    nul = data.find(b"\0")
    if nul >= 0 and _utan_bom_utf16(data):
        return LasFel("Filen är kodad i UTF-16 (utan BOM); spara den som UTF-8")
    if nul >= 0:
        rad = data.count(b"\n", 0, nul) + 1
        return LasFel("Filen innehåller NUL-tecken; den ser ut att vara binär, inte YAML", rad)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        rad = data.count(b"\n", 0, e.start) + 1
        kolumn = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return LasFel(
            f"Filen är inte giltig UTF-8 (byte 0x{data[e.start]:02X}); den är troligen sparad "
            "som Latin-1 eller Windows-1252. Spara den som UTF-8",
            rad,
            kolumn,
        )


def _utan_bom_utf16(data: bytes) -> bool:
    # Text i UTF-16 har NUL i varannan byte (LE: udda index, BE: jämna) för varje ASCII-tecken.
    prov = data[:4096]
    jamna, udda = prov[0::2], prov[1::2]
    return len(prov) >= 4 and max(udda.count(0) / len(udda), jamna.count(0) / len(jamna)) > 0.9


def _laddare() -> type[yaml.SafeLoader]:
    import yaml

    # BaseResolver: inga implicita typer. Vi läser varje skalärs text själva.
    if getattr(yaml, "__with_libyaml__", False):
        bas: type = yaml.cyaml.CParser  # type: ignore[attr-defined]
    else:
        # BaseLoader: dess __init__ initierar läsare, skanner, tolk och komponerare.
        bas = yaml.loader.BaseLoader
    # BaseResolver har inga implicita typer och inga sökvägsregler, så taggen beror bara på
    # nodslaget; libyaml anropar de här tre för varje nod, och de är annars den största
    # enskilda kostnaden i Python per fil.
    taggar = {
        yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
        yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
        yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    }
    metoder = {
        "resolve": lambda self, kind, value, implicit: taggar[kind],
        "descend_resolver": lambda self, parent, index: None,
        "ascend_resolver": lambda self: None,
    }
    return type("Laddare", (bas, yaml.resolver.BaseResolver), metoder)


_LADDARE: type | None = None


def _laddare_klass() -> type:
    global _LADDARE
    if _LADDARE is None:
        _LADDARE = _laddare()
    return _LADDARE


def _komponera(text: str) -> Nod | LasFel:
    import yaml

    laddare = _laddare_klass()(text)
    try:
        nod = laddare.get_single_node()
    except yaml.MarkedYAMLError as e:
        return _syntaxfel(e, text)
    except yaml.reader.ReaderError as e:
        # Läsaren stannar vid första otillåtna tecknet, så dess första förekomst är platsen.
        fore = text[: max(text.find(chr(e.character)), 0)]
        return LasFel(
            f"Filen innehåller ett otillåtet styrtecken (U+{e.character:04X}); ta bort det",
            fore.count("\n") + 1,
            len(fore) - (fore.rfind("\n") + 1) + 1,
        )
    except yaml.YAMLError as e:
        return LasFel(f"YAML-fel: {e}")
    except RecursionError:
        return LasFel("Filen är för djupt nästlad för att vara ett förslag")
    finally:
        laddare.dispose()
    if nod is None:
        return LasFel("Filen innehåller bara kommentarer; ett förslag är en YAML-karta")
    return _omvandla(nod, text)


_PROBLEM = [
    ("expected a single document", "Filen innehåller flera YAML-dokument; ett förslag per fil"),
    ("found another document", "Filen innehåller flera YAML-dokument; ett förslag per fil"),
    ("found character '\\t'", "Tabbtecken kan inte användas för indrag i YAML; använd mellanslag"),
    ("exceeded maximum nesting depth", "Filen är för djupt nästlad för att vara ett förslag"),
    ("mapping values are not allowed", "Ett kolon står där ett värde väntades (saknas indrag?)"),
    ("could not find expected ':'", "Kolon saknas efter en nyckel"),
    ("found undefined alias", "Alias (*namn) används inte i förslag"),
    ("did not find expected key", "Felaktigt indrag: en nyckel väntades här"),
    ("did not find expected '-' indicator", "Felaktigt indrag i en lista"),
    ("found unexpected end of stream", "Filen tar slut mitt i ett värde (saknas ett citattecken?)"),
    ("found a tab character", "Tabbtecken kan inte användas för indrag i YAML; använd mellanslag"),
    (
        "did not find expected alphabetic or numeric character",
        "Efter &, * eller ! ska ett namn följa; sätt värdet inom citattecken",
    ),
    ("did not find expected <document start>", "Oväntat innehåll efter ett direktiv eller `...`"),
    ("did not find expected node content", "Ett värde saknas här"),
    ("did not find expected ',' or ']'", "Listan inom [ ] avslutas inte; saknas , eller ]?"),
    ("did not find expected ',' or '}'", "Kartan inom { } avslutas inte; saknas , eller }?"),
    ("did not find expected comment or line break", "Oväntade tecken efter värdet på raden"),
    ("block sequence entries are not allowed", "Ett listtecken (-) står fel (felaktigt indrag?)"),
    ("mapping keys are not allowed", "En nyckel står där den inte får stå (felaktigt indrag?)"),
    ("escape", "Ogiltig \\-sekvens inom dubbla citattecken; använd enkla citattecken"),
    ("found undefined tag handle", "Taggar (!) används inte i förslag"),
    ("found unexpected document indicator", "--- eller ... mitt i en text inom citattecken"),
    ("directive", "Felaktigt direktiv (%YAML, %TAG); förslag behöver inga direktiv"),
]


def _syntaxfel(e: yaml.MarkedYAMLError, text: str) -> LasFel:
    problem = e.problem or e.context or "okänt fel"
    mark = e.problem_mark or e.context_mark
    svensk = next((sv for en, sv in _PROBLEM if en in problem), None)
    if mark is not None and problem.startswith("found character") and svensk is None:
        # libyaml nämner inte tecknet, så det hämtas ur texten.
        rader = text.split("\n")
        tecken = rader[mark.line][mark.column : mark.column + 1] if mark.line < len(rader) else ""
        vilket = f" {tecken!r}" if tecken else ""
        svensk = (
            "Tabbtecken kan inte användas för indrag i YAML; använd mellanslag"
            if tecken == "\t"
            else f"Tecknet{vilket} kan inte inleda ett värde; sätt värdet inom citattecken"
        )
    # Sällsynta fel från libyaml: svensk inledning, libyamls egen beskrivning inom parentes.
    text = svensk or f"Ogiltig YAML här ({problem})"
    if mark is None:
        return LasFel(text)
    return LasFel(text, mark.line + 1, mark.column + 1)


class _FelIFilen(Exception):
    def __init__(self, fel: LasFel) -> None:
        self.fel = fel


def _omvandla(rot: yaml.Node, text: str) -> Nod | LasFel:
    """Går igenom libyamls nodträd en gång; varje nod får bara besökas en gång (alias).

    Den heta slingan i en granskning: ett förslag har ett hundratal noder, så allt den läser
    ligger i lokala namn. Alias kräver ett ankare (`&`) och taggar ett `!` i texten; utan dem
    hoppas de kontrollerna över.
    """
    import yaml

    sedda: set[int] | None = set() if "&" in text else None
    taggar = "!" in text
    skalarnod, listnod = yaml.ScalarNode, yaml.SequenceNode

    def omvandla(nod: yaml.Node, djup: int) -> Nod:
        mark = nod.start_mark
        if sedda is not None:
            if id(nod) in sedda:
                raise _FelIFilen(
                    LasFel("Alias (*namn) används inte i förslag; skriv ut värdet", mark.line + 1)
                )
            sedda.add(id(nod))
        if taggar and nod.tag not in _STD_TAGGAR:
            raise _FelIFilen(
                LasFel(
                    f"YAML-taggen {nod.tag!r} är inte tillåten i förslag",
                    mark.line + 1,
                    mark.column + 1,
                )
            )
        if djup > MAX_DJUP:
            raise _FelIFilen(
                LasFel("Filen är för djupt nästlad för att vara ett förslag", mark.line + 1)
            )
        if type(nod) is skalarnod:
            varde = nod.value
            # Ren stil är None i PyYAML men '' i libyaml.
            tom = not nod.style and varde in _TOMT
            # tuple.__new__ direkt: NamedTuples egen __new__ är en Python-funktion.
            return _tupel(Skalar, (varde, mark.line + 1, mark.column + 1, tom))
        djup += 1
        if type(nod) is listnod:
            return Lista([omvandla(n, djup) for n in nod.value], mark.line + 1, mark.column + 1)
        poster: dict[str, tuple[Skalar, Nod]] = {}
        for knod, vnod in nod.value:
            nyckel = omvandla(knod, djup)
            if type(nyckel) is not Skalar:
                raise _FelIFilen(
                    LasFel("En nyckel måste vara text", mark.line + 1, mark.column + 1)
                )
            text = nyckel.text
            if text in poster:
                forra = poster[text][0]
                raise _FelIFilen(
                    LasFel(
                        f"Nyckeln {text!r} förekommer två gånger "
                        f"(rad {forra.rad} och rad {nyckel.rad})",
                        nyckel.rad,
                        nyckel.kolumn,
                    )
                )
            poster[text] = (nyckel, omvandla(vnod, djup))
        return Karta(poster, mark.line + 1, mark.column + 1)

    try:
        return omvandla(rot, 0)
    except _FelIFilen as e:
        return e.fel
