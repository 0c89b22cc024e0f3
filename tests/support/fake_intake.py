"""intake's filing store in memory (usecases/ports.py), for filing's rules in milliseconds.

A unit of work commits or rolls back as a whole: each change it makes (an answer kept under a key,
a counter moved, intents taken, records added, an event emitted) is undone if it raises, and no one
else's. The answers are kept sealed exactly as the real store keeps them (idempotency.Idempotent),
so a replay and a refused key go through the same checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from netra_common.rate_limit import (
    LimitPolicy,
    LimitState,
    Reservation,
    after_event,
    after_refund,
    wait_left,
    window_start,
)
from netra_common.rate_limit_store import seconds
from services.intake.adapters.idempotency import Idempotent, Replay
from services.intake.adapters.upload_intents import UploadsWithdrawn
from tests.support.fake_rollback import undone_on_error


@dataclass(frozen=True)
class KeptAnswer:
    """A row of the answers' table: what the real one holds, no more."""

    request_mac: bytes
    sealed_answer: bytes
    expires_at: datetime


class FakeLimits:
    """The counters in one transaction: every change undone if it raises (`undo`)."""

    def __init__(self, states: dict[str, LimitState], locked_keys: list[str]):
        self._states = states
        self._locked_keys = locked_keys
        self.undo: list[Callable[[], None]] = []

    def locked(self, key: str, now: datetime) -> LimitState:
        self._locked_keys.append(key)
        return self._states.get(key) or LimitState(0, window_start(now), None)

    def reserve(self, key: str, state: LimitState, policy: LimitPolicy, now: datetime) -> Reservation:
        reservation = Reservation(before=state, after=after_event(state, now, policy))
        self._write(key, reservation.after)
        return reservation

    def refund(self, key: str, reservation: Reservation, now: datetime) -> None:
        self._write(key, after_refund(self.locked(key, now), reservation, now))

    def _write(self, key: str, state: LimitState | None) -> None:
        old = self._states.get(key)
        if state is None:
            self._states.pop(key, None)
        else:
            self._states[key] = state
        self.undo.append(lambda: self._states.pop(key, None) if old is None else self._states.__setitem__(key, old))


class FakeFilingUnit:
    def __init__(self, store: FakeFilingStore):
        self.store = store
        self.limits = FakeLimits(store.limits, store.locked_keys)
        self.undo: list[Callable[[], None]] = [lambda: _undo_all(self.limits.undo)]

    def replace(self, table: dict, key: Any, value: Any) -> None:
        """Set table[key], undone (to the old value, or to nothing) if the unit raises."""
        missing = object()
        old = table.get(key, missing)
        table[key] = value
        self.undo.append(lambda: table.pop(key) if old is missing else table.__setitem__(key, old))

    def claim_answer(self, idempotent: Idempotent, answer: dict[str, Any], now: datetime) -> None:
        kept = self.store.answers.get(idempotent.lookup)
        if kept is not None and kept.expires_at > now:  # a row whose day is over is taken over
            raise Replay(idempotent.answer_from(kept))  # KeyReused for another request
        self.replace(self.store.answers, idempotent.lookup,
                     KeptAnswer(idempotent.request_mac, idempotent.seal(answer), now + idempotent.lifetime))

    def fulfil_intents(self, keys: list[str]) -> None:
        if not set(keys) <= self.store.intents:
            raise UploadsWithdrawn()
        self.store.intents -= set(keys)
        self.undo.append(lambda: self.store.intents.update(keys))

    def new_case_key(self, complaint_id: uuid.UUID) -> tuple[uuid.UUID, bytes]:
        key = bytes(range(32))  # a fixed key: the fake checks where it goes, not its randomness
        self.replace(self.store.case_keys, complaint_id, key)
        return complaint_id, key

    def add_complaint(self, *, complaint_id: uuid.UUID, **fields: Any) -> None:
        self.replace(self.store.complaints, complaint_id, fields)

    def add_screenshots(self, complaint_id: uuid.UUID, shots: list[dict[str, Any]], received_at: datetime,
                        message_id: uuid.UUID | None = None) -> None:
        for shot in shots:
            self.replace(self.store.screenshots, shot["upload_id"],
                         {**shot, "complaint_id": complaint_id, "message_id": message_id})

    def add_message(self, *, message_id: uuid.UUID, **fields: Any) -> None:
        self.replace(self.store.messages, message_id, fields)

    def emit(self, event_type: str, payload: dict[str, Any]) -> object:
        emitted = (event_type, payload)
        self.store.emitted.append(emitted)
        self.undo.append(lambda: self.store.emitted.remove(emitted))
        return None


def _undo_all(undo: list[Callable[[], None]]) -> None:
    for step in reversed(undo):
        step()


@dataclass(frozen=True)
class FakeComplaint:
    complaint_id: uuid.UUID
    receipt_hash: str


