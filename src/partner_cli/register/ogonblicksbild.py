"""Registrets ägare och avtalsperioder för granskningens korskontroll (regeln `avtalsägare`):
ur registret, eller ur arkivets inlämnade export när registret saknas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from partner_cli.modell import Period
from partner_cli.register.lasning import sista_dag


class Ogonblicksbild(NamedTuple):
    """Registrets ägare och avtalsperioder, läst en gång: en `Kontext` för regeln
    `avtalsägare` som kan picklas till granskningens arbetsprocesser."""

    agare_per_org: dict[str, tuple[str, str | None]]
    avtal_per_org: dict[str, tuple[tuple[str, Period], ...]]

    def agare(self, organisationsnummer: str) -> tuple[str, str | None] | None:
        return self.agare_per_org.get(organisationsnummer)

    def omgangens_fil(self, organisationsnummer: str) -> str | None:
        return None

    def registrerat(self, organisationsnummer: str, id_: str) -> bool:
        return any(i == id_ for i, _ in self.avtal_per_org.get(organisationsnummer, ()))

    def overlappande(
        self, organisationsnummer: str, start: dt.date, slut: dt.date, utom_id: str
    ) -> list[str]:
        return sorted(
            id_
            for id_, period in self.avtal_per_org.get(organisationsnummer, ())
            if id_ != utom_id and period.overlappar(start, slut)
        )


def ogonblicksbild(sokvag: Path) -> Ogonblicksbild | None:
    """Ägare och avtalsperioder för granskningens korskontroll; None när registret saknas."""
    if not sokvag.is_file():
        return None
    from partner_cli.register.anslutning import las

    reg = las(sokvag)
    try:
        with reg.ogonblick() as conn:
            return _bild(
                conn.execute(
                    "SELECT organisationsnummer, avtalsagare_namn, avtalsagare_enhet "
                    "FROM organisation"
                ),
                conn.execute(
                    f"SELECT id, organisationsnummer, period_start, {sista_dag('avtal')}, "
                    f"makulerat_beslut FROM avtal"
                ),
            )
    finally:
        reg.stang()


def ogonblicksbild_ur_export(kalla: Path) -> Ogonblicksbild:
    """Samma ögonblicksbild ur en inlämnad export (`register export`), läst och förd till
    aktuell schemaversion som importen gör, i minnet: granskningen av en pull request dömer
    mot de registrerade avtalen utan en databas."""
    from partner_cli.register import utbyte
    from partner_cli.register.anslutning import sqlfel
    from partner_cli.register.migreringar import SCHEMAVERSION

    export = utbyte.las_export(kalla)
    if export.version < SCHEMAVERSION:
        with sqlfel(kalla):
            export = utbyte.uppgradera(export, str(kalla))

    def kolumner(tabell: str, *namn: str) -> list[tuple[Any, ...]]:
        rubrik, rader = export.tabeller[tabell]
        index = [rubrik.index(n) for n in namn]
        return [tuple(rad[i] for i in index) for rad in rader]

    return _bild(
        kolumner("organisation", "organisationsnummer", "avtalsagare_namn", "avtalsagare_enhet"),
        [
            (id_, orgnr, start, avslutat or slut, makulerat)
            for id_, orgnr, start, slut, avslutat, makulerat in kolumner(
                "avtal",
                "id",
                "organisationsnummer",
                "period_start",
                "period_slut",
                "avslutat_datum",
                "makulerat_beslut",
            )
        ],
    )


def _bild(
    organisationer: Iterable[tuple[Any, ...]], avtal: Iterable[tuple[Any, ...]]
) -> Ogonblicksbild:
    """Avtalen (id, organisation, start, sista dag, makulerat) och ägarna: ett makulerat avtal
    räknas inte, och en organisation som bara har makulerade avtal har ingen ägare som ett
    nytt förslag prövas mot."""
    perioder: dict[str, list[tuple[str, Period]]] = {}
    for id_, orgnr, start, slut, makulerat in avtal:
        if makulerat is None:
            perioder.setdefault(orgnr, []).append(
                (id_, Period(dt.date.fromisoformat(start), dt.date.fromisoformat(slut)))
            )
    agare_ = {r[0]: (r[1], r[2]) for r in organisationer if r[0] in perioder}
    return Ogonblicksbild(agare_, {k: tuple(v) for k, v in perioder.items()})
