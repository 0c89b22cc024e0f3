"""What casework's case use cases need from the outside world, as typed ports (typing.Protocol).

cases.py depends on these alone, never on SQL: adapters/units.py implements them over PostgreSQL
(one transaction a unit of work), tests/support/fake_units.py in memory, so the use cases' rules
(the stale-version retry, events that arrive before their case, the assignee rule) are tested in
milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from netra_common.contracts.envelope import Envelope
from services.casework.adapters.case_repository import Entry
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case, Recorded
from services.casework.domain.commands import Directory


class Cases(Protocol):
    """The case repository: cases read back from their streams, their new events appended after the
    version they were read at (StaleVersion if someone else appended first), one clock."""

    @property
    def now(self) -> datetime: ...

    def get_with_history(self, case_id: uuid.UUID) -> tuple[Case, list[Entry]] | None: ...

    def get(self, case_id: uuid.UUID) -> Case | None: ...

    def exists(self, case_id: uuid.UUID) -> bool: ...

    def save(self, case: Case, metadata: Mapping[str, object], *, last: bool = False) -> list[Recorded]:
        """`last`: the unit of work's last statement, which commits it (nothing may follow)."""
        ...


@dataclass(frozen=True)
class EarlyEvent:
    """An event about a complaint whose case was not open yet, held until it opens."""

    event_type: str
    payload: dict[str, Any]


class CaseworkUnit(Protocol):
    """One unit of work: what it changes commits together with the events it emits and the record
    of the message it handles, or none of it does."""

    cases: Cases
    directory: Directory
    correlation_id: uuid.UUID
    calendar: WorkingCalendar  # the working days the stages' deadlines count

    def follow_case(self, case_id: str) -> None:
        """From here on, emit and log under the correlation id the case was opened with (its
        complaint's), so a team command's events follow the complaint through the other services."""
        ...

    @property
    def cause_id(self) -> uuid.UUID | None: ...

    def first_delivery(self) -> bool: ...

    def emit(self, event_type: str, payload: dict[str, Any]) -> object: ...

    def next_case_number(self, year: int) -> str: ...

    def lock_complaint(self, complaint_id: str) -> None: ...

    def hold_early_event(self, event_id: uuid.UUID, complaint_id: str, event_type: str,
                         payload: dict[str, Any]) -> None: ...

    def take_early_events(self, complaint_id: str) -> list[EarlyEvent]: ...

    def keep_sealed_identity(self, case_id: uuid.UUID, sealed_identity: str) -> None: ...

    def open_identity(self, case_id: uuid.UUID, request_id: str) -> dict[str, Any]: ...

    def reseal_identity(self, case_id: uuid.UUID, request_id: str, recipient_id: str) -> None: ...

    def take_checkpoint(self, reason: str, case_id: str | None = None) -> dict[str, Any]:
        """A signed checkpoint of the whole log as this unit sees it (docs/decisions/0016)."""
        ...

    def take_daily_checkpoint_if_due(self) -> dict[str, Any] | None: ...

    def seal_dossier(self, case_id: str) -> dict[str, Any] | None:
        """The forwarded case's dossier sealed (SHA-256 and signature), or None where none is made."""
        ...


class CaseworkUnits(Protocol):
    """Where units of work come from, and what the deadline timer reads outside one."""

    def unit_of_work(self, cause: Envelope | None = None) -> AbstractContextManager[CaseworkUnit]: ...

    def overdue_case_ids(self, now: datetime) -> list[uuid.UUID]: ...
