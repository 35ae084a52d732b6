"""Registret: avtal, en avtalsägare per organisation, utvärderingar och en händelselogg i SQLite.

Det enda paketet som talar med databasen (sqlite3 och sqlite-utils). Det skriver aldrig ut
något; fel blir `RegisterFel` med ett svenskt meddelande. Schemat beskrivs i register/README.md.

- `migreringar`: schemat som migreringar, den enda källan till schemaversionen och kolumnerna.
- `anslutning`: öppna för läsning (`las`) eller skrivning (`skriv`), transaktioner och fel.
- `rader`: förslaget som registrets rader, utan registreringens fält (byggs i granskningen).
- `skrivning`: registrera förslag, byta avtalsägare, registrera genomförda utvärderingar.
- `lopande`: `register add` som skriver medan granskningen pågår, i en transaktion.
- `lasning`: registerkommandonas läsningar, typade rader, och SQL-villkoren de delar.
- `ogonblicksbild`: ägare och avtalsperioder för granskningens korskontroll.
- `rapportlasning`: årsrapportens läsningar, typade rader i ett `Underlag`.
- `arsbelopp`: avtalens del av året, partnerskapen, indikatorerna och utvecklingsområdena.
- `uppfoljning`: planerade utvärderingar, avtal som slutar och undantag som går ut.
- `versioner`: registret som det stod en dag, ur händelseloggens versioner (`report --per`).
- `utbyte`: export och import, med uppgradering av exporter från äldre schemaversioner.
- `integritet`: kontrollen, invarianterna och säkerhetskopiorna.
"""

from partner_cli.register.anslutning import Register, RegisterFel, las, skriv

__all__ = ["Register", "RegisterFel", "las", "skriv"]
