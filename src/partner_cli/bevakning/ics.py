"""Bevakningen som iCalendar (RFC 5545): en heldagshändelse per bevakning.

UID:t är bevakningens nyckel (slag, avtal och planens nummer), inte datumet: importeras filen
igen uppdateras händelsen i kalendern, även när datumet har flyttats. DTSTAMP är bevakningens
dag, så att samma register och dag ger samma fil.

Skriven för hand i stället för med ett bibliotek: det som behövs är textens escapning
(`\\`, `;`, `,`), radvikning efter 75 oktetter utan att dela ett UTF-8-tecken och
CRLF, och testerna läser filen med icalendar-biblioteket.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from partner_cli.bevakning import Bevakningar
from partner_cli.saker import synlig


def text(varde: str) -> str:
    """TEXT-värde enligt RFC 5545 3.3.11; styrtecken ur filer först synliga (`saker.synlig`),
    eftersom TEXT inte får innehålla dem."""
    return synlig(varde).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def vik(rad: str) -> str:
    """En innehållsrad vikt efter högst 75 oktetter (RFC 5545 3.1), med CRLF."""
    delar, aktuell, langd = [], "", 0
    for tecken in rad:
        n = len(tecken.encode("utf-8"))
        if langd + n > 75:
            delar.append(aktuell)
            aktuell, langd = " ", 1
        aktuell += tecken
        langd += n
    delar.append(aktuell)
    return "\r\n".join(delar) + "\r\n"


def _dag(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def render(b: Bevakningar, ut: TextIO) -> None:
    rader = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//partner//bevakning//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Partnerskap: bevakning",
    ]
    for p in b.poster:
        status = "FÖRSENAD: " if p.forsenad else ""
        rader += [
            "BEGIN:VEVENT",
            f"UID:{text(b.uid(p))}",
            f"DTSTAMP:{_dag(b.idag)}T000000Z",
            f"DTSTART;VALUE=DATE:{_dag(p.datum)}",
            f"DTEND;VALUE=DATE:{_dag(p.datum + dt.timedelta(days=1))}",
            f"SUMMARY:{text(f'{status}{p.slag.capitalize()}: {p.avtal_id} {p.organisation}')}",
            f"DESCRIPTION:{text(p.text + '. Avtalsägare: ' + p.avtalsagare)}",
            f"CATEGORIES:{text(p.slag)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    rader.append("END:VCALENDAR")
    ut.write("".join(vik(r) for r in rader))
