"""Det som alla regler delar: problemet de ger och vad de får veta om registret."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Protocol

from partner_cli.modell import Niva


class Problem(NamedTuple):
    sokvag: str  # där felet sitter, med YAML-nycklarna: "finansiering.motparter[0].underlag"
    meddelande: str
    niva: Niva | None = None  # None: regelns inställda nivå


class Kontext(Protocol):
    """Registret, när det finns: vem som äger en organisation och vilka avtal den har."""

    def agare(self, organisationsnummer: str) -> tuple[str, str | None] | None: ...

    def omgangens_fil(self, organisationsnummer: str) -> str | None:
        """Filen i samma körning som gav organisationen avtalsägaren som `agare` ger; None
        när ägaren står i registret."""
        ...

    def registrerat(self, organisationsnummer: str, id_: str) -> bool:
        """Om avtalet `id_` redan står i registret med organisationen."""
        ...

    def overlappande(
        self, organisationsnummer: str, start: dt.date, slut: dt.date, utom_id: str
    ) -> list[str]: ...
