"""Skyddet av personuppgifter i det som publiceras: html-rapporten och `partner publicera`.

En enskild firma har ägarens personnummer som organisationsnummer (`varden.ar_personnummer`);
det publiceras aldrig. Firmans namn är ofta ägarens namn och döljs när partner.toml säger det
(`[publicera] dölj_enskild_firmas_namn`).
"""

from __future__ import annotations

from partner_cli.varden import ar_personnummer

DOLT_NUMMER = "enskild firma (personnummer visas inte)"
DOLT_NAMN = "Enskild firma"


def nummer(organisationsnummer: str) -> str | None:
    """Numret som får publiceras, eller None för en enskild firma."""
    return None if ar_personnummer(organisationsnummer) else organisationsnummer


def visat_nummer(organisationsnummer: str) -> str:
    return nummer(organisationsnummer) or DOLT_NUMMER


def namn(organisation: str, organisationsnummer: str, dolj_enskild_firmas_namn: bool) -> str:
    if dolj_enskild_firmas_namn and ar_personnummer(organisationsnummer):
        return DOLT_NAMN
    return organisation
