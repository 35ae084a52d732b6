"""Gemensamt för testerna: mallen som utgångspunkt, riktiga filer i tmp_path, riktiga körningar."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import settings

from partner_cli import konfig, kontroll
from partner_cli.modell import Filresultat
from partner_cli.utdata import FORMAT

# Ingen tidsgräns per exempel: på en belastad maskin blir den annars en slumpmässig felkälla.
settings.register_profile("partner", deadline=None)
settings.load_profile("partner")

ROT = Path(__file__).resolve().parents[1]
MALL = ROT / "mallar" / "forslag.yaml"
MALLTEXT = MALL.read_text(encoding="utf-8")
PARTNER = str(Path(sys.executable).parent / "partner")
_CI_MILJO = {"GITHUB_ACTIONS", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY", "CI_PROJECT_DIR"}


def mallrad(borjan: str) -> int:
    """Raden (från 1) i mallen som börjar med texten: testerna följer mallen när den ändras."""
    return next(i for i, r in enumerate(MALLTEXT.splitlines(), 1) if r.startswith(borjan))


def andrad_mall(*ersattningar: tuple[str, str]) -> str:
    """Mallens text med exakta textersättningar; varje gammal text ska finnas exakt en gång."""
    text = MALLTEXT
    for gammal, ny in ersattningar:
        assert text.count(gammal) == 1, f"{gammal!r} finns {text.count(gammal)} gånger i mallen"
        text = text.replace(gammal, ny)
    return text


class _Strangar(yaml.SafeLoader):
    """Varje skalär som text, som partner läser den (ingen YAML 1.1-typning)."""


_Strangar.yaml_implicit_resolvers = {}
# Utom en nyckel utan värde (`kontant:`), som står utan värde också i den nya texten.
_Strangar.add_implicit_resolver("tag:yaml.org,2002:null", re.compile("^$"), [""])


def som_strangar(text: str) -> Any:
    return yaml.load(text, Loader=_Strangar)


def djup_sammanslagning(bas: Any, andring: Any) -> Any:
    """Kartor slås ihop nyckel för nyckel; listor och skalärer ersätts helt."""
    if isinstance(bas, dict) and isinstance(andring, dict):
        ut = dict(bas)
        for k, v in andring.items():
            ut[k] = djup_sammanslagning(bas[k], v) if k in bas else v
        return ut
    return andring


def mall_med(andring_yaml: str) -> str:
    """Mallen med ett YAML-utdrag djupt sammanslaget, som ny YAML-text (raderna flyttas)."""
    data = djup_sammanslagning(som_strangar(MALLTEXT), som_strangar(andring_yaml))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def skriv(tmp_path: Path) -> Callable[..., Path]:
    def _skriv(text: str | bytes, namn: str = "forslag.yaml") -> Path:
        fil = tmp_path / namn
        fil.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            fil.write_bytes(text)
        else:
            fil.write_text(text, encoding="utf-8")
        return fil

    return _skriv


def granska(fil: Path, konf: konfig.Konfig | None = None) -> Filresultat:
    """Kärnan på en riktig fil, med partner.toml sökt från filens katalog om ingen ges."""
    k = konf if konf is not None else konfig.ladda(start=fil.parent)
    return kontroll.kontrollera([str(fil)], k).filer[0]


def rendera(
    format_: str,
    *sokvagar: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    strikt: bool = False,
) -> str:
    """Ett granskningsformat i processen: kärnans resultat genom formatets renderare, med
    sökvägarna som `partner check` ser dem från `cwd` och utan testkörningens egen CI-miljö."""
    miljo = {k: v for k, v in os.environ.items() if k not in _CI_MILJO} | dict(env or {})
    ut = io.StringIO()
    with contextlib.chdir(cwd), mock.patch.dict(os.environ, miljo, clear=True):
        resultat = kontroll.kontrollera(
            kontroll.samla_filer(sokvagar), konfig.ladda(), strikt=strikt
        )
        FORMAT.renderare(format_)(resultat, ut)
    return ut.getvalue()


def kor(
    *argument: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Det installerade `partner`-skriptet; ingen körning får någonsin visa en traceback."""
    # Utan CI-miljön som testerna själva körs i: den byter rapportrot och lägger till annoteringar.
    miljo = {k: v for k, v in os.environ.items() if k not in _CI_MILJO}
    miljo.update({"COLUMNS": "200", **(env or {})})
    # Utan svar är standard in tom, aldrig testkörningens terminal: en fråga hänger aldrig.
    inmatning: dict[str, Any] = (
        {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    )
    p = subprocess.run(
        [PARTNER, *argument], cwd=cwd, capture_output=True, env=miljo, timeout=60, **inmatning
    )
    ut = subprocess.CompletedProcess(
        p.args, p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    )
    assert "Traceback" not in ut.stderr, ut.stderr
    assert "Traceback" not in ut.stdout, ut.stdout
    return ut


def kor_i_terminal(
    *argument: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    bredd: int = 200,
) -> subprocess.CompletedProcess[str]:
    """Som `kor`, men med standard ut i en pseudoterminal `bredd` tecken bred: så som en
    människa ser utdata."""
    import fcntl
    import pty
    import struct
    import termios

    huvud, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 50, bredd, 0, 0))
    miljo = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NO_COLOR"))}
    p = subprocess.run(
        [PARTNER, *argument],
        stdout=terminal,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env={**miljo, **(env or {}), "COLUMNS": str(bredd), "TERM": "xterm"},
        timeout=60,
    )
    os.close(terminal)
    ut = b""
    while True:
        try:
            bit = os.read(huvud, 65536)
        except OSError:  # terminalen stängd: allt är läst
            break
        if not bit:
            break
        ut += bit
    os.close(huvud)
    fel = p.stderr.decode("utf-8")
    assert "Traceback" not in fel, fel
    return subprocess.CompletedProcess(
        p.args, p.returncode, ut.decode("utf-8").replace("\r", ""), fel
    )
