"""Gränser som gör varje körning begränsad och synlig: fynd och värden per fil, heltal i
partner.toml, var partner.toml söks, vad den ändrar, och registret som `check` läser."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import MALLTEXT, PARTNER, andrad_mall, kor
from partner_cli import konfig, regler
from partner_cli.initiering import partner_toml


def _tomma_mal(antal: int) -> str:
    """Mallen med målen utbytta mot `antal` tomma mål på en rad."""
    fore, _, efter = MALLTEXT.partition("\nmål:")
    _, _, efter = efter.partition("\nutvärdering:")
    return f"{fore}\nmål: [{', '.join(['{}'] * antal)}]\nutvärdering:{efter}"


def toml(katalog: Path, text: str) -> Path:
    fil = katalog / "partner.toml"
    fil.write_text(text, encoding="utf-8")
    return fil


# --- fynd och värden per fil ------------------------------------------------------------------


def test_fynden_per_fil_begransas_med_ett_sista_som_raknar_resten(tmp_path: Path) -> None:
    toml(tmp_path, "[check]\nmax_fynd_per_fil = 5\n")
    (tmp_path / "f.yaml").write_text(_tomma_mal(10), encoding="utf-8")
    p = kor("check", "f.yaml", "--format", "json", cwd=tmp_path)
    assert p.returncode == 1
    (fil,) = json.loads(p.stdout)["filer"]
    assert fil["utfall"] == "underkänd"
    fynd = fil["fynd"]
    assert len(fynd) == 6
    # 10 mål × 4 fel (tre fält och överenskommet): 40, varav 5 visas.
    assert fynd[-1]["meddelande"].startswith("… och 35 fynd till (högst 5 per fil")
    assert fynd[-1]["nivå"] == "fel" and fynd[-1]["regel"] == "mål"
    assert "partner: inställningar ur" in p.stderr and "check.max_fynd_per_fil = 5" in p.stderr


def test_for_manga_varden_stoppas_innan_tradet_byggs(tmp_path: Path) -> None:
    toml(tmp_path, '[check]\n"max_värden" = 200\n')
    (tmp_path / "mallen.yaml").write_text(MALLTEXT, encoding="utf-8")
    (tmp_path / "stor.yaml").write_text(_tomma_mal(300), encoding="utf-8")
    p = kor("check", ".", "--format", "json", cwd=tmp_path)
    filer = {f["fil"]: f for f in json.loads(p.stdout)["filer"]}
    assert filer["./mallen.yaml"]["utfall"] == "godkänd"
    (fel,) = filer["./stor.yaml"]["fynd"]
    assert fel["meddelande"].startswith("Filen har fler än 200 värden")


def _kor_matt(argument: list[str], cwd: Path) -> tuple[int, float, int]:
    """Kod, sekunder och högsta minne (MB) för en körning av partner."""
    start = time.monotonic()
    p = subprocess.Popen([PARTNER, *argument], cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, resurser = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.monotonic() - start, resurser.ru_maxrss // 1024


@pytest.mark.langsam
@pytest.mark.parametrize("format_", ["text", "json", "github", "gitlab", "sarif", "junit"])
@pytest.mark.parametrize("max_varden", [None, 10_000_000])
def test_en_megabyte_tomma_mal_i_varje_format(
    tmp_path: Path, format_: str, max_varden: int | None
) -> None:
    """Värsta formen: 1 MB `mål: [{}, {}, …]` (250 000 mål, en miljon fel). Med standard
    stoppas filen vid 20 000 värden; med gränsen vid sitt högsta begränsas fynden."""
    if max_varden is not None:
        toml(tmp_path, f'[check]\n"max_värden" = {max_varden}\n')
    text = _tomma_mal(249_000)
    assert 990_000 < len(text.encode()) < 1_000_000
    (tmp_path / "stor.yaml").write_text(text, encoding="utf-8")
    kod, sekunder, mb = _kor_matt(["check", "stor.yaml", "--format", format_], tmp_path)
    assert kod == 1
    if max_varden is None:
        assert sekunder < 5 and mb < 200, (sekunder, mb)
    else:
        # Utan värdegränsen blir tolkningen själv det dyra; fynden är ändå begränsade.
        assert sekunder < 60 and mb < 700, (sekunder, mb)


# --- heltal i partner.toml ----------------------------------------------------------------------


def test_varje_heltalsinstallning_har_en_ovre_grans() -> None:
    heltal = {
        f"regler.{id_}.{k}"
        for id_, m in regler.REGLER.items()
        for k, t in m.KONF.items()
        if t is int
    }
    heltal |= {"check.max_filstorlek", "check.max_fynd_per_fil", "check.max_värden"}
    heltal |= {f"bevaka.{k}" for k, v in konfig.BEVAKNING.items() if isinstance(v, int)}
    assert heltal == set(konfig.HOGSTA)


@pytest.mark.parametrize(
    ("text", "nyckel"),
    [
        ('[regler."utvärdering"]\nmax_dagar_efter_slut = 3000000\n', "max_dagar_efter_slut"),
        (f"[check]\nmax_filstorlek = {2**63 - 1}\n", "check.max_filstorlek"),
        ("[check]\nmax_filstorlek = 100000001\n", "check.max_filstorlek"),
        ("[check]\nmax_fynd_per_fil = 0\n", "check.max_fynd_per_fil"),
        ("[regler.ekonomi]\nmax_alder_ar = 101\n", "max_ålder_år"),
        ('[register]\n"sökväg" = "a\\u0000b.db"\n', "register.sökväg"),
    ],
)
def test_for_stora_varden_och_nul_ger_kod_2_med_nyckeln(
    tmp_path: Path, text: str, nyckel: str
) -> None:
    toml(tmp_path, text)
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    for argument in (["check", "f.yaml"], ["register", "list"], ["report", "--år", "2014"]):
        p = kor(*argument, cwd=tmp_path)
        assert p.returncode == 2, (argument, p.stderr)
        assert nyckel in p.stderr, p.stderr


def test_gransen_sjalv_godtas(tmp_path: Path) -> None:
    toml(tmp_path, '[regler."utvärdering"]\nmax_dagar_efter_slut = 36500\n')
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    assert kor("check", "f.yaml", cwd=tmp_path).returncode == 0


# --- var partner.toml söks, och vad den ändrar -------------------------------------------------


@pytest.mark.parametrize("git", ["katalog", "fil"])
def test_sokningen_stannar_vid_arkivets_rot(tmp_path: Path, git: str) -> None:
    toml(tmp_path, '[regler.medfinansiering]\n"nivå" = "av"\n')
    arkiv = tmp_path / "arkiv"
    (arkiv / "forslag").mkdir(parents=True)
    if git == "katalog":
        (arkiv / ".git").mkdir()
    else:
        (arkiv / ".git").write_text("gitdir: ../annan\n", encoding="utf-8")  # en arbetskopia
    assert konfig.ladda(start=arkiv / "forslag").fil is None
    assert konfig.hitta(tmp_path) == tmp_path / "partner.toml"


def test_sokningen_stannar_vid_hemkatalogen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml(tmp_path, '[regler.medfinansiering]\n"nivå" = "av"\n')
    hem = tmp_path / "hem"
    (hem / "forslag").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(hem))
    assert konfig.ladda(start=hem / "forslag").fil is None


def test_en_avstangd_regel_syns_i_varje_format(tmp_path: Path) -> None:
    fil = toml(tmp_path, '[regler.medfinansiering]\n"nivå" = "av"\nmin_andel = 0.6\n')
    underkand = andrad_mall(("kontant: 400 000 kr", "kontant: 900 000 kr"))
    (tmp_path / "f.yaml").write_text(underkand, encoding="utf-8")
    text = kor("check", "f.yaml", cwd=tmp_path)
    assert text.returncode == 0
    (rad,) = [r for r in text.stderr.splitlines() if r.startswith("partner: inställningar")]
    assert rad == (
        f"partner: inställningar ur {fil}: regler.medfinansiering.nivå = av, "
        "regler.medfinansiering.min_andel = 0.6"
    )
    andrat = {"regler.medfinansiering.nivå": "av", "regler.medfinansiering.min_andel": "0.6"}
    dokument = json.loads(kor("check", "f.yaml", "-f", "json", cwd=tmp_path).stdout)
    assert dokument["konfiguration"] == {"fil": str(fil), "ändrat": andrat}
    sarif = json.loads(kor("check", "f.yaml", "-f", "sarif", cwd=tmp_path).stdout)
    assert sarif["runs"][0]["properties"]["konfiguration"] == {"fil": str(fil), "ändrat": andrat}


def test_standardinstallningar_sags_inte(tmp_path: Path) -> None:
    toml(tmp_path, partner_toml())
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 0 and "inställningar" not in p.stderr
    dokument = json.loads(kor("check", "f.yaml", "-f", "json", cwd=tmp_path).stdout)
    assert dokument["konfiguration"]["ändrat"] == {}


# --- registret som check läser ----------------------------------------------------------------


def _registerfall(tmp_path: Path, fall: str) -> dict[str, str]:
    if fall == "katalog":
        (tmp_path / "reg").mkdir()
    elif fall == "ror":
        os.mkfifo(tmp_path / "reg")
    return {"PARTNER_REGISTER": str(tmp_path / "reg")}


@pytest.mark.parametrize(
    ("fall", "text"),
    [("saknas", "finns inte"), ("katalog", "är en katalog"), ("ror", "inte en vanlig fil")],
)
def test_ett_namngivet_register_som_inte_ar_en_fil_ger_kod_2(
    tmp_path: Path, fall: str, text: str
) -> None:
    env = _registerfall(tmp_path, fall)
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path, env=env)
    assert p.returncode == 2
    assert p.stderr.startswith(f"partner: registret {tmp_path / 'reg'} (PARTNER_REGISTER) ")
    assert text in p.stderr


def test_register_sokvag_i_partner_toml_som_saknas(tmp_path: Path) -> None:
    toml(tmp_path, '[register]\n"sökväg" = "stavfel.db"\n')
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2 and "[register] sökväg i" in p.stderr and "finns inte" in p.stderr


def test_standardregistret_som_saknas_ar_inget_fel(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    assert kor("check", "f.yaml", cwd=tmp_path).returncode == 0
