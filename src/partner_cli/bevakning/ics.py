"""Bevakningen som iCalendar (RFC 5545): en heldagshändelse per bevakning.

UID:t är bevakningens nyckel (slag, avtal och planens nummer), inte datumet: importeras filen
igen uppdateras händelsen i kalendern, även när datumet har flyttats. DTSTAMP är bevakningens
dag, så att samma register och dag ger samma fil.

Skriven för hand i stället för med ett bibliotek: det som behövs är textens escapning
(`\\`, `;`, `,`), radvikning efter 75 oktetter utan att dela ett UTF-8-tecken och
CRLF, och testerna läser filen med icalendar-biblioteket. Tiotusentals händelser: datumens
rader räknas en gång per dag, och text som inget behöver göras med lämnas som den är.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from partner_cli.bevakning import SLAG, Bevakningar
from partner_cli.saker import synlig


def text(varde: str) -> str:
    """TEXT-värde enligt RFC 5545 3.3.11; styrtecken ur filer först synliga (`saker.synlig`),
    eftersom TEXT inte får innehålla dem."""
    # Utskrivbar text (`isprintable`) har inget av det `synlig` visar: den och text utan
    # tecknen att escapa lämnas som den är.
    if varde.isprintable() and "," not in varde and ";" not in varde and "\\" not in varde:
        return varde
    return synlig(varde).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def vik(rad: str) -> str:
    """En innehållsrad vikt efter högst 75 oktetter (RFC 5545 3.1), med CRLF; en vikning
    hamnar aldrig mitt i ett UTF-8-tecken."""
    if len(rad) <= 75 and rad.isascii():
        return rad + "\r\n"
    data = rad.encode("utf-8")
    if len(data) <= 75:
        return rad + "\r\n"
    delar, start, bredd = [], 0, 75
    while len(data) - start > bredd:
        slut = start + bredd
        while data[slut] & 0xC0 == 0x80:  # en fortsättningsbyte: backa till tecknets början
            slut -= 1
        delar.append(data[start:slut])
        start, bredd = slut, 74  # fortsättningsraderna börjar med ett mellanslag
    delar.append(data[start:])
    return b"\r\n ".join(delar).decode("utf-8") + "\r\n"


def _dag(d: dt.date) -> str:
    return d.isoformat().replace("-", "")


def render(b: Bevakningar, ut: TextIO) -> None:
    ut.write(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partner//bevakning//SV\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Partnerskap: bevakning\r\n"
    )
    # Det som är detsamma för många händelser räknas en gång: stämpeln, datumens rader per
    # dag, sammanfattningens början och slutet per slag; en skrivning per händelse (hela filen
    # i en sträng vore dubbla minnet).
    stampel = f"DTSTAMP:{_dag(b.idag)}T000000Z\r\n"
    en_dag = dt.timedelta(days=1)
    dagar: dict[dt.date, str] = {}  # dagens DTSTAMP, DTSTART och DTEND
    borjan = {
        (slag, forsenad): f"SUMMARY:{'FÖRSENAD: ' if forsenad else ''}{slag.capitalize()}: "
        for slag in SLAG
        for forsenad in (False, True)
    }
    slut = {
        slag: f"CATEGORIES:{text(slag)}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n" for slag in SLAG
    }
    skriv = ut.write
    for p in b.poster:
        datum = dagar.get(p.datum)
        if datum is None:
            datum = dagar[p.datum] = (
                f"{stampel}DTSTART;VALUE=DATE:{_dag(p.datum)}\r\n"
                f"DTEND;VALUE=DATE:{_dag(p.datum + en_dag)}\r\n"
            )
        skriv(
            "BEGIN:VEVENT\r\n"
            + vik(f"UID:{text(b.uid(p))}")
            + datum
            + vik(borjan[p.slag, p.forsenad] + text(f"{p.avtal_id} {p.organisation}"))
            + vik(f"DESCRIPTION:{text(p.text + '. Avtalsägare: ' + p.avtalsagare)}")
            + slut[p.slag]
        )
    skriv("END:VCALENDAR\r\n")
