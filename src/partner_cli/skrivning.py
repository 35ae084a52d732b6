"""Filer som partner skapar: aldrig genom en symbolisk länk, aldrig halvskrivna.

- `ny_fil(sokvag)`: skapar filen exklusivt (`O_CREAT | O_EXCL | O_NOFOLLOW`). Finns något på
  sökvägen, också en symbolisk länk (även en som pekar på ingenting), blir det
  `FileExistsError` och inget skrivs. Ett fel under skrivningen tar bort den påbörjade filen.
- `ny_fil(sokvag, ersatt=True)`: skriver till en ny tillfällig fil i samma katalog och byter
  sedan namn på den till sökvägen (`os.replace`, atomiskt). En länk på sökvägen byts ut mot
  filen; den följs aldrig, så en fil någon annanstans skrivs aldrig över. Läsare ser den
  gamla filen eller den nya, aldrig en halv.
- `kataloger(bas, katalog)`: skapar katalogerna från `bas` ned till `katalog`; en symbolisk
  länk bland dem är ett fel (`ELOOP`), så att inget skrivs utanför `bas`.

`fsync=True` skriver filen (och katalogen efter namnbytet) till disken innan `ny_fil` är
klar, för filer som ska överleva ett strömavbrott (säkerhetskopior).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_FLAGGOR = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


@contextlib.contextmanager
def ny_fil(
    sokvag: Path,
    *,
    ersatt: bool = False,
    binar: bool = False,
    newline: str | None = None,
    fsync: bool = False,
) -> Iterator[Any]:  # TextIO, eller BinaryIO med binar=True
    """En ström till en ny fil (text i UTF-8, eller byte); se modulens beskrivning."""
    mal = sokvag.with_name(f".{sokvag.name}.{secrets.token_hex(6)}.tmp") if ersatt else sokvag
    fd = os.open(mal, _FLAGGOR, 0o666)  # umask gäller som för open()
    try:
        strom = (
            os.fdopen(fd, "wb") if binar else os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        )
    except BaseException:
        os.close(fd)
        os.unlink(mal)
        raise
    try:
        with strom:
            yield strom
            strom.flush()
            if fsync:
                os.fsync(strom.fileno())
        if ersatt:
            os.replace(mal, sokvag)
            if fsync:
                _fsync_katalog(sokvag.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(mal)
        raise


def _fsync_katalog(katalog: Path) -> None:
    fd = os.open(katalog, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def kataloger(bas: Path, katalog: Path) -> None:
    """Skapar `katalog` och de kataloger som saknas mellan den och `bas`, utan att följa en
    symbolisk länk; `bas` själv skapas om den saknas (och får vara en länk)."""
    bas.mkdir(parents=True, exist_ok=True)
    steg = bas
    for del_ in katalog.relative_to(bas).parts:
        steg = steg / del_
        if steg.is_symlink():
            raise OSError(
                errno.ELOOP, "en symbolisk länk; partner skriver inte genom länkar", str(steg)
            )
        with contextlib.suppress(FileExistsError):
            os.mkdir(steg)
