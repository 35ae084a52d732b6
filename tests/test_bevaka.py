"""`partner bevaka`: utvärderingar, avtalsslut, undantag och årsredovisningar att bevaka, per
avtalsägare, ur ett register byggt med `register add` och `utvärdera`; iCalendar-filen läses
tillbaka med icalendar-biblioteket."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROT, kor
from registerhjalp import BEVAKNING_TOML, EXEMPEL, bevakningsregister, miljo


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bevakningsregister(tmp_path_factory.mktemp("bevaka"))


def bevaka(db: Path, *argument: str) -> Any:
    return kor("bevaka", *argument, env=miljo(db))


def test_kommande_och_forsenade_per_agare(register: Path) -> None:
    p = bevaka(register, "--per", "2015-06-15")
    assert p.returncode == 0, p.stderr  # inget försenat
    # NL-2014-001:s delutvärdering 2015-03-01 är registrerad och bevakas inte.
    assert "NL-2014-001" not in p.stdout
    assert "Maria Holm, Avdelningen för näringsliv och kompetens\n" in p.stdout
    assert "  2015-06-30  kommande  NL-2014-003  " in p.stdout
    assert "Delutvärdering planerad 2015-06-30" in p.stdout
    p = bevaka(register, "--per", "2015-07-15")
    assert p.returncode == 1, p.stderr  # försenad: koden säger det
    assert "  2015-06-30  FÖRSENAD  NL-2014-003  " in p.stdout
    assert "Delutvärdering skulle ha gjorts 2015-06-30" in p.stdout
    assert p.stdout.rstrip().endswith("1 försenade.")


def test_inget_att_bevaka_ger_0(register: Path) -> None:
    p = bevaka(register, "--per", "2014-01-01", "--dagar", "30")
    assert p.returncode == 0, p.stderr
    assert "Inget att bevaka de närmaste 30 dagarna (per 2014-01-01)." in p.stdout


def test_avtalsslut_undantag_och_arsredovisning(register: Path) -> None:
    p = bevaka(register, "--per", "2016-03-01", "--format", "json")
    d = json.loads(p.stdout)
    poster = {(b["slag"], b["avtal"]): b for b in d["bevakningar"]}
    assert d["version"] == 1 and d["dagar"] == 60 and d["per"] == "2016-03-01"
    undantag = poster[("undantag", "NL-2015-030")]
    assert undantag["datum"] == "2016-03-31" and not undantag["försenad"]
    assert "Undantaget från insyn (KS 2015/9 § 3) går ut 2016-03-31" in undantag["text"]
    assert undantag["avtalsägare"] == "Per Berg"
    p = bevaka(register, "--per", "2016-07-15", "--format", "json")
    poster = {(b["slag"], b["avtal"]): b for b in json.loads(p.stdout)["bevakningar"]}
    slut = poster[("slut", "NL-2015-030")]
    assert slut["datum"] == "2016-08-31" and not slut["försenad"]
    assert "utan slututvärdering" in slut["text"]
    ekonomi = poster[("ekonomi", "NL-2015-030")]
    assert "Årsredovisningen 2013 är för gammal för en förnyelse från 2016-09-01" in ekonomi["text"]
    assert ("undantag", "NL-2015-030") not in poster or poster[("undantag", "NL-2015-030")][
        "försenad"
    ]
    p = bevaka(register, "--per", "2016-10-01", "--format", "json")
    poster = {(b["slag"], b["avtal"]): b for b in json.loads(p.stdout)["bevakningar"]}
    assert poster[("slut", "NL-2015-030")]["försenad"]
    assert p.returncode == 1


def test_dagar_ur_partner_toml(register: Path, tmp_path: Path) -> None:
    toml = tmp_path / "partner.toml"
    toml.write_text("[bevaka]\ndagar = 10\n", encoding="utf-8")
    p = bevaka(register, "--per", "2015-06-15", "--config", str(toml), "-f", "json")
    assert json.loads(p.stdout)["dagar"] == 10
    assert "NL-2014-003" not in p.stdout  # 2015-06-30 är 15 dagar bort
    assert "NL-2014-003" in bevaka(register, "--per", "2015-06-15", "-f", "json").stdout


def test_markdown_en_tabell_per_agare(register: Path) -> None:
    p = bevaka(register, "--per", "2016-07-15", "--format", "markdown")
    assert p.stdout.startswith("# Bevakning per 2016-07-15\n")
    assert "\n## Per Berg (Avdelningen för näringsliv och kompetens)\n" in p.stdout
    assert "| Datum | Status | Avtal | Organisation | Bevakning |" in p.stdout
    assert "Berg, Sten; och Söner AB" in p.stdout
    assert p.stdout.index("## Maria Holm") < p.stdout.index("## Per Berg")  # bokstavsordning


def test_ics_las_tillbaka_med_icalendar(register: Path, tmp_path: Path) -> None:
    import icalendar

    filer = []
    for per in ("2016-07-15", "2016-07-22"):
        fil = tmp_path / f"bevakning-{per}.ics"
        p = bevaka(register, "--per", per, "--format", "ics", "--ut", str(fil))
        assert p.returncode in (0, 1), p.stderr
        filer.append(fil)
    data = filer[0].read_bytes()
    rader = data.split(b"\r\n")
    assert rader[-1] == b"" and all(len(r) <= 75 for r in rader)  # vikta, CRLF
    assert b"\n" not in data.replace(b"\r\n", b"")
    kalender = icalendar.Calendar.from_ical(data)
    handelser = list(kalender.walk("VEVENT"))
    assert handelser
    uids = [str(h["UID"]) for h in handelser]
    assert len(set(uids)) == len(uids)
    berg = next(
        h
        for h in handelser
        if "NL-2015-030" in str(h["SUMMARY"]) and str(h["CATEGORIES"].cats[0]) == "slut"
    )
    assert str(berg["SUMMARY"]) == "Slut: NL-2015-030 Berg, Sten; och Söner AB"
    assert berg["DTSTART"].dt.isoformat() == "2016-08-31"
    assert "Avtalsägare: Per Berg" in str(berg["DESCRIPTION"])
    # Samma bevakning en vecka senare har samma UID: en ny import uppdaterar i stället för
    # att dubblera.
    senare = icalendar.Calendar.from_ical(filer[1].read_bytes())
    assert str(berg["UID"]) in {str(h["UID"]) for h in senare.walk("VEVENT")}


def test_ics_uid_bar_kommunens_organisationsnummer(register: Path, tmp_path: Path) -> None:
    import icalendar

    def uids(*argument: str) -> list[str]:
        fil = tmp_path / "bevakning.ics"
        p = bevaka(register, "--per", "2016-07-15", "--format", "ics", "--ut", str(fil), *argument)
        assert p.returncode in (0, 1), p.stderr
        return [
            str(h["UID"]) for h in icalendar.Calendar.from_ical(fil.read_bytes()).walk("VEVENT")
        ]

    toml = tmp_path / "partner.toml"
    toml.write_text(BEVAKNING_TOML, encoding="utf-8")
    utan = uids("--config", str(toml))
    assert utan and all(u.endswith("@partner") for u in utan)
    toml.write_text(
        BEVAKNING_TOML + '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n',
        encoding="utf-8",
    )
    med = uids("--config", str(toml))
    assert med == [u + ".se-on-2120001967" for u in utan]


def test_ics_viker_utan_att_dela_tecken() -> None:
    from partner_cli.bevakning.ics import text, vik

    rad = "DESCRIPTION:" + text("Årsredovisningen för Åkessons Ängar, Östra; " * 5)
    vikt = vik(rad)
    delar = vikt.encode("utf-8").split(b"\r\n")
    assert all(len(d) <= 75 for d in delar)
    for d in delar:
        d.decode("utf-8")  # varje rad för sig är hel UTF-8
    assert "".join(r[1:] if i else r for i, r in enumerate(vikt.split("\r\n"))) == rad
    assert "\\," in rad and "\\;" in rad


@pytest.mark.parametrize("tecken", ["a", "ä", "€", "𝄞"])
def test_ics_viker_varje_langd_vid_tecknens_granser(tecken: str) -> None:
    """Rader från helt korta till flera vikningar, med tecken om 1–4 oktetter som hamnar på
    och runt vikningens plats: varje del högst 75 oktetter och hel UTF-8, varje del utom den
    sista så lång det går, och ihopvikt samma rad."""
    from partner_cli.bevakning.ics import vik

    for langd in range(1, 260):
        for forst in ("", "x", "xy", "xyz"):
            rad = ("DESCRIPTION:" + forst + tecken * langd)[: 12 + langd]
            vikt = vik(rad)
            assert vikt.endswith("\r\n") and "\r\n" not in vikt[:-2].replace("\r\n ", "")
            delar = vikt[:-2].split("\r\n")
            kodade = [d.encode("utf-8") for d in delar]
            assert all(len(d) <= 75 for d in kodade), (langd, forst)
            for d, nasta in itertools.pairwise(delar):
                # Nästa tecken fick inte plats: den här delen kunde inte vara längre.
                assert len(d.encode("utf-8")) + len(nasta[1].encode("utf-8")) > 75
            assert all(d.startswith(" ") for d in delar[1:])
            assert delar[0] + "".join(d[1:] for d in delar[1:]) == rad


def test_anvandningsfel(register: Path) -> None:
    assert bevaka(register, "--per", "2015-02-30").returncode == 2
    assert bevaka(register, "--dagar", "-1").returncode == 2
    p = bevaka(register, "--format", "pdf")
    assert p.returncode == 2 and "okänt format 'pdf'" in p.stderr


def _arkiv(tmp_path: Path, ci: str) -> Path:
    import shutil

    arkiv = tmp_path / "arkiv"
    assert kor("init", str(arkiv), "--ci", ci).returncode == 0
    for fil in EXEMPEL:
        shutil.copy(fil, arkiv / "forslag" / fil.name)
    for fil in (ROT / "exempel" / "beslut").glob("*.yaml"):
        shutil.copy(fil, arkiv / "beslut" / fil.name)
    # Registret finns i CI bara som exporten i arkivet (databasen är ignorerad).
    db = arkiv / "register" / "partnerskap.db"
    p = kor("register", "add", "forslag/", "--sanktionerad-av", "N", cwd=arkiv)
    assert p.returncode == 0, p.stdout + p.stderr
    assert kor("register", "export", "--ut", "register/export", cwd=arkiv).returncode == 0
    db.unlink()
    return arkiv


def _kor(arkiv: Path, skript: str, **env: str) -> Any:
    import os
    import subprocess
    import sys

    miljo_ = {k: v for k, v in os.environ.items() if not k.startswith(("PARTNER_", "GITHUB_"))}
    miljo_["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{miljo_['PATH']}"
    miljo_["PARTNER_PAKET"] = "partner-cli==0.1.0"  # installationen hoppas över
    rader = [r for r in skript.splitlines() if "pip install" not in r]
    return subprocess.run(
        ["bash", "-e", "-c", "\n".join(rader)],
        cwd=arkiv,
        env={**miljo_, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_init_github_lagger_upp_en_veckovis_bevakning(tmp_path: Path) -> None:
    import icalendar
    import yaml

    arkiv = _arkiv(tmp_path, "github")
    fil = arkiv / ".github" / "workflows" / "partner-bevaka.yml"
    arbetsflode = yaml.safe_load(fil.read_text(encoding="utf-8"))
    assert arbetsflode[True]["schedule"] == [{"cron": "0 6 * * 1"}]  # YAML 1.1: on → True
    steg = arbetsflode["jobs"]["bevaka"]["steps"]
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steg)
    sammanfattning = tmp_path / "sammanfattning.md"
    sista = None
    for s in (s for s in steg if "run" in s):
        sista = _kor(arkiv, s["run"], GITHUB_STEP_SUMMARY=str(sammanfattning))
        assert "Traceback" not in sista.stderr, sista.stderr
    assert sista is not None
    assert sista.returncode == 1  # exemplens utvärderingar från 2015 är försenade i dag
    assert sammanfattning.read_text(encoding="utf-8").startswith("# Bevakning per ")
    kalender = icalendar.Calendar.from_ical((arkiv / "bevakning.ics").read_bytes())
    assert list(kalender.walk("VEVENT"))


def test_init_gitlab_inkluderar_bevakningen(tmp_path: Path) -> None:
    import yaml

    arkiv = _arkiv(tmp_path, "gitlab")
    huvud = yaml.safe_load((arkiv / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert {"local": ".gitlab/partner-bevaka.yml"} in huvud["include"]
    jobb = yaml.safe_load((arkiv / ".gitlab" / "partner-bevaka.yml").read_text(encoding="utf-8"))
    bevaka_ = jobb["bevaka"]
    assert bevaka_["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    p = _kor(arkiv, "\n".join(bevaka_["script"]))
    assert p.returncode == 1, p.stderr
    assert (arkiv / "bevakning.md").read_text(encoding="utf-8").startswith("# Bevakning per ")
    assert (arkiv / "bevakning.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
