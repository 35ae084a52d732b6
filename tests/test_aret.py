"""Ett år i ett förslagsarkiv, i ett riktigt git-arkiv med ett lokalt bart `origin`, med
GitHubs och GitLabs genererade jobb körda som de står (`cijobb`).

En handläggare arbetar i sin utcheckning: en gren per pull request, vars granskningsjobb körs
i en egen utcheckning av grenen; efter sammanslagningen körs huvudgrenens jobb (granskningen,
sedan registreringen) i en ny utcheckning av huvudgrenen, utan registerfil, som i CI. Varje
steg i året är ett eget test; ett steg kör de tidigare stegen först om de inte redan har körts
(så att `pytest -k STEG` går att köra ensamt). Efter varje steg byggs registret ur
huvudgrenens incheckade export, `partner register kontroll` ska gå igenom, och export →
import → export ska ge samma byte.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from cijobb import (
    git,
    git_arkiv,
    granskningsmiljo,
    kor_jobb,
    med_origin,
    registreringsmiljo,
    starta_registrering,
)
from conftest import kor
from registerhjalp import orgnr

pytestmark = pytest.mark.langsam

FORSLAG = "forslag/nl-2014-010.yaml"
KARLSLUND = ("Karlslunds Verkstäder AB", orgnr(10))
ANDRING = """typ: ändring
referens: KS 2015/77 § 12
datum: 2015-02-10
beslutat_av: Kommunstyrelsen
motivering: Kommunens bidrag höjs när projektet breddas.
avtal: NL-2014-010
"""
UNDANTAGSBESLUT = """typ: undantag
referens: KS 2014/200 § 3
datum: 2014-08-20
beslutat_av: Kommunstyrelsen
motivering: Strategiskt etableringsprojekt i ett uppbyggnadsskede.
avtal: NL-2014-012
regel: medfinansiering
giltigt_till: 2016-12-31
"""
UNDANTAG = """
undantag:
  - regel: medfinansiering
    beslut: KS 2014/200 § 3
    motivering: Strategiskt etableringsprojekt i ett uppbyggnadsskede.
"""
AGARBYTE = f"""typ: ägarbyte
referens: NLD 2015/14
datum: 2015-02-02
beslutat_av: Näringslivsdirektören
motivering: Anna Lind går i pension; Per Berg tar över kontakten med organisationen.
organisationsnummer: {KARLSLUND[1]}
avtalsägare: {{namn: Per Berg, enhet: Avdelningen för näringsliv och kompetens}}
"""
AVSLUT = """typ: avslut
referens: NLD 2015/40
datum: 2015-07-01
beslutat_av: Näringslivsdirektören
motivering: Motparten har upphört med verksamheten.
avtal: NL-2014-012
slut: 2015-06-30
orsak: Motparten gick i konkurs.
"""
MAKULERING = """typ: makulering
referens: NLD 2014/61
datum: 2014-11-03
beslutat_av: Näringslivsdirektören
motivering: Förslaget registrerades av misstag med fel id; avtalet finns som NL-2014-010.
avtal: NL-2014-080
"""
UTVARDERING = """avtal: NL-2014-010
datum: 2015-09-01
typ: delutvärdering
utförd_av: Eva Berg
mål:
  - {mål: 1, utfall: 12, kommentar: Tolv nya etableringar under första året.}
