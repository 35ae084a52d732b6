"""`partner register sync`: registret görs likt förslagsarkivet, allt eller inget.

Först byts avtalsägare enligt besluten om `ägarbyte` i beslut/. Sedan registreras förslagen
i forslag/ som är godkända och inte registrerade; ett registrerat förslag vars innehåll är
detsamma (kommentarer, nycklarnas ordning, beloppens stavning, en avtalsägare som bytts
sedan) är oförändrat; ett ändrat innehåll förs in bara när ett beslut om `ändring` för
avtalet finns i beslut/. Därefter besluten om `förlängning`, `avslut` och `makulering`, och
sist de gjorda utvärderingarna i utvarderingar/, var för sig i datumordning. Ett beslut som
redan står i historiken förs inte in igen. Varje problem samlas; finns något skrivs inget.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from partner_cli import arkiv, laddning

if TYPE_CHECKING:
    from sqlite_utils import Database

    from partner_cli.konfig import Konfig
    from partner_cli.modell import Kontrollresultat
    from partner_cli.register.anslutning import Register
    from partner_cli.utvarderingsfil import Utvardering


class Avbruten(Exception):
    """Det fanns problem: transaktionen rullas tillbaka."""


@dataclass
class Synkning:
    andringar: list[str] = field(default_factory=list)  # "fil: vad som gjordes"
    problem: list[str] = field(default_factory=list)  # "fil: meddelande"
    granskning: Kontrollresultat | None = None  # när ett förslag inte är godkänt


def commit(rot: Path) -> str | None:
    """Arkivets commit (`git rev-parse HEAD`); None utanför git eller utan git."""
    import subprocess

    try:
        p = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=rot, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    rad = p.stdout.strip()
    return rad if p.returncode == 0 and len(rad) in (40, 64) else None


def _yamlfiler(katalog: Path) -> Iterator[Path]:
    if katalog.is_dir():
        yield from sorted(p for p in katalog.rglob("*") if p.suffix in (".yaml", ".yml"))


def _beslut(rot: Path, konfig: Konfig, synk: Synkning) -> list[tuple[arkiv.Beslut, str]]:
    """Besluten i beslut/ med sina filer, i datumordning; en fil som inte följer formatet
    (också ett `beslutat_av` som inte är bland [beslut] beslutande) är ett problem."""
    from partner_cli.saker import synlig

    ut = []
    for fil in _yamlfiler(rot / arkiv.BESLUT):
        data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
        if isinstance(data, laddning.LasFel):
            synk.problem.append(f"{fil}: {data.meddelande}")
            continue
        b = arkiv.las_beslut(data, konfig.beslutande)
        if isinstance(b, list):
            synk.problem.extend(f"{fil}:{f.rad}:{f.kolumn}: {synlig(f.meddelande)}" for f in b)
            continue
        ut.append((b, str(fil)))
    return sorted(ut, key=lambda u: (u[0].datum, u[1]))


def _tillampa(
    reg: Register, db: Database, b: arkiv.Beslut, fil: str, commit_: str | None
) -> str | None:
    """För in ett beslut om ägarbyte, förlängning, avslut eller makulering; texten för
    ändringen, eller None när beslutet redan står i historiken. Ett beslut som inte går att
    föra in är `RegisterFel` med filens rad och kolumn."""
    from partner_cli.register import livscykel
    from partner_cli.register.anslutning import RegisterFel
    from partner_cli.register.skrivning import byt_agare

    grund = livscykel.Beslutsgrund(b.referens, b.datum, commit_)

    def plats(nyckel: str) -> str:
        rad, kolumn = b.platser.get(nyckel, b.platser["typ"])
        return f"{fil}:{rad}:{kolumn}"

    if b.typ == "ägarbyte":
        assert b.organisationsnummer is not None and b.avtalsagare is not None
        orgnr = b.organisationsnummer
        if livscykel.tillampat(db, "byt ägare", b.referens, orgnr=orgnr):
            return None
        if livscykel.las_rad(db, "organisation", orgnr) is None:
            raise RegisterFel(
                f"{plats('organisationsnummer')}: organisationen {orgnr} finns inte i registret"
            )
        agare = b.avtalsagare
        byt_agare(reg, orgnr, agare.namn or "", agare.enhet, grund=grund)
        return f"{fil}: {orgnr} har avtalsägaren {agare.namn} enligt beslut {b.referens}"
    assert b.avtal is not None
    vad = livscykel.HANDELSER[b.typ]
    # Ett avtal som inte finns är ett problem för sig (`_okant_avtal`).
    if livscykel.las_rad(db, "avtal", b.avtal) is None or livscykel.tillampat(
        db, vad, b.referens, avtal=b.avtal
    ):
        return None
    try:
        if b.typ == "förlängning":
            assert b.slut is not None
            livscykel.forlang(reg, b.avtal, b.slut, grund)
        elif b.typ == "avslut":
            assert b.slut is not None and b.orsak is not None
            livscykel.avsluta(reg, b.avtal, b.slut, b.orsak, grund)
        else:
            livscykel.makulera(reg, b.avtal, grund)
    except RegisterFel as e:
        raise RegisterFel(f"{plats('slut')}: {e}") from None
    return f"{fil}: {b.avtal} {vad} enligt beslut {b.referens}"


def _okant_avtal(db: Database, b: arkiv.Beslut, fil: str) -> str | None:
    """Problemet med ett beslut om ett avtal som inte finns i registret, eller None."""
    if b.avtal is None or db.execute("SELECT 1 FROM avtal WHERE id = ?", [b.avtal]).fetchone():
        return None
    rad, kolumn = b.platser["avtal"]
    return (
        f"{fil}:{rad}:{kolumn}: beslutet {b.referens} gäller avtalet {b.avtal}, som inte finns "
        f"i registret eller bland de godkända förslagen i {arkiv.FORSLAG}/"
    )


def _utvarderingar(rot: Path, konfig: Konfig, synk: Synkning) -> list[tuple[Utvardering, str, str]]:
    from partner_cli.saker import synlig
    from partner_cli.utvarderingsfil import las_utvardering

    ut = []
    for fil in _yamlfiler(rot / arkiv.UTVARDERINGAR):
        data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
        if isinstance(data, laddning.LasFel):
            synk.problem.append(f"{fil}: {data.meddelande}")
            continue
        utv = las_utvardering(data, med_avtal=True)
        if isinstance(utv, list):
            synk.problem.extend(f"{fil}:{f.rad}:{f.kolumn}: {synlig(f.meddelande)}" for f in utv)
            continue
        ut.append((utv, str(fil), hashlib.sha256(data).hexdigest()))
    return sorted(ut, key=lambda u: (u[0].datum, u[1]))


def synka(
    reg: Register,
    rot: Path,
    konfig: Konfig,
    sanktionerad_av: Callable[[], str],
) -> Synkning:
    """Gör registret likt arkivet i `rot`, i en transaktion. `sanktionerad_av` frågas bara
    när något ska registreras. Med problem skrivs inget (och `problem` säger vad)."""
    from partner_cli.kontroll import kontrollera, las_beslut, samla_filer
    from partner_cli.register import livscykel
    from partner_cli.register.anslutning import RegisterFel
    from partner_cli.register.skrivning import andrade_falt, lagg_till, utvardera

    synk = Synkning()
    filer = samla_filer([str(rot / arkiv.FORSLAG)]) if (rot / arkiv.FORSLAG).is_dir() else []
    granskning = kontrollera(filer, konfig, behall_forslag=True)
    if not granskning.godkant:
        synk.granskning = granskning
        synk.problem.extend(
            f"{r.fil}: förslaget är inte godkänt ({r.utfall}); se fynden ovan"
            for r in granskning.filer
            if r.utfall != "godkänd"
        )
    beslut = las_beslut(konfig, filer)
    beslutsfiler = _beslut(rot, konfig, synk)
    utvarderingar = _utvarderingar(rot, konfig, synk)
    commit_ = commit(rot)
    kalla = {"commit": commit_} if commit_ else {}

    def tillampa(typer: tuple[str, ...]) -> None:
        for b, fil in beslutsfiler:
            if b.typ in typer:
                try:
                    text = _tillampa(reg, db, b, fil, commit_)
                except RegisterFel as e:
                    synk.problem.append(str(e))
                    continue
                if text is not None:
                    synk.andringar.append(text)

    try:
        with reg.transaktion() as db:
            tillampa(("ägarbyte",))
            # En fil med samma sha256 som det registrerade avtalet är oförändrad, som i
            # `register add`: bara de andra jämförs fält för fält.
            registrerade = dict(db.execute("SELECT id, sha256 FROM avtal").fetchall())
            for r in granskning.filer:
                f = r.forslag
                if f is None or r.sha256 is None or r.utfall != "godkänd":
                    continue
                if registrerade.get(f.id) == r.sha256:
                    continue
                andrade = andrade_falt(db, f)
                if andrade == []:
                    continue
                post_kalla = dict(kalla)
                if andrade is not None:
                    andring = _andringsbeslut(db, f.id, beslut.get(f.id, ()))
                    if andring is None:
                        synk.problem.append(
                            f"{r.fil}: avtalet {f.id} skiljer sig från det registrerade "
                            f"({', '.join(andrade)}); ett beslut av typen ändring för {f.id} "
                            f"saknas i {arkiv.BESLUT}/"
                        )
                        continue
                    post_kalla |= {
                        "beslut": andring.referens,
                        "beslutsdatum": andring.datum.isoformat(),
                    }
                try:
                    (t,) = lagg_till(
                        reg,
                        [(f, r.fil, r.sha256)],
                        sanktionerad_av(),
                        ersatt=True,
                        kalla={f.id: post_kalla},
                    )
                except RegisterFel as e:
                    synk.problem.append(str(e).removesuffix("; inget registrerades"))
                    continue
                text = "registrerad" if t.status == "registrerad" else "ändrad"
                if "beslut" in post_kalla:
                    text += f" enligt beslut {post_kalla['beslut']}"
                synk.andringar.append(f"{r.fil}: {f.id} {text}")
            synk.problem.extend(
                p for b, fil in beslutsfiler if (p := _okant_avtal(db, b, fil)) is not None
            )
            tillampa(tuple(livscykel.HANDELSER))
            for utv, fil, sha in utvarderingar:
                assert utv.avtal is not None  # en fil i utvarderingar/ har `avtal`
                try:
                    rader = utvardera(
                        reg, utv.avtal, utv, fil, sha, konfig.regler["utvärdering"], kalla=kalla
                    )
                except RegisterFel as e:
                    synk.problem.append(str(e) if str(e).startswith(fil) else f"{fil}: {e}")
                    continue
                if rader is not None:
                    synk.andringar.append(f"{fil}: utvärderingen av {utv.avtal} registrerad")
            if synk.problem:
                raise Avbruten
    except Avbruten:
        synk.andringar.clear()
    return synk


def _andringsbeslut(
    db: Database, id_: str, beslut: tuple[arkiv.Beslut, ...]
) -> arkiv.Beslut | None:
    """Det senaste beslutet om ändring av avtalet som inte redan har använts i avtalets
    historik; None när inget finns."""
    anvanda = {
        r[0]
        for r in db.execute(
            "SELECT json_extract(efter, '$.beslut') FROM handelse WHERE avtal_id = ?", [id_]
        )
    }
    kandidater = sorted(
        (b for b in beslut if b.typ == "ändring" and b.referens not in anvanda),
        key=lambda b: b.datum,
    )
    return kandidater[-1] if kandidater else None
