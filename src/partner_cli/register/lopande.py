"""`register add` medan granskningen pågår: varje följd av godkända förslag registreras när
granskningen har gett dem (`kontrollera`s `medan`), i en transaktion som bara checkas in när
varje fil är godkänd och inget vägrades. Huvudprocessens skrivningar löper då samtidigt med
arbetsprocessernas granskning av de följande filerna, i stället för efter den.

Registrets innehåll är detsamma som när förslagen registreras efter granskningen
(`skrivning.lagg_till`): samma rader i samma ordning, samma prövningar och samma fel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from partner_cli import modell
from partner_cli.register.anslutning import RegisterFel, skriv, ta_bort
from partner_cli.register.skrivning import Registrering, Tillagg

# Förslag per följd: så många läses ur registret med en fråga per tabell och skrivs med en
# sats per tabell. Den sista följden registreras efter granskningen.
FOLJD = 256


class Lopande:
    """Tar emot granskningens resultat (`ta_emot`) och registrerar dem en följd i taget."""

    def __init__(self, registrering: Registrering) -> None:
        self.registrering = registrering
        self.foljd: list[tuple[modell.Forslag, str, str, modell.Registerrader | None]] = []
        self.antal = 0
        # Det första som vägrades; det gäller bara om varje fil blir godkänd.
        self.vagrat: RegisterFel | None = None
        self.stoppad = False

    def ta_emot(self, r: modell.Filresultat) -> None:
        """En fils resultat, i filernas ordning. Efter en fil som inte är godkänd, eller ett
        förslag som inte får registreras, skrivs inget mer: inget kommer att registreras."""
        self.antal += 1
        if self.stoppad:
            return
        if r.utfall != "godkänd" or r.forslag is None or r.sha256 is None:
            self.stoppad = True
            return
        self.foljd.append((r.forslag, r.fil, r.sha256, r.registerrader))
        if len(self.foljd) >= FOLJD:
            self._registrera()

    def _registrera(self) -> None:
        foljd, self.foljd = self.foljd, []
        try:
            self.registrering.lagg_till(foljd)
        except RegisterFel as e:
            self.vagrat = e
            self.stoppad = True

    def avsluta(self, resultat: modell.Kontrollresultat) -> list[Tillagg]:
        """Registrerar den sista följden, när granskningen är klar och godkänd; `RegisterFel`
        för det första förslag som inte fick registreras (transaktionen rullas då tillbaka)."""
        # Körningens prövningar över filerna gör bara godkända resultat underkända eller
        # ogiltiga: en godkänd körning är de resultat som registrerades här.
        assert resultat.godkant and self.antal == len(resultat.filer)
        if not self.stoppad:
            self._registrera()
        if self.vagrat is not None:
            raise self.vagrat
        return self.registrering.resultat


@contextlib.contextmanager
def under_granskningen(
    sokvag: Path, sanktionerad_av: str, ersatt: bool
) -> Iterator[Lopande | None]:
    """Registret öppnat för skrivning och en transaktion för en löpande registrering, eller
    None när registret inte går att öppna (felet visas då när registret öppnas efter
    granskningen, som utan en löpande registrering). Ett register som inte fanns tas bort när
    körningen avbryts eller granskningen underkänns: då skrevs inget, som om registret hade
    öppnats efter granskningen. Ett förslag som registret vägrar lämnar det, som då."""
    ny = not sokvag.exists()
    if ny and sokvag.is_symlink():  # en länk som pekar på ingenting tas inte bort
        yield None
        return
    try:
        reg = skriv(sokvag, skapa=True)
    except RegisterFel:
        if ny:
            ta_bort(sokvag)
        yield None
        return
    avbruten = True
    try:
        with reg.transaktion() as db:
            yield Lopande(Registrering(db, sanktionerad_av, ersatt=ersatt))
        avbruten = False
    except RegisterFel:
        avbruten = False
        raise
    finally:
        reg.stang()
        if ny and avbruten:
            ta_bort(sokvag)
