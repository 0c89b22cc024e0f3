"""`make run` keeps its processes running: one that exits unexpectedly is started again.

One process dying must not stop the whole system (the public could not file until someone
noticed). A process that dies is restarted after a back-off that doubles with each quick death
(1 s, 2 s, 4 s ... at most `longest_delay`) and falls back to the first step once it has run
for `healthy_after` seconds. Each death and restart is said on the console, in words.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass


def how_it_ended(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            return f"sinyal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"sinyal {-returncode}"
    return f"kode {returncode}"


def _seconds(value: float) -> str:
    return f"{value:g}"


@dataclass
class _Watch:
    started_at: float
    delay: float = 0.0  # the last back-off used; 0 after a healthy run
    restart_at: float | None = None  # set while a restart is pending


class Supervisor:
    def __init__(self, processes: Callable[[], dict], say: Callable[[str], None], *,
                 first_delay: float = 1.0, longest_delay: float = 30.0, healthy_after: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self.processes = processes  # name -> ManagedProcess, read each time (the set can change)
        self.say = say
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.healthy_after = healthy_after
        self.clock = clock
        self._watches: dict[str, _Watch] = {}

    def tick(self) -> None:
        """Look at every process once: note deaths, restart those whose back-off is over."""
        now = self.clock()
        for name, process in list(self.processes().items()):
            watch = self._watches.setdefault(name, _Watch(started_at=now))
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    self._restart(name, process, watch, now)
            elif process.alive:
                if watch.delay and now - watch.started_at >= self.healthy_after:
                    watch.delay = 0.0
            else:
                self._schedule(name, process, watch, now)

    def _schedule(self, name: str, process, watch: _Watch, now: float) -> None:
        watch.delay = self.first_delay if not watch.delay else min(self.longest_delay, watch.delay * 2)
        watch.restart_at = now + watch.delay
        returncode = process.process.returncode if process.process is not None else None
        self.say(f"{name} berhenti ({how_it_ended(returncode)}); "
                 f"dinyalakan ulang dalam {_seconds(watch.delay)} detik")

    def _restart(self, name: str, process, watch: _Watch, now: float) -> None:
        watch.restart_at = None
        watch.started_at = now
        try:
            process.start()
        except OSError as exc:  # could not even be spawned: try again after a longer pause
            self.say(f"{name} gagal dinyalakan ulang: {exc}")
            self._schedule(name, process, watch, now)
            return
        self.say(f"{name} dinyalakan ulang")
