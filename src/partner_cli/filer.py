"""Filer som partner skapar: aldrig genom en symbolisk länk och aldrig halvskrivna.

Innehållet skrivs först till en tillfällig fil i målets katalog, som `tempfile` skapar
exklusivt (`O_CREAT | O_EXCL`, och `O_NOFOLLOW` där det finns), och filen får sitt namn först
när den är färdig:

- `ny=True`: med `os.link`, som misslyckas när namnet redan finns, också som en symbolisk länk
  (hängande eller inte). En befintlig fil skrivs aldrig över och ingen länk följs.
- `ny=False`: med `os.replace`, som byter ut det som står på namnet: en symbolisk länk där
  ersätts av filen, och det länken pekar på rörs inte.

Ett avbrott lämnar aldrig en halv fil under målets namn; den tillfälliga filen tas bort.

`ny_fil` är samma skrivning som en ström (text i UTF-8 eller byte), med filens rättigheter
som `open()` ger dem (umask), för varje fil som ett kommando skriver (`partner ny`, `init`,
`--ut` och `--output`). Ett rör eller en enhet byts aldrig ut mot en fil: `--ut
/dev/stdout`, ett namngivet rör och `/dev/null` skrivs i, som när skalet omdirigerar.
`kataloger` skapar kataloger under en bas utan att följa en symbolisk länk bland dem.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from partner_cli import systemfel


@contextlib.contextmanager
def skriv_fil(mal: Path, *, ny: bool) -> Iterator[Path]:
    """Ger en tillfällig, tom fil i målets katalog att skriva till; när blocket går igenom
    får den målets namn. `FileExistsError` när `ny` och namnet redan finns."""
    fd, namn = tempfile.mkstemp(dir=mal.parent, prefix=f".{mal.name}.", suffix=".tmp")
    os.close(fd)
    tillfallig = Path(namn)
    try:
        yield tillfallig
        if not ny:
            os.replace(tillfallig, mal)
        else:
            try:
                os.link(tillfallig, mal, follow_symlinks=False)
            except FileExistsError:
                raise
            except OSError:
                # Filsystem utan hårda länkar: namnet prövas utan att följa länkar, och flyttas.
                if os.path.lexists(mal):
                    raise FileExistsError(17, "File exists", str(mal)) from None
                os.rename(tillfallig, mal)
    finally:
        tillfallig.unlink(missing_ok=True)


@contextlib.contextmanager
def ny_fil(
    mal: Path,
    *,
    ersatt: bool = False,
    binar: bool = False,
    newline: str | None = None,
    fsync: bool = False,
) -> Iterator[Any]:  # TextIO, eller BinaryIO med binar=True
    """En ström till målet genom `skriv_fil`: exklusivt (`FileExistsError` när något finns på
    namnet, också en länk), eller med `ersatt` i stället för det som står där; med `ersatt`
    skrivs ett rör eller en enhet (`ror_eller_enhet`) direkt."""

    def oppna(sokvag: Path) -> Any:
        return sokvag.open("wb") if binar else sokvag.open("w", encoding="utf-8", newline=newline)

    if ersatt and ror_eller_enhet(mal):
        with oppna(mal) as strom:
            yield strom
        return
    with skriv_fil(mal, ny=not ersatt) as tillfallig:
        # mkstemp skapar filen 0600; den nya filen får de rättigheter open() skulle ge den.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tillfallig, 0o666 & ~umask)
        with oppna(tillfallig) as strom:
            yield strom
            strom.flush()
            if fsync:
                os.fsync(strom.fileno())


def ror_eller_enhet(mal: Path) -> bool:
    """Målet är något att skriva i, inte en fil att byta ut: ett namngivet rör eller en
    teckenenhet, eller en sökväg under /dev eller /proc (`--ut /dev/stdout`, `/dev/fd/63` från
    skalets `>(…)`), vars länkar följs. En länk någon annanstans byts ut som en fil."""
    if mal.absolute().parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        lage = os.lstat(mal).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(lage) or stat.S_ISCHR(lage)


def kataloger(bas: Path, katalog: Path) -> None:
    """Skapar `katalog` och de kataloger som saknas mellan den och `bas`, utan att följa en
    symbolisk länk; `bas` själv skapas om den saknas (och får vara en länk)."""
    bas.mkdir(parents=True, exist_ok=True)
    steg = bas
    for del_ in katalog.relative_to(bas).parts:
        steg = steg / del_
        if steg.is_symlink():
            raise systemfel.Vagrat(
                errno.ELOOP, "en symbolisk länk; partner skriver inte genom länkar", str(steg)
            )
        with contextlib.suppress(FileExistsError):
            os.mkdir(steg)
