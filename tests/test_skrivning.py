"""Filer som partner skapar (`filer.ny_fil`): `ny`, `init` och `report --ut` skriver aldrig
genom en symbolisk länk, varken en som pekar på en fil eller en som pekar på ingenting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import MALLTEXT, kor
from partner_cli.filer import kataloger, ny_fil

HEMLIG = "annans fil\n"


@pytest.fixture
def utanfor(tmp_path: Path) -> Path:
    """En fil utanför det partner ska skriva i, som en länk pekar på."""
    katalog = tmp_path / "utanfor"
    katalog.mkdir()
    fil = katalog / "hemlig.txt"
    fil.write_text(HEMLIG, encoding="utf-8")
    return fil


@pytest.mark.parametrize("dinglande", [False, True])
def test_ny_skriver_inte_genom_en_lank(tmp_path: Path, utanfor: Path, dinglande: bool) -> None:
    mal = utanfor.with_name("finns_inte.yaml") if dinglande else utanfor
    (tmp_path / "f.yaml").symlink_to(mal)
    p = kor("ny", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == "partner: f.yaml är en symbolisk länk; välj ett annat namn\n"
    assert not utanfor.with_name("finns_inte.yaml").exists()
    assert utanfor.read_text(encoding="utf-8") == HEMLIG


def test_init_skriver_inte_genom_lankar(tmp_path: Path, utanfor: Path) -> None:
    arkiv = tmp_path / "arkiv"
    arkiv.mkdir()
    (arkiv / "partner.toml").symlink_to(utanfor.with_name("ny.toml"))  # dinglande
    (arkiv / "register").symlink_to(utanfor.parent)
    p = kor("init", str(arkiv), cwd=tmp_path)
    assert p.returncode == 2
    assert "register" in p.stderr and "symbolisk länk" in p.stderr
    assert sorted(f.name for f in utanfor.parent.iterdir()) == ["hemlig.txt"]
    assert "finns redan, lämnades orörd: partner.toml" in p.stdout
    assert (arkiv / "exempel" / "forslag.yaml").is_file()


@pytest.fixture
def register(tmp_path: Path) -> Path:
    db = tmp_path / "reg.db"
    (tmp_path / "a.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor(
        "register", "add", "a.yaml", "--sanktionerad-av", "K", "--register", str(db), cwd=tmp_path
    )
    assert p.returncode == 0, p.stderr
    return db


@pytest.mark.parametrize("dinglande", [False, True])
def test_report_csv_byter_ut_lankar_i_stallet_for_att_folja_dem(
    tmp_path: Path, register: Path, utanfor: Path, dinglande: bool
) -> None:
    ut = tmp_path / "rapport"
    ut.mkdir()
    mal = utanfor.with_name("finns_inte.csv") if dinglande else utanfor
    (ut / "partnerskap.csv").symlink_to(mal)
    p = kor("report", "--år", "2014", "-f", "csv", "--ut", str(ut), "--register", str(register))
    assert p.returncode == 0, p.stderr
    assert not (ut / "partnerskap.csv").is_symlink()
    assert "NL-2014-007" in (ut / "partnerskap.csv").read_text(encoding="utf-8")
    assert utanfor.read_text(encoding="utf-8") == HEMLIG
    assert sorted(f.name for f in utanfor.parent.iterdir()) == ["hemlig.txt"]
    # Inga tillfälliga filer kvar.
    assert not [f for f in ut.iterdir() if f.name.startswith(".")]


def test_report_till_fil_foljer_inte_en_lank(tmp_path: Path, register: Path, utanfor: Path) -> None:
    (tmp_path / "rapport.xlsx").symlink_to(utanfor)
    p = kor(
        "report",
        "--år",
        "2014",
        "-f",
        "xlsx",
        "--ut",
        "rapport.xlsx",
        "--register",
        str(register),
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "rapport.xlsx").read_bytes()[:2] == b"PK"
    assert utanfor.read_text(encoding="utf-8") == HEMLIG


def test_ett_fel_under_skrivningen_lamnar_inget_halvskrivet(tmp_path: Path) -> None:
    ny = tmp_path / "ny.txt"
    with pytest.raises(RuntimeError), ny_fil(ny) as f:
        f.write("halv")
        raise RuntimeError
    assert not ny.exists()
    gammal = tmp_path / "gammal.txt"
    gammal.write_text("hel\n", encoding="utf-8")
    with pytest.raises(RuntimeError), ny_fil(gammal, ersatt=True) as f:
        f.write("halv")
        raise RuntimeError
    assert gammal.read_text(encoding="utf-8") == "hel\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gammal.txt"]


def test_en_ny_fil_far_rattigheterna_som_open_ger(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with ny_fil(tmp_path / "a.txt") as f:
            f.write("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_exklusiv_fil_som_finns_skrivs_inte_over(tmp_path: Path) -> None:
    fil = tmp_path / "a.txt"
    fil.write_text("först\n", encoding="utf-8")
    with pytest.raises(FileExistsError), ny_fil(fil, fsync=True) as f:
        f.write("sedan")
    assert fil.read_text(encoding="utf-8") == "först\n"


def test_kataloger_under_en_lank_vagras(tmp_path: Path) -> None:
    (tmp_path / "bas").mkdir()
    (tmp_path / "bas" / "l").symlink_to(tmp_path)
    with pytest.raises(OSError, match="symbolisk länk"):
        kataloger(tmp_path / "bas", tmp_path / "bas" / "l" / "x")
    assert not (tmp_path / "x").exists()
    kataloger(tmp_path / "bas", tmp_path / "bas" / "a" / "b")
    assert (tmp_path / "bas" / "a" / "b").is_dir()


def test_ett_ror_byts_inte_ut_utan_skrivs_i(tmp_path: Path, register: Path) -> None:
    import threading

    ror = tmp_path / "ror"
    os.mkfifo(ror)
    last: list[str] = []
    lasare = threading.Thread(
        target=lambda: last.append(ror.read_text(encoding="utf-8")), daemon=True
    )
    lasare.start()
    p = kor("register", "list", "-f", "csv", "--ut", str(ror), "--register", str(register))
    lasare.join(timeout=30)
    assert p.returncode == 0, p.stderr
    assert "NL-2014-007" in last[0]
    assert ror.is_fifo()
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]


@pytest.mark.parametrize(
    "flagga", [["report", "--år", "2014", "--ut"], ["check", "-f", "json", "--output"]]
)
def test_standard_ut_som_fil_skrivs_i(tmp_path: Path, register: Path, flagga: list[str]) -> None:
    # Processens standard ut, här ett rör till testet; som /dev/stdout, som länkar hit. (Ett
    # fel här kan inte byta ut något: i /proc skapas inga filer.)
    fil = ["a.yaml"] if flagga[0] == "check" else ["--register", str(register)]
    p = kor(*flagga[:1], *fil, *flagga[1:], "/proc/self/fd/1", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "NL-2014-007" in p.stdout
