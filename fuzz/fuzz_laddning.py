#!/usr/bin/env python3
"""atheris-sele för läsaren och utdatan: godtyckliga bytes genom hela granskningen av en
fil och vidare genom varje rapportformat.

Varje indata går genom `laddning` (avkodning, YAML, nodträd) och vidare genom schema och
regler; resultatet skrivs sedan i varje format för `partner check` (och stegsammanfattningen),
med ett filnamn ur samma bytes (som inte behöver vara UTF-8). Egenskapen är att inget undantag
slipper ut, att resultatet är sunt och att varje format förblir giltigt (JSON, XML), utan ett
enda rått styrtecken och utan en rad som partner inte själv började. Ett undantag, en krasch
eller en tidsgräns (-timeout) är ett fynd som blir ett fall i tests/fientliga/. Körning: se
fuzz/README.md. Samma kropp (`prova`) körs med hypothesis i tests/test_egenskaper.py, så att
den provas även där atheris saknas.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

from partner_cli import kontroll
from partner_cli.konfig import Konfig
from partner_cli.modell import UTFALL, Kontrollresultat
from partner_cli.saker import filnamn, ren
from partner_cli.utdata import FORMAT
from partner_cli.utdata.github import stegsammanfattning

KONFIG = Konfig()
_SAMMANFATTNING = re.compile(r"^\d+ (filer granskade|fil granskad): ")
_KOMMANDON = ("::error file=", "::warning file=", "::notice file=")


def _namn(data: bytes) -> str:
    """Ett filnamn ur indatans första byte, som os.fsdecode ger det (surrogat för det som inte
    är UTF-8), utan snedstreck och NUL (som inget filnamn kan ha)."""
    return os.fsdecode(data[:24].replace(b"/", b"_").replace(b"\0", b"_")) + ".yaml"


def _rader(text: str) -> list[str]:
    assert text.endswith("\n"), text[-50:]
    rader = text[:-1].split("\n")
    for rad in rader:
        assert ren(rad), rad  # inget rått styrtecken, ingen radbrytning utom \n
    return rader


def prova_utdata(resultat: Kontrollresultat) -> None:
    """Varje format för resultatet: giltigt, rent och med bara partners egna radbörjan."""
    fil = filnamn(resultat.filer[0].fil)
    for format_ in FORMAT:
        ut = io.StringIO()
        FORMAT.renderare(format_)(resultat, ut)
        text = ut.getvalue()
        text.encode("utf-8")  # giltig UTF-8, också för ett filnamn som inte är det
        rader = _rader(text)
        if format_ in ("json", "sarif", "gitlab"):
            json.loads(text)
            assert all(r[:1] in "{}[] " for r in rader), format_
        elif format_ == "junit":
            ET.fromstring(text)
            i_xml = fil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert all(r[:1] in "< " or r.startswith(i_xml) for r in rader), format_
        else:
            for rad in rader:
                egen = rad.startswith((fil, *_KOMMANDON)) or _SAMMANFATTNING.match(rad)
                assert egen, (format_, rad)
    for rad in _rader(stegsammanfattning(resultat)):
        assert rad[:1] in ("|", "#", "") or _SAMMANFATTNING.match(rad) or rad == "Inga fynd.", rad


def prova(data: bytes) -> None:
    resultat = kontroll.kontrollera_bytes("fuzz.yaml", data, KONFIG)
    assert resultat.utfall in UTFALL, resultat.utfall
    for f in resultat.fynd:
        assert f.meddelande.strip(), f
        assert f.rad >= 1 and f.kolumn >= 1, f
        assert f.niva in ("fel", "varning", "undantag"), f
    prova_utdata(Kontrollresultat((resultat._replace(fil=_namn(data)),)))


def main() -> None:
    import atheris

    # Täckning för all redan laddad Python-kod (partner_cli, PyYAML:s rena delar); libyaml
    # själv är C och instrumenteras inte.
    atheris.instrument_all()
    atheris.Setup(sys.argv, prova)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
