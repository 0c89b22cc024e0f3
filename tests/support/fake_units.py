"""casework's units of work in memory (usecases/ports.py), for use-case tests in milliseconds.

A unit of work commits or rolls back as a whole: each change it makes (events appended, early
events held or taken, a message marked handled, an event emitted, an identity kept) is undone if it
raises, and no one else's. `before_save` lets a test play another writer who gets in first and
commits, as a concurrent transaction would.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from netra_common.contracts.envelope import Envelope
from services.casework.domain.accounts import TeamMember
from services.casework.domain.calendar import WorkingCalendar
from services.casework.usecases.ports import EarlyEvent
from tests.support.fake_cases import FakeCases
from tests.support.fake_rollback import undone_on_error


@dataclass
class FakeDirectory:
    members: dict[str, TeamMember] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)

    def member(self, user_id: str) -> TeamMember | None:
        return self.members.get(str(user_id))

    def case_numbered(self, number: str) -> str | None:
        return self.numbers.get(number)


class FakeUnit:
    def __init__(self, units: FakeUnits, cause: Envelope | None):
        self._units = units
        self._cause = cause
        self.undo: list[Callable[[], None]] = []
        self.cases = _SavingCases(self, units.streams, units.clock)
        self.directory = units.directory
        self.correlation_id = cause.correlation_id if cause else uuid.uuid4()
        self.calendar = WorkingCalendar(frozenset())  # weekends only

    @property
    def cause_id(self) -> uuid.UUID | None:
        return self._cause.event_id if self._cause else None

    def follow_case(self, case_id: str) -> None:
        opened_with = self._units.correlations.get(case_id)
        if opened_with is None:
            self._units.correlations[case_id] = self.correlation_id
            self.undo.append(lambda: self._units.correlations.pop(case_id, None))
        else:
            self.correlation_id = opened_with

    def first_delivery(self) -> bool:
        assert self._cause is not None, "first_delivery() needs the event being handled"
        event_id = self._cause.event_id
        if event_id in self._units.handled:
            return False
        self._units.handled.add(event_id)
        self.undo.append(lambda: self._units.handled.discard(event_id))
        return True

    def emit(self, event_type: str, payload: dict[str, Any]) -> object:
        emitted = (event_type, payload)
        self._units.emitted.append(emitted)
        self.undo.append(lambda: self._units.emitted.remove(emitted))
        return None

    def next_case_number(self, year: int) -> str:
        return f"NTR-{year}-{next(self._units.numbers):05d}"

    def lock_complaint(self, complaint_id: str) -> None:
        self._units.locked.append(complaint_id)

    def hold_early_event(self, event_id: uuid.UUID, complaint_id: str, event_type: str,
                         payload: dict[str, Any]) -> None:
        held = EarlyEvent(event_type, payload)
        self._units.early.setdefault(complaint_id, []).append(held)
        self.undo.append(lambda: self._units.early[complaint_id].remove(held))

    def take_early_events(self, complaint_id: str) -> list[EarlyEvent]:
        taken = self._units.early.pop(complaint_id, [])
        self.undo.append(lambda: self._units.early.setdefault(complaint_id, []).extend(taken))
        return taken

    def keep_sealed_identity(self, case_id: uuid.UUID, sealed_identity: str) -> None:
        if case_id not in self._units.sealed:
            self._units.sealed[case_id] = sealed_identity
            self.undo.append(lambda: self._units.sealed.pop(case_id))

    def open_identity(self, case_id: uuid.UUID, request_id: str) -> dict[str, Any]:
        return {"sealed": self._units.sealed[case_id]}

    def reseal_identity(self, case_id: uuid.UUID, request_id: str, recipient_id: str) -> None:
        pass  # the real re-sealing (adapters/vault.py) is proved through a running stack

    def take_checkpoint(self, reason: str, case_id: str | None = None) -> dict[str, Any]:
        taken = {"checkpoint": {"reason": reason, "case_id": str(case_id),
                                "global_position": len(self._units.checkpoints) + 1}}
        self._units.checkpoints.append(taken)
        self.undo.append(lambda: self._units.checkpoints.remove(taken))
        return taken

    def take_daily_checkpoint_if_due(self) -> dict[str, Any] | None:
        return None if self._units.checkpoints else self.take_checkpoint("daily")

    def seal_dossier(self, case_id: str) -> dict[str, Any] | None:
        return {"sha256": f"dossier-of-{case_id}"}


class _SavingCases(FakeCases):
    """FakeCases that lets the test's other writer in just before an append."""

    def __init__(self, unit: FakeUnit, streams, clock):
        super().__init__(streams, clock)
        self._unit = unit

    def save(self, case, metadata, *, last=False):
        units = self._unit._units
        if units.before_save:
            units.before_save(units)
        stream = self.streams.setdefault(uuid.UUID(case.case_id), [])
        before = len(stream)
        recorded = super().save(case, metadata, last=last)
        ours = stream[before:]
        self._unit.undo.append(lambda: [stream.remove(stored) for stored in ours])
        return recorded


class FakeUnits:
    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.clock = clock
        self.streams: dict = {}
        self.early: dict[str, list[EarlyEvent]] = {}
        self.handled: set[uuid.UUID] = set()
        self.correlations: dict[str, uuid.UUID] = {}  # case id: the correlation id it opened with
        self.emitted: list[tuple[str, dict]] = []
        self.sealed: dict[uuid.UUID, str] = {}
        self.locked: list[str] = []
        self.checkpoints: list[dict[str, Any]] = []
        self.directory = FakeDirectory()
        self.numbers = itertools.count(1)
        self.before_save: Callable[[FakeUnits], None] | None = None
        self.units_begun = 0

    @contextmanager
    def unit_of_work(self, cause: Envelope | None = None) -> Iterator[FakeUnit]:
        self.units_begun += 1
        with undone_on_error(FakeUnit(self, cause)) as unit:
            yield unit

    def overdue_case_ids(self, now: datetime) -> list[uuid.UUID]:
        return list(self.streams)
