"""Medfinansiering: minst hälften av budgeten garanteras av andra parter.

Andelen är summan av de garanterade bidragen från `finansiering.motparter` (kontant och
värderade insatser in kind) delad med hela budgeten: kommunens bidrag och alla motparters,
garanterade eller inte. Exakt gränsen räcker. Ett garanterat bidrag ska ha `underlag`.
Meddelandet visar vad de ej garanterade bidragen skulle ändra och hur mycket som saknas.

"Annan part" är inte kommunen själv: en medfinansiär vars organisationsnummer är kommunens
eller ett av dess bolags (`[kommun]` i partner.toml) räknas som kommunens bidrag, med en
varning som säger det. Utan `[kommun]`, eller när en offentlig medfinansiär saknar
organisationsnummer, går det inte att skilja kommunen från till exempel regionen: det är en
varning.

Insatser in kind har ett `slag`: personal, lokaler, utrustning eller övrigt (timmar ×
timpris utan slag är personal, ett belopp utan slag övrigt). Strategin nämner "finansiella och
personella resurser (in kind)"; `in_kind_som_räknas` anger vilka slag som räknas som
medfinansiering (standard alla; en kommun som läser texten strikt anger `["personal"]`), och
utfallsraden visar hur mycket av medfinansieringen som är insatser som inte är personal.
`max_timpris` (kronor, 0: av) är ett tak för timpriset i en insats.

Inställningar: `min_andel` (standard 0.50), `in_kind_som_räknas` (standard alla fyra),
`max_timpris` (standard 0, av).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from partner_cli.modell import IN_KIND_SLAG, Forslag
from partner_cli.regler.bas import Exempel, Kontext, Problem, finansiering, motpart, regionen
from partner_cli.varden import jamfor_andel, kronor, procent, procentsats

ID = "medfinansiering"
GRUND = "Förhållningsregler för framtida partnerskap, punkt 1"
CITAT = (
    "Örebro kommun går in i samverkan och partnerskap när minst 50 procent i medfinansiering "
    "garanteras av annan part – näringslivet eller annan aktör. Medfinansiering kan ske i både "
    "finansiella och personella resurser (in kind)."
)
NIVA = "fel"
KONF: dict[str, type] = {"min_andel": Fraction, "in_kind_som_räknas": tuple, "max_timpris": int}
STANDARD: dict[str, Any] = {
    "min_andel": Fraction(1, 2),
    "in_kind_som_räknas": IN_KIND_SLAG,
    "max_timpris": 0,
}
VAL: dict[str, tuple[str, ...]] = {"in_kind_som_räknas": IN_KIND_SLAG}
EXEMPEL_GODKANT = finansiering("500 000 kr", motpart("500 000 kr"))
EXEMPEL_UNDERKANT = finansiering("700 000 kr", motpart("600 000 kr"))


TOLKNINGAR: tuple[Exempel, ...] = (
    Exempel(
        "min_andel",
        "Andelen av budgeten som andra parter ska garantera (standard 0.50; exakt gränsen räcker).",
        finansiering("400 000 kr", motpart("600 000 kr")),
        finansiering("500 000 kr", motpart("500 000 kr")),
        """\
[regler.medfinansiering]
min_andel = 0.6
""",
    ),
    Exempel(
        "in_kind_som_räknas",
        "Slagen av insatser in kind som räknas som medfinansiering (standard alla fyra: personal, "
        'lokaler, utrustning, övrigt); en kommun som läser "personella resurser" strikt anger '
        '["personal"].',
        finansiering(
            "400 000 kr",
            motpart(
                "100 000 kr", in_kind="beskrivning: Projektledning, timmar: 800, timpris: 450 kr"
            ),
        ),
        finansiering(
            "400 000 kr",
            motpart(
                "100 000 kr", in_kind="beskrivning: Lokaler, belopp: 360 000 kr, slag: lokaler"
            ),
        ),
        """\
[regler.medfinansiering]
"in_kind_som_räknas" = ["personal"]
""",
    ),
    Exempel(
        "max_timpris",
        "Ett tak i kronor för timpriset i en insats in kind (standard 0: inget tak); exakt taket "
        "räcker.",
        finansiering(
            "400 000 kr",
            motpart(
                "300 000 kr", in_kind="beskrivning: Projektledning, timmar: 800, timpris: 500 kr"
            ),
        ),
        finansiering(
            "400 000 kr",
            motpart(
                "300 000 kr", in_kind="beskrivning: Projektledning, timmar: 800, timpris: 501 kr"
            ),
        ),
        """\
