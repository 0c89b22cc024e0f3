"""Progress for long commands: a line that updates in place on a terminal, or a line per
tenth of the way in a log, so an operator always sees how far along it is."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_tenth = -1
        self._started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        line = f"{self.label}: {done}/{total} ({percent}%)"
        if self.tty:
            self.stream.write(f"\r{line}")
            if done >= total:
                self.stream.write(f" in {time.monotonic() - self._started:.1f}s\n")
        elif percent // 10 != self._last_tenth or done >= total:
            self._last_tenth = percent // 10
            self.stream.write(line + "\n")
        self.stream.flush()
