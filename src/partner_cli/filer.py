"""Filer som partner skapar: aldrig genom en symbolisk länk och aldrig halvskrivna.

Innehållet skrivs först till en tillfällig fil i målets katalog, som `tempfile` skapar
exklusivt (`O_CREAT | O_EXCL`, och `O_NOFOLLOW` där det finns), och filen får sitt namn först
när den är färdig:

- `ny=True`: med `os.link`, som misslyckas när namnet redan finns, också som en symbolisk länk
  (hängande eller inte). En befintlig fil skrivs aldrig över och ingen länk följs.
- `ny=False`: med `os.replace`, som byter ut det som står på namnet: en symbolisk länk där
  ersätts av filen, och det länken pekar på rörs inte.

Ett avbrott lämnar aldrig en halv fil under målets namn; den tillfälliga filen tas bort.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