[regler.medfinansiering]
max_timpris = 500
""",
    ),
    Exempel(
        "[kommun]",
        '"Annan part" är inte kommunen själv: en medfinansiär med kommunens eller ett av dess '
        "bolags organisationsnummer ([kommun] i partner.toml) räknas som kommunens bidrag, med en "
        "varning.",
        finansiering("500 000 kr", motpart("300 000 kr"), regionen("200 000 kr")),
        finansiering(
            "500 000 kr",
            motpart("300 000 kr"),
            motpart(
                "200 000 kr",
                namn="Örebro Energi AB",
                kategori="offentlig",
                organisationsnummer="556912-3457",
                underlag="Bolagets beslut 2014-05-20",
            ),
        ),
        """\
[kommun]
namn = "Örebro kommun"
organisationsnummer = "212000-1967"
bolag = ["556912-3457"]
""",
    ),
)


def check(forslag: Forslag, inst: Mapping[str, Any], kontext: Kontext | None) -> Iterator[Problem]:
    fin = forslag.finansiering
    kommun = forslag.kommun
    for i, m in enumerate(fin.motparter):
        if m.garanterad and not m.underlag:
            yield Problem(
                f"finansiering.motparter[{i}].garanterad",
                f"Bidraget från {m.namn} är angivet som garanterat men saknar underlag "
                "(avsiktsförklaring, beslut eller avtal)",
            )
        max_timpris: int = inst["max_timpris"]
        for j, insats in enumerate(m.in_kind):
            if max_timpris and insats.timpris is not None and insats.timpris > max_timpris * 100:
                yield Problem(
                    f"finansiering.motparter[{i}].in_kind[{j}].timpris",
                    f"Timpriset {kronor(insats.timpris)} för {insats.beskrivning} är högre än "
                    f"taket på {kronor(max_timpris * 100)} (medfinansiering.max_timpris)",
                )
        if kommun is not None and kommun.ar_egen(m):
            vem = (
                "kommunen själv"
                if m.organisationsnummer == kommun.organisationsnummer
                else (f"ett av {kommun.namn}s bolag")
            )
            yield Problem(
                f"finansiering.motparter[{i}].organisationsnummer",
                f"{m.namn} är {vem} enligt partner.toml ([kommun]): bidraget ({kronor(m.summa)}) "
                "räknas som kommunens, inte som medfinansiering från annan part",
                "varning",
            )
        elif m.offentlig and kommun is None:
            yield Problem(
                f"finansiering.motparter[{i}]",
                f"{m.namn} är offentlig, men partner.toml saknar [kommun]: det går inte att "
                "avgöra om bidraget kommer från kommunen själv eller ett av dess bolag, som inte "
                "är annan part; fyll i [kommun] (namn, organisationsnummer, bolag)",
                "varning",
            )
        elif m.offentlig and m.organisationsnummer is None:
            yield Problem(
                f"finansiering.motparter[{i}]",
                f"{m.namn} är offentlig men saknar organisationsnummer: det går inte att "
                f"avgöra att bidraget inte kommer från {kommun.namn if kommun else 'kommunen'} "
                "eller ett av dess bolag, som inte är annan part",
                "varning",
            )
    fordelning = forslag.fordelning
    total, garanterad = fordelning.total, fordelning.medfinansiering
    if total == 0:
        yield Problem("finansiering", "Budgeten är 0 kr; ange kommunens och motparternas bidrag")
        return
    grans: Fraction = inst["min_andel"]
    if jamfor_andel(garanterad, total, grans) >= 0:
        return
    andel = Fraction(garanterad, total)
    text = (
        f"Garanterad medfinansiering från andra parter är {procent(andel, grans)} "
        f"({kronor(garanterad)} av {kronor(total)}); minst {procentsats(grans)} krävs"
    )
    ej_garanterad = fordelning.ej_garanterat
    if ej_garanterad:
        med = Fraction(garanterad + ej_garanterad, total)
        foljd = "och regeln uppfylls" if med >= grans else "vilket inte räcker"
        text += (
            f". Om de ej garanterade bidragen ({kronor(ej_garanterad)}) garanteras blir andelen "
            f"{procent(med, grans)}, {foljd}"
        )
    if grans < 1:
        # (garanterad + x) / (total + x) >= gräns, avrundat uppåt till hel krona.
        behov = math.ceil((grans * total - garanterad) / (1 - grans) / 100) * 100
        text += (
            f". Ytterligare {kronor(behov)} i garanterad medfinansiering från andra parter behövs"
        )
    yield Problem("finansiering", text)