class FakeLookupStore:
    """The complaints by tracking code and the counters, for finding a complaint for its reporter."""

    def __init__(self) -> None:
        self.complaints: dict[str, FakeComplaint] = {}
        self.limits: dict[str, LimitState] = {}
        self.locked_keys: list[str] = []

    @contextmanager
    def counters(self) -> Iterator[FakeLimits]:
        limits = FakeLimits(self.limits, self.locked_keys)
        try:
            yield limits
        except BaseException:
            _undo_all(limits.undo)
            raise

    def seconds_to_wait(self, keys: list[str], now: datetime) -> int:
        return seconds(max((wait_left(self.limits.get(key), now) for key in keys), default=0.0))

    def find_by_tracking_code(self, tracking_code: str) -> FakeComplaint | None:
        return self.complaints.get(tracking_code)


class FakeFilingStore:
    def __init__(self) -> None:
        self.answers: dict[str, KeptAnswer] = {}
        self.limits: dict[str, LimitState] = {}
        self.locked_keys: list[str] = []
        self.intents: set[str] = set()
        self.complaints: dict[uuid.UUID, dict[str, Any]] = {}
        self.screenshots: dict[str, dict[str, Any]] = {}
        self.messages: dict[uuid.UUID, dict[str, Any]] = {}
        self.case_keys: dict[uuid.UUID, bytes] = {}
        self.emitted: list[tuple[str, dict[str, Any]]] = []
        self.units_committed = 0
        self.before_commit: Callable[[], None] | None = None  # a failure inside the unit, at its end
        self.commit_answer_lost = False  # the unit commits, then its caller hears only an error

    @contextmanager
    def unit_of_work(self) -> Iterator[FakeFilingUnit]:
        with undone_on_error(FakeFilingUnit(self), self.before_commit) as unit:
            yield unit
        self.units_committed += 1
        if self.commit_answer_lost:
            raise ConnectionError("the answer to COMMIT was lost")

    def kept_answer(self, idempotent: Idempotent, now: datetime) -> dict[str, Any] | None:
        kept = self.answers.get(idempotent.lookup)
        return idempotent.answer_from(kept) if kept is not None and kept.expires_at > now else None

    def intend_uploads(self, keys: list[str], now: datetime) -> None:
        self.intents.update(keys)

    def forget_intents(self, keys: list[str]) -> None:
        self.intents -= set(keys)

    def complaint_exists(self, complaint_id: uuid.UUID) -> bool:
        return complaint_id in self.complaints

    def message_exists(self, message_id: uuid.UUID) -> bool:
        return message_id in self.messages



class FakeProgressStore:
    """What intake records of the other services' events, in memory; a unit that raises leaves
    nothing. The current status follows the latest stage as the real table's rule does (by the
    case's version, else by time), so out-of-order events can be played."""

    def __init__(self) -> None:
        self.complaints: set[uuid.UUID] = set()
        self.handled: set[uuid.UUID] = set()
        self.timeline: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}  # event id: complaint, status
        self.status: dict[uuid.UUID, tuple[str, datetime, int | None]] = {}
        self.outcomes: dict[uuid.UUID, tuple[str, str | None]] = {}
        self.messages: dict[uuid.UUID, dict[str, Any]] = {}
        self.disclosures: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}

    @contextmanager
    def unit_of_work(self, cause: Any) -> Iterator[FakeProgressUnit]:
        unit = FakeProgressUnit(self, cause)
        try:
            yield unit
        except BaseException:
            _undo_all(unit.undo)
            raise


class FakeProgressUnit:
    def __init__(self, store: FakeProgressStore, cause: Any):
        self.store = store
        self._cause = cause
        self.undo: list[Callable[[], None]] = []

    def _set(self, table: dict, key: Any, value: Any) -> None:
        old = table.get(key)
        table[key] = value
        self.undo.append(lambda: table.pop(key) if old is None else table.__setitem__(key, old))

    def first_delivery(self) -> bool:
        if self._cause.event_id in self.store.handled:
            return False
        self.store.handled.add(self._cause.event_id)
        self.undo.append(lambda: self.store.handled.discard(self._cause.event_id))
        return True

    def complaint_exists(self, complaint_id: uuid.UUID) -> bool:
        return complaint_id in self.store.complaints

    def record_status(self, *, event_id: uuid.UUID, complaint_id: uuid.UUID, status: str, at: datetime,
                      case_version: int | None, due_at: datetime | None = None) -> bool:
        if complaint_id not in self.store.complaints:
            return False
        self.store.timeline.setdefault(event_id, (complaint_id, status))
        current = self.store.status.get(complaint_id)
        later = current is None or (current[1] <= at if case_version is None else
                                    (current[2] is None and current[1] <= at) or
                                    (current[2] is not None and current[2] < case_version))
        if later:
            self._set(self.store.status, complaint_id, (status, at, case_version))
        return True

    def record_screenshot_outcome(self, upload_id: uuid.UUID, state: str, reason_code: str | None) -> None:
        self._set(self.store.outcomes, upload_id, (state, reason_code))

    def add_message(self, *, message_id: uuid.UUID, **fields: Any) -> None:
        if message_id not in self.store.messages:
            self._set(self.store.messages, message_id, fields)

    def record_disclosure(self, *, event_id: uuid.UUID, complaint_id: uuid.UUID, disclosed_to: str,
                          at: datetime) -> None:
        if event_id not in self.store.disclosures:
            self._set(self.store.disclosures, event_id, (complaint_id, disclosed_to))
