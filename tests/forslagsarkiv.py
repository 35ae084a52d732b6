"""Ett litet förslagsarkiv för rapportformatens tester: ett förslag för varje utfall och nivå."""

from __future__ import annotations

from pathlib import Path

from conftest import andrad_mall

# Kommunen betalar 900 000 kr: medfinansieringen blir 46,4 % och förslaget underkänt.
UNDERKAND = ("kontant: 400 000 kr", "kontant: 900 000 kr")
UNDANTAG = """
undantag:
  - regel: medfinansiering
    beslut: KS 2014/123 § 45
    beslutsdatum: 2014-06-10
    motivering: Strategiskt etableringsprojekt.
    giltigt_till: 2016-12-31
  - regel: insyn
    beslut: KS 2014/124
    motivering: Beslutat innan budgeten ändrades.
"""


# Besluten som ger NL-3:s undantag; utan dem vore undantagen fel.
BESLUT = {
    f"{referens.replace(' ', '-').replace('/', '-')}.yaml": (
        f"typ: undantag\nreferens: {referens}\ndatum: 2014-06-10\nbeslutat_av: Kommunstyrelsen\n"
        f"motivering: Strategiskt etableringsprojekt.\navtal: NL-3\nregel: {regel}\n{giltigt}"
    )
    for referens, regel, giltigt in (
        ("KS 2014/123 § 45", "medfinansiering", "giltigt_till: 2016-12-31\n"),
        ("KS 2014/124", "insyn", ""),
    )
}


def forslag() -> dict[str, str]:
    """Filnamn under forslag/ -> innehåll."""
    return {
        "godkand.yaml": andrad_mall(("NL-2014-007", "NL-1")),
        "underkand.yaml": andrad_mall(("NL-2014-007", "NL-2"), UNDERKAND),
        "undantag.yaml": andrad_mall(("NL-2014-007", "NL-3"), UNDERKAND) + UNDANTAG,
        "ogiltig.yaml": andrad_mall(("NL-2014-007", "NL-4"), ("typ: projekt", "typ: projket")),
        "utanfor.yaml": andrad_mall(
            ("NL-2014-007", "NL-5"), ("kategori: företag  ", "kategori: civilsamhälle")
        ),
    }


def skapa(katalog: Path) -> Path:
    """Skriver arkivets förslag till katalog/forslag/, besluten till katalog/beslut/ och en
    partner.toml; ger katalogen forslag/."""
    katalog.mkdir(parents=True, exist_ok=True)
    (katalog / "partner.toml").write_text("", encoding="utf-8")
    for mapp, filer in (("beslut", BESLUT), ("forslag", forslag())):
        (katalog / mapp).mkdir(parents=True, exist_ok=True)
        for namn, text in filer.items():
            (katalog / mapp / namn).write_text(text, encoding="utf-8")
    return katalog / "forslag"


def rad_med(fil: Path, text: str) -> int:
    """Första raden (1-baserad) i filen som innehåller texten."""
    rader = fil.read_text(encoding="utf-8").splitlines()
    return next(i for i, r in enumerate(rader, 1) if text in r)
