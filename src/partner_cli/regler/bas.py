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


class Exempel(NamedTuple):
    """En inställning eller en tolkning av strategins text, med ett godkänt och ett underkänt
    exempel som `partner regler ID` visar och testerna prövar: ändringar i mallen
    (mallar/forslag.yaml) och partner.toml för dem."""

    namn: str  # inställningen i partner.toml, eller tolkningen
    text: str  # vad den gör
    godkant: str  # YAML: regeln ger inget fynd
    underkant: str  # YAML: regeln ger ett fynd på nivån `niva`
    toml: str = ""  # partner.toml för båda exemplen (tom: standardvärdena)
    toml_underkant: str | None = None  # partner.toml för det underkända, när den skiljer sig
    niva: Niva | None = None  # fyndets nivå i det underkända; None: regelns nivå


def finansiering(kommunen: str, *motparter: str) -> str:
    """Ett exempels finansiering: kommunens kontanta bidrag och motparterna (`motpart`), som
    YAML i förslagsformatet."""
    text = f"finansiering:\n  kommunen: {{kontant: {kommunen}}}\n"
    return text + "  motparter:\n" + "".join(motparter) if motparter else text


def motpart(
    kontant: str,
    *,
    namn: str = "Örebro Logistikpartner AB",
    kategori: str = "näringsliv",
    organisationsnummer: str | None = None,
    in_kind: str | None = None,
    underlag: str = "Avsiktsförklaring undertecknad 2014-05-12",
) -> str:
    """En garanterad medfinansiär i `finansiering`, som standard exemplens företag;
    `in_kind` är en insats som YAML-flöde utan klamrar."""
    rader = [f"namn: {namn}"]
    if organisationsnummer:
        rader.append(f"organisationsnummer: {organisationsnummer}")
    rader += [f"kategori: {kategori}", f"kontant: {kontant}"]
    if in_kind:
        rader += ["in_kind:", f"  - {{{in_kind}}}"]
    rader += ["garanterad: ja", f"underlag: {underlag}"]
    return "    - " + "\n      ".join(rader) + "\n"


def regionen(kontant: str, kategori: str = "offentlig") -> str:
    """Exemplens region som medfinansiär (gruppsiffran 2)."""
    return motpart(
        kontant,
        namn="Region Örebro län",
        kategori=kategori,
        organisationsnummer="232100-0164",
        underlag="Regionens beslut 2014-05-20",
    )
