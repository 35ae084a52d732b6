"""`partner underlag`: beslutsunderlaget genom det installerade skriptet, i varje format."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import webblasare
from conftest import ROT, andrad_mall, kor
from partner_cli import konfig, kontroll, underlag
from partner_cli.underlag.dokument import Tabell

UNDERKAND = ROT / "exempel" / "avvisade" / "nl-2014-005-matkluster.yaml"
UNDANTAG = ROT / "exempel" / "forslag" / "nl-2014-003-besoksnaring.yaml"
FIENTLIG_TITEL = "<script>alert(1)</script> *fet* [länk](javascript:x) | cell"
FIENTLIGT_NAMN = "# Rubrik & <b>fet</b>\x07"


def fientligt(tmp_path: Path) -> Path:
    fil = tmp_path / "fientligt.yaml"
    text = andrad_mall(
        ("titel: Logistikregionens etableringsprojekt", f"titel: '{FIENTLIG_TITEL}'"),
        (
            "  namn: Örebro Logistikpartner AB\n",
            f'  namn: "{FIENTLIGT_NAMN}"\n'.replace("\x07", "\\a"),
        ),
    )
    fil.write_text(text, encoding="utf-8")
    return fil


def test_markdown_for_ett_underkant_forslag() -> None:
    p = kor("underlag", str(UNDERKAND), "--format", "markdown")
    assert p.returncode == 1, p.stderr  # underkänt: underlaget skrivs, koden säger det
    ut = p.stdout
    assert ut.startswith("# Beslutsunderlag: ")
    for rubrik in (
        "## Sammanfattning",
        "## Motpart",
        "## Finansiering",
        "## Prövning mot strategin",
        "### Medfinansiering",
        "## Beslutade undantag",
        "## Motpartens ekonomi och beroende",
        "## Mål och utvärderingsplan",
    ):
        assert f"\n{rubrik}\n" in ut, rubrik
    assert "Förslaget följer inte strategin. Regler som inte uppfylls: medfinansiering." in ut
    # Svenska tal: mellanslag som tusentalsavgränsare och decimalkomma.
    assert "1 430 000 kr" in ut
    assert "41,9 %" in ut
    assert "| medfinansiering | Förhållningsregler för framtida partnerskap, punkt 1 | " in ut
    assert "uppfylls inte |" in ut


def test_undantaget_och_beroendet_fore_och_efter() -> None:
    p = kor("underlag", str(UNDANTAG), "--format", "markdown")
    assert p.returncode == 0, p.stderr
    assert "| medfinansiering | KS 2014/123 § 45 | 2014\\-06\\-10" not in p.stdout
    assert (
        "| medfinansiering | KS 2014/123 § 45 | 2014-06-10 | 2016-12-31 | tillämpat |" in p.stdout
    )
    assert "uppfylls inte; beslutat undantag" in p.stdout
    # 900 000 kr av 2,4 Mkr före; kommunens 600 000 kr på två år (731 dagar) ger det största
    # året 2015 (365 dagar) 299 589,60 kr, som regeln ekonomi räknar.
    assert "| Före avtalet | 900 000 kr | 2 400 000 kr | 37,5 % |" in p.stdout
    assert "| Med avtalets stöd | 1 199 589,60 kr | 2 699 589,60 kr | 44,4 % |" in p.stdout
    assert "- **Juridisk form:** ekonomisk förening" in p.stdout


def test_html_ar_fristaende_och_utskrivbar(tmp_path: Path) -> None:
    fil = tmp_path / "underlag.html"
    p = kor("underlag", str(UNDERKAND), "--format", "html", "--ut", str(fil))
    assert p.returncode == 1
    assert f"skrev {fil}" in p.stderr
    html = fil.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html
    assert "@page{size:A4" in html
    assert "thead{display:table-header-group}" in html
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert '<td class="tal">1 430 000 kr</td>' in html


def test_text_ur_filen_ar_ofarlig_i_varje_format(tmp_path: Path) -> None:
    fil = fientligt(tmp_path)
    html = kor("underlag", str(fil), "--format", "html").stdout
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = kor("underlag", str(fil), "--format", "markdown").stdout
    assert "<script>" not in md
    assert re.search(r"(?<!\\)\]\(", md) is None  # ingen länk
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*fet\\* \\[länk\\](javascript:x) \\| cell" in md
    assert "- **Namn:** # Rubrik &amp; &lt;b&gt;fet&lt;/b&gt;\\\\x07" in md
    docx_fil = tmp_path / "u.docx"
    assert kor("underlag", str(fil), "-f", "docx", "--ut", str(docx_fil)).returncode == 0
    text = "\n".join(stycke.text for stycke in _docx(docx_fil).paragraphs)
    assert FIENTLIG_TITEL in text  # ordagrant, som text
    assert "# Rubrik & <b>fet</b>\\x07" in text and "\x07" not in text


def _docx(fil: Path) -> object:
    import docx

    return docx.Document(str(fil))


def test_docx_las_tillbaka(tmp_path: Path) -> None:
    fil = tmp_path / "underlag.docx"
    p = kor("underlag", str(UNDERKAND), "--format", "docx", "--ut", str(fil))
    assert p.returncode == 1, p.stderr
    import docx
    from docx.shared import Mm

    doc = docx.Document(str(fil))
    rubriker = [s.text for s in doc.paragraphs if s.style.name.startswith(("Heading", "Title"))]
    assert rubriker[0].startswith("Beslutsunderlag: ")
    assert "Finansiering" in rubriker and "Prövning mot strategin" in rubriker
    assert "Medfinansiering" in rubriker
    celler = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "1 430 000 kr" in celler
    stycken = [s.text for s in doc.paragraphs]
    assert "Garanterad medfinansiering: 600 000 kr (41,9 %)" in stycken
    assert "uppfylls inte" in celler
    # A4 och rubrikraden som upprepas på varje sida.
    assert abs(doc.sections[0].page_width - Mm(210)) < Mm(1)
    assert abs(doc.sections[0].page_height - Mm(297)) < Mm(1)
    assert 'w:tblHeader w:val="true"' in doc.tables[0].rows[0]._tr.xml
    assert doc.core_properties.title.startswith("Beslutsunderlag")


def test_docx_till_terminalen_vagras_till_ett_ror_skrivs() -> None:
    p = subprocess.run(
        [str(Path(kor.__globals__["PARTNER"])), "underlag", str(UNDANTAG), "-f", "docx"],
        capture_output=True,
    )
    assert p.returncode == 0
    assert p.stdout[:2] == b"PK"  # en zip-fil, som docx är


def test_ogiltig_fil_ger_inget_underlag(tmp_path: Path) -> None:
    fil = tmp_path / "trasig.yaml"
    fil.write_text("id: [\n", encoding="utf-8")
    ut = tmp_path / "u.html"
    p = kor("underlag", str(fil), "--ut", str(ut))
    assert p.returncode == 1
    assert "inget underlag skrevs" in p.stderr
    assert not ut.exists()
    assert kor("underlag", str(tmp_path / "finns-inte.yaml")).returncode == 2
    assert kor("underlag", str(UNDANTAG), "--format", "pdf").returncode == 2


def test_avstangd_regel_provas_inte(tmp_path: Path) -> None:
    toml = tmp_path / "partner.toml"
    toml.write_text('[regler.medfinansiering]\n"nivå" = "av"\n', encoding="utf-8")
    r = kontroll.kontrollera([str(UNDERKAND)], konfig.ladda(toml), behall_forslag=True).filer[0]
    dokument = underlag.bygg(r, konfig.ladda(toml).regler)
    (sammandrag,) = (
        b
        for a in dokument.avsnitt
        for b in a.block
        if isinstance(b, Tabell)
        if b.kolumner == ("Regel", "Strategin", "Bedömning")
    )
    rader = {rad[0]: rad[2] for rad in sammandrag.rader}
    assert rader["medfinansiering"] == "prövas inte (avstängd i partner.toml)"
    assert rader["insyn"] == "uppfylls"


@webblasare.finns
def test_i_webblasaren_ryms_sidan_vid_varje_bredd_och_skrivs_ut(tmp_path: Path) -> None:
    html = tmp_path / "underlag.html"
    kor("underlag", str(UNDANTAG), "--ut", str(html))
    sida = html.read_text(encoding="utf-8")
    for bredd in webblasare.BREDDER:
        uppmatt = webblasare.sidans_bredd(sida, bredd, tmp_path)
        assert uppmatt <= bredd, f"sidan är {uppmatt} px bred i ett fönster om {bredd} px"
    webblasare.fotografera_och_skriv_ut(html, tmp_path)


def test_kommunens_ovriga_avtal_ur_registret(tmp_path: Path) -> None:
    from registerhjalp import miljo, skriv_forslag

    db = tmp_path / "partnerskap.db"
    innovationspark = ROT / "exempel" / "forslag" / "nl-2015-004-innovationspark.yaml"
    andra = skriv_forslag(
        tmp_path,
        "nl-2015-009.yaml",
        id_="NL-2015-009",
        org="556912-3457",
        agare="Maria Holm",
        start="2015-05-01",
        slut="2016-04-30",
        titel="Innovationsparkens exportsteg",
    )
    p = kor(
        "register", "add", str(innovationspark), str(andra), "--sanktionerad-av", "N", env=miljo(db)
    )
    assert p.returncode == 0, p.stdout + p.stderr
    md = kor("underlag", str(innovationspark), "-f", "markdown", env=miljo(db)).stdout
    avsnitt = md[md.index("## Kommunens engagemang") : md.index("## Mål och")]
    assert "Organisationens avtalsägare enligt registret: Maria Holm." in avsnitt
    assert (
        "| NL-2015-009 | Innovationsparkens exportsteg | projekt | 2015-05-01 – 2016-04-30 |"
        in (avsnitt)
    )
    assert "NL-2015-004 |" not in avsnitt  # förslaget självt är inte ett annat avtal
    assert "(1 andra avtal och det här förslaget)" in avsnitt
    # Utan register (inget angivet, inget på standardplatsen): avsnittet säger det.
    tom = tmp_path / "tom"
    tom.mkdir()
    utan = kor("underlag", str(innovationspark), "-f", "markdown", cwd=tom).stdout
    assert "Inget register finns" in utan
    assert not (tom / "register").exists()


def test_utbetalningsplanen_per_ar(tmp_path: Path) -> None:
    fil = tmp_path / "plan.yaml"
    fil.write_text(
        andrad_mall(
            (
                "    kontant: 400 000 kr\n",
                "    kontant: 400 000 kr\n    utbetalningar:\n"
                "      - {år: 2014, belopp: 50 000 kr}\n      - {år: 2015, belopp: 250 000 kr}\n"
                "      - {år: 2016, belopp: 100 000 kr}\n",
            ),
        ),
        encoding="utf-8",
    )
    p = kor("underlag", str(fil), "-f", "markdown")
    assert p.returncode == 0, p.stderr
    assert "Kommunens kontanta bidrag per år enligt utbetalningsplanen:" in p.stdout
    for rad in (
        "| 2014 | 50 000 kr |",
        "| 2015 | 250 000 kr |",
        "| 2016 | 100 000 kr |",
        "| Totalt | 400 000 kr |",
    ):
        assert rad in p.stdout
    # Beroendet räknas med det största årets utbetalning, som regeln ekonomi.
    assert "kommunens kontanta bidrag det största året (250 000 kr" in p.stdout
    utan = kor("underlag", str(UNDANTAG), "-f", "markdown").stdout
    assert "utbetalningsplanen:" not in utan


def test_provningens_siffror_ar_regelns_fordelning(tmp_path: Path) -> None:
    """Ett kommunalt bolag som medfinansiär är kommunen: prövningens siffror för
    medfinansieringen räknar som regeln och räknar inte bolagets 100 000 kr som annan part."""
    (tmp_path / "partner.toml").write_text(
        '[kommun]\nnamn = "Örebro kommun"\norganisationsnummer = "212000-1967"\n'
        'bolag = ["556912-3457"]\n',
        encoding="utf-8",
    )
    (tmp_path / "f.yaml").write_text(
        andrad_mall(
            (
                "      underlag: Avsiktsförklaring undertecknad 2014-05-12\n",
                "      underlag: Avsiktsförklaring undertecknad 2014-05-12\n"
                "    - namn: Örebrokompaniet AB\n      organisationsnummer: 556912-3457\n"
                "      kategori: näringsliv\n      kontant: 100 000 kr\n      garanterad: ja\n"
                "      underlag: Bolagets beslut\n",
            ),
        ),
        encoding="utf-8",
    )
    p = kor("underlag", "f.yaml", "-f", "markdown", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    # 780 000 kr från näringslivet av 1 280 000 kr; bolaget räknas som kommunen.
    assert "Garanterat från andra parter 780 000 kr av 1 280 000 kr: 60,9 %" in p.stdout
    assert "880 000 kr av 1 280 000 kr" not in p.stdout
