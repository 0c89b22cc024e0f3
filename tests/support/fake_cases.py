"""An in-memory case repository: what adapters/case_repository.CaseRepository does, without PostgreSQL, for
tests that need the store in milliseconds. Events go through JSON as they do through JSONB, and are
read back through the same upcasting as the real repository."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from services.casework.adapters.case_repository import Entry, encode, read_history, replay
from services.casework.adapters.event_store import StoredEvent
from services.casework.domain.case import Case, Recorded
from services.casework.domain.errors import StaleVersion


class FakeCases:
    """Cases in memory, one clock per instance (as one unit of work has)."""

    def __init__(self, streams: dict[uuid.UUID, list[StoredEvent]] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.streams = {} if streams is None else streams
        self._clock = clock
        self._now: datetime | None = None

    def unit(self, clock: Callable[[], datetime]) -> FakeCases:
        """The same store, seen by another unit of work with its own clock."""
        return FakeCases(self.streams, clock)

    @property
    def now(self) -> datetime:
        if self._now is None:
            self._now = self._clock()
        return self._now

    def get_with_history(self, case_id: uuid.UUID) -> tuple[Case, list[Entry]] | None:
        history = read_history(self.streams.get(case_id, []))
        _ = self.now  # the clock is read after the stream, as the real repository reads it
        return (replay(case_id, history), history) if history else None

    def get(self, case_id: uuid.UUID) -> Case | None:
        found = self.get_with_history(case_id)
        return found[0] if found else None

    def exists(self, case_id: uuid.UUID) -> bool:
        return bool(self.streams.get(case_id))

    def save(self, case: Case, metadata: Mapping[str, object], *, last: bool = False) -> list[Recorded]:
        stream = self.streams.setdefault(uuid.UUID(case.case_id), [])
        if len(stream) != case.stored_version:
            raise StaleVersion(case.stored_version, len(stream))
        for recorded in case.pending:
            new = encode(recorded, metadata)
            data = json.loads(json.dumps(new.data))  # what JSONB gives back
            stream.append(StoredEvent(len(stream) + 1, uuid.UUID(case.case_id), len(stream) + 1, uuid.uuid4(),
                                      new.event_type, new.class_version, data, dict(new.metadata),
                                      new.recorded_at, None, ""))
        return case.collect_events()
