"""partner.toml: varje gräns och regelnivå, så att andra kommuner kan anpassa verktyget.

Filen söks i aktuell katalog och dess föräldrar upp till arkivets rot (katalogen med `.git`)
eller hemkatalogen, eller anges med `--config`. Okända nycklar, fel typer och heltal över
sin övre gräns (`HOGSTA`) är fel som namnger nyckeln (avslutningskod 2). Nycklar med å, ä
och ö skrivs med citattecken (`"nivå"`) eller translittererade (`niva`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from partner_cli import regler, systemfel
from partner_cli.laddning import STANDARD_MAX_BYTE, STANDARD_MAX_VARDEN
from partner_cli.modell import Kommun
from partner_cli.namn import attributnamn
from partner_cli.varden import VardeFel, organisationsnummer

FILNAMN = "partner.toml"
MILJO_REGISTER = "PARTNER_REGISTER"
STANDARD_REGISTER = Path("register") / "partnerskap.db"
EXPORTKATALOG = Path("register") / "export"
STANDARD_MAX_FYND = 100

# Varje heltalsinställnings övre gräns: större värden är skrivfel, och de skulle annars
# spränga datum (3 000 000 dagar) eller minnet (en gräns för filstorleken nära 2⁶³).
HOGSTA: dict[str, int] = {
    "check.max_filstorlek": 100_000_000,
    "check.max_fynd_per_fil": 100_000,
    "check.max_värden": 10_000_000,
    "bevaka.dagar": 36_500,
    "regler.ekonomi.max_ålder_år": 100,
    "regler.utvärdering.max_dagar_efter_slut": 36_500,
    "regler.utvärdering.slututvärdering_dagar_före_slut": 36_500,
    "regler.medfinansiering.max_timpris": 1_000_000,
}


class KonfigFel(Exception):
    """Ett fel i partner.toml; meddelandet namnger filen och nyckeln."""


# Det som publiceras (html-rapporten, partner publicera) och skyddet av personuppgifter.
# Utgivaren är kommunen i [kommun]. En enskild firmas nummer är ägarens personnummer och
# publiceras aldrig; namnet är ofta ägarens namn och döljs med `dölj_enskild_firmas_namn`.
PUBLICERING: dict[str, Any] = {
    "dölj_enskild_firmas_namn": False,
    "licens": "https://creativecommons.org/publicdomain/zero/1.0/",
    # Krävs av partner publicera: prefixet som 360Giving tilldelar utgivaren (360G-…), en
    # kontaktadress och adressen där filerna publiceras (DCAT-AP-SE).
    "bidragsprefix": "",
    "kontakt_epost": "",
    "adress": "",
}


# partner bevaka: hur många dagar framåt en utvärdering, ett avtalsslut eller ett undantag
# bevakas (strategins punkt 4: planerade utvärderingar; Det kommunala ansvaret: avtalsägaren).
BEVAKNING: dict[str, Any] = {"dagar": 60}

# Årsrapporten: avtalstyperna som räknas som gemensamma utvecklingsprojekt och samverkan
# (strategins Syfte & mål: "fler gemensamma utvecklingsprojekt"; Det kommunala ansvaret:
# helst ett samarbetsavtal per organisation), skilda från stöd till en organisations
# verksamhet (Förhållningsregler, punkt 2). En tolkning, därför inställbar.
RAPPORT: dict[str, Any] = {"utvecklingsprojekt": ("projekt", "samarbetsavtal")}


class _Konfig(NamedTuple):
    regler: dict[str, dict[str, Any]]
    max_filstorlek: int
    register: Path | None  # uttryckligen angiven i filen
    fil: Path | None  # den partner.toml som lästes
    publicering: dict[str, Any]
    kommun: Kommun | None  # [kommun]: None tills den är ifylld
    bevakning: dict[str, Any]
    max_fynd: int  # fynd per fil; resten sammanfattas i ett sista fynd
    max_varden: int  # YAML-värden per fil
    beslutande: tuple[str, ...]  # [beslut] beslutande: vem som får fatta beslut i beslut/
    sanktionerande: tuple[str, ...]  # [register] sanktionerande: vem som får sanktionera
    rapport: dict[str, Any]  # [rapport]


# En NamedTuple och inte en dataclass: granskningens start ska inte importera dataclasses.
class Konfig(_Konfig):
    __slots__ = ()

    def __new__(
        cls,
        regler: dict[str, dict[str, Any]] | None = None,
        max_filstorlek: int = STANDARD_MAX_BYTE,
        register: Path | None = None,
        fil: Path | None = None,
        publicering: dict[str, Any] | None = None,
        kommun: Kommun | None = None,
        bevakning: dict[str, Any] | None = None,
        max_fynd: int = STANDARD_MAX_FYND,
        max_varden: int = STANDARD_MAX_VARDEN,
        beslutande: tuple[str, ...] = (),
        sanktionerande: tuple[str, ...] = (),
        rapport: dict[str, Any] | None = None,
    ) -> Konfig:
        standard = regler if regler is not None else _standardregler()
        publicera = {**PUBLICERING, **(publicering or {})}
        bevaka = {**BEVAKNING, **(bevakning or {})}
        return super().__new__(
            cls,
            standard,
            max_filstorlek,
            register,
            fil,
            publicera,
            kommun,
            bevaka,
            max_fynd,
            max_varden,
            beslutande,
            sanktionerande,
            {**RAPPORT, **(rapport or {})},
        )

    @property
    def katalog(self) -> Path:
        return self.fil.parent if self.fil else Path.cwd()

    def andrat(self) -> dict[str, Any]:
        """Varje inställning som inte har sitt standardvärde: nyckeln i partner.toml och
        värdet (andelar som decimaltext)."""
        ut: dict[str, Any] = {}
        if self.max_filstorlek != STANDARD_MAX_BYTE:
            ut["check.max_filstorlek"] = self.max_filstorlek
        if self.max_fynd != STANDARD_MAX_FYND:
            ut["check.max_fynd_per_fil"] = self.max_fynd
        if self.max_varden != STANDARD_MAX_VARDEN:
            ut["check.max_värden"] = self.max_varden
        if self.register is not None:
            ut["register.sökväg"] = str(self.register)
        standard = regler.standardinstallningar()
        for id_, varden in self.regler.items():
            for nyckel, varde in varden.items():
                if varde != standard[id_][nyckel]:
                    ut[f"regler.{id_}.{nyckel}"] = (
                        _decimaltext(varde) if isinstance(varde, Fraction) else varde
                    )
        for nyckel, varde in self.publicering.items():
            if varde != PUBLICERING[nyckel]:
                ut[f"publicera.{nyckel}"] = varde
        for nyckel, varde in self.bevakning.items():
            if varde != BEVAKNING[nyckel]:
                ut[f"bevaka.{nyckel}"] = varde
        for nyckel, varde in self.rapport.items():
            if varde != RAPPORT[nyckel]:
                ut[f"rapport.{nyckel}"] = list(varde)
        if self.kommun is not None:
            ut["kommun"] = f"{self.kommun.namn} ({self.kommun.organisationsnummer})"
        return ut

    def beskrivning(self) -> dict[str, Any]:
        """Filen som lästes och det den ändrar, för rapporternas metadata."""
        return {"fil": str(self.fil) if self.fil else None, "ändrat": self.andrat()}

    def meddelande(self) -> str | None:
        """En rad om filen och det den ändrar, eller None när allt är standard."""
        andrat = self.andrat()
        if not andrat:
            return None
        delar = ", ".join(f"{k} = {v}" for k, v in andrat.items())
        return f"inställningar ur {self.fil}: {delar}"


def _decimaltext(andel: Fraction) -> str:
    from decimal import Decimal

    return str(Decimal(andel.numerator) / Decimal(andel.denominator))


def registersokvag(angiven: Path | None, konfig: Konfig) -> Path:
    """--register, annars PARTNER_REGISTER, annars partner.toml, annars register/ bredvid den.

    Här och inte i `register`, så att en granskning kan se att registret saknas utan att
    importera SQLite."""
    if angiven is not None:
        return angiven
    if os.environ.get(MILJO_REGISTER):
        return Path(os.environ[MILJO_REGISTER])
    if konfig.register is not None:
        return konfig.register
    return konfig.katalog / STANDARD_REGISTER


def registerkalla(konfig: Konfig) -> str | None:
    """Var registrets sökväg namngavs (utan --register), eller None för standardplatsen."""
    if os.environ.get(MILJO_REGISTER):
        return MILJO_REGISTER
    if konfig.register is not None:
        return f"[register] sökväg i {konfig.fil}"
    return None


def exportkatalog(konfig: Konfig, start: Path | None = None) -> Path | None:
    """Förslagsarkivets inlämnade registerexport (register/export, JSON eller CSV), eller None.

    Bredvid partner.toml, där `partner register sync` läser den; utan partner.toml i arkivets
    rot (katalogen med `.git`), sökt uppåt från start som partner.toml söks."""
    if konfig.fil is not None:
        katalog: Path | None = konfig.katalog / EXPORTKATALOG
    else:
        katalog = None
        hem = Path.home()
        for kandidat in (s := (start or Path.cwd()).resolve(), *s.parents):
            if os.path.lexists(kandidat / ".git"):
                katalog = kandidat / EXPORTKATALOG
                break
            if kandidat == hem:
                break
    if katalog is None or not katalog.is_dir():
        return None
    if (katalog / "register.json").is_file() or (katalog / "schemaversion.txt").is_file():
        return katalog
    return None


def hitta(start: Path) -> Path | None:
    """partner.toml i start eller uppåt, men aldrig ovanför arkivets rot (en katalog med
    `.git`, katalog eller fil) eller hemkatalogen: en fil i /tmp eller ~ ska inte kunna stänga
    av en regel för ett arkiv."""
    hem = Path.home()
    for katalog in (start, *start.parents):
        kandidat = katalog / FILNAMN
        if kandidat.is_file():
            return kandidat
        if katalog == hem or os.path.lexists(katalog / ".git"):
            return None
    return None


def ladda(angiven: Path | None = None, start: Path | None = None) -> Konfig:
    fil = angiven if angiven is not None else hitta((start or Path.cwd()).resolve())
    if fil is None:
        return Konfig()
    try:
        data = tomllib.loads(fil.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KonfigFel(f"{fil}: filen finns inte") from None
    except OSError as e:
        raise KonfigFel(f"{fil}: kan inte läsas ({systemfel.text(e)})") from None
    except UnicodeDecodeError as e:
        raise KonfigFel(f"{fil}: kan inte läsas (inte UTF-8 vid byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise KonfigFel(f"{fil}: inte giltig TOML ({e})") from None
    return _tolka(data, fil)


def _tolka(data: dict[str, Any], fil: Path) -> Konfig:
    def fel(nyckel: str, text: str) -> KonfigFel:
        return KonfigFel(f"{fil}: {nyckel}: {text}")

    avsnitt = _normalisera(
        data,
        {"check", "register", "regler", "publicera", "kommun", "bevaka", "beslut", "rapport"},
        "",
        fel,
    )
    check = _normalisera(
        avsnitt.get("check", {}), {"max_filstorlek", "max_fynd_per_fil", "max_värden"}, "check", fel
    )
    max_filstorlek = _heltal(
        check.get("max_filstorlek", STANDARD_MAX_BYTE), "check.max_filstorlek", fel
    )
    max_fynd = _heltal(
        check.get("max_fynd_per_fil", STANDARD_MAX_FYND), "check.max_fynd_per_fil", fel
    )
    if max_fynd < 1:
        raise fel("check.max_fynd_per_fil", "ska vara minst 1")
    max_varden = _heltal(check.get("max_värden", STANDARD_MAX_VARDEN), "check.max_värden", fel)
    register_avsnitt = _normalisera(
        avsnitt.get("register", {}), {"sökväg", "sanktionerande"}, "register", fel
    )
    register = register_avsnitt.get("sökväg")
    if register is not None and not isinstance(register, str):
        raise fel("register.sökväg", "ska vara en sökväg i citattecken")
    if register is not None and "\0" in register:
        raise fel("register.sökväg", "får inte innehålla NUL-tecken")
    publicering = _publicering(avsnitt.get("publicera", {}), fel)
    bevakning = {
        k: _heltal(v, f"bevaka.{k}", fel)
        for k, v in _normalisera(avsnitt.get("bevaka", {}), set(BEVAKNING), "bevaka", fel).items()
    }
    beslut = _normalisera(avsnitt.get("beslut", {}), {"beslutande"}, "beslut", fel)
    rapport = _normalisera(avsnitt.get("rapport", {}), set(RAPPORT), "rapport", fel)
    if "utvecklingsprojekt" in rapport:
        from partner_cli.schema import TYPER

        rapport["utvecklingsprojekt"] = _val(
            rapport["utvecklingsprojekt"], TYPER, "rapport.utvecklingsprojekt", fel
        )
    installningar = regler.standardinstallningar()
    regelavsnitt = _normalisera(avsnitt.get("regler", {}), set(regler.REGLER), "regler", fel)
    for id_, varden_ in regelavsnitt.items():
        modul = regler.REGLER[id_]
        tillatna = {"nivå", *modul.KONF}
        for nyckel, varde in _normalisera(varden_, tillatna, f"regler.{id_}", fel).items():
            namn = f"regler.{id_}.{nyckel}"
            if nyckel == "nivå":
                if varde not in regler.NIVAER:
                    raise fel(namn, f"ska vara en av {', '.join(regler.NIVAER)}, inte {varde!r}")
                if id_ == "tillämpning" and varde == "varning":
                    raise fel(namn, "tillämpning kan bara vara fel eller av")
                installningar[id_][nyckel] = varde
            elif modul.KONF[nyckel] is Fraction:
                installningar[id_][nyckel] = _andel(varde, namn, fel)
            elif modul.KONF[nyckel] is tuple:
                installningar[id_][nyckel] = _val(varde, modul.VAL[nyckel], namn, fel)
            elif modul.KONF[nyckel] is bool:
                if not isinstance(varde, bool):
                    raise fel(namn, f"ska vara true eller false, inte {varde!r}")
                installningar[id_][nyckel] = varde
            else:
                installningar[id_][nyckel] = _heltal(varde, namn, fel)
    return Konfig(
        regler=installningar,
        max_filstorlek=max_filstorlek,
        register=(fil.parent / register) if register else None,
        fil=fil,
        publicering=publicering,
        kommun=_kommun(avsnitt["kommun"], fel) if "kommun" in avsnitt else None,
        bevakning=bevakning,
        max_fynd=max_fynd,
        max_varden=max_varden,
        beslutande=_namn(beslut.get("beslutande", []), "beslut.beslutande", fel),
        sanktionerande=_namn(
            register_avsnitt.get("sanktionerande", []), "register.sanktionerande", fel
        ),
        rapport=rapport,
    )


def _namn(varde: Any, namn: str, fel: Any) -> tuple[str, ...]:
    if not isinstance(varde, list) or not all(isinstance(v, str) and v.strip() for v in varde):
        raise fel(namn, f"ska vara en lista med namn i citattecken, inte {varde!r}")
    return tuple(v.strip() for v in varde)


def _publicering(data: Any, fel: Any) -> dict[str, Any]:
    ut = _normalisera(data, set(PUBLICERING), "publicera", fel)
    for nyckel, varde in ut.items():
        if type(varde) is not type(PUBLICERING[nyckel]):
            typ = "ja eller nej (true/false)" if isinstance(PUBLICERING[nyckel], bool) else "text"
            raise fel(f"publicera.{nyckel}", f"ska vara {typ}, inte {varde!r}")
    return ut


def _kommun(data: Any, fel: Any) -> Kommun:
    """[kommun]: namn, organisationsnummer (gruppsiffran 2) och bolagens nummer."""
    kommun = _normalisera(
        data, {"namn", "organisationsnummer", "bolag", "utvecklingsområden"}, "kommun", fel
    )
    for nyckel in ("namn", "organisationsnummer"):
        if not isinstance(kommun.get(nyckel), str) or not kommun[nyckel].strip():
            raise fel(f"kommun.{nyckel}", "saknas; ange den i citattecken")
    nummer = _orgnr(
        kommun["organisationsnummer"], "kommun.organisationsnummer", fel, kommunens_nummer
    )
    bolag = kommun.get("bolag", [])
    if not isinstance(bolag, list):
        raise fel("kommun.bolag", "ska vara en lista med organisationsnummer")
    omraden = kommun.get("utvecklingsområden", [])
    if (
        not isinstance(omraden, list)
        or not all(isinstance(o, str) and o.strip() for o in omraden)
        or len({o.strip() for o in omraden}) != len(omraden)
    ):
        raise fel("kommun.utvecklingsområden", "ska vara en lista med olika namn i citattecken")
    return Kommun(
        kommun["namn"].strip(),
        nummer,
        tuple(_orgnr(b, f"kommun.bolag[{i}]", fel) for i, b in enumerate(bolag)),
        tuple(o.strip() for o in omraden),
    )


def kommunens_nummer(text: str) -> str:
    """Kommunens organisationsnummer som NNNNNN-NNNN: giltigt och med gruppsiffran 2 (stat,
    regioner och kommuner); annars `VardeFel`."""
    nummer = organisationsnummer(text)
    if not nummer.startswith("2"):
        raise VardeFel(f"{nummer} börjar inte med 2, som kommuner gör")
    return nummer


def _orgnr(
    varde: Any, namn: str, fel: Any, tolka: Callable[[str], str] = organisationsnummer
) -> str:
    if not isinstance(varde, str):
        raise fel(namn, f"ska vara ett organisationsnummer i citattecken, inte {varde!r}")
    try:
        return tolka(varde)
    except VardeFel as e:
        raise fel(namn, str(e)) from None


def _normalisera(data: Any, tillatna: set[str], var: str, fel: Any) -> dict[str, Any]:
    """Nycklarna med å/ä/ö eller translittererade; okända nycklar är fel."""
    if not isinstance(data, dict):
        raise fel(var or "filen", "ska vara en tabell")
    efter_ascii = {attributnamn(t): t for t in tillatna}
    ut: dict[str, Any] = {}
    for nyckel, varde in data.items():
        kanonisk = efter_ascii.get(attributnamn(nyckel))
        if kanonisk is None:
            namn = f"{var}.{nyckel}" if var else nyckel
            raise fel(namn, f"okänd nyckel; kända är {', '.join(sorted(tillatna))}")
        if kanonisk in ut:
            # `nivå` och `niva` i samma tabell: den ena skulle tyst vinna över den andra.
            namn = f"{var}.{kanonisk}" if var else kanonisk
            raise fel(namn, "anges två gånger (med och utan å, ä, ö)")
        ut[kanonisk] = varde
    return ut


def _val(varde: Any, tillatna: tuple[str, ...], namn: str, fel: Any) -> tuple[str, ...]:
    """En lista med värden ur `tillatna`, utan upprepningar, i den ordning de står där."""
    if not isinstance(varde, list) or not all(isinstance(v, str) for v in varde):
        raise fel(namn, f"ska vara en lista med några av {', '.join(tillatna)}")
    okanda = [v for v in varde if v not in tillatna]
    if okanda:
        raise fel(namn, f"okänt värde {okanda[0]!r}; tillåtna är {', '.join(tillatna)}")
    return tuple(v for v in tillatna if v in varde)


def _heltal(varde: Any, namn: str, fel: Any) -> int:
    hogst = HOGSTA[namn]
    if isinstance(varde, bool) or not isinstance(varde, int) or not 0 <= varde <= hogst:
        raise fel(
            namn,
            f"ska vara ett heltal från 0 till {hogst:_}".replace("_", " ") + f", inte {varde!r}",
        )
    return varde


def _andel(varde: Any, namn: str, fel: Any) -> Fraction:
    if isinstance(varde, bool) or not isinstance(varde, (int, float)) or not 0 <= varde <= 1:
        raise fel(namn, f"ska vara en andel mellan 0 och 1 (till exempel 0.5), inte {varde!r}")
    # Decimaltexten, inte flyttalets binära värde: 0.1 är exakt en tiondel.
    return Fraction(str(varde))


def _standardregler() -> dict[str, dict[str, Any]]:
    # Utanför Konfig.__new__, vars parameter heter som modulen.
    return regler.standardinstallningar()
