"""Bevakningen som iCalendar (RFC 5545): en heldagshändelse per bevakning.

UID:t är bevakningens nyckel (slag, avtal och planens nummer), inte datumet: importeras filen
igen uppdateras händelsen i kalendern, även när datumet har flyttats. DTSTAMP är bevakningens
dag, så att samma register och dag ger samma fil.

Skriven för hand i stället för med ett bibliotek: det som behövs är textens escapning
(`\\`, `;`, `,`), radvikning efter 75 oktetter utan att dela ett UTF-8-tecken och
CRLF, och testerna läser filen med icalendar-biblioteket. Tiotusentals händelser: datumens
rader räknas en gång per dag, text som inget behöver göras med lämnas som den är, och raderna
viks som den UTF-8 de skrivs som.
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
    return _vikt(rad.encode("utf-8")).decode("utf-8")


def _vikt(data: bytes) -> bytes:
    """`vik` för raden som UTF-8: kalendern viker raderna som den kodade texten de blir."""
    n = len(data)
    if n <= 75:
        return data + b"\r\n"
    slut = 75
    while data[slut] & 0xC0 == 0x80:  # en fortsättningsbyte: backa till tecknets början
        slut -= 1
    if n - slut <= 74:  # det vanliga: en vikning
        return data[:slut] + b"\r\n " + data[slut:] + b"\r\n"
    delar, start, bredd = [], 0, 75
    while n - start > bredd:
        slut = start + bredd
        while data[slut] & 0xC0 == 0x80:
            slut -= 1
        delar.append(data[start:slut])
        start, bredd = slut, 74  # fortsättningsraderna börjar med ett mellanslag
    delar.append(data[start:])
    return b"\r\n ".join(delar) + b"\r\n"


def _dag(d: dt.date) -> str:
    return d.isoformat().replace("-", "")


# Händelser per skrivning: en text om omkring 400 kB i stället för en skrivning per händelse
# eller hela filen i en sträng (dubbla minnet).
_KLUMP = 1000


def render(b: Bevakningar, ut: TextIO) -> None:
    ut.write(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partner//bevakning//SV\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Partnerskap: bevakning\r\n"
    )
    # Händelserna byggs som UTF-8, eftersom raderna viks efter sina oktetter: varje rad kodas
    # en gång, och varje klump av händelser avkodas en gång när den skrivs. Det som är
    # detsamma för många händelser räknas och kodas en gång: stämpeln, datumens rader per
    # dag, sammanfattningens början och slutet per slag.
    stampel = f"DTSTAMP:{_dag(b.idag)}T000000Z\r\n"
    en_dag = dt.timedelta(days=1)
    dagar: dict[dt.date, bytes] = {}  # dagens DTSTAMP, DTSTART och DTEND
    borjan = {
        (slag, forsenad): f"SUMMARY:{'FÖRSENAD: ' if forsenad else ''}{slag.capitalize()}: "
        for slag in SLAG
        for forsenad in (False, True)
    }
    slut = {
        slag: f"CATEGORIES:{text(slag)}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n".encode()
        for slag in SLAG
    }
    klump: list[bytes] = []
    lagg = klump.append
    for p in b.poster:
        datum = dagar.get(p.datum)
        if datum is None:
            datum = dagar[p.datum] = (
                f"{stampel}DTSTART;VALUE=DATE:{_dag(p.datum)}\r\n"
                f"DTEND;VALUE=DATE:{_dag(p.datum + en_dag)}\r\n"
            ).encode()
        lagg(
            b"BEGIN:VEVENT\r\n"
            + _vikt(f"UID:{text(b.uid(p))}".encode())
            + datum
            + _vikt((borjan[p.slag, p.forsenad] + text(f"{p.avtal_id} {p.organisation}")).encode())
            + _vikt(f"DESCRIPTION:{text(p.text + '. Avtalsägare: ' + p.avtalsagare)}".encode())
            + slut[p.slag]
        )
        if len(klump) == _KLUMP:
            ut.write(b"".join(klump).decode())
            klump.clear()
    ut.write(b"".join(klump).decode())
    ut.write("END:VCALENDAR\r\n")
