"""Ett kommandos andra kärna: förberedelse i en barnprocess (fork) medan kommandot arbetar
vidare, och skrivningen först när kommandot säger till.

`partner publicera` formaterar sina filer i två processer: barnet gör sina filers text medan
föräldern kör självkontrollen, och barnet skriver dem först när självkontrollen har godkänt
(`Barn.skriv`), så att inget skrivs när den hittar fel. Barnets fel, till exempel en full
disk, tas upp igen i föräldern när blocket lämnas. Utan fork (Windows) görs samma steg i
processen, i samma ordning för föräldern.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator

# Förberedelsen gör sitt arbete och ger skrivningen, som körs när föräldern säger till.
Forberedelse = Callable[[], Callable[[], None]]


class Barn:
    def __init__(self, pid: int, till_barnet: int, fran_barnet: int) -> None:
        self._pid, self._till, self._fran = pid, till_barnet, fran_barnet
        self._skriver = False

    def skriv(self) -> None:
        """Barnet skriver det det har förberett (efter förberedelsen, om den pågår)."""
        with contextlib.suppress(BrokenPipeError):  # barnet finns inte: `avsluta` säger varför
            os.write(self._till, b"1")
        self._skriver = True

    def avsluta(self, *, avbryt: bool) -> BaseException | None:
        """Barnets fel, eller None; ett barn som inte skriver avbryts när `avbryt`."""
        import pickle
        import signal

        if avbryt and not self._skriver:
            os.kill(self._pid, signal.SIGKILL)
        os.close(self._till)  # ett barn som väntar på besked avslutar utan att skriva
        with os.fdopen(self._fran, "rb") as fran:
            svar = fran.read()
        _, status = os.waitpid(self._pid, 0)
        if svar:
            felet: BaseException = pickle.loads(svar)  # ett eget barn, genom en egen pipa
            return felet
        if status != 0 and not avbryt:
            # Dödat utifrån (till exempel av minnesbrist) innan det kunde svara.
            from partner_cli.systemfel import Vagrat

            kod = os.waitstatus_to_exitcode(status)
            orsak = f"signal {-kod}" if kod < 0 else f"kod {kod}"
            return Vagrat(errno.EIO, f"processen som skrev filerna avslutades oväntat ({orsak})")
        return None


class _UtanBarn:
    """Samma steg i den egna processen."""

    def __init__(self, forbered: Forberedelse) -> None:
        self._forbered = forbered

    def skriv(self) -> None:
        self._forbered()()


@contextlib.contextmanager
def med_barn(forbered: Forberedelse) -> Iterator[Barn | _UtanBarn]:
    """`forbered` körs i ett barn medan blocket körs; blocket anropar `skriv` när barnet ska
    skriva. Blocket lämnas först när barnet är klart, och barnets fel tas då upp här. Lämnas
    blocket med ett fel innan `skriv`, avbryts barnet utan att ha skrivit något."""
    if not hasattr(os, "fork"):
        yield _UtanBarn(forbered)
        return
    till_r, till_w = os.pipe()
    fran_r, fran_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # barnet: kommer aldrig tillbaka hit
        os.close(till_w)
        os.close(fran_r)
        _barnet(forbered, till_r, fran_w)
    os.close(till_r)
    os.close(fran_w)
    barn = Barn(pid, till_w, fran_r)
    try:
        yield barn
    except BaseException:
        barn.avsluta(avbryt=True)
        raise
    if (felet := barn.avsluta(avbryt=False)) is not None:
        raise felet


def _barnet(forbered: Forberedelse, besked: int, svar: int) -> None:
    kod = 0
    try:
        felet: BaseException | None = None
        try:
            skrivning = forbered()
        except BaseException as e:
            felet = e
        if os.read(besked, 1) and felet is None:  # tomt: föräldern skriver inget
            try:
                skrivning()
            except BaseException as e:
                felet = e
        if felet is not None:
            import pickle

            try:
                data = pickle.dumps(felet)
            except Exception:
                data = pickle.dumps(RuntimeError(repr(felet)))
            with os.fdopen(svar, "wb") as ut:
                ut.write(data)
    except BaseException:
        kod = 70  # EX_SOFTWARE: svaret kunde inte ges
    finally:
        os._exit(kod)
