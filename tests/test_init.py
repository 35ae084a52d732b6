"""`partner init` och mallarna som följer med: ett nytt förslagsarkiv som går igenom direkt."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from partner_cli.initiering import partner_toml

ROT = Path(__file__).parents[1]
PARTNER = str(Path(sys.executable).parent / "partner")


def kor(*argument: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Standard in är tom, inte testkörningens terminal: init frågar bara i en terminal.
    return subprocess.run(
        [PARTNER, *argument],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("fil", ["mallar/partner.toml", "exempel/partner.toml"])
def test_utskrivna_partner_toml_foljer_reglernas_standardvarden(fil: str) -> None:
    assert (ROT / fil).read_text(encoding="utf-8") == partner_toml()


@pytest.mark.parametrize(
    ("ci", "konfigfil"), [("github", ".github/workflows/partner.yml"), ("gitlab", ".gitlab-ci.yml")]
)
def test_init_lagger_upp_ett_arkiv_som_gar_igenom(tmp_path: Path, ci: str, konfigfil: str) -> None:
    svar = kor("init", str(tmp_path / "arkiv"), "--ci", ci, cwd=tmp_path)
    assert svar.returncode == 0, svar.stderr
    arkiv = tmp_path / "arkiv"
    for namn in (
        "partner.toml",
        "exempel/forslag.yaml",
        "forslag/README.md",
        "beslut/README.md",
        "utvarderingar/README.md",
        "register/README.md",
        "register/.gitignore",
        "CODEOWNERS",
    ):
        assert (arkiv / namn).is_file(), namn
    assert yaml.safe_load((arkiv / konfigfil).read_text(encoding="utf-8"))
    # Ett nytt arkiv går igenom: inga förslag ännu, och exemplet ligger utanför forslag/.
    granskning = kor("check", cwd=arkiv)
    assert granskning.returncode == 0, granskning.stdout + granskning.stderr
    assert "0 filer granskade" in granskning.stdout
    # Den skrivna partner.toml läses av partner och exemplet går igenom med den.
    granskning = kor("check", "exempel", cwd=arkiv)
    assert granskning.returncode == 0, granskning.stdout + granskning.stderr


def test_codeowners_kraver_den_sanktionerande_funktionen_for_beslut_och_register(
    tmp_path: Path,
) -> None:
    assert kor("init", "--ci", "github", cwd=tmp_path).returncode == 0
    agare = {}
    for rad in (tmp_path / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if rad.strip() and not rad.startswith("#"):
            monster, *vem = rad.split()
            agare[monster] = vem
    for skyddat in ("/beslut/", "/partner.toml", "/register/", "/CODEOWNERS", "/.github/"):
        assert agare[skyddat] == ["@kommunen/sanktionerande"], skyddat
    assert "/forslag/" not in agare  # förslag granskas av CI, inte av kodägarna


def test_init_skriver_aldrig_over(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text("# min egen\n", encoding="utf-8")
    svar = kor("init", "--ci", "github", cwd=tmp_path)
    assert svar.returncode == 0
    assert "finns redan, lämnades orörd: partner.toml" in svar.stdout
    assert (tmp_path / "partner.toml").read_text(encoding="utf-8") == "# min egen\n"
    assert (tmp_path / ".github/workflows/partner.yml").is_file()


def test_init_okand_ci_ar_anvandningsfel(tmp_path: Path) -> None:
    svar = kor("init", "--ci", "jenkins", cwd=tmp_path)
    assert svar.returncode == 2
    assert "okänd CI 'jenkins'" in svar.stderr
    assert not (tmp_path / "partner.toml").exists()


def test_andrad_grans_i_skriven_partner_toml_andrar_utfallet(tmp_path: Path) -> None:
    kor("init", cwd=tmp_path)
    toml = tmp_path / "partner.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("min_andel = 0.5", "min_andel = 0.7"))
    svar = kor("check", "exempel", cwd=tmp_path)
    assert svar.returncode == 1
    assert "minst 70 % krävs" in svar.stdout


# --- [kommun] ---------------------------------------------------------------------------------

# En offentlig medfinansiär med ett av kommunens bolags nummer: med [kommun] ifylld räknas
# bidraget som kommunens, utan den går det inte att avgöra.
BOLAG = "556912-3457"
MED_BOLAG = """\
    - namn: Örebro Energi AB
      organisationsnummer: 556912-3457
      kategori: offentlig
      kontant: 10 000 kr
      garanterad: ja
      underlag: Bolagets beslut 2014-05-20
