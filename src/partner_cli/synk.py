"""`partner register sync`: registret görs likt förslagsarkivet, allt eller inget.

Först byts avtalsägare enligt besluten om `ägarbyte` i beslut/. Sedan registreras förslagen
i forslag/ som är godkända och inte registrerade; ett registrerat förslag vars innehåll är
detsamma (kommentarer, nycklarnas ordning, beloppens stavning, en avtalsägare som bytts
sedan) är oförändrat; ett ändrat innehåll förs in bara när ett beslut om `ändring` för
avtalet finns i beslut/. Därefter besluten om `förlängning`, `avslut` och `makulering`, och
sist de gjorda utvärderingarna i utvarderingar/, var för sig i datumordning (en som ersätter
eller makulerar en annan i omgången efter den). Ett beslut som redan står i historiken förs
inte in igen, och en registrerad utvärderings fil ändras inte: en rättelse är en ny fil.
Varje problem samlas; finns något skrivs inget.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from partner_cli import arkiv, laddning
from partner_cli.kontroll import FORMATGRUND

if TYPE_CHECKING:
    from sqlite_utils import Database

    from partner_cli.konfig import Konfig
    from partner_cli.modell import Kontrollresultat
    from partner_cli.register.anslutning import Register
    from partner_cli.tolkning import Formatfel
    from partner_cli.utvarderingsfil import Makulering, Utvardering


class Avbruten(Exception):
    """Det fanns problem: transaktionen rullas tillbaka."""


class Problem(NamedTuple):
    """Det som gör att `sync` vägrar, i en fil; med plats och regel när det är ett fynd som
    `partner check` visar (ett förslag som inte är godkänt har sina fynd i granskningen)."""

    fil: str
    meddelande: str
    plats: tuple[int, int] | None = None
    regel: str = arkiv.ARKIVREGEL
    grund: str = arkiv.ARKIVGRUND
    sokvag: str = ""  # YAML-nycklarna till platsen, som i fynden

    @property
    def text(self) -> str:
        if self.plats is None:
            return f"{self.fil}: {self.meddelande}"
        rad, kolumn = self.plats
        return f"{self.fil}:{rad}:{kolumn}: fel [{self.regel}] {self.meddelande}"


class Vagrad(Exception):
    """Ett beslut som inte går att föra in."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.meddelande)
        self.problem = problem


@dataclass
class Synkning:
    andringar: list[str] = field(default_factory=list)  # "fil: vad som gjordes"
    problem: list[Problem] = field(default_factory=list)
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
    ut = []
    for fil in _yamlfiler(rot / arkiv.BESLUT):
        data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
        if isinstance(data, laddning.LasFel):
            synk.problem.append(_lasfel(fil, data))
            continue
        b = arkiv.las_beslut(data, konfig.beslutande)
        if isinstance(b, list):
            synk.problem.extend(_formatfel(fil, b))
            continue
        ut.append((b, str(fil)))
    return sorted(ut, key=lambda u: (u[0].datum, u[1]))


