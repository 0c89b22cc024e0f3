"""Decision 0026: an append sent with the COMMIT ends the unit of work's transaction, so whatever a
use case wrote after it would commit apart from the case's events. The unit of work refuses it."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from services.casework.adapters.case_repository import UnitAlreadyCommitted
from services.casework.adapters.units import PostgresUnit


class NoConnection:
    def __getattr__(self, name):
        raise AssertionError(f"nothing may reach the database after the commit ({name})")


@pytest.fixture
def committed_unit() -> PostgresUnit:
    uow = SimpleNamespace(connection=NoConnection(), correlation_id=uuid.uuid4(), cause=None,
                          emit=lambda *a: pytest.fail("emitted after the commit"),
                          execute=lambda *a: pytest.fail("executed after the commit"))
    unit = PostgresUnit(uow, vault=None)  # type: ignore[arg-type]
    unit.cases.committed = True  # as save(last=True) leaves it once the append committed
    return unit


@pytest.mark.parametrize("write", [
    lambda u: u.emit("case_status_changed", {}),
    lambda u: u.next_case_number(2026),
    lambda u: u.hold_early_event(uuid.uuid4(), str(uuid.uuid4()), "evidence_stored", {}),
    lambda u: u.keep_sealed_identity(uuid.uuid4(), "sealed"),
    lambda u: u.take_checkpoint("forward"),
    lambda u: u.cases.save(SimpleNamespace(case_id=str(uuid.uuid4())), {}),
])
def test_nothing_is_written_after_the_append_that_committed(committed_unit, write):
    with pytest.raises(UnitAlreadyCommitted, match="append last"):
        write(committed_unit)


def test_a_unit_whose_append_has_not_committed_may_still_write():
    emitted = []
    uow = SimpleNamespace(connection=NoConnection(), correlation_id=uuid.uuid4(), cause=None,
                          emit=lambda event_type, payload: emitted.append(event_type))
    unit = PostgresUnit(uow, vault=None)  # type: ignore[arg-type]
    unit.emit("case_status_changed", {})
    assert emitted == ["case_status_changed"] and unit.cases.committed is False
