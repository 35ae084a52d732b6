"""Förslag för registertesterna: mallen med eget id, organisation, ägare och period."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conftest import ROT, andrad_mall, kor

if TYPE_CHECKING:
    from partner_cli.register.skrivning import Tillagg

ORGNR = "556781-2341"


def orgnr(n: int) -> str:
    """Ett giltigt organisationsnummer (aktiebolag, grupp 5) med Luhn-siffra, för löpnummer n."""
    nio = f"552{n:06d}"
    summa = 0
    for i, c in enumerate(nio):
        d = int(c) * (2 if i % 2 == 0 else 1)
        summa += d - 9 if d > 9 else d
    return f"{nio[:6]}-{nio[6:]}{(10 - summa % 10) % 10}"


def forslag(
    id_: str = "NL-1",
    org: str = ORGNR,
    agare: str = "Anna Lind",
    start: str = "2014-09-01",
    slut: str = "2016-08-31",
    titel: str = "Logistikregionens etableringsprojekt",
) -> str:
    return andrad_mall(
        ("id: NL-2014-007", f"id: {id_}"),
        ("titel: Logistikregionens etableringsprojekt", f"titel: {titel}"),
        ("organisationsnummer: 556781-2341", f"organisationsnummer: {org}"),
        ("namn: Anna Lind", f"namn: {agare}"),
        (
            "period: {start: 2014-09-01, slut: 2016-08-31}",
            f"period: {{start: {start}, slut: {slut}}}",
        ),
        (
            "  - {datum: 2015-09-01, typ: delutvärdering}\n"
            "  - {datum: 2016-09-30, typ: slututvärdering}",
            f"  - {{datum: {slut}, typ: slututvärdering}}",
        ),
    )


def skriv_forslag(katalog: Path, namn: str, **kw: Any) -> Path:
    fil = katalog / namn
    fil.write_text(forslag(**kw), encoding="utf-8")
    return fil


def miljo(register: Path) -> dict[str, str]:
    return {"PARTNER_REGISTER": str(register), "PARTNER_ANVANDARE": "Testa Testsson"}


def lagg_till(register: Path, *filer: Path, extra: tuple[str, ...] = ()) -> Any:
    return kor(
        "register",
        "add",
        *map(str, filer),
        "--sanktionerad-av",
        "Karin Ek",
        *extra,
        env=miljo(register),
    )


def sql(register: Path, fraga: str, parametrar: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(register)
    try:
        return conn.execute(fraga, parametrar).fetchall()
    finally:
        conn.close()


def innehall(register: Path, bara_avtalen: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Alla rader i alla registertabeller, för att se att ett fel inte ändrade något. Med
    `bara_avtalen` utan det registret skriver om filen själv (importer och återställningar i
    `underhall`, migreringarnas bokföring)."""
    tabeller = [
        r[0]
        for r in sql(register, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
    ]
    ut = {t: sorted(sql(register, f"SELECT * FROM {t}"), key=repr) for t in tabeller}
    if bara_avtalen:
        ut.pop("_sqlite_migrations", None)
        ut.pop("underhall", None)
    return ut


def bygg(register_: Path, *filer: Path) -> list[Tillagg]:
    """Registrerar förslag i processen, efter granskningen: snabb uppställning för tester av
    andra kommandon."""
    from partner_cli import konfig, kontroll, register
    from partner_cli.register.skrivning import lagg_till

    resultat = kontroll.kontrollera([str(f) for f in filer], konfig.Konfig(), behall_forslag=True)
    assert resultat.godkant, resultat
    reg = register.skriv(register_)
    try:
        return lagg_till(
            reg,
            [(r.forslag, r.fil, r.sha256) for r in resultat.filer if r.forslag and r.sha256],
            "Karin Ek",
            vem="Testa Testsson",
        )
    finally:
        reg.stang()


def utvardera(register_: Path, id_: str, text: str) -> None:
    from partner_cli import register
    from partner_cli.register.utvarderingar import utvardera as registrera
    from partner_cli.utvarderingsfil import Utvardering, las_utvardering

    utv = las_utvardering(text.encode())
    assert isinstance(utv, Utvardering), utv
    reg = register.skriv(register_)
    try:
        registrera(
            reg,
            id_,
            utv,
            "u.yaml",
            "0" * 64,
            {"max_dagar_efter_slut": 365},
            vem="Testa Testsson",
        )
    finally:
        reg.stang()


EXEMPEL = sorted((ROT / "exempel" / "forslag").glob("*.yaml"))
BEVAKNING_TOML = '[regler."utvärdering"]\n"kräv_slututvärdering" = false\n'


def bevakningsregister(katalog: Path) -> Path:
    """Exemplen och ett avtal med varje slag av bevakning, i ett register i katalogen."""
    (katalog / "partner.toml").write_text(BEVAKNING_TOML, encoding="utf-8")
    db = katalog / "partnerskap.db"
    # Utan planerad slututvärdering, med ett undantag som går ut medan avtalet löper, ett
    # namn med komma och semikolon och en gammal årsredovisning.
    utan = skriv_forslag(
        katalog,
        "utan.yaml",
        id_="NL-2015-030",
        org=orgnr(77),
        agare="Per Berg",
        start="2015-01-01",
        slut="2016-08-31",
    )
    text = (
        utan.read_text(encoding="utf-8")
        .replace(
            "  - {datum: 2016-08-31, typ: slututvärdering}",
            "  - {datum: 2016-08-31, typ: delutvärdering}",
        )
        .replace("  namn: Örebro Logistikpartner AB\n", '  namn: "Berg, Sten; och Söner AB"\n', 1)
    )
    text += (
        "undantag:\n  - {regel: insyn, beslut: KS 2015/9 § 3, beslutsdatum: 2015-01-10,\n"
        "     motivering: Prövas efter första året., giltigt_till: 2016-03-31}\n"
    )
    utan.write_text(text, encoding="utf-8")
    (katalog / "beslut").mkdir()
    (katalog / "beslut" / "ks-2015-9.yaml").write_text(
        "typ: undantag\nreferens: KS 2015/9 § 3\ndatum: 2015-01-10\nbeslutat_av: Kommunstyrelsen\n"
        "motivering: Prövas efter första året.\navtal: NL-2015-030\nregel: insyn\n"
        "giltigt_till: 2016-03-31\n",
        encoding="utf-8",
    )
    p = kor(
        "register",
        "add",
        *map(str, [*EXEMPEL, utan]),
        "--sanktionerad-av",
        "N",
        "--config",
        str(katalog / "partner.toml"),
        env=miljo(db),
    )
    assert p.returncode == 0, p.stdout + p.stderr
    utv = katalog / "utv.yaml"
    utv.write_text(
        "datum: 2015-03-10\ntyp: delutvärdering\nutförd_av: Revisor Rask\nmål:\n"
        "  - {mål: 1, utfall: 12}\n  - {mål: 2, utfall: 150}\n",
        encoding="utf-8",
    )
    p = kor("register", "utvärdera", "NL-2014-001", str(utv), env=miljo(db))
    assert p.returncode == 0, p.stdout + p.stderr
    return db


# Kommunen som utgivare, som partner publicera kräver (och bevakningens och rapportens tester).
UTGIVARE_TOML = """\
[kommun]
namn = "Örebro kommun"
organisationsnummer = "212000-1967"

[publicera]
bidragsprefix = "360G-orebrokommun"
kontakt_epost = "naringsliv@example.se"
adress = "https://example.se/oppna-data/partnerskap/"
"""


def utgivarkonfig(katalog: Path, extra: str = "") -> Path:
    """katalog/partner.toml med utgivarens inställningar och `extra`."""
    fil = katalog / "partner.toml"
    fil.write_text(UTGIVARE_TOML + extra, encoding="utf-8")
    return fil


# Beslutet som `register byt-ägare` kräver, för testerna som bara behöver något beslut.
BYT_AGARE = ("--beslut", "NLD 2014/90", "--beslutsdatum", "2014-10-01")
