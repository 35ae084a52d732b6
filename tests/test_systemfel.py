"""Operativsystemets fel i partners meddelanden: på svenska, en formulering per felkod
(`systemfel`), aldrig systemets engelska text; prövat genom det installerade skriptet."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import MALLTEXT, kor
from partner_cli import systemfel

ENGELSKA = ("Not a directory", "Permission denied", "No such file", "File exists", "Errno")


def engelskt(text: str) -> bool:
    return any(e in text for e in ENGELSKA)


@pytest.mark.parametrize("kod", sorted(systemfel.TEXTER), ids=lambda k: errno.errorcode[k])
def test_varje_felkod_har_en_svensk_formulering(kod: int) -> None:
    text = systemfel.text(OSError(kod, os.strerror(kod), "fil"))
    assert text == systemfel.TEXTER[kod]
    assert os.strerror(kod) not in text


def test_en_felkod_utan_formulering_visas_med_sitt_namn() -> None:
    kod = errno.EOVERFLOW
    assert kod not in systemfel.TEXTER
    assert systemfel.text(OSError(kod, os.strerror(kod))).startswith("systemfel EOVERFLOW (")
    assert systemfel.text(OSError("något annat")) == "något annat"
    egen = systemfel.Vagrat(errno.ELOOP, "en symbolisk länk; partner skriver inte genom länkar")
    assert systemfel.text(egen) == "en symbolisk länk; partner skriver inte genom länkar"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    db = tmp_path / "reg.db"
    (tmp_path / "a.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor(
        "register", "add", "a.yaml", "--sanktionerad-av", "K", "--register", str(db), cwd=tmp_path
    )
    assert p.returncode == 0, p.stderr
    return db


def test_ny_under_en_fil(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("en fil\n", encoding="utf-8")
    p = kor("ny", "x/y.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == "partner: kan inte skapa katalogen x: det finns en fil med det namnet\n"
    p = kor("ny", "x/z/y.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == (
        "partner: kan inte skapa katalogen x/z: en del av sökvägen är ingen katalog\n"
    )


def test_report_ut_under_en_fil(tmp_path: Path, register: Path) -> None:
    (tmp_path / "x").write_text("en fil\n", encoding="utf-8")
    p = kor("report", "--register", str(register), "--ut", "x/r.txt", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == "partner: kan inte skriva x/r.txt: en del av sökvägen är ingen katalog\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root skriver i kataloger utan behörighet")
@pytest.mark.parametrize("format_", ["text", "csv"])
def test_report_ut_i_en_katalog_utan_skrivbehorighet(
    tmp_path: Path, register: Path, format_: str
) -> None:
    last = tmp_path / "last"
    last.mkdir()
    ut = last / ("r.txt" if format_ == "text" else "csv")
    last.chmod(0o500)
    try:
        p = kor("report", "--register", str(register), "-f", format_, "--ut", str(ut))
    finally:
        last.chmod(0o755)
    assert p.returncode == 2
    assert "behörighet saknas" in p.stderr and not engelskt(p.stderr), p.stderr
    assert list(last.iterdir()) == []


def test_konfig_som_ar_en_katalog(tmp_path: Path) -> None:
    (tmp_path / "partner.toml").mkdir()
    (tmp_path / "f.yaml").write_text(MALLTEXT, encoding="utf-8")
    p = kor("check", "--config", "partner.toml", "f.yaml", cwd=tmp_path)
    assert p.returncode == 2
    assert "partner.toml: kan inte läsas (det är en katalog)" in p.stderr
    assert not engelskt(p.stderr)
