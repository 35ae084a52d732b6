"""Bevakningen: vad avtalsägarna behöver göra, från registret. Skriver aldrig ut något.

Fyra slag, vart och ett med sitt datum:

- `utvärdering`: en planerad utvärdering som inte är gjord (den k:te planerade av en typ är
  gjord när minst k av typen är registrerade, som i årsrapporten) och som infaller inom
  `dagar` dagar, eller redan har passerat (försenad).
- `slut`: ett avtal som slutar inom `dagar` dagar, eller har slutat, utan slututvärdering:
  varken planerad eller registrerad (en planerad bevakas som `utvärdering`).
- `undantag`: ett beslutat undantag som går ut inom `dagar` dagar, eller har gått ut, medan
  avtalet löper: beslutet behöver förnyas eller avtalet följa regeln.
- `ekonomi`: ett avtal som slutar inom `dagar` dagar, där motpartens årsredovisning är för
  gammal för en förnyelse (regeln ekonomi: högst `max_ålder_år` år före startåret).

Allt grupperas per avtalsägare. En bevakning är försenad när datumet har passerat; ekonomi är
aldrig försenad (den säger vad en förnyelse kräver).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from partner_cli.register import Register
    from partner_cli.register.uppfoljning import Bevakat, UtgaendeUndantag

Slag = Literal["utvärdering", "slut", "undantag", "ekonomi"]
SLAG: tuple[Slag, ...] = ("utvärdering", "slut", "undantag", "ekonomi")


class Bevakning(NamedTuple):
    datum: dt.date
    slag: Slag
    avtal_id: str
    organisation: str
    avtalsagare: str
    enhet: str | None
    text: str
    forsenad: bool
    # Stabil inom registret: samma bevakning får samma nyckel nästa vecka. Bara ASCII: slaget
    # utan å, ä, ö och avtalets id ([A-Za-z0-9._-]).
    nyckel: str


class Bevakningar(NamedTuple):
    idag: dt.date
    dagar: int
    poster: tuple[Bevakning, ...]
    # Gör nycklarna globalt unika (kalenderns UID): kommunens organisationsnummer ur [kommun].
    doman: str

    def uid(self, b: Bevakning) -> str:
        return f"{b.nyckel}@{self.doman}"

    @property
    def forsenade(self) -> int:
        return sum(1 for b in self.poster if b.forsenad)

    def per_agare(self) -> Iterator[tuple[tuple[str, str | None], list[Bevakning]]]:
        """(avtalsägare, enhet) och deras bevakningar, ägarna i bokstavsordning."""
        grupper: dict[tuple[str, str | None], list[Bevakning]] = {}
        for b in self.poster:
            grupper.setdefault((b.avtalsagare, b.enhet), []).append(b)
        for agare in sorted(grupper, key=lambda a: (a[0], a[1] or "")):
            yield agare, grupper[agare]


def bevaka(
    reg: Register, idag: dt.date, dagar: int, max_alder_ar: int, kommunens_nummer: str | None
) -> Bevakningar:
    """Bevakningarna per `idag` med `dagar` dagars framförhållning."""
    from partner_cli.register import lasning, uppfoljning
    from partner_cli.register.anslutning import Bredvid

    till = idag + dt.timedelta(days=dagar)

    def avtalen(r: Register) -> tuple[tuple[Bevakat, ...], tuple[UtgaendeUndantag, ...]]:
        return uppfoljning.bevakade_avtal(r, idag, till), uppfoljning.utgaende_undantag(
            r, idag, till
        )

    # Avtalen och undantagen räknas bredvid de planerade utvärderingarna, som ger många rader.
    with reg.ogonblick(), Bredvid(reg, avtalen) as bredvid:
        organisationer = lasning.organisationerna(reg)
        planerade = uppfoljning.planerade_rader(
            reg,
            dt.date(1, 1, 1),
            till,
            idag,
            bara_ej_utforda=True,
            med_organisationens_namn=False,
        )
        avtal, undantag = bredvid.resultat()
    # Tiotusentals rader: registrets rader direkt till bevakningar, datumen jämförda som text
    # och tolkade en gång per dag, textens början en gång per typ. Varje bevakning får sin
    # sorteringsnyckel när den görs (`ordnad`), så att sorteringen jämför tupler utan ett
    # anrop per bevakning; nyckeln är unik, så bevakningarna själva jämförs aldrig.
    dag = idag.isoformat()
    datumen: dict[str, dt.date] = {}
    borjan: dict[tuple[str, bool], str] = {}
    ordnade: list[tuple[dt.date, str, int, str, Bevakning]] = []
    ordnad = ordnade.append
    # Bevakningen som tupel direkt: NamedTuples konstruktor är en Python-funktion, ett anrop
    # per bevakning.
    ny = tuple.__new__
    for avtal_id, _, organisationsnummer, datum, typ, _, nr in planerade:
        organisation, namn, enhet = organisationer[organisationsnummer]
        forsenad = datum < dag
        datumet = datumen.get(datum)
        if datumet is None:
            datumet = datumen[datum] = dt.date.fromisoformat(datum)
        text = borjan.get((typ, forsenad))
        if text is None:
            text = borjan[typ, forsenad] = (
                f"{typ.capitalize()} {'skulle ha gjorts' if forsenad else 'planerad'} "
            )
        nyckel = f"utvardering-{avtal_id}-{nr}"
        ordnad(
            (
                datumet,
                avtal_id,
                0,
                nyckel,
                ny(
                    Bevakning,
                    (
                        datumet,
                        "utvärdering",
                        avtal_id,
                        organisation,
                        namn,
                        enhet,
                        text + datum,
                        forsenad,
                        nyckel,
                    ),
                ),
            )
        )
    poster: list[Bevakning] = []  # de andra slagen, några tusen
    for b in avtal:
        if not (b.slututvardering_planerad or b.slututvardering_gjord):
            forsenad = b.period_slut < idag
            poster.append(
                Bevakning(
                    b.period_slut,
                    "slut",
                    b.id,
                    b.organisation,
                    b.avtalsagare_namn,
                    b.avtalsagare_enhet,
                    f"Avtalet {'slutade' if forsenad else 'slutar'} {b.period_slut} utan "
                    "slututvärdering: ingen är planerad eller registrerad",
                    forsenad,
                    f"slut-{b.id}",
                )
            )
        fornyelse = b.period_slut + dt.timedelta(days=1)
        minst = fornyelse.year - max_alder_ar
        if b.period_slut >= idag and b.rakenskapsar is not None and b.rakenskapsar < minst:
            poster.append(
                Bevakning(
                    b.period_slut,
                    "ekonomi",
                    b.id,
                    b.organisation,
                    b.avtalsagare_namn,
                    b.avtalsagare_enhet,
                    f"Årsredovisningen {b.rakenskapsar} är för gammal för en förnyelse från "
                    f"{fornyelse}: begär årsredovisningen för {minst} eller senare",
                    False,
                    f"ekonomi-{b.id}",
                )
            )
    for u in undantag:
        forsenad = u.giltigt_till < idag
        poster.append(
            Bevakning(
                u.giltigt_till,
                "undantag",
                u.avtal_id,
                u.organisation,
                u.avtalsagare_namn,
                u.avtalsagare_enhet,
                f"Undantaget från {u.regel} ({u.beslut}) "
                f"{'gick ut' if forsenad else 'går ut'} {u.giltigt_till}; avtalet löper till "
                f"{u.period_slut}",
                forsenad,
                f"undantag-{u.avtal_id}-{u.nr}",
            )
        )
    ordnade += ((b.datum, b.avtal_id, SLAG.index(b.slag), b.nyckel, b) for b in poster)
    ordnade.sort()
    doman = "partner" + (f".se-on-{kommunens_nummer.replace('-', '')}" if kommunens_nummer else "")
    return Bevakningar(idag, dagar, tuple(o[-1] for o in ordnade), doman)
