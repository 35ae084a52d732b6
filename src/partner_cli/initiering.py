"""`partner init`: lägger upp ett nytt förslagsarkiv. Skriver aldrig över en befintlig fil."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from partner_cli import regler
from partner_cli.arkiv import KATALOGER
from partner_cli.konfig import BEVAKNING, PUBLICERING, RAPPORT, STANDARD_MAX_FYND
from partner_cli.laddning import STANDARD_MAX_BYTE, STANDARD_MAX_VARDEN
from partner_cli.mallfiler import mall
from partner_cli.modell import Kommun

# (mall, fil i arkivet) per CI: granskningen och registret, och den veckovisa bevakningen.
CI = {
    "github": (
        ("ci/github-partner.yml", ".github/workflows/partner.yml"),
        ("ci/github-bevaka.yml", ".github/workflows/partner-bevaka.yml"),
    ),
    "gitlab": (
        ("ci/gitlab-ci.yml", ".gitlab-ci.yml"),
        ("ci/gitlab-bevaka.yml", ".gitlab/partner-bevaka.yml"),
    ),
}


def _toml(varde: object) -> str:
    if isinstance(varde, bool):
        return "true" if varde else "false"
    if isinstance(varde, tuple):
        return f"[{', '.join(_toml(v) for v in varde)}]"
    if isinstance(varde, Fraction):
        return str(Decimal(varde.numerator) / Decimal(varde.denominator))
    if isinstance(varde, str):
        # En TOML-sträng: JSON:s flyktsekvenser är TOML:s, utom att DEL också ska flyas.
        return json.dumps(varde, ensure_ascii=False).replace("\x7f", "\\u007f")
    return str(varde)


def _nyckel(nyckel: str) -> str:
    # TOML:s nakna nycklar är bara ASCII; å, ä och ö kräver citattecken.
    return nyckel if re.fullmatch(r"[A-Za-z0-9_-]+", nyckel) else f'"{nyckel}"'


def partner_toml(kommun: Kommun | None = None) -> str:
    """partner.toml med varje gräns utskriven och kommenterad, ur reglernas egna standardvärden;
    `[kommun]` ifylld med `kommun`, annars som en kommenterad mall."""
    rader = [
        "# partner.toml: gränser och regelnivåer för `partner`.",
        "# Varje värde nedan är standardvärdet; ändra det som er kommuns strategi anger.",
        '# Regelnivå ("nivå"): "fel", "varning" eller "av".',
        "",
        "[check]",
        "# Största tillåtna förslagsfil i byte.",
        f"max_filstorlek = {STANDARD_MAX_BYTE}",
        "# Högst så många fynd per fil; resten sammanfattas i ett sista fynd.",
        f"max_fynd_per_fil = {STANDARD_MAX_FYND}",
        "# Högst så många YAML-värden per fil (ett förslag har några hundra).",
        f'"max_värden" = {STANDARD_MAX_VARDEN}',
        "",
        "[register]",
        "# Var registret ligger, relativt den här filen.",
        '# sökväg = "register/partnerskap.db"',
        "# Vem som får sanktionera avtal (--sanktionerad-av); utan listan prövas det inte.",
        '# sanktionerande = ["Näringslivsdirektören"]',
        "",
        "[beslut]",
        "# Vem som får fatta beslut i beslut/ (beslutat_av); utan listan prövas det inte.",
        '# beslutande = ["Kommunstyrelsen", "Näringslivsdirektören"]',
        "",
        "[publicera]",
        "# Öppna data (partner publicera) och html-rapporten; utgivaren är kommunen i",
        "# [kommun]. En enskild firmas nummer (ägarens personnummer) publiceras aldrig; namnet",
        "# döljs med true nedan. bidragsprefix (360G-…, från 360Giving), kontakt_epost och",
        "# adress (där filerna publiceras) krävs av partner publicera.",
        *(f"{_nyckel(k)} = {_toml(v)}" for k, v in PUBLICERING.items()),
        "",
        *_kommun(kommun),
        "",
        "[bevaka]",
        "# Hur många dagar framåt partner bevaka visar utvärderingar, avtalsslut och undantag.",
        *(f"{_nyckel(k)} = {_toml(v)}" for k, v in BEVAKNING.items()),
        "",
        "[rapport]",
        "# Avtalstyperna som årsrapporten räknar som gemensamma utvecklingsprojekt och samverkan;",
        "# övriga (verksamhetsstöd) redovisas för sig. Strategin: Syfte & mål, Det kommunala",
        "# ansvaret.",
        *(f"{_nyckel(k)} = {_toml(v)}" for k, v in RAPPORT.items()),
    ]
    for id_, modul in regler.REGLER.items():
        forsta = (modul.__doc__ or "").strip().splitlines()[0]
        rader += ["", f"# {forsta}", f"# Strategin: {modul.GRUND}.", f"[regler.{_nyckel(id_)}]"]
        rader.append(f'"nivå" = "{modul.NIVA}"')
        rader += [f"{_nyckel(k)} = {_toml(v)}" for k, v in modul.STANDARD.items()]
    return "\n".join(rader) + "\n"


def _kommun(kommun: Kommun | None) -> list[str]:
    if kommun is None:
        rader = [
            "# Kommunen själv: dess och dess bolags bidrag är inte medfinansiering från annan",
            "# part, och den är utgivaren i partner publicera. Fyll i och ta bort "
            "kommentartecknen;",
            "# tills dess påpekar `partner check` det vid offentliga medfinansiärer. bolag:",
            "# organisationsnumren för kommunens bolag och för organisationer som kommunen",
            "# bestämmer över.",
            "# [kommun]",
            '# namn = "Örebro kommun"',
            '# organisationsnummer = "212000-1967"',
            "# bolag = []",
        ]
    else:
        rader = [
            "# Kommunen själv: dess och dess bolags bidrag är inte medfinansiering från annan",
            "# part, och den är utgivaren i partner publicera. bolag: organisationsnumren för",
            "# kommunens bolag och för organisationer som kommunen bestämmer över.",
            "[kommun]",
            f"namn = {_toml(kommun.namn)}",
            f"organisationsnummer = {_toml(kommun.organisationsnummer)}",
            f"bolag = {_toml(kommun.bolag)}",
        ]
    return [
        *rader,
        "# Kommunens strategiska utvecklingsområden, som förslagen kan ange att de tjänar.",
        '# "utvecklingsområden" = ["Logistik", "Besöksnäring"]',
    ]


def fraga_kommun() -> Kommun | None:
    """[kommun] frågad i terminalen, varje organisationsnummer prövat som i partner.toml och
    frågat igen tills det är giltigt; None när namnet lämnas tomt."""
    from partner_cli.kommando import fraga, skriv
    from partner_cli.konfig import kommunens_nummer
    from partner_cli.saker import synlig
    from partner_cli.varden import VardeFel, organisationsnummer

    def nummer(text: str, tolka: Callable[[str], str], tomt: bool = False) -> str:
        while True:
            svar = fraga(text, tomt=tomt)
            if not svar:
                return svar
            try:
                return tolka(svar)
            except VardeFel as e:
                skriv(f"partner: {synlig(str(e))}; försök igen", err=True)

    skriv(
        "Kommunen i partner.toml ([kommun]): den och dess bolag är aldrig annan part. "
        "Lämna namnet tomt för att fylla i det senare."
    )
    namn = fraga("Kommunens namn", tomt=True)
    if not namn:
        return None
    kommunens = nummer("Kommunens organisationsnummer", kommunens_nummer)
    skriv(
        "Kommunens bolag och organisationer som kommunen bestämmer över, ett "
        "organisationsnummer i taget (tomt: inga fler)."
    )
    bolag: list[str] = []
    while svar := nummer("Bolag", organisationsnummer, tomt=True):
        if svar not in bolag:
            bolag.append(svar)
    return Kommun(namn, kommunens, tuple(bolag))


def filer(ci: str | None, kommun: Kommun | None = None) -> Iterator[tuple[str, str]]:
    """(relativ sökväg, innehåll) för varje fil som `partner init` skriver."""
    yield "partner.toml", partner_toml(kommun)
    # Exemplet ligger utanför forslag/: CI:n granskar och registrerar bara forslag/.
    yield "exempel/forslag.yaml", mall("forslag.yaml")
    for katalog in KATALOGER:
        yield f"{katalog}/README.md", mall(f"arkiv/{katalog}-README.md")
    yield "register/README.md", mall("register/README.md")
    yield "register/.gitignore", mall("register/gitignore")
    yield "CODEOWNERS", mall("arkiv/CODEOWNERS")
    if ci is not None:
        for kalla, mal in CI[ci]:
            yield mal, mall(kalla)


# Exemplets värden som ett nytt förslag inte får ärva: de blir mallens platshållare, som
# formatet underkänner tills de är ifyllda.
_EXEMPLETS = (
    ("Örebro Logistikpartner AB", "(motpartens namn)"),
    ("556781-2341", "(motpartens organisationsnummer)"),
    ("  namn: Anna Lind", "  namn: (avtalsägarens namn)"),
)
# nl-2014-007.yaml och nl-2014-007-logistik.yaml ger id NL-2014-007.
_ID_I_FILNAMN = re.compile(r"([A-Za-z]{1,10}-\d{4}-\d{1,6})(?![0-9])")


def nytt_forslag(filnamn: str) -> str:
    """Mallen för `partner ny FIL`: id ur filnamnet när det går, annars en platshållare, och
    platshållare för motparten och avtalsägaren."""
    m = _ID_I_FILNAMN.match(Path(filnamn).name)
    text = mall("forslag.yaml").replace(
        "id: NL-2014-007", f"id: {m[1].upper() if m else '(förslagets id)'}", 1
    )
    for exemplets, platshallare in _EXEMPLETS:
        text = text.replace(exemplets, platshallare)
    return text


def i_utvarderingar(fil: Path) -> bool:
    """Om filen står i ett förslagsarkivs utvarderingar/, där en utvärdering anger sitt avtal."""
    from partner_cli.arkiv import UTVARDERINGAR

    return fil.parent.name == UTVARDERINGAR


def ny_utvardering(fil: Path) -> str:
    """Mallen för `partner ny --utvardering FIL`; i ett förslagsarkivs utvarderingar/ med
    `avtal:` först, id:t ur filnamnet när det går (nl-2014-007-2015.yaml ger NL-2014-007),
    annars en platshållare som underkänns tills den är ifylld."""
    text = mall("utvardering.yaml")
    if not i_utvarderingar(fil):
        return text
    m = _ID_I_FILNAMN.match(fil.name)
    huvud, _, resten = text.partition("\n\n")
    huvud = huvud.replace(
        "# Registrera med: partner register utvärdera ID FIL",
        "# I förslagsarkivets utvarderingar/: partner check granskar den mot avtalet och\n"
        "# partner register sync registrerar den.",
    )
    return f"{huvud}\n\navtal: {m[1].upper() if m else '(avtalets id)'}\n{resten}"


def init(katalog: Path, ci: str | None, kommun: Kommun | None = None) -> Iterator[tuple[str, bool]]:
    """Skriver filerna; ger (sökväg, skriven) där False betyder att filen redan fanns."""
    from partner_cli.filer import kataloger, ny_fil

    for namn, innehall in filer(ci, kommun):
        mal = katalog / namn
        kataloger(katalog, mal.parent)
        try:
            with ny_fil(mal) as ut:
                ut.write(innehall)
        except FileExistsError:
            yield namn, False
        else:
            yield namn, True
