"""casework's units of work over PostgreSQL (usecases/ports.py): one transaction each, holding the
case repository, the directory preparations look things up in, the case numbers, the complaint's
advisory lock, the early events, the vault's sealed identities, and the log's signed checkpoints
and the sealed dossier a forward to BKPPD carries."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection

from netra_common.contracts.envelope import Envelope
from netra_common.db import DatabaseHandle, UnitOfWork
from netra_common.logging import set_correlation
from services.casework.adapters import checkpoints
from services.casework.adapters.calendar_data import default_calendar
from services.casework.adapters.case_repository import CaseRepository, UnitAlreadyCommitted
from services.casework.adapters.checkpoint_signing import CheckpointSigner
from services.casework.adapters.directory import Directory
from services.casework.adapters.tables import case_list, early_events
from services.casework.adapters.vault import SessionVault, keep_sealed_identity
from services.casework.signing_not_configured import SigningNotConfigured
from services.casework.usecases.ports import EarlyEvent

# Seals the dossier of a case being forwarded, from the history in this transaction.
DossierSealer = Callable[[Connection, str], dict[str, Any]]


class PostgresUnit:
    """One unit of work (netra_common.db.UnitOfWork) as casework's use cases see it."""

    def __init__(self, uow: UnitOfWork, vault: SessionVault | None, signer: CheckpointSigner | None = None,
                 dossier_sealer: DossierSealer | None = None, clock: Callable[[], datetime] | None = None):
        self._uow = uow
        self._vault = vault
        self._signer = signer
        self._dossier_sealer = dossier_sealer
        self.cases = CaseRepository(uow.connection, clock) if clock else CaseRepository(uow.connection)
        self.directory = Directory(uow.connection)
        self.correlation_id = uow.correlation_id
        self.calendar = default_calendar()

    def _still_open(self, what: str) -> None:
        """Refuse a write after the append that committed this unit of work (decision 0026)."""
        if self.cases.committed:
            raise UnitAlreadyCommitted(what)

    @property
    def connection(self) -> Connection:
        """The unit's own connection, for the adapters a use case here works with directly."""
        return self._uow.connection

    @property
    def cause_id(self) -> uuid.UUID | None:
        return self._uow.cause.event_id if self._uow.cause else None

    def follow_case(self, case_id: str) -> None:
        opened_with = self._uow.execute(text(
            "SELECT metadata->>'correlation_id' FROM casework.events WHERE stream_id = :case_id "
            "ORDER BY version LIMIT 1"), {"case_id": case_id}).scalar()
        if opened_with:
            self.correlation_id = self._uow.correlation_id = uuid.UUID(opened_with)
            set_correlation(opened_with)

    def first_delivery(self) -> bool:
        return self._uow.first_delivery()

    def emit(self, event_type: str, payload: dict[str, Any]) -> object:
        self._still_open("emit")
        return self._uow.emit(event_type, payload)

    def next_case_number(self, year: int) -> str:
        self._still_open("next_case_number")
        number = self._uow.execute(text("SELECT nextval('casework.case_number_seq')")).scalar_one()
        return f"NTR-{year}-{number:05d}"

    def lock_complaint(self, complaint_id: str) -> None:
        """Serialise opening a complaint's case with the events that follow it.

        Without it a follow-up could find no case, while the opening (not yet committed) had
        already taken the early events, and park itself where nobody would look again.
        """
        self._still_open("lock_complaint")
        self._uow.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                          {"key": f"casework.complaint:{complaint_id}"})

    def hold_early_event(self, event_id: uuid.UUID, complaint_id: str, event_type: str,
                         payload: dict[str, Any]) -> None:
        self._still_open("hold_early_event")
        self._uow.execute(early_events.insert().values(
            event_id=event_id, complaint_id=uuid.UUID(complaint_id), event_type=event_type, payload=payload))

    def take_early_events(self, complaint_id: str) -> list[EarlyEvent]:
        self._still_open("take_early_events")
        rows = self._uow.execute(
            delete(early_events).where(early_events.c.complaint_id == uuid.UUID(complaint_id))
            .returning(early_events.c.event_type, early_events.c.payload, early_events.c.arrived_at)
        ).all()
        return [EarlyEvent(r.event_type, r.payload) for r in sorted(rows, key=lambda r: r.arrived_at)]

    def keep_sealed_identity(self, case_id: uuid.UUID, sealed_identity: str) -> None:
        self._still_open("keep_sealed_identity")
        keep_sealed_identity(self._uow.connection, case_id, sealed_identity)

    def open_identity(self, case_id: uuid.UUID, request_id: str) -> dict[str, Any]:
        self._still_open("open_identity")
        return self._session_vault().open(self._uow.connection, request_id)

    def reseal_identity(self, case_id: uuid.UUID, request_id: str, recipient_id: str) -> None:
        self._still_open("reseal_identity")
        self._session_vault().reseal(self._uow.connection, case_id, request_id, uuid.UUID(recipient_id))

    def _session_vault(self) -> SessionVault:
        if self._vault is None:
            raise RuntimeError("this unit of work was made without the member's way into the vault")
        return self._vault

    def take_checkpoint(self, reason: str, case_id: str | None = None) -> dict[str, Any]:
        self._still_open("take_checkpoint")
        return checkpoints.take(self._uow.connection, self._needs_signer(), reason, case_id=case_id)

    def take_daily_checkpoint_if_due(self) -> dict[str, Any] | None:
        self._still_open("take_daily_checkpoint_if_due")
        return checkpoints.take_daily_if_due(self._uow.connection, self._needs_signer())

    def seal_dossier(self, case_id: str) -> dict[str, Any] | None:
        self._still_open("seal_dossier")
        if self._dossier_sealer is None:
            return None
        return self._dossier_sealer(self._uow.connection, case_id)

    def _needs_signer(self) -> CheckpointSigner:
        if self._signer is None:
            raise SigningNotConfigured("NETRA_CASEWORK_CHECKPOINT_KEY", "checkpoints")
        return self._signer


class PostgresUnits:
    """Units of work on casework's database; the vault only where identities are opened, the
    checkpoint signer and the dossier's sealer only where a case may be forwarded or the day's
    checkpoint taken."""

    def __init__(self, db: DatabaseHandle, vault: SessionVault | None = None, *,
                 signer: CheckpointSigner | None = None, dossier_sealer: DossierSealer | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.db = db
        self.vault = vault
        self.signer = signer
        self.dossier_sealer = dossier_sealer
        self.clock = clock  # the units' time; the wall clock unless a drill moves it (retention)

    @contextmanager
    def unit_of_work(self, cause: Envelope | None = None) -> Iterator[PostgresUnit]:
        with self.db.unit_of_work(cause=cause) as uow:
            yield PostgresUnit(uow, self.vault, self.signer, self.dossier_sealer, self.clock)

    def overdue_case_ids(self, now: datetime) -> list[uuid.UUID]:
        with self.db.read() as conn:
            return list(conn.execute(select(case_list.c.case_id).where(
                case_list.c.due_at < now, case_list.c.overdue.is_(False))).scalars().all())
