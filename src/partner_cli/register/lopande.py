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
from partner_cli.register.anslutning import Register, RegisterFel, skriv, ta_bort
from partner_cli.register.skrivning import Registrering, Tillagg

# Förslag per följd: så många läses ur registret med en fråga per tabell och skrivs med en
# sats per tabell. Den sista följden registreras efter granskningen.
FOLJD = 256


class Lopande:
    """Tar emot granskningens resultat (`ta_emot`) och registrerar dem en följd i taget.
    Registret öppnas vid den första följden, medan granskningen fortsätter (att skapa det
    och föra schemat till aktuell version kostar en del av en sekund)."""

    def __init__(self, sokvag: Path, sanktionerad_av: str, ersatt: bool) -> None:
        self.sokvag = sokvag
        self.sanktionerad_av = sanktionerad_av
        self.ersatt = ersatt
        self.ny = not sokvag.exists()
        # Ett register som inte går att öppna här öppnas efter granskningen, som utan en
        # löpande registrering, och säger då varför. En länk som pekar på ingenting öppnas
        # inte här: ett nytt register tas bort när inget fick skrivas.
        self.oppnas_efter = self.ny and sokvag.is_symlink()
        self.reg: Register | None = None
        self.transaktion = contextlib.ExitStack()
        self.registrering: Registrering | None = None
        self.foljd: list[tuple[modell.Forslag, str, str, modell.Registerrader | None]] = []
        self.antal = 0
        # Det första som vägrades; det gäller bara om varje fil blir godkänd.
        self.vagrat: RegisterFel | None = None
        self.stoppad = self.oppnas_efter

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

    def _oppna(self) -> Registrering | None:
        if self.registrering is None and not self.oppnas_efter:
            try:
                self.reg = skriv(self.sokvag, skapa=True)
            except RegisterFel:
                if self.ny:
                    ta_bort(self.sokvag)
                self.oppnas_efter = True
                return None
            db = self.transaktion.enter_context(self.reg.transaktion())
            self.registrering = Registrering(db, self.sanktionerad_av, ersatt=self.ersatt)
        return self.registrering

    def _registrera(self) -> None:
        foljd, self.foljd = self.foljd, []
        registrering = self._oppna()
        if registrering is None:
            self.stoppad = True
            return
        try:
            registrering.lagg_till(foljd)
        except RegisterFel as e:
            self.vagrat = e
            self.stoppad = True

    def avsluta(self, resultat: modell.Kontrollresultat) -> list[Tillagg] | None:
        """Registrerar den sista följden, när granskningen är klar och godkänd; `RegisterFel`
        för det första förslag som inte fick registreras (transaktionen rullas då tillbaka).
        None när registret inte gick att öppna: det öppnas då efter granskningen."""
        # Körningens prövningar över filerna gör bara godkända resultat underkända eller
        # ogiltiga: en godkänd körning är de resultat som registrerades här.
        assert resultat.godkant and self.antal == len(resultat.filer)
        if not self.stoppad:
            self._registrera()
        if self.vagrat is not None:
            raise self.vagrat
        return None if self.registrering is None else self.registrering.resultat


@contextlib.contextmanager
def under_granskningen(sokvag: Path, sanktionerad_av: str, ersatt: bool) -> Iterator[Lopande]:
    """En löpande registrering i registret `sokvag`, i en transaktion som checkas in när
    blocket slutar utan fel. Ett register som inte fanns tas bort när körningen avbryts eller
    granskningen underkänns: då skrevs inget, som om registret hade öppnats efter
    granskningen. Ett förslag som registret vägrar lämnar det, som då."""
    lopande = Lopande(sokvag, sanktionerad_av, ersatt)
    avbruten = True
    try:
        with lopande.transaktion:
            yield lopande
        avbruten = False
    except RegisterFel:
        avbruten = False
        raise
    finally:
        if lopande.reg is not None:
            lopande.reg.stang()
            if lopande.ny and avbruten:
                ta_bort(sokvag)
