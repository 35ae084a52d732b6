"""Bevakningen som JSON (version 1): varje bevakning med datum, slag, avtal och ägare, en
bevakning per rad."""

from __future__ import annotations

from typing import TextIO

from partner_cli.bevakning import Bevakningar
from partner_cli.jsontext import med_lista
from partner_cli.saker import json_dokument

VERSION = 1


def render(b: Bevakningar, ut: TextIO) -> None:
    huvud = {"version": VERSION, "per": b.idag.isoformat(), "dagar": b.dagar}
    poster = (
        {
            "datum": p.datum.isoformat(),
            "slag": p.slag,
            "försenad": p.forsenad,
            "avtal": p.avtal_id,
            "organisation": p.organisation,
            "avtalsägare": p.avtalsagare,
            "enhet": p.enhet,
            "text": p.text,
            "uid": b.uid(p),
        }
        for p in b.poster
    )
    ut.write(json_dokument(med_lista({**huvud, "försenade": b.forsenade}, "bevakningar", poster)))
