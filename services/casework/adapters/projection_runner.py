"""Keeps casework's projections up to date inside the service process."""

from __future__ import annotations

from netra_common.background import NotifiedLoop
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.event_store import NOTIFY_CHANNEL
from services.casework.adapters.projections import catch_up, projections


class ProjectionRunner(NotifiedLoop):
    def channel(self) -> str:
        return NOTIFY_CHANNEL

    def prepare(self, engine):
        self.engine = engine
        self.projections = projections(load_calendar(self.container.config.get("NETRA_HOLIDAYS_FILE") or None))

    def work_once(self) -> bool:
        # Every projection catches up fully before the next, in order: links look cases up.
        return sum(catch_up(self.engine, projection) for projection in self.projections) > 0
