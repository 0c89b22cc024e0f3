"""Cases as the domain knows them, read back from their event streams."""

from __future__ import annotations

import uuid

from services.casework.adapters import event_store
from services.casework.domain import events as ev
from services.casework.domain.case import Case


def replay(case_id: uuid.UUID, history: list[event_store.StoredEvent]) -> Case:
    return Case.from_events(str(case_id), [(ev.CaseEvent.from_data(e.event_type, e.data), e.recorded_at)
                                           for e in history])


def load_case(conn, case_id: uuid.UUID) -> Case | None:
    history = event_store.load_stream(conn, case_id)
    return replay(case_id, history) if history else None


def load_case_with_history(conn, case_id: uuid.UUID) -> tuple[Case, list] | None:
    history = event_store.load_stream(conn, case_id)
    return (replay(case_id, history), history) if history else None
