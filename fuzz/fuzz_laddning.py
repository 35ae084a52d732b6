#!/usr/bin/env python3
"""atheris-sele för läsaren: godtyckliga bytes genom hela granskningen av en fil.

Varje indata går genom `laddning` (avkodning, YAML, nodträd) och vidare genom schema och
regler. Egenskapen är att inget undantag slipper ut och att resultatet är sunt; ett
undantag, en krasch eller en tidsgräns (-timeout) är ett fynd som blir ett fall i
tests/fientliga/. Körning: se fuzz/README.md. Samma kropp (`prova`) körs med hypothesis i
tests/test_egenskaper.py, så att den provas även där atheris saknas.
"""

from __future__ import annotations

import sys

from partner_cli import kontroll
from partner_cli.konfig import Konfig
from partner_cli.modell import UTFALL

KONFIG = Konfig()


def prova(data: bytes) -> None:
    resultat = kontroll.kontrollera_bytes("fuzz.yaml", data, KONFIG)
    assert resultat.utfall in UTFALL, resultat.utfall
    for f in resultat.fynd:
        assert f.meddelande.strip(), f
        assert f.rad >= 1 and f.kolumn >= 1, f
        assert f.niva in ("fel", "varning"), f


def main() -> None:
    import atheris

    # Täckning för all redan laddad Python-kod (partner_cli, PyYAML:s rena delar); libyaml
    # själv är C och instrumenteras inte.
    atheris.instrument_all()
    atheris.Setup(sys.argv, prova)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
