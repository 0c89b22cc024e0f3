"""casework's use cases on real PostgreSQL: what follows a complaint reaches its case, however
the two race."""

from __future__ import annotations

import threading
import time

from netra_common.contracts import parse_envelope
from netra_common.db import DatabaseHandle
from services.casework.adapters.case_repository import CaseRepository
from services.casework.adapters.tables import messaging
from services.casework.adapters.units import PostgresUnits
from services.casework.usecases import cases
from tests.support import events


def handle(engine, entrypoint: str) -> DatabaseHandle:
    return DatabaseHandle(engine, messaging, producer="casework", consumer=f"casework.{entrypoint}")


def test_evidence_arriving_while_its_case_is_being_opened_reaches_the_case(casework_db, monkeypatch):
    """The opening has taken the early events but not yet committed when the evidence comes."""
    engine, _ = casework_db
    complaint = parse_envelope(events.complaint_submitted())
    complaint_id = complaint.payload["complaint_id"]
    opening_saves, real_save = threading.Event(), cases.save

    def slow_save(unit, case):
        opening = case.stored_version == 0
        real_save(unit, case)
        if opening:
            opening_saves.set()
            time.sleep(1.5)  # the opening's transaction stays open while the evidence arrives

    monkeypatch.setattr(cases, "save", slow_save)
    opening = threading.Thread(target=cases.open_case_from_complaint,
                               args=(PostgresUnits(handle(engine, "on_complaint_submitted")), complaint))
    opening.start()
    assert opening_saves.wait(10)
    cases.record_complaint_followup(PostgresUnits(handle(engine, "on_evidence_stored")),
                                       parse_envelope(events.evidence_stored(complaint_id)))
    opening.join(10)

    with engine.connect() as conn:
        case = CaseRepository(conn).get(cases.case_id_for_complaint(complaint_id))
    assert case is not None and len(case.evidence) == 1
