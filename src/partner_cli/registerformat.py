"""Registrets kommandon i text, json, csv och xlsx: vyerna kommandona bygger och deras
renderare.

En vy bär både det människor ser (`celler`, i terminalen som en tabell) och det program får
(`data`, registrets värden med belopp i kronor som `Decimal` och datum som datum, se
`maskinvarde`). Kommandot hämtar vyn ur registret; renderaren skriver den till en ström och
vet inget om registret.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Any, TextIO

from partner_cli.formatregister import Format, Formatregister

if TYPE_CHECKING:
    from partner_cli.register.lasning import Avtal, GenomfordUtvardering


@dataclass(frozen=True, slots=True)
class Tabell:
    """Raderna i `register list`, `ägare` och `historik`."""

    titel: str
    kolumner: Sequence[str]
    celler: Sequence[Sequence[str]]
    rader: Sequence[Any]  # registrets typade rader (NamedTuple), för program
    markerade: Collection[int] = ()
    fot: str | None = None
    fri: Sequence[bool] | None = None  # fritext, som får radbrytas i en terminal; standard: alla

    @property
    def data(self) -> list[dict[str, Any]]:
        """Raderna för json, csv och xlsx; räknas först när ett sådant format skrivs."""
        return [maskinvarde(r) for r in self.rader]


@dataclass(frozen=True, slots=True)
class Avtalsvy:
    """Ett avtal i `register show`; gränsen gör att visade andelar aldrig motsäger regeln."""

    avtal: Avtal
    grans: Fraction

    @property
    def data(self) -> dict[str, Any]:
        """Avtalet för program, med `andel` (garanterad / total) som exakt decimaltal avkortat
        till fyra decimaler mot gränsen, som i granskningens json; räknad ur öre här, inte
        ur registrets härledda kolumn, som är ett flyttal för sortering."""
        from partner_cli.varden import andel_decimal

        a = self.avtal
        andel = andel_decimal(Fraction(a.garanterad, a.total), self.grans, 4) if a.total else None
        data: dict[str, Any] = {}
        for k, v in maskinvarde(a).items():
            data[k] = v
            if k == "total":
                data["andel"] = andel
        return data


def maskinvarde(v: Any) -> Any:
    """Registrets typade rader för program: en rad blir en ordbok med kolumnernas namn, belopp
    (öre i registret) kronor som exakt `Decimal` och datum `datetime.date`."""
    from partner_cli.register.lasning import BELOPP, DATUM
    from partner_cli.varden import decimal_kronor

    def om(v: Any) -> Any:
        if hasattr(v, "_asdict"):
            belopp, datum = BELOPP.get(type(v), frozenset()), DATUM.get(type(v), frozenset())
            ut = {}
            for k, x in v._asdict().items():
                if x is not None and k in belopp:
                    x = Decimal(decimal_kronor(x))
                elif x is not None and k in datum:
                    x = dt.date.fromisoformat(x)
                ut[k] = om(x)
            return ut
        if isinstance(v, tuple):
            return [om(x) for x in v]
        return v

    return om(v)


def _json_varde(v: Any) -> str:
    if isinstance(v, (Decimal, dt.date)):
        return str(v)  # kronor som "400000.00", datum som ÅÅÅÅ-MM-DD
    raise TypeError(type(v).__name__)


def text(tabell: Tabell, ut: TextIO) -> None:
    from partner_cli import terminal

    terminal.tabell(
        ut,
        tabell.titel,
        tabell.kolumner,
        tabell.celler,
        markerade=tabell.markerade,
        fri=tabell.fri,
    )
    if tabell.fot:
        ut.write(tabell.fot + "\n")


def json_(vy: Tabell | Avtalsvy, ut: TextIO) -> None:
    from partner_cli.saker import json_dokument

    dokument = json.dumps(vy.data, ensure_ascii=False, indent=2, default=_json_varde)
    ut.write(json_dokument(dokument) + "\n")


def _blad(tabell: Tabell) -> tuple[list[str], list[list[Any]]]:
    data = tabell.data
    return (list(data[0]) if data else []), [list(r.values()) for r in data]


def csv_(tabell: Tabell, ut: TextIO, stil: Any = None) -> None:
    """En rad per post med registrets kolumnnamn; inget alls när det inte finns några."""
    from partner_cli import kalkyl

    if tabell.rader:
        kalkyl.skriv_csv(ut, *_blad(tabell), stil or kalkyl.CSV_STILAR["standard"])


def xlsx(tabell: Tabell, ut: IO[bytes]) -> None:
    """Ett blad med tabellens titel, registrets kolumnnamn och typade celler."""
    from partner_cli import kalkyl

    kalkyl.skriv_xlsx(ut, [kalkyl.Blad(tabell.titel[:31], *_blad(tabell))])


# --- Cellerna: registrets värden som människor läser dem ------------------------------------


def kr(ore: int | None) -> str:
    from partner_cli.varden import kronor

    return "–" if ore is None else kronor(ore)


def andel(garanterad: int, total: int, grans: Fraction) -> str:
    from partner_cli.varden import procent

    return procent(Fraction(garanterad, total), grans)


def text_(v: Any) -> str:
    return "–" if v is None else str(v)


def livscykel(avslutat_datum: str | None, makulerat_beslut: str | None) -> str:
    """Avtalets tillstånd efter registreringen i en tabell: makulerat, avslutat i förtid
    (dagen), annars tomt."""
    if makulerat_beslut is not None:
        return "makulerat"
    return f"avslutat {avslutat_datum}" if avslutat_datum is not None else ""


def uppfyllelse(varde: str | None) -> str:
    from partner_cli.varden import procent

    return "–" if varde is None else procent(Fraction(varde), Fraction(1))


def rita(
    ut: TextIO, titel: str, kolumner: list[str], fri: list[bool], rader: list[list[str]]
) -> None:
    """En tabell i `register show` och `utvärdera`; `fri` säger vilka kolumner som är fritext."""
    from partner_cli import terminal

    terminal.tabell(ut, titel, kolumner, rader, fri=fri)


def visa_avtal(vy: Avtalsvy, ut: TextIO) -> None:
    """`register show` i text: avtalets fält, sedan en tabell per del."""
    a = vy.avtal
    rader = [
        ("Titel", a.titel),
        ("Typ", a.typ),
        ("Organisation", f"{a.namn} ({a.organisationsnummer}, {a.kategori})"),
        ("Avtalsägare", f"{a.avtalsagare_namn} ({text_(a.avtalsagare_enhet)})"),
        ("Period", f"{a.period_start}–{a.period_slut}"),
        *(
            [
                (
                    "Avslutat",
                    f"{a.avslutat_datum} enligt beslut {a.avslutat_beslut}: {a.avslutat_orsak}",
                )
            ]
            if a.avslutat_datum
            else []
        ),
        *(
            [("Makulerat", f"enligt beslut {a.makulerat_beslut}; räknas inte i rapporterna")]
            if a.makulerat_beslut
            else []
        ),
        ("Initiativ", a.initiativ),
        ("Diarienummer", text_(a.diarienummer)),
        ("Kommunen", f"{kr(a.kommunen_kontant)} kontant, {kr(a.kommunen_in_kind)} in kind"),
        (
            "Medfinansiering",
            f"{kr(a.medfinansiering)}, varav garanterad {kr(a.garanterad)}",
        ),
        (
            "Andel garanterad",
            f"{andel(a.garanterad, a.total, vy.grans)} av {kr(a.total)}",
        ),
        ("Näringslivet", kr(a.naringsliv)),
        ("Fil", f"{a.fil} (sha256 {a.sha256[:12]}…)"),
        ("Registrerad", f"{a.registrerad} av {a.registrerad_av}"),
        ("Sanktionerad av", a.sanktionerad_av),
    ]
    from partner_cli.saker import synlig

    ut.write(f"{synlig(a.id)}\n")
    for namn, varde in rader:
        ut.write(f"  {namn + ':':<18}{synlig(varde)}\n")
    rita(
        ut,
        "Finansiärer",
        ["Nr", "Namn", "Kategori", "Kontant", "In kind", "Garanterad"],
        [False, True, False, False, False, False],
        [
            [
                str(f.nr),
                f.namn,
                f.kategori,
                kr(f.kontant),
                kr(f.in_kind),
                "ja" if f.garanterad else "nej",
            ]
            for f in a.finansiarer
        ],
    )
    rita(
        ut,
        "Mål",
        ["Nr", "Beskrivning", "Indikator", "Målvärde"],
        [False, True, True, True],
        [[str(m.nr), text_(m.beskrivning), text_(m.indikator), text_(m.malvarde)] for m in a.mal],
    )
    rita(
        ut,
        "Planerade utvärderingar",
        ["Nr", "Datum", "Typ"],
        [False, False, False],
        [[str(p.nr), text_(p.datum), text_(p.typ)] for p in a.planerade_utvarderingar],
    )
    if a.undantag:
        rita(
            ut,
            "Beslutade undantag",
            ["Regel", "Beslut", "Beslutsdatum", "Giltigt till", "Motivering"],
            [False, True, False, False, True],
            [
                [
                    u.regel,
                    u.beslut,
                    text_(u.beslutsdatum),
                    text_(u.giltigt_till),
                    u.motivering,
                ]
                for u in a.undantag
            ],
        )
    rita(
        ut,
        "Gjorda utvärderingar",
        ["Datum", "Typ", "Utförd av", "Mål", "Utfall", "Måluppfyllelse", "Kommentar"],
        [False, False, True, False, True, False, True],
        [
            [
                u.datum,
                u.typ,
                u.utford_av,
                str(m.mal_nr),
                m.utfall,
                uppfyllelse(m.maluppfyllelse),
                text_(m.kommentar),
            ]
            for u in a.utvarderingar
            if u.ersatt_av is None and u.makulerad_av is None
            for m in u.mal
        ],
    )
    if a.utvarderingar:
        filer = {u.id: u.fil for u in a.utvarderingar}
        rita(
            ut,
            "Utvärderingarnas filer",
            ["Datum", "Typ", "Fil", "Räknas"],
            [False, False, True, True],
            [[u.datum, u.typ, u.fil, _raknas(u, filer)] for u in a.utvarderingar],
        )


def _raknas(u: GenomfordUtvardering, filer: Mapping[int, str]) -> str:
    """Om utvärderingen räknas, eller vad som upphävde den."""
    if u.ersatt_av is not None:
        return f"nej, ersatt av {filer.get(u.ersatt_av, u.ersatt_av)}"
    if u.makulerad_av is not None:
        return f"nej, makulerad {u.makulerad_datum} av {u.makulerad_av}: {u.makulerad_motivering}"
    return "ja"


def andring(fore: str | None, efter: str | None) -> str:
    """De fält som ändrades, kort; hela före och efter finns i --format json."""
    if fore is None:
        return "ny"
    f, e = json.loads(fore), json.loads(efter or "null") or {}
    andrade = [
        f"{k}: {_kort(f.get(k))} → {_kort(e.get(k))}"
        for k in sorted(set(f) | set(e))
        if f.get(k) != e.get(k) and k not in ("registrerad", "registrerad_av")
    ]
    return "; ".join(andrade) or "oförändrad"


def _kort(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else text_(v)
    return text if len(text) <= 40 else text[:39] + "…"


_MODUL = __name__
TABELLFORMAT: Formatregister[Callable[..., None]] = Formatregister(
    Format("text", "", _MODUL, funktion="text"),
    Format("json", "", _MODUL, funktion="json_"),
    Format("csv", "--csv-stil excel för svenska Excel", _MODUL, funktion="csv_", kalkylstil=True),
    Format("xlsx", "Excel; till --ut FIL eller ett rör", _MODUL, funktion="xlsx", binar=True),
)
AVTALSFORMAT: Formatregister[Callable[[Avtalsvy, TextIO], None]] = Formatregister(
    Format("text", "", _MODUL, funktion="visa_avtal"),
    Format("json", "", _MODUL, funktion="json_"),
)
# Exporten: hela registret, som en JSON-fil eller en CSV-fil per tabell i en katalog.
EXPORTFORMAT: Formatregister[Callable[[Any, Any], None]] = Formatregister(
    Format("json", "", "partner_cli.register.utbyte", funktion="skriv_json"),
    Format(
        "csv",
        "en fil per tabell i --ut KATALOG",
        "partner_cli.register.utbyte",
        funktion="skriv_csv",
        katalog=True,
    ),
)