def _tillampa(
    reg: Register, db: Database, b: arkiv.Beslut, fil: str, commit_: str | None
) -> str | None:
    """För in ett beslut om ägarbyte, förlängning, avslut eller makulering; texten för
    ändringen, eller None när beslutet redan står i historiken. Ett beslut som inte går att
    föra in är `Vagrad`, med filens rad och kolumn."""
    from partner_cli.register import livscykel
    from partner_cli.register.anslutning import RegisterFel
    from partner_cli.register.skrivning import byt_agare

    grund = livscykel.Beslutsgrund(b.referens, b.datum, commit_)

    def vagrad(nyckel: str, meddelande: str) -> Vagrad:
        plats = b.platser.get(nyckel, b.platser["typ"])
        return Vagrad(
            Problem(fil, meddelande, plats, sokvag=nyckel if nyckel in b.platser else "typ")
        )

    if b.typ == "ägarbyte":
        assert b.organisationsnummer is not None and b.avtalsagare is not None
        orgnr = b.organisationsnummer
        if livscykel.tillampat(db, "byt ägare", b.referens, orgnr=orgnr):
            return None
        if livscykel.las_rad(db, "organisation", orgnr) is None:
            raise vagrad(
                "organisationsnummer",
                f"organisationen {orgnr} finns inte i registret; ett ägarbyte gäller en "
                "registrerad organisation (ett nytt förslag anger själv sin avtalsägare)",
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
        raise vagrad("slut", str(e)) from None
    return f"{fil}: {b.avtal} {vad} enligt beslut {b.referens}"


def _okant_avtal(db: Database, b: arkiv.Beslut, fil: str) -> Problem | None:
    """Problemet med ett beslut om ett avtal som inte finns i registret, eller None."""
    if b.avtal is None or db.execute("SELECT 1 FROM avtal WHERE id = ?", [b.avtal]).fetchone():
        return None
    text = (
        f"beslutet {b.referens} gäller avtalet {b.avtal}, som inte finns i registret eller "
        f"bland de godkända förslagen i {arkiv.FORSLAG}/"
    )
    return Problem(fil, text, b.platser["avtal"], sokvag="avtal")


def _lasfel(fil: Path, fel: laddning.LasFel) -> Problem:
    return Problem(str(fil), fel.meddelande, (fel.rad, fel.kolumn), "yaml", FORMATGRUND)


def _formatfel(fil: Path, fel: list[Formatfel]) -> Iterator[Problem]:
    for f in fel:
        yield Problem(str(fil), f.meddelande, (f.rad, f.kolumn), "format", FORMATGRUND, f.sokvag)


Utvarderingsfil = tuple["Utvardering | Makulering", str, str]


def _utvarderingar(rot: Path, konfig: Konfig, synk: Synkning) -> list[Utvarderingsfil]:
    from partner_cli.utvarderingsfil import las_utvardering

    ut: list[Utvarderingsfil] = []
    for fil in _yamlfiler(rot / arkiv.UTVARDERINGAR):
        data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
        if isinstance(data, laddning.LasFel):
            synk.problem.append(_lasfel(fil, data))
            continue
        utv = las_utvardering(data, med_avtal=True)
        if isinstance(utv, list):
            synk.problem.extend(_formatfel(fil, utv))
            continue
        ut.append((utv, str(fil), hashlib.sha256(data).hexdigest()))
    return _i_ordning(sorted(ut, key=lambda u: (u[0].datum, u[1])))


def _i_ordning(filer: list[Utvarderingsfil]) -> list[Utvarderingsfil]:
    """Filerna i datumordning, utom att en fil som ersätter eller makulerar en annan fil i
    omgången kommer efter den (en rättelse av datumet kan ha ett tidigare datum)."""
    from partner_cli.utvarderingsfil import Makulering, filens_namn

    index = {(u.avtal, filens_namn(fil)): i for i, (u, fil, _) in enumerate(filer)}
    ordning: list[int] = []

    def lagg(i: int, vag: frozenset[int]) -> None:
        if i in ordning or i in vag:
            return
        u = filer[i][0]
        namn = u.makulerar if isinstance(u, Makulering) else u.ersatter
        if namn is not None and (j := index.get((u.avtal, filens_namn(namn)))) is not None:
            lagg(j, vag | {i})
        ordning.append(i)

    for i in range(len(filer)):
        lagg(i, frozenset())
    return [filer[i] for i in ordning]


def synka(
    reg: Register,
    rot: Path,
    konfig: Konfig,
    sanktionerad_av: Callable[[], str],
    *,
    med_commit: bool = True,
) -> Synkning:
    """Gör registret likt arkivet i `rot`, i en transaktion. `sanktionerad_av` frågas bara
    när något ska registreras; `med_commit` läser arkivets commit till händelserna. Med
    problem skrivs inget (och `problem` säger vad)."""
    from partner_cli.kontroll import AnvandningsFel, kontrollera, las_beslut, samla_filer
    from partner_cli.register import livscykel
    from partner_cli.register.anslutning import RegisterFel
    from partner_cli.register.skrivning import andrade_falt, lagg_till
    from partner_cli.register.utvarderingar import UtvarderingPassarInte, makulera, utvardera
    from partner_cli.utvarderingsfil import Makulering

    synk = Synkning()
    try:
        filer = samla_filer([str(rot / arkiv.FORSLAG)])
    except AnvandningsFel:  # forslag/ saknas eller har inga förslag: ett nytt arkiv
        filer = []
    granskning = kontrollera(filer, konfig, behall_forslag=True)
    if not granskning.godkant:
        synk.granskning = granskning
        synk.problem.extend(
            Problem(r.fil, f"förslaget är inte godkänt ({r.utfall}); se fynden ovan")
            for r in granskning.filer
            if r.utfall != "godkänd"
        )
    beslut = las_beslut(konfig, filer)
    beslutsfiler = _beslut(rot, konfig, synk)
    utvarderingar = _utvarderingar(rot, konfig, synk)
    commit_ = commit(rot) if med_commit else None
    kalla = {"commit": commit_} if commit_ else {}

    def tillampa(typer: tuple[str, ...]) -> None:
        for b, fil in beslutsfiler:
            if b.typ in typer:
                try:
                    text = _tillampa(reg, db, b, fil, commit_)
                except Vagrad as e:
                    synk.problem.append(e.problem)
                    continue
                except RegisterFel as e:
                    synk.problem.append(Problem(fil, str(e), b.platser["typ"], sokvag="typ"))
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
                        text = (
                            f"avtalet {f.id} skiljer sig från det registrerade "
                            f"({', '.join(andrade)}); ett beslut av typen ändring för {f.id} "
                            f"saknas i {arkiv.BESLUT}/"
                        )
                        synk.problem.append(Problem(r.fil, text, r.id_plats, sokvag="id"))
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
                    text = str(e).removeprefix(f"{r.fil}: ").removesuffix("; inget registrerades")
                    synk.problem.append(Problem(r.fil, text, r.id_plats, sokvag="id"))
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
                if db.execute("SELECT 1 FROM avtal WHERE id = ?", [utv.avtal]).fetchone() is None:
                    text = (
                        f"avtalet {utv.avtal} finns inte i registret eller bland de godkända "
                        f"förslagen i {arkiv.FORSLAG}/"
                    )
                    plats = utv.platser.get("avtal")
                    synk.problem.append(Problem(fil, text, plats, sokvag="avtal"))
                    continue
                gjort: object
                try:
                    if isinstance(utv, Makulering):
                        gjort = makulera(reg, utv.avtal, utv, fil, kalla=kalla)
                        vad = "makulerad"
                    else:
                        gjort = utvardera(
                            reg,
                            utv.avtal,
                            utv,
                            fil,
                            sha,
                            konfig.regler["utvärdering"],
                            kalla=kalla,
                            i_arkivet=True,
                        )
                        vad = "registrerad" if utv.ersatter is None else "registrerad som rättelse"
                except UtvarderingPassarInte as e:
                    synk.problem.extend(
                        Problem(fil, f.meddelande, (f.rad, f.kolumn), f.regel, f.grund, f.sokvag)
                        for f in e.fynd
                    )
                    continue
                except RegisterFel as e:
                    plats = utv.platser.get("avtal")
                    synk.problem.append(Problem(fil, str(e), plats, sokvag="avtal"))
                    continue
                if gjort is not None:
                    synk.andringar.append(f"{fil}: utvärderingen av {utv.avtal} {vad}")
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


def forutse(rot: Path, konfig: Konfig, registerfil: Path | None, export: Path | None) -> Synkning:
    """Det som `register sync` skulle säga om arkivet i `rot`, utan att något skrivs: samma
    synkning i ett register i minnet, en kopia av `registerfil` när den finns och annars byggt
    ur den inlämnade `export` (tomt utan). `partner check` i ett arkiv förutser så varje
    vägran."""
    from partner_cli.register import utbyte
    from partner_cli.register.anslutning import i_minnet

    reg = i_minnet(registerfil or export or rot, registerfil)
    try:
        if registerfil is None and export is not None:
            utbyte.importera(reg, utbyte.las_export(export), str(export))
        return synka(reg, rot, konfig, lambda: "(granskningen)", med_commit=False)
    finally:
        reg.stang()
