"""The consumers of a service stop taking messages while a dependency they need is away.

One `DependencyGate` per service process, shared by its `@on_event` entrypoints. A handler
that finds PostgreSQL or S3 unreachable closes the gate for that dependency; its message goes
back to the queue without counting an attempt. While the gate is closed, every delivery waits
in front of it (outside the worker pool, so HTTP keeps its workers) and, once the prefetch
window is full, the broker sends nothing more. A probe with back-off checks the dependency and
opens the gate when it answers; the waiting messages then run as if nothing happened.
"""

from __future__ import annotations

import logging

import eventlet
from nameko.extensions import SharedExtension

from netra_common.bus.reachability import Probes
from netra_common.logging import log_event

log = logging.getLogger(__name__)

FIRST_PROBE_SECONDS = 1.0
LONGEST_PROBE_SECONDS = 15.0
WAIT_STEP_SECONDS = 0.2


class DependencyGate(SharedExtension):
    def setup(self):
        self.probes = Probes(self.container.config)
        self.away: set[str] = set()

    @property
    def is_open(self) -> bool:
        return not self.away

    def wait_open(self) -> None:
        while self.away:
            eventlet.sleep(WAIT_STEP_SECONDS)

    def close(self, dependency: str) -> None:
        """`dependency` is away: hold every delivery until a probe finds it back."""
        if dependency in self.away:
            return
        self.away.add(dependency)
        log.warning("%s tidak terjangkau; berhenti mengambil pesan (bus.paused dependency=%s)",
                    dependency, dependency)
        self.container.spawn_managed_thread(lambda: self._probe_until_back(dependency),
                                            identifier=f"DependencyGate.probe[{dependency}]")

    def _probe_until_back(self, dependency: str) -> None:
        pause = FIRST_PROBE_SECONDS
        try:
            while True:
                eventlet.sleep(pause)
                if self.probes.check(dependency):
                    break
                pause = min(LONGEST_PROBE_SECONDS, pause * 2)
        except Exception as exc:  # noqa: BLE001 - never let the probe take the service down
            log_event(log, "bus.probe_error", logging.ERROR, dependency=dependency,
                      error=type(exc).__name__)
        self.away.discard(dependency)
        log.warning("%s terjangkau lagi; melanjutkan pengambilan pesan (bus.resumed dependency=%s)",
                    dependency, dependency)
