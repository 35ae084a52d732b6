"""Registrets skrivningar: registrera förslag och byta avtalsägare (de gjorda utvärderingarna
skrivs i `utvarderingar`). Varje skrivning är en transaktion (`Register.transaktion`,
sqlite-utils `db.atomic()`), med händelseloggens rad i samma transaktion.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from partner_cli import modell
from partner_cli.register.anslutning import Register, RegisterFel, anvandare, infoga, nu
from partner_cli.register.kedja import AVTALETS_DELAR, avtal_i_historiken, handelse_rad, lanka
from partner_cli.register.lasning import aktiva, giltigt
from partner_cli.register.livscykel import LIVSCYKELNS_FALT, Beslutsgrund, avtal_json, las_rad
from partner_cli.register.rader import innehall, registerrader
from partner_cli.regler import avtalsagare
from partner_cli.saker import filnamn

if TYPE_CHECKING:
    from sqlite_utils import Database


def lagg_till(
    reg: Register,
    poster: Sequence[tuple[modell.Forslag, str, str]],
    sanktionerad_av: str,
    *,
    ersatt: bool = False,
    bara_registrerade: bool = False,
    vem: str | None = None,
    kalla: Mapping[str, Mapping[str, str]] | None = None,
    rader: Sequence[modell.Registerrader | None] = (),
) -> list[Tillagg]:
    """Registrerar granskade förslag (förslag, fil, sha256) i en transaktion: alla eller
    inga. En annan avtalsägare, eller ett ändrat avtal utan `ersatt`, är `RegisterFel`, och
    med `bara_registrerade` ett avtal som inte redan står i registret. `kalla` (avtalets id →
    beslut, beslutsdatum, commit) följer med i händelsens efter. `rader`: varje förslags
    rader när granskningen byggde dem (`med_registerrader`), annars byggs de här."""
    byggda = rader or [None] * len(poster)
    with reg.transaktion() as db:
        omgang = Registrering(
            db, sanktionerad_av, ersatt=ersatt, bara_registrerade=bara_registrerade, vem=vem,
            kalla=kalla,
        )  # fmt: skip
        omgang.lagg_till([(*p, r) for p, r in zip(poster, byggda, strict=True)])
    return omgang.resultat


class Registrering:
    """En `add`-omgång i en öppen transaktion: förslagen läggs till en följd i taget, i
    filernas ordning (`lagg_till`), och det som redan lagts till räknas i prövningarna av de
    följande. Så kan följderna skrivas medan granskningen av de sista filerna pågår."""

    def __init__(
        self,
        db: Database,
        sanktionerad_av: str,
        *,
        ersatt: bool = False,
        bara_registrerade: bool = False,
        vem: str | None = None,
        kalla: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.db = db
        self.sanktionerad_av = sanktionerad_av
        self.ersatt = ersatt
        self.bara_registrerade = bara_registrerade
        self.vem = vem or anvandare()
        self.tid = nu()
        self.kalla = kalla or {}
        self.omgang = _Omgang()
        self.kontext = _Skrivkontext(db, self.omgang)
        self.resultat: list[Tillagg] = []

    def lagg_till(
        self, poster: Sequence[tuple[modell.Forslag, str, str, modell.Registerrader | None]]
    ) -> None:
        """Lägger till förslagen (förslag, fil, sha256, rader eller None) och skriver deras
        rader; `RegisterFel` för det första som inte får registreras."""
        omgang, db = self.omgang, self.db
        omgang.las_registret(db, [p[0] for p in poster])
        for forslag, fil, sha, byggda in poster:
            if self.bara_registrerade and forslag.id not in omgang.registrets_avtal:
                raise RegisterFel(
                    f"{fil}: avtalet {forslag.id} finns inte i registret; ett nytt avtal "
                    "registreras med partner register add. Inget registrerades"
                )
            post = _Post(
                forslag, fil, sha, byggda or registerrader(forslag), self.kalla.get(forslag.id, {})
            )
            self.resultat.append(
                _lagg_till_en(
                    db, post, self.sanktionerad_av, self.ersatt, self.vem, self.tid, omgang,
                    self.kontext,
                )
            )  # fmt: skip
        lanka(db.conn, omgang.rader["handelse"])
        for tabell, tabellens in omgang.rader.items():
            if not tabellens:
                continue
            if tabell in AVTALETS_DELAR:
                # (avtal_id, avtalets rader utan det): en tabells rader byggs alla av samma
                # uttryck och har kolumnerna i samma ordning (`rader`).
                kolumner = ["avtal_id", *tabellens[0][1][0]]
                varden: Any = ((id_, *r.values()) for id_, rader in tabellens for r in rader)
            else:
                kolumner = list(tabellens[0])
                varden = map(itemgetter(*kolumner), tabellens)
            infoga(db.conn, tabell, kolumner, varden)
            tabellens.clear()


class _Post(NamedTuple):
    forslag: modell.Forslag
    fil: str
    sha: str
    rader: modell.Registerrader
    kalla: Mapping[str, str]


def _lagg_till_en(
    db: Database,
    post: _Post,
    sanktionerad_av: str,
    ersatt: bool,
    vem: str,
    tid: str,
    omgang: _Omgang,
    kontext: _Skrivkontext,
) -> Tillagg:
    forslag, fil, sha = post.forslag, post.fil, post.sha
    gammal = omgang.sha.get(forslag.id) or omgang.registrets_avtal.get(forslag.id)
    # Samma fil är oförändrad före varje prövning: också efter ett byte av avtalsägare, som
    # filen inte känner till.
    if gammal is not None and gammal[0] == sha:
        return Tillagg(forslag.id, fil, "oförändrad", [])
    problem = list(avtalsagare.check(forslag, {}, kontext))
    for p in problem:
        if p.niva != "varning":
            raise RegisterFel(f"{fil}: fel [{avtalsagare.ID}] {p.meddelande}; inget registrerades")
    agare = forslag.avtalsagare
    # Regeln har prövat att det finns exakt en ägare med ett namn.
    assert isinstance(agare, modell.Avtalsagare) and agare.namn
    orgnr = forslag.motpart.organisationsnummer
    if orgnr in omgang.bara_makulerade and orgnr not in omgang.agare:
        # Organisationens alla avtal är makulerade: dess ägare räknas inte, och förslaget ger
        # den en ny (loggad som ett byte av ägare).
        fore_org = omgang.bara_makulerade[orgnr]
        andring = {"avtalsagare_namn": agare.namn, "avtalsagare_enhet": agare.enhet}
        db.table("organisation").update(orgnr, andring)
        omgang.agare[orgnr] = (agare.namn, agare.enhet)
        omgang.agarfil[orgnr] = fil
        omgang.rader["handelse"].append(
            handelse_rad(tid, vem, "byt ägare", orgnr, None, fore_org, {**fore_org, **andring})
        )
    elif kontext.agare(orgnr) is None:
        ny_org = {
            "organisationsnummer": orgnr,
            "namn": forslag.motpart.namn,
            "kategori": forslag.motpart.kategori,
            "avtalsagare_namn": agare.namn,
            "avtalsagare_enhet": agare.enhet,
        }
        omgang.rader["organisation"].append(ny_org)
        omgang.agare[orgnr] = (agare.namn, agare.enhet)
        omgang.agarfil[orgnr] = fil
        omgang.rader["handelse"].append(
            handelse_rad(tid, vem, "ny organisation", orgnr, None, None, ny_org)
        )
    if gammal is not None and not ersatt:
        raise RegisterFel(
            f"{fil}: avtalet {forslag.id} finns redan i registret med annat innehåll; ange "
            "--ersätt för att ersätta det (den gamla versionen sparas i historiken). Inget "
            "registrerades"
        )
    varningar = [p.meddelande for p in problem if p.niva == "varning"]
    rad = {
        **post.rader.avtal,
        "fil": filnamn(fil),
        "sha256": sha,
        "registrerad": tid,
        "registrerad_av": vem,
        "sanktionerad_av": sanktionerad_av,
    }
    barn = post.rader.delar
    if gammal is None:
        omgang.rader["avtal"].append(rad)
        omgang.sha[forslag.id] = (sha,)
        omgang.perioder.setdefault(orgnr, []).append((forslag.id, forslag.period))
        fore = None
        status = "registrerad"
    else:
        utvarderat = db.execute(
            "SELECT max(mal_nr) FROM genomford_utvardering_mal WHERE avtal_id = ?", [forslag.id]
        ).fetchone()[0]
        if utvarderat is not None and utvarderat > len(barn["mal"]):
            raise RegisterFel(
                f"{fil}: avtalet {forslag.id} har utvärderade utfall för mål {utvarderat}, "
                f"men den nya versionen har {len(barn['mal'])} mål; ta inte bort utvärderade "
                "mål. Inget registrerades"
            )
        fore = avtal_json(db, forslag.id)
        if fore["makulerat_beslut"]:
            raise RegisterFel(
                f"{fil}: avtalet {forslag.id} är makulerat (beslut {fore['makulerat_beslut']}) "
                "och kan inte ändras. Inget registrerades"
            )
        # Det som beslut efter registreringen satte (ett avslut) står kvar i den nya versionen.
        rad |= {k: fore[k] for k in LIVSCYKELNS_FALT if fore[k] is not None}
        for tabell in AVTALETS_DELAR:
            db.execute(f"DELETE FROM {tabell} WHERE avtal_id = ?", [forslag.id])
        db.table("avtal").update(forslag.id, rad)
        status = "ersatt"
    for tabell, rader in barn.items():
        if rader:
            omgang.rader[tabell].append((forslag.id, rader))
    efter = {**avtal_i_historiken(rad, barn), **post.kalla}
    omgang.rader["handelse"].append(handelse_rad(tid, vem, status, orgnr, forslag.id, fore, efter))
    return Tillagg(forslag.id, fil, status, varningar)


def andrade_falt(db: Database, forslag: modell.Forslag) -> list[str] | None:
    """Fälten där förslaget skiljer sig från det registrerade avtalet med samma id (tomt när
    innehållet är detsamma, också som det senast registrerades ur en fil: en förlängning
    ändrar avtalet men inte dess fil); None när avtalet inte är registrerat."""
    if las_rad(db, "avtal", forslag.id) is None:
        return None
    nytt = innehall(forslag)
    andrade = _skillnad(nytt, avtal_json(db, forslag.id))
    if andrade:
        senaste_fil = db.execute(
            "SELECT efter FROM handelse WHERE avtal_id = ? AND vad IN ('registrerad', 'ersatt') "
            "ORDER BY id DESC LIMIT 1",
            [forslag.id],
        ).fetchone()
        if senaste_fil is not None and not _skillnad(nytt, json.loads(senaste_fil[0])):
            return []
    return andrade


def _skillnad(nytt: dict[str, Any], gammalt: dict[str, Any]) -> list[str]:
    andrade = []
    for nyckel, varde in nytt.items():
        fore = gammalt.get(nyckel)
        if isinstance(varde, list) and isinstance(fore, list):
            fore = [{k: r.get(k) for k in n} for r, n in zip(fore, varde, strict=False)]
            lika = len(fore) == len(gammalt[nyckel]) == len(varde) and fore == varde
        else:
            lika = fore == varde
        if not lika:
            andrade.append(nyckel)
    return andrade


def byt_agare(
    reg: Register,
    orgnr: str,
    namn: str,
    enhet: str | None,
    vem: str | None = None,
    grund: Beslutsgrund | None = None,
) -> None:
    """Organisationens avtalsägare byts, med beslutet (`grund`) i händelsen när det finns."""
    if not namn.strip():
        raise RegisterFel("avtalsägarens namn får inte vara tomt", 2)
    with reg.transaktion() as db:
        fore = las_rad(db, "organisation", orgnr)
        if fore is None:
            raise RegisterFel(f"organisationen {orgnr} finns inte i registret {reg.sokvag}")
        # Enheten står kvar när ingen ny anges: ägaren byts, inte organisationens enhet.
        ny_enhet = enhet.strip() or None if enhet is not None else fore["avtalsagare_enhet"]
        andring = {"avtalsagare_namn": namn.strip(), "avtalsagare_enhet": ny_enhet}
        db.table("organisation").update(orgnr, andring)
        efter = {**fore, **andring, **(grund.kalla() if grund else {})}
        handelse = handelse_rad(nu(), vem or anvandare(), "byt ägare", orgnr, None, fore, efter)
        lanka(db.conn, [handelse])
        db.table("handelse").insert(handelse)


@dataclass
class _Omgang:
    """En `add`-omgångs tillstånd: raderna skrivs i ett svep per tabell och följd (en rad i
    taget kostade mer än granskningen av samma filer), och det som redan lagts till i
    omgången räknas i ägar-, dubblett- och överlappsprövningarna."""

    # I den ordning tabellerna fylls: främmande nycklar pekar bakåt.
    # Avtalets delar som (avtal_id, avtalets rader utan det), övriga tabeller som rader.
    rader: dict[str, list[Any]] = field(
        default_factory=lambda: {
            t: [] for t in ("organisation", "avtal", *AVTALETS_DELAR, "handelse")
        }
    )
    agare: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # namn, enhet
    agarfil: dict[str, str] = field(default_factory=dict)  # filen som gav ägaren
    sha: dict[str, tuple[str]] = field(default_factory=dict)  # som en rad ur avtal
    perioder: dict[str, list[tuple[str, modell.Period]]] = field(default_factory=dict)
    # Registret för omgångens förslag, läst med en fråga per tabell i stället för en per förslag.
    registrets_agare: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    registrets_avtal: dict[str, tuple[str, str]] = field(default_factory=dict)  # sha256, orgnr
    # Organisationer i registret vars alla avtal är makulerade, med sina rader.
    bara_makulerade: dict[str, dict[str, Any]] = field(default_factory=dict)

    def las_registret(self, db: Database, forslag: Sequence[modell.Forslag]) -> None:
        """Ägarna till förslagens organisationer och de av förslagens avtal som redan står i
        registret."""
        import json

        # En organisation som omgången redan gett en ägare har den ägaren.
        orgnr = json.dumps(
            sorted({f.motpart.organisationsnummer for f in forslag} - self.agare.keys())
        )
        cur = db.execute(
            f"""SELECT o.*, EXISTS (SELECT 1 FROM avtal a
                    WHERE a.organisationsnummer = o.organisationsnummer AND {giltigt()})
                FROM organisation o
                WHERE organisationsnummer IN (SELECT value FROM json_each(?))""",
            [orgnr],
        )
        namn = [d[0] for d in cur.description][:-1]
        for *varden, med_giltiga in cur:
            org = dict(zip(namn, varden, strict=True))
            if med_giltiga:
                nummer = org["organisationsnummer"]
                self.registrets_agare[nummer] = (org["avtalsagare_namn"], org["avtalsagare_enhet"])
            else:
                self.bara_makulerade[org["organisationsnummer"]] = org
        ids = json.dumps([f.id for f in forslag])
        self.registrets_avtal |= {
            r[0]: (r[1], r[2])
            for r in db.execute(
                "SELECT id, sha256, organisationsnummer FROM avtal "
                "WHERE id IN (SELECT value FROM json_each(?))",
                [ids],
            )
        }


class _Skrivkontext:
    """Regeln `avtalsägare`s `Kontext` i en `add`-omgång: registret som det är under
    skrivlåset, och det som redan lagts till i omgången."""

    def __init__(self, db: Database, omgang: _Omgang) -> None:
        self.db = db
        self.omgang = omgang

    def agare(self, organisationsnummer: str) -> tuple[str, str | None] | None:
        if organisationsnummer in self.omgang.agare:
            return self.omgang.agare[organisationsnummer]
        return self.omgang.registrets_agare.get(organisationsnummer)

    def omgangens_fil(self, organisationsnummer: str) -> str | None:
        return self.omgang.agarfil.get(organisationsnummer)

    def registrerat(self, organisationsnummer: str, id_: str) -> bool:
        avtal = self.omgang.registrets_avtal.get(id_)
        return avtal is not None and avtal[1] == organisationsnummer

    def overlappande(
        self, organisationsnummer: str, start: dt.date, slut: dt.date, utom_id: str
    ) -> list[str]:
        # En organisation som inte står i registret har inga avtal där.
        i_registret = (
            self.db.execute(
                "SELECT id FROM avtal a WHERE organisationsnummer = ? AND id <> ? AND "
                + aktiva("?", "?"),
                [organisationsnummer, utom_id, slut.isoformat(), start.isoformat()],
            ).fetchall()
            if organisationsnummer in self.omgang.registrets_agare
            or organisationsnummer in self.omgang.bara_makulerade
            else []
        )
        i_omgangen = (
            id_
            for id_, period in self.omgang.perioder.get(organisationsnummer, [])
            if id_ != utom_id and period.overlappar(start, slut)
        )
        # Avtal som omgången redan skrivit står i båda.
        return sorted({*(r[0] for r in i_registret), *i_omgangen})


@dataclass(frozen=True)
class Tillagg:
    id: str
    fil: str
    status: str  # registrerad | ersatt | oförändrad
    varningar: list[str] = field(default_factory=list)
