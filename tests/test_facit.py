"""Facit: registrets innehåll efter `register add`, och årsrapporten och ägartabellen i varje
format, är byte för byte desamma som i tests/facit/.

Registret byggs av förslagen i tests/facit/forslag (exemplen och 40 förslag ur bench-
generatorn, alla med avtal som slutat före 2026: ägartabellen räknar aktiva avtal per i dag),
en utvärdering, en ersättning och en oförändrad fil. Tidsstämplarna byts mot `TID`. Förslagen
är kopior, så att en ändring i exemplen eller generatorn inte ändrar facit.
Ett facit skrivs om med `PARTNER_SKRIV_FACIT=1 pytest tests/test_facit.py` när innehållet ska
ändras (en ny kolumn, en ny rad i rapporten); annars är en skillnad ett fel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import ROT, kor
from registerhjalp import UTGIVARE_TOML, miljo

FACIT = ROT / "tests" / "facit"
FORSLAG = FACIT / "forslag"
TID = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?")
PER = "2016-06-01"


def _ok(*argument: str, db: Path) -> str:
    # Från registrets katalog, med relativa sökvägar: registret sparar filernas sökvägar.
    svar = kor(*argument, cwd=db.parent, env=miljo(db))
    assert svar.returncode == 0, svar.stdout + svar.stderr
    return svar.stdout


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    katalog = tmp_path_factory.mktemp("facit")
    db = katalog / "partnerskap.db"
    shutil.copytree(FORSLAG, katalog / "forslag")
    shutil.copytree(FACIT / "beslut", katalog / "beslut")  # beslutet som ger NL-2014-003 undantaget
    _ok("register", "add", "forslag", "--sanktionerad-av", "Näringslivsdirektören", db=db)
    utvardering = katalog / "utv.yaml"
    utvardering.write_text(
        "datum: 2015-03-10\ntyp: delutvärdering\nutförd_av: Revisor Rask\nmål:\n"
        "  - {mål: 1, utfall: 12, kommentar: Tolv etableringar}\n"
        "  - {mål: 2, utfall: 150}\n",
        encoding="utf-8",
    )
    _ok("register", "utvärdera", "NL-2014-001", utvardering.name, db=db)
    andrad = katalog / "forslag" / "nl-00004.yaml"
    andrad.write_text(
        andrad.read_text(encoding="utf-8").replace("titel: ", "titel: Ny version av ", 1),
        encoding="utf-8",
    )
    _ok("register", "add", "forslag/nl-00004.yaml", "forslag/nl-00005.yaml", "--ersätt",
        "--sanktionerad-av", "Näringslivsdirektören", db=db)  # fmt: skip
    return db


def _jamfor(namn: str, text: str) -> None:
    fil = FACIT / namn
    if os.environ.get("PARTNER_SKRIV_FACIT") == "1":
        fil.parent.mkdir(parents=True, exist_ok=True)
        fil.write_bytes(text.encode("utf-8"))
    assert fil.is_file(), f"facit {fil} saknas"
    # Byte för byte: iCalendar har CRLF, som en läsning med universella radslut skulle dölja.
    assert text == fil.read_bytes().decode("utf-8"), f"skiljer sig från {fil}"


KEDJAN = ("foregaende", "sha256")


def _dump(db: Path) -> str:
    """Varje tabell i registret (inte SQLites och migreringarnas egna), rad för rad i rowid-
    ordning, det vill säga i den ordning raderna skrevs."""
    conn = sqlite3.connect(db)
    try:
        tabeller = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        rader = []
        for t in tabeller:
            cur = conn.execute(f"SELECT * FROM {t} ORDER BY rowid")
            rader.append(f"## {t} {json.dumps([d[0] for d in cur.description])}")
            namn = [d[0] for d in cur.description]
            # Kedjans hashar räknas över tiderna, som skiljer sig mellan körningar.
            kedjan = [i for i, k in enumerate(namn) if t == "handelse" and k in KEDJAN]
            rader += [
                json.dumps(
                    [("KEDJA" if i in kedjan and v is not None else v) for i, v in enumerate(r)],
                    ensure_ascii=False,
                )
                for r in cur
            ]
    finally:
        conn.close()
    return TID.sub("TID", "\n".join(rader) + "\n")


def test_registrets_innehall(register: Path) -> None:
    _jamfor("register.txt", _dump(register))


@pytest.mark.parametrize(
    ("format_", "ar"),
    [("text", 2015), ("text", 2019), ("json", 2015), ("json", 2019), ("markdown", 2019),
     ("html", 2015), ("html", 2019)],
)  # fmt: skip
def test_arsrapporten(register: Path, format_: str, ar: int) -> None:
    text = _ok("report", "--år", str(ar), "--per", PER, "--format", format_, db=register)
    _jamfor(f"rapport-{ar}.{format_}", text)


def test_arsrapporten_csv(register: Path, tmp_path: Path) -> None:
    _ok("report", "--år", "2019", "--per", PER, "--format", "csv", "--ut", str(tmp_path),
        db=register)  # fmt: skip
    filer = sorted(tmp_path.iterdir())
    assert filer
    _jamfor(
        "rapport-2019.csv",
        "".join(f"## {f.name}\n{f.read_text(encoding='utf-8')}" for f in filer),
    )


@pytest.mark.parametrize("format_", ["text", "json", "csv"])
def test_agartabellen(register: Path, format_: str) -> None:
    _jamfor(f"agare.{format_}", _ok("register", "ägare", "--format", format_, db=register))


# Bevakningen och publiceringen med kommunen som utgivare; publiceringens dag byts mot `IDAG`.


@pytest.fixture(scope="module")
def konfig(register: Path) -> Path:
    fil = register.parent / "facit.toml"
    fil.write_text(UTGIVARE_TOML, encoding="utf-8")
    return fil


@pytest.mark.parametrize("format_", ["text", "json", "markdown", "ics"])
def test_bevakningen(register: Path, konfig: Path, format_: str) -> None:
    svar = kor("bevaka", "--per", PER, "--dagar", "400", "--format", format_, "--config",
               str(konfig), cwd=register.parent, env=miljo(register))  # fmt: skip
    assert svar.returncode == 1, svar.stderr  # något är försenat
    _jamfor(f"bevaka.{format_}", svar.stdout)


def test_publiceringen(register: Path, konfig: Path, tmp_path: Path) -> None:
    import datetime as dt

    _ok("publicera", "--år", "2015", "--ut", str(tmp_path), "--config", str(konfig),
        db=register)  # fmt: skip
    filer = sorted(tmp_path.iterdir())
    assert len(filer) == 4
    text = "".join(f"## {f.name}\n{f.read_text(encoding='utf-8')}" for f in filer)
    _jamfor("publicera-2015.txt", text.replace(dt.date.today().isoformat(), "IDAG"))
