"""Katalogen över fientliga förslag (tests/fientliga/fall.toml) mot det installerade `partner`.

Varje fall granskas tillsammans med mallen (med eget id): fallet ska ge sitt svenska
meddelande på rätt rad, mallen ska ändå granskas och godkännas, ingen traceback, inget
körs och inget skrivs. Stora, binära och speciella filer (länkar, rör) skapas i tmp_path.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MALLTEXT, kor
from partner_cli import konfig, kontroll

FIENTLIGA = Path(__file__).parent / "fientliga"
FALL: dict[str, dict[str, Any]] = tomllib.loads((FIENTLIGA / "fall.toml").read_text("utf-8"))
# Bara en vakt mot att något hänger; varje fall tar normalt en bråkdel av en sekund.
HANGVAKT_SEKUNDER = 5
# Felsökningstexter från PyYAML som aldrig ska nå användaren oöversatta.
ENGELSKA = ("found ", "expected ", "while ", "could not", "YAML-fel:", "Ogiltig YAML här (")


def _mall(id_: str) -> str:
    return MALLTEXT.replace("id: NL-2014-007", f"id: {id_}", 1)


def _med_granne(katalog: Path, namn: str) -> Path:
    """En katalog med ett giltigt förslag, som ska granskas trots grannen `namn`."""
    katalog.mkdir()
    (katalog / "forslag.yaml").write_text(_mall(f"F-granne-{katalog.name}"), encoding="utf-8")
    return katalog / namn


def _djup_blockkarta(tmp: Path) -> None:
    # 10 000 nivåer i blockstil kräver ett indrag per nivå: 50 MB text.
    text = "".join(" " * i + "k:\n" for i in range(10_000))
    (tmp / "djup_blockkarta.yaml").write_text(text, encoding="utf-8")


def _femtio_mb(tmp: Path) -> None:
    fil = tmp / "femtio_mb.yaml"
    fil.write_text(_mall("F-femtio"), encoding="utf-8")
    os.truncate(fil, 50 * 2**20)  # gles: tar ingen plats på disken


def _kodad(namn: str, kodning: str, bom: bytes = b"") -> Callable[[Path], None]:
    def bygg(tmp: Path) -> None:
        # Tecken som kodningen saknar (… i mallens kommentarer) blir ?: filen är ändå inte UTF-8.
        (tmp / f"{namn}.yaml").write_bytes(bom + _mall(f"F-{namn}").encode(kodning, "replace"))

    return bygg


def _ersatt(namn: str, gammal: str, ny: str) -> Callable[[Path], None]:
    def bygg(tmp: Path) -> None:
        text = _mall(f"F-{namn}")
        assert text.count(gammal) == 1
        (tmp / f"{namn}.yaml").write_text(text.replace(gammal, ny), encoding="utf-8")

    return bygg


def _bytes(namn: str, data: bytes) -> Callable[[Path], None]:
    def bygg(tmp: Path) -> None:
        (tmp / f"{namn}.yaml").write_bytes(data)

    return bygg


def _forsvunnen(tmp: Path) -> None:
    # Deterministiskt i stället för ett kapplöpningsfönster: namnet finns i listningen,
    # men filen bakom går inte att öppna.
    _med_granne(tmp / "borta", "borta.yaml").symlink_to("finns_inte.yaml")


def _katalog_utan_forslag(tmp: Path) -> None:
    (tmp / "tom_katalog").mkdir()
    (tmp / "tom_katalog" / "LÄSMIG.txt").write_text("inga förslag här\n", encoding="utf-8")


def _mellanslag_och_aao(tmp: Path) -> None:
    katalog = tmp / "förslag från år 2014"
    katalog.mkdir()
    (katalog / "Mitt förslag åäö ÅÄÖ.yaml").write_text(_mall("F-aao"), encoding="utf-8")


GENERATORER: dict[str, Callable[[Path], bytes | None]] = {
    "djup_blockkarta": _djup_blockkarta,
    "femtio_mb": _femtio_mb,
    "oandlig_fil": lambda tmp: (tmp / "oandlig_fil.yaml").symlink_to("/dev/zero"),
    "stdin_stor": lambda tmp: b"# " + b"x" * 2_000_000,
    "stdin_aliasbomb": lambda tmp: (FIENTLIGA / "aliasbomb.yaml").read_bytes(),
    "latin1": _kodad("latin1", "latin-1"),
    "utf16le_bom": _kodad("utf16le_bom", "utf-16-le", codecs.BOM_UTF16_LE),
    "utf16be_bom": _kodad("utf16be_bom", "utf-16-be", codecs.BOM_UTF16_BE),
    "utf16le": _kodad("utf16le", "utf-16-le"),
    "utf16be": _kodad("utf16be", "utf-16-be"),
    "utf8_bom": _kodad("utf8_bom", "utf-8", codecs.BOM_UTF8),
    "nul": _ersatt("nul", "titel:", "ti\0tel:"),
    "styrtecken": _ersatt("styrtecken", "titel: Logistik", "titel: Logi\x07stik"),
    "binar": _bytes("binar", bytes(range(256)) * 16),
    # Börjar med 0x80: ogiltig UTF-8 från första byten (0xFF 0xFE vore en UTF-16-BOM).
    "binar_utan_nul": _bytes(
        "binar_utan_nul", (bytes(range(0x80, 0x100)) + bytes(range(1, 0x80))) * 16
    ),
    "nyckelflod": _bytes("nyckelflod", "".join(f"k{i}: 1\n" for i in range(9_000)).encode()),
    "vardeflod": _bytes("vardeflod", "".join(f"k{i}: 1\n" for i in range(20_000)).encode()),
    "symlankslinga_katalog": lambda tmp: _med_granne(tmp / "slinga", "upp").symlink_to(".."),
    "symlank_till_sig_sjalv": lambda tmp: _med_granne(tmp / "sjalv", "sjalv.yaml").symlink_to(
        "sjalv.yaml"
    ),
    "forsvunnen_fil": _forsvunnen,
    "namngivet_ror": lambda tmp: os.mkfifo(_med_granne(tmp / "ror", "ror.yaml")),
    "mellanslag_och_aao": _mellanslag_och_aao,
    "katalog_utan_forslag": _katalog_utan_forslag,
}


def _namn_i(katalog: Path) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(rot, n), katalog)
        for rot, kataloger, filer in os.walk(katalog)
        for n in kataloger + filer
    )


def _forbered(namn: str, tmp: Path) -> tuple[str, bytes | None]:
    """Lägger fallet och mallen i tmp; ger filens namn i rapporten och eventuell stdin."""
    fall = FALL[namn]
    fil: str = fall.get("fil", f"{namn}.yaml")
    stdin = None
    if "bygg" in fall:
        stdin = GENERATORER[fall["bygg"]](tmp)
    elif "argument" not in fall:
        shutil.copyfile(FIENTLIGA / fil, tmp / fil)
    (tmp / "mall.yaml").write_text(_mall("F-mallen"), encoding="utf-8")
    return fil, stdin


def _pruva(namn: str, filer: dict[str, dict[str, Any]]) -> None:
    """Fallets fil i JSON-rapporten har sitt utfall, sitt svenska meddelande och sin plats."""
    fall = FALL[namn]
    resultat = filer[fall.get("fil", f"{namn}.yaml")]
    assert resultat["utfall"] == fall["utfall"], (namn, resultat["fynd"])
    standard_antal = 0 if fall["utfall"] == "godkänd" else 1
    assert len(resultat["fynd"]) == fall.get("antal_fynd", standard_antal), (namn, resultat)
    for f in resultat["fynd"]:
        assert not any(e in f["meddelande"] for e in ENGELSKA), (namn, f["meddelande"])
    if "meddelande" in fall:
        traffar = [f for f in resultat["fynd"] if fall["meddelande"] in f["meddelande"]]
        assert traffar, (namn, resultat["fynd"])
        assert traffar[0]["rad"] == fall.get("rad", traffar[0]["rad"]), namn
        assert traffar[0]["kolumn"] == fall.get("kolumn", traffar[0]["kolumn"]), namn


def _korning(
    argument: list[str], tmp: Path, stdin: bytes | None = None, hangvakt: float = HANGVAKT_SEKUNDER
) -> subprocess.CompletedProcess[str]:
    fore = _namn_i(tmp)
    start = time.monotonic()
    p = kor("check", "--format", "json", *argument, cwd=tmp, stdin=stdin)
    assert time.monotonic() - start < hangvakt
    # Inget kördes och inget skrevs: nyttolasternas markörfiler finns inte, inget annat heller.
    assert _namn_i(tmp) == fore
    assert not any((tmp / f["markor"]).exists() for f in FALL.values() if "markor" in f)
    return p


def test_hela_katalogen_i_en_korning(tmp_path: Path) -> None:
    """Varje fall som är en fil, alla i en körning av `partner`: var och en får sitt utfall,
    meddelande och sin plats, mallen och grannarna godkänns, inget dubbelt, inget borttappat."""
    namn = [n for n, f in FALL.items() if f["kod"] != 2 and f.get("argument") != "-"]
    argument = []
    for n in namn:
        fil, _ = _forbered(n, tmp_path)
        argument.append(FALL[n].get("argument", fil))

    p = _korning([*argument, "mall.yaml"], tmp_path, hangvakt=3 * HANGVAKT_SEKUNDER)

    assert p.returncode == 1
    rapport = json.loads(p.stdout)
    filer = {r["fil"]: r for r in rapport["filer"]}
    assert len(filer) == len(rapport["filer"])
    for n in namn:
        _pruva(n, filer)
    fallens = {FALL[n].get("fil", f"{n}.yaml") for n in namn}
    ovriga = {f: r["utfall"] for f, r in filer.items() if f not in fallens}
    grannar = {f"{FALL[n]['argument']}/forslag.yaml" for n in namn if FALL[n].get("antal_filer")}
    assert ovriga == dict.fromkeys({"mall.yaml", *grannar}, "godkänd")


# Fall som inte kan ingå i den gemensamma körningen (stdin, användningsfel): alltid för sig.
ENSAMMA = sorted(n for n, f in FALL.items() if f.get("argument") == "-" or f["kod"] == 2)


def _ett_fall(namn: str, tmp_path: Path) -> None:
    """Ett fall i taget med mallen: avslutningskoden, och att mallen granskas trots fallet."""
    fall = FALL[namn]
    fil, stdin = _forbered(namn, tmp_path)

    p = _korning([fall.get("argument", fil), "mall.yaml"], tmp_path, stdin)

    assert p.returncode == fall["kod"], p.stderr
    if fall["kod"] == 2:
        assert fall["meddelande"] in p.stderr
        assert p.stdout == ""
        return
    rapport = json.loads(p.stdout)
    filer = {r["fil"]: r for r in rapport["filer"]}
    assert len(filer) == len(rapport["filer"]) == fall.get("antal_filer", 2)
    _pruva(namn, filer)
    ovriga = [r for f, r in filer.items() if f != fil]
    assert ovriga
    assert all(r["utfall"] == "godkänd" for r in ovriga), ovriga


@pytest.mark.parametrize("namn", ENSAMMA)
def test_stdin_och_anvandningsfel(namn: str, tmp_path: Path) -> None:
    _ett_fall(namn, tmp_path)


@pytest.mark.langsam
@pytest.mark.parametrize("namn", sorted(set(FALL) - set(ENSAMMA)))
def test_fientligt_fall_for_sig(namn: str, tmp_path: Path) -> None:
    """Samma fall som i den gemensamma körningen, men var och en för sig (en process per fall)."""
    _ett_fall(namn, tmp_path)


def test_katalogen_och_manifestet_stammer() -> None:
    filer = {p.name for p in FIENTLIGA.glob("*.yaml")}
    utan_bygg = {f"{n}.yaml" for n, f in FALL.items() if "bygg" not in f and "argument" not in f}
    assert filer == utan_bygg
    assert {f["bygg"] for f in FALL.values() if "bygg" in f} == set(GENERATORER)
    for namn, fall in FALL.items():
        assert fall["kod"] in (0, 1, 2), namn
        assert ("utfall" in fall) == (fall["kod"] != 2), namn


def test_fil_som_forsvinner_mellan_listning_och_lasning(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_mall("F-a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(_mall("F-b"), encoding="utf-8")
    filer = kontroll.samla_filer([str(tmp_path)])
    (tmp_path / "a.yaml").unlink()

    resultat = kontroll.kontrollera(filer, konfig.Konfig())

    a, b = resultat.filer
    assert a.utfall == "ogiltig"
    assert "finns inte" in a.fynd[0].meddelande
    assert b.utfall == "godkänd"