"""


class Aret:
    """Arkivet, dess `origin` och handläggarens utcheckning, med jobben som CI:n kör."""

    def __init__(self, tmp: Path, ci: str) -> None:
        self.tmp = tmp
        self.ci = ci
        self.nummer = 0
        self.klara = 0  # så många steg har körts
        self.misslyckat: str | None = None
        self.utv = tmp / "handlaggare"
        assert kor("init", str(self.utv), "--ci", ci).returncode == 0
        git_arkiv(self.utv, "Förslagsarkivet läggs upp med partner init")
        self.origin = med_origin(tmp, self.utv)
        self.steget = ""  # det steg som körs, för felmeddelandena
        self.vy: Path | None = None  # huvudgrenen med registret byggt ur exporten
        self.vy_commit = ""  # huvudgrenens commit i vy

    def katalog(self, namn: str) -> Path:
        self.nummer += 1
        return self.tmp / f"{self.nummer:03}-{namn}"

    def utcheckning(self, ref: str, namn: str) -> Path:
        """En ny utcheckning av `origin` på ref (gren eller commit), som ett CI-jobb får."""
        mal = self.katalog(namn)
        subprocess.run(["git", "clone", "-q", str(self.origin), str(mal)], check=True)
        git(mal, "checkout", "-q", ref)
        return mal

    def commits(self) -> int:
        return int(git(self.origin, "rev-list", "--count", "main"))

    def senaste(self) -> str:
        return git(self.origin, "log", "-1", "--format=%s", "main").strip()

    # Handläggarens arbete

    def skriv(self, fil: str, text: str) -> None:
        (self.utv / fil).parent.mkdir(parents=True, exist_ok=True)
        (self.utv / fil).write_text(text, encoding="utf-8")

    def andra(self, fil: str, fore: str, efter: str) -> None:
        text = (self.utv / fil).read_text(encoding="utf-8")
        assert text.count(fore) == 1, f"{fore!r} i {fil}"
        self.skriv(fil, text.replace(fore, efter))

    def gren(self, namn: str) -> None:
        """En ny gren från huvudgrenen som den är i `origin`."""
        git(self.utv, "fetch", "-q", "origin")
        git(self.utv, "checkout", "-q", "-b", namn, "origin/main")

    def nytt_forslag(self, fil: str, namn: str, nummer: str, agare: str) -> None:
        """`partner ny FIL` med motparten och avtalsägaren ifyllda."""
        assert kor("ny", fil, cwd=self.utv).returncode == 0
        self.skriv(fil, fyllt((self.utv / fil).read_text(encoding="utf-8"), namn, nummer, agare))

    def pull_request(self, meddelande: str) -> tuple[int, str]:
        """Checkar in och pushar grenen; granskningsjobbet i pull requesten: (kod, logg)."""
        gren = git(self.utv, "rev-parse", "--abbrev-ref", "HEAD").strip()
        git(self.utv, "add", "-A")
        git(self.utv, "commit", "-q", "-m", meddelande)
        git(self.utv, "push", "-q", "origin", gren)
        jobb = self.utcheckning(f"origin/{gren}", "granska")
        return kor_jobb(jobb, self.ci, "granska", granskningsmiljo(jobb, jobb, self.ci, gren))

    def sammanslagning(self) -> str:
        """Slår ihop grenen med huvudgrenen och pushar; ger sammanslagningens commit."""
        gren = git(self.utv, "rev-parse", "--abbrev-ref", "HEAD").strip()
        git(self.utv, "checkout", "-q", "main")
        git(self.utv, "pull", "-q", "--ff-only", "origin", "main")
        git(self.utv, "merge", "-q", "--no-ff", gren, "-m", f"Sammanslagning av {gren}")
        git(self.utv, "push", "-q", "origin", "main")
        return git(self.utv, "rev-parse", "HEAD").strip()

    def huvudgrenens_jobb(self, commit: str) -> tuple[int, str]:
        """Huvudgrenens pipeline för commit: granskningen och, när den går igenom,
        registreringen. (kod, logg)."""
        jobb = self.utcheckning(commit, "huvudgrenen")
        env = registreringsmiljo(jobb, jobb, self.origin, self.ci)
        kod, logg = kor_jobb(jobb, self.ci, "granska", env)
        if kod == 0:
            kod, registrering = kor_jobb(jobb, self.ci, "registrera", env)
            logg += registrering
        git(self.utv, "pull", "-q", "--ff-only", "origin", "main")
        return kod, logg

    def sla_ihop(self) -> tuple[int, str]:
        return self.huvudgrenens_jobb(self.sammanslagning())

    # Registret som huvudgrenen har det

    def partner(self, *argument: str) -> subprocess.CompletedProcess[str]:
        """Ett partnerkommando mot registret som huvudgrenen har det nu."""
        self.invarianter()
        assert self.vy is not None, f"{self.steget}: inget register på huvudgrenen"
        p = kor(*argument, cwd=self.vy)
        assert p.returncode == 0, f"partner {' '.join(argument)}: {p.stdout}{p.stderr}"
        return p

    def avtal(self) -> set[str]:
        return {a["id"] for a in json.loads(self.partner("register", "list", "-f", "json").stdout)}

    def historik(self, id_: str) -> list[dict[str, object]]:
        rader: list[dict[str, object]] = json.loads(
            self.partner("register", "historik", id_, "--format", "json").stdout
        )
        return rader

    def invarianter(self) -> None:
        """Registret ur huvudgrenens export håller sina invarianter (`register kontroll`), och
        export → import → export ger samma byte. En gång per commit på huvudgrenen."""
        commit = git(self.origin, "rev-parse", "main").strip()
        if commit == self.vy_commit:
            return
        vy = self.utcheckning(commit, "huvudgrenen-registret")
        self.vy, self.vy_commit = None, commit
        export = vy / "register" / "export"
        if not export.exists():
            return
        steg = self.steget
        p = kor("register", "import", "register/export", cwd=vy)
        assert p.returncode == 0, f"{steg}: import av huvudgrenens export: {p.stdout}{p.stderr}"
        p = kor("register", "kontroll", cwd=vy)
        assert p.returncode == 0, f"{steg}: register kontroll: {p.stdout}{p.stderr}"
        igen = self.katalog("export-igen")
        p = kor("register", "export", "--ut", str(igen), cwd=vy)
        assert p.returncode == 0, f"{steg}: export: {p.stderr}"
        fore = {f.relative_to(export): f.read_bytes() for f in export.rglob("*") if f.is_file()}
        efter = {f.relative_to(igen): f.read_bytes() for f in igen.rglob("*") if f.is_file()}
        assert fore == efter, f"{steg}: export → import → export gav inte samma byte"
        self.vy = vy


Steg = Callable[[Aret], None]
STEG: list[Steg] = []


def steg(funktion: Steg) -> Steg:
    STEG.append(funktion)
    return funktion


def fyllt(text: str, namn: str, nummer: str, agare: str) -> str:
    """Ett förslag från `partner ny` med motparten och avtalsägaren ifyllda."""
    return (
        text.replace("(motpartens namn)", namn)
        .replace("(motpartens organisationsnummer)", nummer)
        .replace("(avtalsägarens namn)", agare)
    )


@steg
def exemplet_registreras_inte(ar: Aret) -> None:
    assert (ar.utv / "exempel" / "forslag.yaml").is_file()
    kod, logg = ar.huvudgrenens_jobb("main")
    assert kod == 0, f"huvudgrenens jobb i ett nytt arkiv: {logg}"
    assert "0 filer granskade" in logg, logg
    assert ar.commits() == 1, "registreringen checkade in något i ett arkiv utan förslag"
    assert not (ar.utv / "register" / "export").exists(), "exemplet blev ett registrerat avtal"


@steg
def nytt_forslag_granskas_och_registreras(ar: Aret) -> None:
    ar.gren("logistik")
    assert kor("ny", FORSLAG, cwd=ar.utv).returncode == 0
    kod, logg = ar.pull_request("Förslag NL-2014-010 från mallen")
    assert kod == 1, f"ett ofyllt förslag från partner ny gick igenom granskningen: {logg}"
    assert "(motpartens namn)" in logg, logg

    ar.skriv(FORSLAG, fyllt((ar.utv / FORSLAG).read_text("utf-8"), *KARLSLUND, "Anna Lind"))
    kod, logg = ar.pull_request("Förslag NL-2014-010 ifyllt")
    assert kod == 0, f"det ifyllda förslaget underkändes i pull requesten: {logg}"

    kod, logg = ar.sla_ihop()
    assert kod == 0, f"registreringen efter sammanslagningen: {logg}"
    assert "NL-2014-010 registrerad" in logg, logg
    assert ar.senaste().startswith("Registret uppdaterat av partner"), ar.senaste()
    assert ar.avtal() == {"NL-2014-010"}


@steg
def rattad_kommentar_andrar_inget(ar: Aret) -> None:
    ar.gren("kommentar")
    ar.andra(FORSLAG, "# unikt: bokstäver", "# unikt i registret: bokstäver")
    ar.andra(FORSLAG, "kontant: 400 000 kr", "kontant: 400000 kr")
    kod, logg = ar.pull_request("Rättad kommentar och beloppets stavning")
    assert kod == 0, f"en rättad kommentar underkändes: {logg}"
    sammanslagen = ar.sammanslagning()
    commits = ar.commits()
    kod, logg = ar.huvudgrenens_jobb(sammanslagen)
    assert kod == 0, f"en rättad kommentar fällde registreringen: {logg}"
    assert "stämmer redan med arkivet" in logg, logg
    assert ar.commits() == commits, "en rättad kommentar gav en ny registrering"


@steg
def budgeten_andras_med_beslut_om_andring(ar: Aret) -> None:
    ar.gren("budget")
    ar.andra(FORSLAG, "kontant: 400000 kr", "kontant: 450 000 kr")
    kod, logg = ar.pull_request("Kommunens bidrag höjs")
    assert kod == 1, f"en ändrad budget utan beslut om ändring gick igenom granskningen: {logg}"
    assert "NL-2014-010" in logg and "ändring" in logg, logg

    ar.skriv("beslut/ks-2015-77-andring.yaml", ANDRING)
    kod, logg = ar.pull_request("Kommunens bidrag höjs enligt KS 2015/77 § 12")
    assert kod == 0, f"ändringen med beslut underkändes i pull requesten: {logg}"
    kod, logg = ar.sla_ihop()
    assert kod == 0, f"ändringen med beslut fällde registreringen: {logg}"
    assert "NL-2014-010 ändrad enligt beslut KS 2015/77 § 12" in logg, logg
    show = json.loads(ar.partner("register", "show", "NL-2014-010", "-f", "json").stdout)
    assert show["kommunen_kontant"] == "450000.00", show
    (andring,) = [h for h in ar.historik("NL-2014-010") if h["vad"] != "registrerad"]
    efter = json.loads(str(andring["efter"]))
    assert efter["beslut"] == "KS 2015/77 § 12", andring
    assert len(efter["commit"]) == 40, andring


@steg
def agarbyte_genom_beslut(ar: Aret) -> None:
    ar.gren("agarbyte")
    ar.skriv("beslut/nld-2015-014-agarbyte.yaml", AGARBYTE)
    kod, logg = ar.pull_request("Per Berg tar över Karlslunds Verkstäder enligt NLD 2015/14")
    assert kod == 0, f"beslutet om ägarbyte underkändes i pull requesten: {logg}"
    sammanslagen = ar.sammanslagning()
    kod, logg = ar.huvudgrenens_jobb(sammanslagen)
    assert kod == 0, f"ägarbytet fällde registreringen: {logg}"
    assert f"{KARLSLUND[1]} har avtalsägaren Per Berg enligt beslut NLD 2015/14" in logg, logg
    show = json.loads(ar.partner("register", "show", "NL-2014-010", "-f", "json").stdout)
    assert show["avtalsagare_namn"] == "Per Berg", show
    # Jobbet en gång till på samma commit: beslutet står redan i historiken.
    commits = ar.commits()
    kod, logg = ar.huvudgrenens_jobb(sammanslagen)
    assert kod == 0, f"den andra registreringen efter ägarbytet: {logg}"
    assert "stämmer redan med arkivet" in logg, logg
    assert ar.commits() == commits, "den andra registreringen ändrade registret"


@steg
def forslag_med_den_gamla_agaren_falls(ar: Aret) -> None:
    ar.gren("gamla-agaren")
    ar.nytt_forslag("forslag/nl-2015-011.yaml", *KARLSLUND, "Anna Lind")
    kod, logg = ar.pull_request("Förslag NL-2015-011 med den förra avtalsägaren")
    assert kod == 1, f"ett förslag med organisationens förra avtalsägare gick igenom: {logg}"
    assert "har redan avtalsägaren Per Berg i registret" in logg, logg


@steg
def undantag_galler_bara_med_beslut(ar: Aret) -> None:
    ar.gren("undantag")
    fil = "forslag/nl-2014-012.yaml"
    ar.nytt_forslag(fil, "Närkes Besöksnäring AB", orgnr(12), "Eva Berg")
    ar.andra(fil, "kontant: 400 000 kr", "kontant: 900 000 kr")
    ar.skriv(fil, (ar.utv / fil).read_text(encoding="utf-8") + UNDANTAG)
    kod, logg = ar.pull_request("Förslag NL-2014-012 som undantar sig självt")
    assert kod == 1, f"ett undantag utan beslut gick igenom granskningen: {logg}"
    assert "KS 2014/200 § 3" in logg and "beslut/" in logg, logg

    ar.skriv("beslut/ks-2014-200-3.yaml", UNDANTAGSBESLUT)
    kod, logg = ar.pull_request("Kommunstyrelsens beslut om undantag för NL-2014-012")
    assert kod == 0, f"undantaget med beslut underkändes: {logg}"
    kod, logg = ar.sla_ihop()
    assert kod == 0, f"undantaget med beslut fällde registreringen: {logg}"
    show = json.loads(ar.partner("register", "show", "NL-2014-012", "-f", "json").stdout)
    assert [u["beslut"] for u in show["undantag"]] == ["KS 2014/200 § 3"], show


@steg
def utvardering_fore_start_falls_en_giltig_registreras(ar: Aret) -> None:
    ar.gren("utvardering")
    fil = "utvarderingar/nl-2014-010-2015.yaml"
    ar.skriv(fil, UTVARDERING.replace("datum: 2015-09-01", "datum: 2014-03-01"))
    kod, logg = ar.pull_request("Delutvärderingen av NL-2014-010")
    assert kod == 1, f"en utvärdering före avtalets start gick igenom granskningen: {logg}"
    assert f"{fil}:2:" in logg and "2014-09-01" in logg, logg

    ar.andra(fil, "datum: 2014-03-01", "datum: 2015-09-01")
    kod, logg = ar.pull_request("Delutvärderingens datum rättat")
    assert kod == 0, f"en giltig utvärdering underkändes: {logg}"
    kod, logg = ar.sla_ihop()
    assert kod == 0, f"en giltig utvärdering fällde registreringen: {logg}"
    assert "utvärderingen av NL-2014-010 registrerad" in logg, logg
    show = json.loads(ar.partner("register", "show", "NL-2014-010", "-f", "json").stdout)
    assert [u["datum"] for u in show["utvarderingar"]] == ["2015-09-01"], show


def partnerskap(ar: Aret, ar_: int) -> list[str]:
    """Avtalen i årsrapportens avsnitt om årets partnerskap."""
    rapport = json.loads(ar.partner("report", "--år", str(ar_), "--format", "json").stdout)
    return [rad["id"] for rad in rapport["avsnitt"]["partnerskap"]["rader"]]


@steg
def avslut_och_makulering_syns_i_registret_och_rapporten(ar: Aret) -> None:
    # Ett förslag registrerat med fel id, som makuleras.
    ar.gren("fel-id")
    ar.nytt_forslag("forslag/nl-2014-080.yaml", "Mosås Flygteknik AB", orgnr(80), "Eva Berg")
    kod, logg = ar.pull_request("Förslag NL-2014-080")
    assert kod == 0, f"NL-2014-080 underkändes i pull requesten: {logg}"
    kod, logg = ar.sla_ihop()
    assert kod == 0, f"NL-2014-080 registrerades inte: {logg}"
    assert "NL-2014-080" in partnerskap(ar, 2015), "NL-2014-080 saknas före makuleringen"

    ar.gren("avslut-och-makulering")
    ar.skriv("beslut/nld-2015-040-avslut.yaml", AVSLUT)
    ar.skriv("beslut/nld-2014-061-makulering.yaml", MAKULERING)
    kod, logg = ar.pull_request("Avslut av NL-2014-012 och makulering av NL-2014-080")
    assert kod == 0, f"besluten om avslut och makulering underkändes: {logg}"
    kod, logg = ar.sla_ihop()
    assert kod == 0, f"besluten om avslut och makulering fällde registreringen: {logg}"

    for id_, referens in (("NL-2014-012", "NLD 2015/40"), ("NL-2014-080", "NLD 2014/61")):
        show = ar.partner("register", "show", id_).stdout
        assert referens in show, f"register show {id_} visar inte beslutet: {show}"
        beslut = [json.loads(str(h["efter"])).get("beslut") for h in ar.historik(id_)]
        assert referens in beslut, f"historiken för {id_} saknar beslutet: {beslut}"
    assert "2015-06-30" in ar.partner("register", "show", "NL-2014-012").stdout
    # Det avslutade avtalet är ett av årets partnerskap de år det löpte, inte året efter (dess
    # slututvärdering är fortfarande skyldig och står kvar i uppföljningen).
    assert "NL-2014-012" in partnerskap(ar, 2015)
    assert "NL-2014-012" not in partnerskap(ar, 2016), "ett avslutat avtal i rapporten året efter"
    # Det makulerade avtalet finns inte i någon rapport, inte i något avsnitt.
    for ar_ in (2014, 2015, 2016):
        rapport = ar.partner("report", "--år", str(ar_), "--format", "json").stdout
        assert "NL-2014-080" not in rapport, f"ett makulerat avtal i rapporten {ar_}"


@steg
def tva_registreringar_samtidigt_blir_bada_grona(ar: Aret) -> None:
    sammanslagningar = []
    for id_, n, namn in (("NL-2016-020", 20, "Hjalmarbergs AB"), ("NL-2016-021", 21, "Ekers AB")):
        ar.gren(id_.lower())
        ar.nytt_forslag(f"forslag/{id_.lower()}.yaml", namn, orgnr(n), "Lars Ek")
        kod, logg = ar.pull_request(f"Förslag {id_}")
        assert kod == 0, f"{id_} underkändes i pull requesten: {logg}"
        sammanslagningar.append(ar.sammanslagning())
    # Var sin registrering för var sin sammanslagning, samtidigt.
    jobb = []
    for commit in sammanslagningar:
        katalog = ar.utcheckning(commit, "huvudgrenen")
        env = registreringsmiljo(katalog, katalog, ar.origin, ar.ci)
        jobb.append(starta_registrering(katalog, ar.ci, env))
    loggar = []
    for p in jobb:
        ut, fel = p.communicate(timeout=120)
        assert p.returncode == 0, f"en av de samtidiga registreringarna: {ut}{fel}"
        assert "Traceback" not in fel, fel
        loggar.append(ut + fel)
    # Den första sammanslagningens push vägras alltid (huvudgrenen har den andra): den
    # registrerar om på den nya huvudgrenen.
    assert "Huvudgrenen har ändrats" in loggar[0], loggar[0]
    git(ar.utv, "pull", "-q", "--ff-only", "origin", "main")
    assert {"NL-2016-020", "NL-2016-021"} <= ar.avtal(), ar.avtal()


@pytest.fixture(scope="module", params=["github", "gitlab"])
def ar(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Aret:
    return Aret(tmp_path_factory.mktemp(f"aret-{request.param}"), request.param)


@pytest.mark.parametrize(
    "steget", STEG, ids=[f"{i:02}-{s.__name__}" for i, s in enumerate(STEG, 1)]
)
def test_aret(ar: Aret, steget: Steg) -> None:
    mal = STEG.index(steget)
    while ar.klara <= mal:
        if ar.misslyckat is not None:
            pytest.fail(f"ett tidigare steg misslyckades: {ar.misslyckat}")
        aktuellt = STEG[ar.klara]
        ar.steget = aktuellt.__name__
        try:
            aktuellt(ar)
            ar.invarianter()
        except BaseException:
            ar.misslyckat = aktuellt.__name__
            raise
        ar.klara += 1
