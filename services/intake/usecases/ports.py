"""What intake's filing, lookups and progress need from the database, as typed ports (typing.Protocol).

filing.py, lookups.py and progress.py depend on these alone, never on SQL: adapters/stores.py implements
them over PostgreSQL (one transaction a unit of work), tests/support/fake_intake.py in memory, so
their rules (a replay gives the original answer and files nothing new, another body with the same
key is refused, the filing is counted inside its own unit of work; a lookup is counted before its
receipt is checked and given back when it was right) are tested in milliseconds.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from netra_common.contracts.envelope import Envelope
from netra_common.rate_limit import LimitPolicy, LimitState, Reservation
from services.intake.adapters.idempotency import Idempotent


class LimitCounters(Protocol):
    """The rate-limit counters as one unit of work sees them: a key's state, locked until the unit
    ends (so a client's parallel requests take turns), and an attempt counted on it."""

    def locked(self, key: str, now: datetime) -> LimitState: ...

    def reserve(self, key: str, state: LimitState, policy: LimitPolicy, now: datetime) -> Reservation: ...

    def refund(self, key: str, reservation: Reservation, now: datetime) -> None:
        """Give back an attempt reserved on `key` that turned out right."""
        ...


class FilingUnit(Protocol):
    """One filing's unit of work: its answer under the client's key, its count against the client's
    limit, its uploads' intents taken away, its records and its event commit together, or none do."""

    limits: LimitCounters

    def claim_answer(self, idempotent: Idempotent, answer: dict[str, Any], now: datetime) -> None:
        """Keep `answer` under the key, first thing. Raises idempotency.Replay with the answer kept
        for the same request, KeyReused for another request, InProgress while one is under way."""
        ...

    def fulfil_intents(self, keys: list[str]) -> None:
        """The uploads are accounted for by this filing; UploadsWithdrawn if they were taken back."""
        ...

    def new_case_key(self, complaint_id: uuid.UUID) -> tuple[uuid.UUID, bytes]:
        """The complaint's own key in the key store (docs/decisions/0037), made in this unit so it
        exists exactly when the complaint does: a retried filing that replays makes none."""
        ...

    def add_complaint(self, *, complaint_id: uuid.UUID, tracking_code: str, receipt_hash: str,
                      submitted_at: datetime, document: dict[str, Any], anonymous: bool,
                      sealed_identity: str | None, proof: dict[str, Any]) -> None: ...

    def add_screenshots(self, complaint_id: uuid.UUID, shots: list[dict[str, Any]], received_at: datetime,
                        message_id: uuid.UUID | None = None) -> None: ...

    def add_message(self, *, message_id: uuid.UUID, complaint_id: uuid.UUID, author: str, kind: str,
                    body: str, at: datetime) -> None: ...

    def emit(self, event_type: str, payload: dict[str, Any]) -> object: ...


class ComplaintForReporter(Protocol):
    """The complaint a tracking code names, as far as checking its receipt needs it."""

    @property
    def receipt_hash(self) -> str: ...


class LookupStore(Protocol):
    """What finding a complaint for its reporter needs: the complaint by its tracking code, and the
    counters, each use of them one transaction (the keys' rows locked until it ends)."""

    def counters(self) -> AbstractContextManager[LimitCounters]: ...

    def seconds_to_wait(self, keys: list[str], now: datetime) -> int: ...

    def find_by_tracking_code(self, tracking_code: str) -> ComplaintForReporter | None: ...


class FilingStore(Protocol):
    """Where filing's units of work come from, and what it does outside one: the answer kept for a
    key, the intents committed before an upload is put (and forgotten when it is taken out again),
    and whether a filing whose answer to COMMIT was lost is kept after all."""

    def unit_of_work(self) -> AbstractContextManager[FilingUnit]: ...

    def kept_answer(self, idempotent: Idempotent, now: datetime) -> dict[str, Any] | None:
        """The answer kept for this very request; None if the key is new; KeyReused if it came
        with another request."""
        ...

    def intend_uploads(self, keys: list[str], now: datetime) -> None: ...

    def forget_intents(self, keys: list[str]) -> None: ...

    def complaint_exists(self, complaint_id: uuid.UUID) -> bool: ...

    def message_exists(self, message_id: uuid.UUID) -> bool: ...


class ProgressUnit(Protocol):
    """One event from another service, in one unit of work with the record that it was handled."""

    def first_delivery(self) -> bool: ...

    def complaint_exists(self, complaint_id: uuid.UUID) -> bool: ...

    def record_status(self, *, event_id: uuid.UUID, complaint_id: uuid.UUID, status: str, at: datetime,
                      case_version: int | None, due_at: datetime | None = None) -> bool:
        """A stage on the timeline, the current status only if it is later; False if the complaint
        is not intake's (a case the team filed itself)."""
        ...

    def record_screenshot_outcome(self, upload_id: uuid.UUID, state: str, reason_code: str | None) -> None: ...

    def add_message(self, *, message_id: uuid.UUID, complaint_id: uuid.UUID, author: str, kind: str,
                    body: str, at: datetime) -> None: ...

    def record_disclosure(self, *, event_id: uuid.UUID, complaint_id: uuid.UUID, disclosed_to: str,
                          at: datetime) -> None: ...


class ProgressStore(Protocol):
    def unit_of_work(self, cause: Envelope) -> AbstractContextManager[ProgressUnit]: ...
