"""What intake's filing needs from the database, as typed ports (typing.Protocol).

filing.py depends on these alone, never on SQL: adapters/filing_store.py implements them over
PostgreSQL (one transaction a unit of work), tests/support/fake_intake.py in memory, so filing's
rules (a replay gives the original answer and files nothing new, another body with the same key is
refused, the filing is counted inside its own unit of work) are tested in milliseconds.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from netra_common.rate_limit import LimitPolicy, LimitState, Reservation
from services.intake.adapters.idempotency import Idempotent


class LimitCounters(Protocol):
    """The rate-limit counters as one unit of work sees them: a key's state, locked until the unit
    ends (so a client's parallel requests take turns), and an attempt counted on it."""

    def locked(self, key: str, now: datetime) -> LimitState: ...

    def reserve(self, key: str, state: LimitState, policy: LimitPolicy, now: datetime) -> Reservation: ...


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

    def add_complaint(self, *, complaint_id: uuid.UUID, tracking_code: str, receipt_hash: str,
                      submitted_at: datetime, document: dict[str, Any], anonymous: bool,
                      sealed_identity: str | None, proof: dict[str, Any]) -> None: ...

    def add_screenshots(self, complaint_id: uuid.UUID, shots: list[dict[str, Any]], received_at: datetime,
                        message_id: uuid.UUID | None = None) -> None: ...

    def add_message(self, *, message_id: uuid.UUID, complaint_id: uuid.UUID, author: str, kind: str,
                    body: str, at: datetime) -> None: ...

    def emit(self, event_type: str, payload: dict[str, Any]) -> object: ...


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
