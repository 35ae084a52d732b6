"""Sidor i en riktig webbläsare (Chromium utan fönster), där en finns: bredden en sida tar på
en skärm, skärmbilder och utskrift som PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

WEBBLASARE = next(
    (
        b
        for b in ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
        if shutil.which(b)
    ),
    None,
)
finns = pytest.mark.skipif(WEBBLASARE is None, reason="ingen chromium att mäta sidan med")

# Telefonen, en smal surfplatta, en bärbar datorns halva skärm och en bred skärm.
BREDDER = (390, 700, 1000, 1280)


def kor(*argument: str) -> subprocess.CompletedProcess[str]:
    assert WEBBLASARE is not None
    return subprocess.run(
        [WEBBLASARE, "--headless", "--no-sandbox", "--disable-gpu", *argument],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


def sidans_bredd(sida: str, bredd: int, katalog: Path) -> int:
    """Hur bred sidan blir i ett fönster om `bredd` px: ett skript i en kopia av sidan (sidan
    själv har inga skript) skriver dokumentets bredd i DOM:en."""
    matt = katalog / "matt.html"
    matt.write_text(
        sida.replace(
            "</body>",
            "<script>document.body.setAttribute('data-bredd',"
            "document.documentElement.scrollWidth)</script></body>",
        ),
        encoding="utf-8",
    )
    dom = kor(f"--window-size={bredd},900", "--dump-dom", matt.as_uri()).stdout
    (uppmatt,) = re.findall(r'data-bredd="(\d+)"', dom)
    return int(uppmatt)


def fotografera_och_skriv_ut(fil: Path, katalog: Path) -> None:
    """Skärmbilder vid varje bredd och en utskrift som PDF: Chromium ger en bild med text och
    en PDF."""
    for bredd in BREDDER:
        bild = katalog / f"{fil.stem}-{bredd}.png"
        kor(f"--window-size={bredd},1600", f"--screenshot={bild}", fil.as_uri())
        assert bild.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert bild.stat().st_size > 10_000  # en sida med text, inte en tom yta
    pdf = katalog / f"{fil.stem}.pdf"
    kor(f"--print-to-pdf={pdf}", fil.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-"
