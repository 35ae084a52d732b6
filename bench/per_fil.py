"""Granskningens kostnad per fil mot golvet, i en process och varvat fil för fil.

Varje fil läses först med PyYAML:s C-laddare (golvet) och granskas sedan som en
arbetsprocess granskar den (`kontroll._kontrollera_en` med JSON-raden, resultatet packat och
uppackat som mellan processerna); dessutom varje steg för sig. Kvoterna är mot golvets tid
för samma filer under samma last. Körs efter `bench/bench.py --bara check` (som genererar
filerna), med koden i src/ eller en annan versions källkod först i PYTHONPATH:

    python bench/per_fil.py [--n 2000] [--varv 3] [KATALOG]
"""

from __future__ import annotations

import argparse
import contextlib
import pickle
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from partner_cli import kontroll, laddning, schema
from partner_cli.kommando import las_konfig
from partner_cli.utdata import FORMAT

STEG = ("läsning", "komponering", "trädet", "tolkningen", "reglerna och resultatet", "JSON-raden")


def golv(fil: str) -> None:
    with open(fil, "rb") as f, contextlib.suppress(yaml.YAMLError):
        yaml.load(f, Loader=yaml.CSafeLoader)


def varv(filer: Sequence[str]) -> tuple[float, dict[str, float]]:
    """(partners tid genom golvets, varje stegs tid genom golvets) för ett varv över filerna."""
    konfig = las_konfig(None)
    rad = FORMAT.per_fil(["json"])["json"]
    laddare = laddning._laddare_klass()
    tid = time.perf_counter
    g = p = 0.0
    steg = dict.fromkeys(STEG, 0.0)
    for fil in filer:
        t0 = tid()
        golv(fil)
        t1 = tid()
        pickle.loads(pickle.dumps(kontroll._kontrollera_en(fil), pickle.HIGHEST_PROTOCOL))
        t2 = tid()
        g += t1 - t0
        p += t2 - t1
        # Stegen för sig, med samma funktioner som granskningen.
        data = laddning.las_fil_bytes(fil)
        t3 = tid()
        assert isinstance(data, bytes)
        text = data.decode("utf-8-sig")
        tolk = laddare(text)
        try:
            nod = tolk.get_single_node()
        except yaml.YAMLError:
            nod = None
        finally:
            tolk.dispose()
        t4 = tid()
        trad = laddning._omvandla(nod, text) if nod is not None else None
        t5 = tid()
        if trad is not None and not isinstance(trad, laddning.LasFel):
            schema.tolka(trad, ())
        t6 = tid()
        r = kontroll.kontrollera_bytes(fil, data, konfig)
        t7 = tid()
        rad(r)
        t8 = tid()
        for namn, d in zip(STEG, (t3 - t2, t4 - t3, t5 - t4, t6 - t5, 0.0, t8 - t7), strict=True):
            steg[namn] += d
        # Det som granskningen gör utöver läsning, komponering, träd och tolkning.
        steg["reglerna och resultatet"] += (t7 - t6) - (t6 - t3)
    return p / g, {k: v / g for k, v in steg.items()}


def main(argv: Sequence[str] | None = None) -> None:
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("katalog", nargs="?", type=Path, default=Path(__file__).parent / "data/forslag")
    a.add_argument("--n", type=int, default=2000, help="antal filer (standard 2 000)")
    a.add_argument("--varv", type=int, default=3, help="varv över filerna (median)")
    arg = a.parse_args(argv)
    filer = sorted(kontroll.samla([str(arg.katalog)]).filer)[: arg.n]
    # Som inför arbetsprocesserna: inställningarna och JSON-raden per fil.
    kontroll.kontrollera(filer[:10], las_konfig(None), per_fil=FORMAT.per_fil(["json"]))
    varven = [varv(filer) for _ in range(arg.varv)]
    print(f"{len(filer)} filer, {arg.varv} varv; tid genom golvets (median)")
    print(f"  granskning per fil: {statistics.median(v[0] for v in varven):.2f} ×")
    for namn in STEG:
        print(f"  {namn}: {statistics.median(v[1][namn] for v in varven):.2f}")


if __name__ == "__main__":
    main()
