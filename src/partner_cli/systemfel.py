"""Operativsystemets fel på svenska: en formulering per felkod (errno), så att partners
meddelanden aldrig blandar in systemets engelska text ("Permission denied").

Formuleringarna läses efter sökvägen: "kan inte skriva rapport/x.csv: behörighet saknas".
"""

from __future__ import annotations

import errno

TEXTER: dict[int, str] = {
    errno.ENOENT: "finns inte",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EISDIR: "det är en katalog",
    errno.ENOTDIR: "en del av sökvägen är ingen katalog",
    errno.EEXIST: "finns redan",
    errno.ENOTEMPTY: "katalogen är inte tom",
    errno.ELOOP: "symboliska länkar i en slinga",
    errno.ENAMETOOLONG: "sökvägen är för lång",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EFBIG: "filen blir för stor",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EIO: "in- eller utmatningsfel",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer i systemet",
    errno.EBUSY: "upptagen",
    errno.ETXTBSY: "filen används",
    errno.EXDEV: "går inte mellan två filsystem",
    errno.ENXIO: "ingen enhet eller läsare finns",
}


class Vagrat(OSError):
    """Ett fel som partner själv ger (till exempel vägrar att skriva genom en länk, eller en
    barnprocess som dödades innan den skrivit): felkoden är systemets, texten partners egen och
    svensk."""


def text(e: OSError) -> str:
    """Felet på svenska; en felkod utan formulering visas med sitt namn (till exempel
    systemfel EOVERFLOW) och systemets text."""
    if isinstance(e, Vagrat) and e.strerror:
        return e.strerror
    if e.errno is None:
        return str(e)
    if e.errno in TEXTER:
        return TEXTER[e.errno]
    namn = errno.errorcode.get(e.errno, str(e.errno))
    return f"systemfel {namn}" + (f" ({e.strerror})" if e.strerror else "")
