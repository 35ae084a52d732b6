"""Mallarna i `mallar/`: i hjulet ligger de i paketet, i en utcheckning bredvid `src/`."""

from __future__ import annotations

from pathlib import Path

_PAKET = Path(__file__).parent


def katalog() -> Path:
    installerad = _PAKET / "mallar"
    return installerad if installerad.is_dir() else _PAKET.parents[1] / "mallar"


def mall(namn: str) -> str:
    return (katalog() / namn).read_text(encoding="utf-8")
