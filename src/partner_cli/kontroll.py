"""Granskningen: filer in, ett `Kontrollresultat` ut. Skriver aldrig ut något.

En fil som inte går att läsa blir utfallet `ogiltig` för den filen; övriga filer granskas
ändå. Många filer granskas i flera processer (libyaml släpper inte GIL).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from partner_cli import arkiv, laddning, regler, schema
from partner_cli.arkiv import Beslut
from partner_cli.konfig import Konfig, hitta
from partner_cli.modell import (
    IN_KIND_SLAG,
    Avtalsagare,
    Filresultat,
    Fynd,
    Kontrollresultat,
    Medfinansiering,
    Niva,
    Utfall,
)
from partner_cli.regler.bas import Kontext
from partner_cli.regler.jambordighet import ID as JAMBORDIGHET

if TYPE_CHECKING:
    import datetime as dt

FORMATGRUND = "Förslagsformatet (README, partner schema)"
STDIN = "-"
YAML_ANDELSER = (".yaml", ".yml")
# Under så här många filer kostar processstarten mer än den ger.
MIN_FILER_PARALLELLT = 200


class AnvandningsFel(Exception):
    """Fel i anropet (ingen sådan sökväg, en katalog utan förslag): avslutningskod 2."""


class Samling(NamedTuple):
    filer: list[str]
    # Det som katalogerna innehöll men som inte granskades: slag → antal (`EJ_GRANSKADE`).
    ej_granskade: dict[str, int]


# Det en granskad katalog kan innehålla som kunde vara förslag men inte granskas. Dolda filer
# och kataloger (som .git) och länkade kataloger: en länk kan leda utanför arkivet eller i en
# slinga; ange en länkad katalog direkt för att granska den. En katalog som inte går att läsa
# (behörighet, för lång sökväg) hoppas aldrig över: den blir ett ogiltigt utfall. Filer med
# andra ändelser än .yaml och .yml är inte förslag och räknas inte.
EJ_GRANSKADE = {
    "dolda": ("dold", "dolda"),
    "länkade_kataloger": ("länkad katalog", "länkade kataloger"),
}


def samla_filer(sokvagar: Iterable[str]) -> list[str]:
    return samla(sokvagar).filer


def samla(sokvagar: Iterable[str]) -> Samling:
    # (sökväg, kanonisk sökväg): `partner check forslag/ forslag/a.yaml` granskar a.yaml en
    # gång, inte som sin egen dubblett.
    filer: list[tuple[str, str]] = []
    ej: dict[str, int] = dict.fromkeys(EJ_GRANSKADE, 0)
    for s in sokvagar:
        if s == STDIN:
            filer.append((s, s))
            continue
        p = Path(s)
        if p.is_dir():
            hittade = sorted(_yamlfiler(str(p), os.path.realpath(p), ej))
            if not hittade:
                raise AnvandningsFel(f"Katalogen {s} innehåller inga .yaml- eller .yml-filer")
            filer.extend(hittade)
        elif p.exists() or p.is_symlink():
            filer.append((s, os.path.realpath(s)))
        else:
            raise AnvandningsFel(f"Sökvägen {s} finns inte")
    sedda: set[str] = set()
    unika = []
    for fil, nyckel in filer:
        if nyckel not in sedda:
            sedda.add(nyckel)
            unika.append(fil)
    return Samling(unika, {k: n for k, n in ej.items() if n})


def samla_arkivet(rot: Path) -> Samling:
    """Förslagsarkivets filer under forslag/, beslut/ och utvarderingar/; kataloger som
    saknas eller är tomma (ett nytt arkiv) hoppas över."""
    filer: list[str] = []
    ej: dict[str, int] = dict.fromkeys(EJ_GRANSKADE, 0)
    for namn in arkiv.KATALOGER:
        katalog = rot / namn
        if katalog.is_dir():
            sokvag = os.path.relpath(katalog)
            filer += sorted(f for f, _ in _yamlfiler(sokvag, os.path.realpath(sokvag), ej))
    return Samling(filer, {k: n for k, n in ej.items() if n})


def _yamlfiler(katalog: str, kanonisk: str, ej: dict[str, int]) -> Iterator[tuple[str, str]]:
    """Förslagsfilerna under katalogen med sina kanoniska sökvägar (som realpath); det som
    inte granskas räknas i `ej`.

    Den kanoniska sökvägen byggs en gång per katalog; bara en länkad fil slås upp för sig
    (realpath per fil var det mesta av tiden före granskningen). Länkade kataloger följs inte:
    en länk till en förälder ger ingen oändlig vandring. En katalog som inte går att läsa ges
    som en fil, så att läsningen rapporterar varför (ogiltig).
    """
    kvar = [(katalog, kanonisk)]
    while kvar:
        katalog, kanonisk = kvar.pop()
        try:
            poster = list(os.scandir(katalog))
        except OSError:
            yield katalog, kanonisk
            continue
        for e in poster:
            if e.name.startswith("."):
                ej["dolda"] += 1
                continue
            try:
                ar_katalog = e.is_dir()
            except OSError:  # en länk i en slinga: en fil som sedan inte går att läsa
                ar_katalog = False
            if ar_katalog:
                if e.is_symlink():
                    ej["länkade_kataloger"] += 1
                else:
                    kvar.append((e.path, os.path.join(kanonisk, e.name)))
            elif e.name.lower().endswith(YAML_ANDELSER):
                lankad = e.is_symlink()
                yield e.path, os.path.realpath(e.path) if lankad else os.path.join(kanonisk, e.name)


def kontrollera_bytes(
    fil: str,
    data: bytes | laddning.LasFel,
    konfig: Konfig,
    kontext: Kontext | None = None,
    behall_forslag: bool = False,
    beslut: Mapping[str, tuple[Beslut, ...]] | None = None,
) -> Filresultat:
    """En fils resultat. Filer under beslut/ och utvarderingar/ prövas mot sina format;
    `beslut` (avtalets id → besluten om det) ger förslagens undantag."""
    if isinstance(data, laddning.LasFel):
        return _ogiltig(fil, [_fynd("yaml", data.meddelande, data.rad, data.kolumn, "")])
    slag = arkiv.katalog(fil)
    if slag == arkiv.BESLUT:
        return _arkivfil(fil, arkiv.las_beslut(data, konfig.beslutande))
    if slag == arkiv.UTVARDERINGAR:
        from partner_cli.utvarderingsfil import las_utvardering

        return _arkivfil(fil, las_utvardering(data, med_avtal=True))
    sha = _sha256(data) if behall_forslag else None
    nod = laddning.las_bytes(data, konfig.max_varden)
    if isinstance(nod, laddning.LasFel):
        return _ogiltig(fil, [_fynd("yaml", nod.meddelande, nod.rad, nod.kolumn, "")], sha)
    kommun = konfig.kommun
    forslag = schema.tolka(nod, kommun.utvecklingsomraden if kommun is not None else ())
    if isinstance(forslag, list):
        return _ogiltig(fil, _formatfynd(forslag), sha)
    medraknade = frozenset(konfig.regler["medfinansiering"]["in_kind_som_räknas"])
    alla = medraknade >= set(IN_KIND_SLAG)
    if konfig.kommun is not None or not alla:
        forslag = forslag._replace(
            kommun=konfig.kommun, medraknade_in_kind=None if alla else medraknade
        )
    forslag = regler.med_beslut(forslag, (beslut or {}).get(forslag.id, ()))
    fynd, tillamplig = regler.granska(forslag, konfig.regler, kontext)
    utfall: Utfall
    if not tillamplig:
        utfall = "ej_tillämplig"
    elif any(f.niva == "fel" for f in fynd):
        utfall = "underkänd"
    else:
        utfall = "godkänd"
    # Utfallet och undantagen räknas på alla fynd; visas gör de första.
    visade = begransa(sorted(fynd, key=_ordning), konfig.max_fynd)
    fordelning = forslag.fordelning
    jamn = konfig.regler[JAMBORDIGHET]
    return Filresultat(
        fil=fil,
        utfall=utfall,
        fynd=tuple(visade),
        id=forslag.id,
        id_plats=forslag.plats("id"),
        medfinansiering=(
            Medfinansiering(
                fordelning.medfinansiering,
                fordelning.total,
                konfig.regler["medfinansiering"]["min_andel"],
                fordelning,
                jamn["min_näringslivsandel"] if jamn["nivå"] != "av" else None,
            )
            if fordelning.total
            else None
        ),
        # Utan platserna: registret behöver dem inte, och de är det mesta som skickas mellan
        # processerna.
        forslag=forslag._replace(platser={}) if behall_forslag else None,
        sha256=sha,
        undantag=regler.undantagsutfall(forslag, fynd) if tillamplig else (),
        agare=(
            (forslag.motpart.organisationsnummer, forslag.avtalsagare.namn)
            if tillamplig
            and isinstance(forslag.avtalsagare, Avtalsagare)
            and forslag.avtalsagare.namn
            else None
        ),
    )


def begransa(fynd: list[Fynd], hogst: int) -> list[Fynd]:
    """De första `hogst` fynden och ett sista som säger hur många som utelämnades, med den
    allvarligaste nivån bland dem. Utfallet räknas före, på alla fynd."""
    if len(fynd) <= hogst:
        return fynd
    utelamnade = fynd[hogst:]
    nivaer = {f.niva for f in utelamnade}
    niva: Niva = next(n for n in ("fel", "varning", "undantag") if n in nivaer)
    forsta = utelamnade[0]
    sista = forsta._replace(
        niva=niva,
        undantag=None,
        meddelande=(
            f"… och {len(utelamnade)} fynd till (högst {hogst} per fil, "
            "check.max_fynd_per_fil i partner.toml); rätta de ovanstående först"
        ),
    )
    return [*fynd[:hogst], sista]


def _formatfynd(fel: list[schema.Formatfel]) -> list[Fynd]:
    fynd = [_fynd("format", f.meddelande, f.rad, f.kolumn, f.sokvag) for f in fel]
    return sorted(fynd, key=_ordning)


def _arkivfil(fil: str, tolkad: object) -> Filresultat:
    """Ett beslut eller en utvärdering: godkänd när formatet följs (vad filen säger om
    registrets avtal prövas mot registret)."""
    if isinstance(tolkad, list):
        return _ogiltig(fil, _formatfynd(tolkad))
    return Filresultat(fil=fil, utfall="godkänd", fynd=())


def las_beslut(konfig: Konfig, filer: Iterable[str] = ()) -> dict[str, tuple[Beslut, ...]]:
    """Besluten efter avtal, ur beslut/ i varje förslagsarkiv som granskningen rör: det vars
    partner.toml används, och det som varje fil ligger i (partner.toml närmast ovanför den).
    En fil som inte följer formatet ger inget beslut; den underkänns när beslut/ granskas."""
    rotter = {konfig.katalog.resolve()}
    for katalog in {os.path.dirname(f) or "." for f in filer if f != STDIN}:
        try:
            toml = hitta(Path(katalog).resolve())
        except OSError:  # en sökväg som inte går att slå upp blir ogiltig när filen läses
            continue
        if toml is not None:
            rotter.add(toml.parent)
    efter_avtal: dict[str, list[Beslut]] = {}
    for rot in sorted(rotter):
        katalog = str(rot / arkiv.BESLUT)
        if not os.path.isdir(katalog):
            continue
        for fil, _ in sorted(_yamlfiler(katalog, katalog, dict.fromkeys(EJ_GRANSKADE, 0))):
            data = laddning.las_fil_bytes(fil, konfig.max_filstorlek)
            if isinstance(data, laddning.LasFel):
                continue
            b = arkiv.las_beslut(data, konfig.beslutande)
            if isinstance(b, arkiv.Beslut) and b.avtal is not None:
                efter_avtal.setdefault(b.avtal, []).append(b)
    return {avtal: tuple(b) for avtal, b in efter_avtal.items()}


def _sha256(data: bytes) -> str:
    # Bara registret behöver filens kontrollsumma; en granskning slipper både import och hash.
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _ordning(f: Fynd) -> tuple[int, int]:
    return f.rad, f.kolumn


def _fynd(regel: str, meddelande: str, rad: int, kolumn: int, sokvag: str) -> Fynd:
    return Fynd(regel, "fel", meddelande, rad, kolumn, sokvag, FORMATGRUND)


def _ogiltig(fil: str, fynd: list[Fynd], sha: str | None = None) -> Filresultat:
    return Filresultat(fil=fil, utfall="ogiltig", fynd=tuple(fynd), sha256=sha)


def las(fil: str, max_byte: int) -> bytes | laddning.LasFel:
    if fil == STDIN:
        return _las_stdin(max_byte)
    return laddning.las_fil_bytes(fil, max_byte)


@functools.cache  # en gång, också när filen granskas om med körningens övriga filer
def _las_stdin(max_byte: int) -> bytes | laddning.LasFel:
    data = sys.stdin.buffer.read(max_byte + 1)
    if len(data) > max_byte:
        return laddning.LasFel(
            f"Indata är större än gränsen på {max_byte:,} byte".replace(",", " ")
        )
    return data


# En fils post i ett rapportformat, som arbetsprocessen skriver medan resultatet finns där
# (huvudprocessen skriver den bara ut).
PerFil = Callable[[Filresultat], str]
# Körs på varje fils resultat i processen som granskade filen, medan förslaget finns där.
Efterbehandling = Callable[[Filresultat], Filresultat]

# Sätts före fork så att arbetsprocesserna ärver inställningarna utan att de picklas per fil.
_JOBB: (
    tuple[
        Konfig,
        Kontext | None,
        bool,
        tuple[PerFil, ...],
        dict[str, tuple[Beslut, ...]],
        Efterbehandling | None,
    ]
    | None
) = None


def _kontrollera_en(fil: str, omgang: Kontext | None = None) -> tuple[Filresultat, tuple[str, ...]]:
    assert _JOBB is not None
    konfig, kontext, behall, per_fil, beslut, efter = _JOBB
    kontext = omgang or kontext
    data = las(fil, konfig.max_filstorlek)
    r = kontrollera_bytes(fil, data, konfig, kontext, behall, beslut)
    if efter is not None:
        r = efter(r)
    return r, tuple(rendera(r) for rendera in per_fil)


def kontrollera(
    filer: list[str],
    konfig: Konfig,
    kontext: Kontext | None = None,
    *,
    strikt: bool = False,
    behall_forslag: bool = False,
    per_fil: Mapping[str, PerFil] | None = None,
    efterbehandling: Efterbehandling | None = None,
    medan: Callable[[Filresultat], None] | None = None,
) -> Kontrollresultat:
    """Granskar filerna; `per_fil` (format → funktion) ger varje fils post i de formaten, och
    `efterbehandling` gör om varje fils resultat där filen granskades (med `behall_forslag`:
    registrets rader medan förslaget finns i arbetsprocessen). `medan` får varje fils resultat
    i filernas ordning så snart det finns, medan de följande granskas: innan körningens
    prövningar över filerna (samma id, en annan avtalsägare för samma organisation), som bara
    kan göra ett godkänt resultat underkänt eller ogiltigt."""
    global _JOBB
    per_fil = per_fil or {}
    _JOBB = (
        konfig,
        kontext,
        behall_forslag,
        tuple(per_fil.values()),
        las_beslut(konfig, filer),
        efterbehandling,
    )
    arbetare = min(os.cpu_count() or 1, 8)
    if len(filer) >= MIN_FILER_PARALLELLT and arbetare > 1 and STDIN not in filer:
        # Här och inte överst: en enstaka fil (pre-commit) ska inte betala importen.
        import gc
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Huvudprocessens objekt till en permanent generation: arbetsprocesserna går då inte
        # igenom dem vid skräpsamling (och kopierar inte sidorna de ligger på).
        gc.freeze()
        # Resultaten som packas upp här är tiotusentals små objekt utan cykler: skräpsamlingen
        # gick igenom dem om och om igen medan de kom (mer än att packa upp dem), och efteråt
        # vid varje full samling medan de används (registrets rader). De går till den
        # permanenta generationen; referensräkningen frigör dem som vanligt. I
        # arbetsprocesserna är den på som vanligt.
        gc.disable()
        try:
            with ProcessPoolExecutor(
                arbetare, mp_context=multiprocessing.get_context("fork"), initializer=gc.enable
            ) as p:
                par = _ta_emot(p.map(_kontrollera_en, filer, chunksize=64), medan)
        finally:
            gc.freeze()
            gc.enable()
    else:
        par = _ta_emot(map(_kontrollera_en, filer), medan)
    resultat = [r for r, _ in par]
    texter = [t for _, t in par]
    for i, r in _id_dubbletter(resultat):
        resultat[i] = r
        texter[i] = tuple(rendera(r) for rendera in per_fil.values())
    # Regeln `avtalsägare` ser körningens övriga filer, som `register add` ser omgången: en
    # fil vars organisation fick en annan ägare i en tidigare fil granskas om med den.
    omgang = Omgangskontext(kontext)
    for i, r in enumerate(resultat):
        if omgang.strider_mot(r):
            resultat[i], texter[i] = _kontrollera_en(r.fil, omgang)
    renderat = {namn: tuple(t[j] for t in texter) for j, namn in enumerate(per_fil)}
    return Kontrollresultat(
        tuple(resultat), strikt=strikt, renderat=renderat, konfiguration=konfig.beskrivning()
    )


def _ta_emot(
    par: Iterable[tuple[Filresultat, tuple[str, ...]]], medan: Callable[[Filresultat], None] | None
) -> list[tuple[Filresultat, tuple[str, ...]]]:
    if medan is None:
        return list(par)
    ut = []
    for r, t in par:
        medan(r)
        ut.append((r, t))
    return ut


class Omgangskontext:
    """Regeln `avtalsägare`s `Kontext` för körningens övriga filer: registret (när det
    finns) och, för en organisation som inte står där, avtalsägaren i körningens första fil
    för den. Det är vad `register add` ser när filerna registreras i samma omgång."""

    def __init__(self, registret: Kontext | None) -> None:
        self.registret = registret
        self.forsta: dict[str, tuple[str, str]] = {}  # organisationsnummer → (ägare, fil)

    def strider_mot(self, r: Filresultat) -> bool:
        """Sant när filens avtalsägare är en annan än den en tidigare fil gav organisationen;
        annars blir den organisationens ägare för de följande filerna. Registrets ägare har
        regeln redan prövat."""
        if r.agare is None or r.utfall == "ogiltig":
            return False
        orgnr, namn = r.agare
        if self._i_registret(orgnr):
            return False
        forsta = self.forsta.setdefault(orgnr, (namn, r.fil))
        return arkiv.jamforbart(forsta[0]) != arkiv.jamforbart(namn)

    def _i_registret(self, organisationsnummer: str) -> bool:
        return self.registret is not None and self.registret.agare(organisationsnummer) is not None

    def agare(self, organisationsnummer: str) -> tuple[str, str | None] | None:
        if self.registret is not None and self._i_registret(organisationsnummer):
            return self.registret.agare(organisationsnummer)
        forsta = self.forsta.get(organisationsnummer)
        return None if forsta is None else (forsta[0], None)

    def omgangens_fil(self, organisationsnummer: str) -> str | None:
        if self._i_registret(organisationsnummer) or organisationsnummer not in self.forsta:
            return None
        return self.forsta[organisationsnummer][1]

    def registrerat(self, organisationsnummer: str, id_: str) -> bool:
        return self.registret is not None and self.registret.registrerat(organisationsnummer, id_)

    def overlappande(
        self, organisationsnummer: str, start: dt.date, slut: dt.date, utom_id: str
    ) -> list[str]:
        if self.registret is None:
            return []
        return self.registret.overlappande(organisationsnummer, start, slut, utom_id)


def _id_dubbletter(resultat: list[Filresultat]) -> Iterator[tuple[int, Filresultat]]:
    """Filerna (index, nytt resultat) vars id redan används av en tidigare fil."""
    forsta: dict[str, str] = {}
    for i, r in enumerate(resultat):
        if r.id is None:
            continue
        if r.id in forsta:
            text = f"id {r.id!r} används redan i {forsta[r.id]}"
            dubblett = _fynd("format", text, *r.id_plats, "id")
            yield (
                i,
                r._replace(
                    utfall="ogiltig",
                    fynd=(*r.fynd, dubblett),
                    forslag=None,
                    medfinansiering=None,
                    registerrader=None,
                ),
            )
        else:
            forsta[r.id] = r.fil
