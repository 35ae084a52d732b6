"""Kommandoradens egna delar: --version, skalkomplettering, `ny`, frågor och Clicks fel på
svenska, genom det installerade `partner`."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path

import pytest

import cijobb as ci
from conftest import PARTNER, ROT, kor
from registerhjalp import miljo, skriv_forslag

UTVARDERINGSMALL = (ROT / "mallar" / "utvardering.yaml").read_text(encoding="utf-8")


def test_hjalpen_ar_svensk_ocksa_dar_raden_bryts() -> None:
    # I rapportens hjälp bryts "[default: text]" över två rader vid 80 tecken.
    p = kor("report", "--help", env={"COLUMNS": "80"})
    assert p.returncode == 0
    assert "default" not in p.stdout
    assert "[standard:" in p.stdout


def test_version() -> None:
    p = kor("--version")
    assert p.returncode == 0
    assert p.stdout == f"partner {version('partner-cli')}\n"


# --- skalkomplettering ------------------------------------------------------------------------


@pytest.mark.parametrize("skal", ["bash", "zsh", "fish"])
def test_visa_komplettering(skal: str) -> None:
    p = kor("--show-completion", skal)
    assert p.returncode == 0, p.stderr
    assert "_PARTNER_COMPLETE=complete_" + skal in p.stdout


def test_okant_skal_ar_ett_anvandningsfel() -> None:
    p = kor("--show-completion", "tcsh")
    assert p.returncode == 2
    assert "skalet 'tcsh' stöds inte; välj bash, zsh, fish" in p.stderr
    p = kor("--install-completion")
    assert p.returncode == 2
    assert "flaggan --install-completion kräver ett värde" in p.stderr


@pytest.mark.parametrize(
    ("skal", "fil", "rc"),
    [
        ("bash", ".bash_completions/partner.sh", ".bashrc"),
        ("zsh", ".zfunc/_partner", ".zshrc"),
        ("fish", ".config/fish/completions/partner.fish", None),
    ],
)
def test_installera_komplettering(tmp_path: Path, skal: str, fil: str, rc: str | None) -> None:
    p = kor("--install-completion", skal, env={"HOME": str(tmp_path)})
    assert p.returncode == 0, p.stderr
    assert f"Kompletteringen för {skal} är installerad i {tmp_path / fil}" in p.stdout
    assert "_PARTNER_COMPLETE" in (tmp_path / fil).read_text(encoding="utf-8")
    if rc is not None:
        assert (tmp_path / rc).is_file()


def test_bash_kompletterar_kommandon_och_checks_flaggor() -> None:
    # Skriptet som det installeras, kört i bash mot det installerade partner; check:s flaggor
    # kommer ur samma deklaration som den snabba vägen tolkar (granskning.PARAMETRAR).
    skript = kor("--show-completion", "bash").stdout
    kod = (
        f"{skript}\n"
        "COMP_WORDS=(partner register li); COMP_CWORD=2; _partner_completion partner\n"
        'echo "${COMPREPLY[@]}"\n'
        "COMP_WORDS=(partner check --fo); COMP_CWORD=2; _partner_completion partner\n"
        'echo "${COMPREPLY[@]}"\n'
    )
    miljo_ = {**os.environ, "PATH": f"{Path(PARTNER).parent}:{os.environ['PATH']}"}
    p = subprocess.run(["bash", "-c", kod], capture_output=True, text=True, env=miljo_, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["list", "--format"]


@pytest.mark.parametrize(
    ("skal", "env", "vantat"),
    [
        ("zsh", {"_TYPER_COMPLETE_ARGS": "partner register ä"}, "ägare"),
        (
            "fish",
            {"_TYPER_COMPLETE_ARGS": "partner rep", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
            "report",
        ),
    ],
)
def test_zsh_och_fish_far_forslag(skal: str, env: dict[str, str], vantat: str) -> None:
    p = kor(env={"_PARTNER_COMPLETE": f"complete_{skal}", **env})
    assert p.returncode == 0, p.stderr
    assert vantat in p.stdout


# --- partner ny -------------------------------------------------------------------------------


def test_ny_skapar_kataloger_som_saknas(tmp_path: Path) -> None:
    p = kor("ny", "forslag/2014/x.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "(avtalsägarens namn)" in (tmp_path / "forslag" / "2014" / "x.yaml").read_text("utf-8")
    (tmp_path / "fil").write_text("", encoding="utf-8")
    p = kor("ny", "fil/x.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr.startswith("partner: kan inte skapa katalogen fil: ")


def test_ny_utvardering_registreras(tmp_path: Path) -> None:
    reg = tmp_path / "register.db"
    forslag = skriv_forslag(tmp_path, "a.yaml", id_="NL-2014-007")
    assert (
        kor("register", "add", str(forslag), "--sanktionerad-av", "K", env=miljo(reg)).returncode
        == 0
    )
    p = kor("ny", "--utvardering", "utv/nl-2014-007.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "partner register utvärdera ID utv/nl-2014-007.yaml" in p.stdout
    fil = tmp_path / "utv" / "nl-2014-007.yaml"
    assert fil.read_text(encoding="utf-8") == UTVARDERINGSMALL
    # Ofylld går den inte igenom; med utvärderarens namn gör den det.
    p = kor("register", "utvärdera", "NL-2014-007", str(fil), env=miljo(reg))
    assert p.returncode == 1 and "står kvar från mallen" in p.stdout
    fil.write_text(UTVARDERINGSMALL.replace("(utvärderarens namn)", "Revisor Rask"), "utf-8")
    p = kor("register", "utvärdera", "NL-2014-007", str(fil), env=miljo(reg))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "utvärderingen av NL-2014-007 registrerad" in p.stdout


def test_ny_utvardering_i_forslagsarkivet_har_avtalet_och_registreras(tmp_path: Path) -> None:
    arkiv = ci.nytt_arkiv(tmp_path, "github")
    assert ci.sync(arkiv)[0] == 0
    # NL-2014-001 löper 2014-03-01–2016-02-29 med två mål; id:t ur filnamnet.
    p = kor("ny", "--utvardering", "utvarderingar/nl-2014-001-2015.yaml", cwd=arkiv)
    assert p.returncode == 0 and "partner check utvarderingar" in p.stdout, p.stderr
    fil = arkiv / "utvarderingar" / "nl-2014-001-2015.yaml"
    text = fil.read_text(encoding="utf-8")
    assert "\navtal: NL-2014-001\n" in text
    assert kor("check", cwd=arkiv).returncode == 1  # utvärderarens platshållare står kvar
    fil.write_text(
        text.replace("(utvärderarens namn)", "Revisor Rask").replace(
            "  - mål: 1\n", "  - mål: 2\n    utfall: 150\n  - mål: 1\n", 1
        ),
        encoding="utf-8",
    )
    p = kor("check", cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr
    ci.commit(arkiv, "Delutvärdering")
    kod, ut = ci.sync(arkiv)
    assert kod == 0 and "NL-2014-001" in ut, ut
    # Utan id i filnamnet: en platshållare som underkänns tills den är ifylld.
    assert kor("ny", "--utvardering", "utvarderingar/var.yaml", cwd=arkiv).returncode == 0
    p = kor("check", "utvarderingar/var.yaml", cwd=arkiv)
    assert p.returncode == 1 and "avtal: '(avtalets id)' står kvar från mallen" in p.stdout


# --- frågor -----------------------------------------------------------------------------------


def _fraga_sanktionerad_av(tmp_path: Path, svar: bytes | None) -> tuple[int, str, str]:
    """`register add` utan --sanktionerad-av i en terminal; svaret skrivs när frågan syns,
    None avbryter frågan med SIGINT (Ctrl-C)."""
    import pty

    reg = tmp_path / "register.db"
    a = skriv_forslag(tmp_path, "a.yaml")
    huvud, slav = pty.openpty()
    try:
        process = subprocess.Popen(
            [PARTNER, "register", "add", str(a)],
            env={**os.environ, **miljo(reg)},
            stdin=slav,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert process.stdout is not None
        ut = b""
        while b"Sanktionerad av" not in ut:
            bit = process.stdout.read1(1024)
            assert bit, "frågan kom aldrig"
            ut += bit
        if svar is None:
            _vanta_pa_lasning(process.pid)
            process.send_signal(signal.SIGINT)
        else:
            os.write(huvud, svar)
        rest, fel = process.communicate(timeout=60)
    finally:
        os.close(huvud)
        os.close(slav)
    return process.returncode, (ut + rest).decode(), fel.decode()


def _vanta_pa_lasning(pid: int) -> None:
    """Tills processen väntar på terminalen: en signal mellan frågan och läsningen skulle
    annars hanteras först efter nästa rad (som en människa aldrig hinner före)."""
    for _ in range(1000):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("S"):
            return
        time.sleep(0.01)


def test_ctrl_c_vid_en_fraga_ger_130(tmp_path: Path) -> None:
    kod, _, fel = _fraga_sanktionerad_av(tmp_path, None)
    assert kod == 130
    assert fel.strip() == "Avbrutet."
    assert not (tmp_path / "register.db").exists()


def test_tomt_svar_fragas_igen(tmp_path: Path) -> None:
    kod, ut, fel = _fraga_sanktionerad_av(tmp_path, b"\n  \nKarin Ek\n")
    assert kod == 0, fel
    assert ut.count("Sanktionerad av") == 3


# --- Clicks fel på svenska ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "text"),
    [
        (
            ["report", "--år", "tjugo"],
            "partner report: ogiltigt värde för --år: 'tjugo' är inget heltal",
        ),
        (
            ["report", "--ar", "2,5"],
            "partner report: ogiltigt värde för --år: '2,5' är inget heltal",
        ),
        (["register", "list", "--år", "x"], "partner register list: ogiltigt värde för --år:"),
        (["ny"], "partner ny: argument saknas: FIL"),
        (
            ["register", "byt-ägare", "556781-2341"],
            "partner register byt-ägare: flagga saknas: --namn",
        ),
        (["regler", "mål", "insyn"], "partner regler: oväntade argument: insyn"),
        (["report", "--okand"], "partner report: okänd flagga: --okand"),
        (["report", "--formt", "json"], "okänd flagga: --formt (menade du --format?)"),
        (["report", "--per"], "partner report: flaggan --per kräver ett värde"),
        (["register", "list", "-f"], "partner register list: flaggan -f kräver ett värde"),
        (["ny", "--utvardering=ja", "x.yaml"], "partner ny: flaggan --utvardering tar inget värde"),
        (["registr"], "partner: okänt kommando: registr."),
        (["register", "lis"], "partner register: okänt kommando: lis. Menade du 'list'?"),
        (["report", "--år", "2015", "extra"], "partner report: oväntade argument: extra"),
    ],
)
def test_clicks_fel_pa_svenska(argument: list[str], text: str) -> None:
    p = kor(*argument)
    assert p.returncode == 2
    assert text in p.stderr
    namn = p.stderr.split(":")[0]
    assert p.stderr.endswith(f"Se '{namn} --help'.\n")
    for engelska in ("Usage", "Error", "No such", "Missing", "Invalid", "valid", "Option", "Got "):
        assert engelska not in p.stderr
    assert "' / '" not in p.stderr


def test_clicks_varden_pa_svenska() -> None:
    # Typer-typer som inga kommandon har ännu (val, datum, intervall) översätts också.
    from partner_cli.cli import _svenskt_anvandningsfel
    from partner_cli.typerkompat import BadParameter

    for engelska, svenska in [
        ("'pdf' is not one of 'text', 'json'.", "'pdf'; välj en av 'text', 'json'"),
        ("'2015-02-30' does not match the format '%Y-%m-%d'.", "'2015-02-30' är inget datum"),
        ("'x' is not a valid float.", "'x' är inget tal"),
        ("0 is not in the range 1<=x<=9.", "0 ligger utanför 1<=x<=9"),
    ]:
        fel = BadParameter(engelska, param_hint="--x")
        assert _svenskt_anvandningsfel(fel).startswith(f"ogiltigt värde för --x: {svenska}")


# --- rapportens riktning ----------------------------------------------------------------------


def test_lika_visade_andelar_ar_oforandrade() -> None:
    from partner_cli.rapport import Arsrapport, Indikatorer
    from partner_cli.rapport.tabeller import tabeller, visa

    def indikatorer(ar: int, naringsliv: int, total: int) -> Indikatorer:
        return Indikatorer(ar, 3, 1, total // 2, naringsliv, total, 1, 1, 1)

    # 56,34 % och 56,30 %: olika bråk, samma visade andel.
    rapport = Arsrapport(
        2015, dt.date(2015, 12, 31), Fraction(1, 2), (), (), (),
        indikatorer(2015, 5634, 10000), indikatorer(2014, 563, 1000), (), (), (), (),
    )  # fmt: skip
    (tabell,) = (t for t in tabeller(rapport) if t.nyckel == "indikatorer")
    rader = {r[0]: r for r in tabell.rader}
    _, nu, forra, riktning = rader["Näringslivets andel av finansieringen"]
    assert (visa(nu), visa(forra), riktning) == ("56,3 %", "56,3 %", "→ oförändrad")
    # Aktiva partnerskap 3 mot 3, och andelar som skiljer sig synligt, har sin riktning.
    assert rader["Aktiva partnerskap"][3] == "→ oförändrad"
    rapport = Arsrapport(
        2015, dt.date(2015, 12, 31), Fraction(1, 2), (), (), (),
        indikatorer(2015, 5640, 10000), indikatorer(2014, 563, 1000), (), (), (), (),
    )  # fmt: skip
    (tabell,) = (t for t in tabeller(rapport) if t.nyckel == "indikatorer")
    rader = {r[0]: r for r in tabell.rader}
    assert rader["Näringslivets andel av finansieringen"][3] == "↑ ökar"


def test_ctrl_d_vid_en_fraga_ger_1(tmp_path: Path) -> None:
    kod, _, fel = _fraga_sanktionerad_av(tmp_path, b"\x04")
    assert kod == 1
    assert fel.strip() == "Avbrutet."
    assert not (tmp_path / "register.db").exists()
