"""Quitting fast. Textual's Linux driver, when it stops for good, joins its input thread, which
only notices the stop at its next 0.1 s ``select`` and then selects 0.1 s more: 0.1 to 0.2 s of
every quit spent waiting. Once the app is exiting, that thread is told to stop and left to end on
its own (the process ends right after, see ``cli.end_now``); a suspend (the container shell)
still waits for it, since the child must be the only reader of the terminal."""

from __future__ import annotations

import signal
import termios

from textual.driver import Driver


def quick_exit_driver(base: type[Driver]) -> type[Driver]:
    """``base`` (Textual's LinuxDriver) whose last stop does not wait for the input thread."""

    class QuickExitDriver(base):  # type: ignore[misc, valid-type]
        exiting = False  # set by the app when it exits for good

        def disable_input(self) -> None:
            event = getattr(self, "exit_event", None)
            if not self.exiting or event is None or event.is_set():
                super().disable_input()
                return
            try:
                signal.signal(signal.SIGWINCH, signal.SIG_DFL)
                self._disable_mouse_support()
                event.set()  # the thread ends at its next select; left set, so it does not start over
                termios.tcflush(self.fileno, termios.TCIFLUSH)
            except Exception:  # noqa: BLE001 - as Textual's own: a closing terminal must not raise
                pass

    QuickExitDriver.__name__ = f"QuickExit{base.__name__}"
    return QuickExitDriver
