"""Two transactions that want the same rows: one that holds them, and a late one that must wait
for it and then be refused."""

from __future__ import annotations

import threading


class LateAttempt:
    """Runs `attempt` in a thread; `refused_with` is what it must end with."""

    def __init__(self, attempt, refused_with: type[BaseException]):
        self.refused_with = refused_with
        self.done = threading.Event()
        self.outcome: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(attempt,))

    def _run(self, attempt) -> None:
        try:
            attempt()
        except BaseException as exc:  # noqa: BLE001 - judged by the test
            self.outcome = exc
        self.done.set()

    def start_and_see_it_wait(self, seconds: float = 1.0) -> LateAttempt:
        """Start it while the caller holds what it needs: it must not get past the wait."""
        self._thread.start()
        assert not self.done.wait(seconds), f"did not wait: {self.outcome!r}"
        return self

    def refused(self, timeout: float = 30) -> bool:
        """Once the holder has committed: did it end with `refused_with`?"""
        self._thread.join(timeout)
        return isinstance(self.outcome, self.refused_with)