"""


def granska_med_bolag(arkiv: Path) -> str:
    text = (ROT / "mallar" / "forslag.yaml").read_text(encoding="utf-8")
    underlag = "      underlag: Avsiktsförklaring undertecknad 2014-05-12\n"
    assert underlag in text
    (arkiv / "forslag" / "nl-2014-007.yaml").write_text(
        text.replace(underlag, underlag + MED_BOLAG, 1), encoding="utf-8"
    )
    svar = kor("check", cwd=arkiv)
    assert svar.returncode == 0, svar.stdout + svar.stderr
    return svar.stdout


def test_init_utan_terminal_skriver_kommunens_mall_som_check_paminner_om(tmp_path: Path) -> None:
    assert kor("init", cwd=tmp_path).returncode == 0
    toml = (tmp_path / "partner.toml").read_text(encoding="utf-8")
    assert "# [kommun]" in toml and "\n[kommun]" not in toml
    assert "partner.toml saknar [kommun]" in granska_med_bolag(tmp_path)


def test_init_med_flaggorna_fyller_i_kommun(tmp_path: Path) -> None:
    svar = kor(
        "init", "--kommun-namn", 'Örebro "kommun"', "--kommun-organisationsnummer", "2120001967",
        "--kommunalt-bolag", BOLAG, "--kommunalt-bolag", "5569123457",
        cwd=tmp_path,
    )  # fmt: skip
    assert svar.returncode == 0, svar.stderr
    kommun = tomllib.loads((tmp_path / "partner.toml").read_text(encoding="utf-8"))["kommun"]
    assert kommun == {
        "namn": 'Örebro "kommun"',
        "organisationsnummer": "212000-1967",
        "bolag": [BOLAG],
    }
    ut = granska_med_bolag(tmp_path)
    assert 'är ett av Örebro "kommun"s bolag enligt partner.toml' in ut
    assert "saknar [kommun]" not in ut


@pytest.mark.parametrize(
    ("flaggor", "text"),
    [
        (["--kommun-namn", "Örebro kommun"], "ange både --kommun-namn och"),
        (["--kommun-organisationsnummer", "212000-1967"], "ange både --kommun-namn och"),
        (
            ["--kommun-namn", "K", "--kommun-organisationsnummer", BOLAG],
            "--kommun-organisationsnummer: 556912-3457 börjar inte med 2",
        ),
        (
            ["--kommun-namn", "K", "--kommun-organisationsnummer", "212000-1968"],
            "kontrollsiffran stämmer inte",
        ),
        (
            ["--kommun-namn", "K", "--kommun-organisationsnummer", "212000-1967",
             "--kommunalt-bolag", "556912-345"],
            "--kommunalt-bolag: '556912-345' är inget organisationsnummer",
        ),
    ],
)  # fmt: skip
def test_init_med_fel_i_flaggorna_skriver_inget(
    tmp_path: Path, flaggor: list[str], text: str
) -> None:
    svar = kor("init", "arkiv", *flaggor, cwd=tmp_path)
    assert svar.returncode == 2
    assert text in svar.stderr
    assert not (tmp_path / "arkiv").exists()


def test_init_med_flaggorna_och_en_befintlig_partner_toml_ar_ett_fel(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").write_text("# min egen\n", encoding="utf-8")
    svar = kor(
        "init", "--kommun-namn", "K", "--kommun-organisationsnummer", "212000-1967", cwd=tmp_path
    )
    assert svar.returncode == 2 and "finns redan" in svar.stderr
    assert (tmp_path / "partner.toml").read_text(encoding="utf-8") == "# min egen\n"


FRAGA = re.compile(rb"(?:Kommunens namn|Kommunens organisationsnummer|Bolag): ")


def fragor(tmp_path: Path, svar: list[bytes | None]) -> tuple[int, str, str]:
    """`partner init` i en pseudoterminal: varje svar skrivs när nästa fråga syns; None
    avbryter med Ctrl-C, b"\\x04" är Ctrl-D."""
    huvud, slav = pty.openpty()
    try:
        process = subprocess.Popen(
            [PARTNER, "init", "arkiv"],
            cwd=tmp_path,
            stdin=slav,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert process.stdout is not None
        ut = b""
        for nasta in svar:
            fragade = len(FRAGA.findall(ut))
            while len(FRAGA.findall(ut)) == fragade:
                bit = process.stdout.read1(1024)
                assert bit, f"frågan kom aldrig: {ut.decode()}"
                ut += bit
            if nasta is None:
                vanta_pa_lasning(process.pid)
                process.send_signal(signal.SIGINT)
                break
            os.write(huvud, nasta)
        rest, fel = process.communicate(timeout=60)
    finally:
        os.close(huvud)
        os.close(slav)
    assert b"Traceback" not in fel
    return process.returncode, (ut + rest).decode(), fel.decode()


def vanta_pa_lasning(pid: int) -> None:
    """Tills processen väntar på terminalen (se test_kommandorad)."""
    for _ in range(1000):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("S"):
            return
        time.sleep(0.01)


def test_init_i_en_terminal_fragar_efter_kommun_och_provar_numren(tmp_path: Path) -> None:
    kod, ut, fel = fragor(
        tmp_path,
        [
            "Örebro kommun\n".encode(),
            b"556912-3457\n",  # inte gruppsiffran 2: frågas igen
            b"212000-1967\n",
            b"55691\n",  # inget organisationsnummer: frågas igen
            b"5569123457\n",
            b"\n",
        ],
    )
    assert kod == 0, fel
    assert "Kommunens namn: " in ut and ut.count("Kommunens organisationsnummer: ") == 2
    assert ut.count("Bolag: ") == 3
    assert "556912-3457 börjar inte med 2, som kommuner gör; försök igen" in fel
    assert "'55691' är inget organisationsnummer" in fel
    kommun = tomllib.loads((tmp_path / "arkiv" / "partner.toml").read_text("utf-8"))["kommun"]
    assert kommun == {
        "namn": "Örebro kommun",
        "organisationsnummer": "212000-1967",
        "bolag": [BOLAG],
    }
    assert "är ett av Örebro kommuns bolag" in granska_med_bolag(tmp_path / "arkiv")


def test_init_i_en_terminal_med_tomt_namn_skriver_mallen(tmp_path: Path) -> None:
    kod, _, fel = fragor(tmp_path, [b"\n"])
    assert kod == 0, fel
    assert "# [kommun]" in (tmp_path / "arkiv" / "partner.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("avbrott", "kod"), [(None, 130), (b"\x04", 1)])
def test_init_avbruten_vid_en_fraga_skriver_inget(
    tmp_path: Path, avbrott: bytes | None, kod: int
) -> None:
    svar, _, fel = fragor(tmp_path, ["Örebro kommun\n".encode(), avbrott])
    assert svar == kod
    assert fel.strip() == "Avbrutet."
    assert not (tmp_path / "arkiv").exists()
