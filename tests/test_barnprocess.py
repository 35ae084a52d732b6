"""En förberedelse i en barnprocess: barnet skriver bara på besked, och dess fel tas upp i
föräldern, med fork och utan."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from partner_cli import systemfel
from partner_cli.barnprocess import med_barn


@pytest.fixture(params=["fork", "utan fork"])
def utan_fork(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    if request.param == "utan fork":
        monkeypatch.delattr(os, "fork")
    return request.param == "utan fork"


def _forberedelse(fil: Path, text: str = "barnets") -> Callable[[], Callable[[], None]]:
    def forbered() -> Callable[[], None]:
        formaterad = text.upper()  # arbetet innan beskedet
        return lambda: fil.write_text(formaterad, encoding="utf-8")

    return forbered


def test_barnet_skriver_pa_besked_och_blocket_vantar_in_det(
    tmp_path: Path, utan_fork: bool
) -> None:
    fil = tmp_path / "barnets.txt"
    with med_barn(_forberedelse(fil)) as barn:
        (tmp_path / "egen.txt").write_text("förälderns", encoding="utf-8")
        barn.skriv()
    assert fil.read_text(encoding="utf-8") == "BARNETS"
    assert (tmp_path / "egen.txt").exists()


def test_utan_besked_skrivs_inget(tmp_path: Path, utan_fork: bool) -> None:
    fil = tmp_path / "barnets.txt"
    with med_barn(_forberedelse(fil)):
        pass
    with pytest.raises(SystemExit), med_barn(_forberedelse(fil)):
        raise SystemExit(1)  # som när självkontrollen hittar fel
    assert not fil.exists()


def test_barnets_skrivfel_tas_upp_i_foraldern(tmp_path: Path, utan_fork: bool) -> None:
    katalog = tmp_path / "katalog"
    katalog.mkdir()
    with pytest.raises(IsADirectoryError) as fel, med_barn(_forberedelse(katalog)) as barn:
        barn.skriv()
    assert fel.value.errno == errno.EISDIR
    assert fel.value.filename == str(katalog)


def test_ett_fel_i_forberedelsen_tas_upp_nar_barnet_ska_skriva(
    tmp_path: Path, utan_fork: bool
) -> None:
    def trasig() -> Callable[[], None]:
        raise ValueError("formateringen gick fel")

    with pytest.raises(ValueError, match="formateringen gick fel"), med_barn(trasig) as barn:
        barn.skriv()


def test_ett_barn_som_dodas_utifran_ger_ett_io_fel(tmp_path: Path) -> None:
    def dodas() -> Callable[[], None]:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError  # nås aldrig

    with pytest.raises(OSError) as fel, med_barn(dodas) as barn:
        barn.skriv()
    assert fel.value.errno == errno.EIO
    assert systemfel.text(fel.value) == "processen som skrev filerna avslutades oväntat (signal 9)"
