"""Förslaget som registrets rader: avtalets rad och dess delars rader (utan avtal_id), utan
registreringens fält (fil, sha256, när, av vem och vem som sanktionerade). Byggs utan
databasen, så att granskningens processer kan bygga dem (`med_registerrader`) och
`skrivning` bara lägger till registreringens fält och delarnas avtal_id.
"""

from __future__ import annotations

from typing import Any

from partner_cli import modell
from partner_cli.register.kedja import avtal_i_historiken


def registerrader(forslag: modell.Forslag) -> modell.Registerrader:
    """Förslaget som registret sparar det, utan registreringens fält."""
    return modell.Registerrader(_innehallsrad(forslag), _barnrader(forslag))


# Det som `med_registerrader` lämnar kvar av förslaget: det regeln avtalsägare prövar.
_UTAN_FINANSIERING = modell.Finansiering(modell.Bidrag())


def med_registerrader(r: modell.Filresultat) -> modell.Filresultat:
    """Ett godkänt förslags rader i registret, byggda i processen som granskade filen
    (`kontrollera`s efterbehandling), och förslaget utan det som raderna redan bär: det som
    skickas tillbaka är då det regeln avtalsägare prövar (id, motpart, avtalsägare, period)
    och raderna."""
    f = r.forslag
    if f is None or r.utfall != "godkänd":
        return r
    kvar = modell.Forslag(
        f.id, f.titel, f.typ, f.initiativ, f.motpart, f.period, _UTAN_FINANSIERING,
        avtalsagare=f.avtalsagare, platser={},
    )  # fmt: skip
    return r._replace(forslag=kvar, registerrader=registerrader(f))


def innehall(forslag: modell.Forslag) -> dict[str, Any]:
    """Förslagets innehåll som registret sparar det, utan registreringens fält: två filer som
    bara skiljer sig i kommentarer, nycklarnas ordning, beloppens stavning eller mellanslag
    har samma innehåll."""
    return avtal_i_historiken(_innehallsrad(forslag), _barnrader(forslag))


def _bool(v: bool | None) -> int | None:
    return None if v is None else int(v)


def _innehallsrad(f: modell.Forslag) -> dict[str, Any]:
    """Avtalets rad utan registreringens fält: var och när avtalet registrerades (fil, sha256,
    registrerad, registrerad_av, sanktionerad_av), inte vad det innehåller."""
    fin = f.finansiering
    insyn = f.insyn or modell.Insyn()
    eko = f.ekonomi or modell.Ekonomi()
    return {
        "id": f.id,
        "organisationsnummer": f.motpart.organisationsnummer,
        "titel": f.titel,
        "typ": f.typ,
        "initiativ": f.initiativ,
        "diarienummer": f.diarienummer,
        "period_start": f.period.start.isoformat(),
        "period_slut": f.period.slut.isoformat(),
        "upphandling": int(f.upphandling),
        "kommunen_kontant": fin.kommunen.kontant,
        "kommunen_in_kind": fin.kommunen.summa - fin.kommunen.kontant,
        "medfinansiering": sum(m.summa for m in fin.motparter),
        "garanterad": fin.garanterad,
        "naringsliv": fin.naringsliv,
        "total": fin.total,
        **{
            f"fordelning_{k}": v
            for k, v in f.fordelning._asdict().items()
            if k != "in_kind_ej_personal"
        },
        "insyn_ratt_till_insyn": _bool(insyn.ratt_till_insyn),
        "insyn_redovisning": insyn.redovisning,
        "ekonomi_rakenskapsar": eko.rakenskapsar,
        "ekonomi_omsattning": eko.omsattning,
        "ekonomi_resultat": eko.resultat,
        "ekonomi_eget_kapital": eko.eget_kapital,
        "ekonomi_offentlig_finansiering": eko.offentlig_finansiering,
        "ekonomi_kalla": eko.kalla,
        "langsiktighet_efter_avtalstiden": (
            f.langsiktighet or modell.Langsiktighet()
        ).efter_avtalstiden,
    }


def _barnrader(f: modell.Forslag) -> dict[str, list[dict[str, Any]]]:
    """Delarnas rader som händelserna bär dem, utan avtal_id (skrivningen lägger till det)."""
    return {
        "finansiar": [
            {
                "nr": nr,
                "namn": m.namn,
                "kategori": m.kategori,
                "kontant": m.kontant,
                "in_kind": m.summa - m.kontant,
                "garanterad": int(m.garanterad),
                "underlag": m.underlag,
                "organisationsnummer": m.organisationsnummer,
            }
            for nr, m in enumerate(f.finansiering.motparter, 1)
        ],
        "mal": [
            {
                "nr": nr,
                "beskrivning": m.beskrivning,
                "indikator": m.indikator,
                "malvarde": m.malvarde,
                "overenskommet": _bool(m.overenskommet),
            }
            for nr, m in enumerate(f.mal, 1)
        ],
        "planerad_utvardering": [
            {
                "nr": nr,
                "datum": u.datum.isoformat() if u.datum else None,
                "typ": u.typ,
            }
            for nr, u in enumerate(f.utvardering, 1)
        ],
        "undantag": [
            {
                "nr": nr,
                "regel": u.regel,
                "beslut": u.beslut,
                "beslutsdatum": u.beslutsdatum.isoformat() if u.beslutsdatum else None,
                "motivering": u.motivering,
                "giltigt_till": u.giltigt_till.isoformat() if u.giltigt_till else None,
            }
            for nr, u in enumerate(f.undantag, 1)
        ],
        "utvecklingsomrade": [
            {"nr": nr, "namn": namn} for nr, namn in enumerate(f.utvecklingsomraden, 1)
        ],
        "utbetalning": [
            {"nr": nr, "ar": u.ar, "belopp": u.belopp}
            for nr, u in enumerate(f.finansiering.kommunen.utbetalningar, 1)
        ],
    }
