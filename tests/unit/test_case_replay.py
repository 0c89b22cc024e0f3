"""Only the aggregate changes the case, so replaying its stored events gives exactly the live case:
random valid lives of a case (every command, people of every role, evidence, replies, disclosures,
deadlines, time moving forward) are stored through an in-memory repository after each unit of work
and replayed, and every field of the replayed case equals the live one's."""

from __future__ import annotations

import uuid
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.casework.domain.case import Case, Recorded
from services.casework.domain.events import CASE_EVENTS
from tests.support.case_sequences import Drawn, Seeded, play
from tests.support.fake_cases import FakeCases

LIVES = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class InMemory:
    """One unit of work per step, each at the step's time, on one in-memory store."""

    def __init__(self, seen: set[str] | None = None):
        self.cases = FakeCases()
        self.seen = set() if seen is None else seen

    def save(self, case: Case, at: datetime) -> list[Recorded]:
        recorded = self.cases.unit(lambda: at).save(case, {})
        self.seen |= {r.event.type for r in recorded}
        return recorded

    def load(self, case_id: str) -> Case | None:
        return self.cases.get(uuid.UUID(case_id))


@LIVES
@given(st.data())
def test_replaying_the_stored_events_gives_exactly_the_live_case(data):
    play(Drawn(data), InMemory())


def test_the_same_lives_seeded_reach_every_event_a_case_can_have():
    """What the lives cover cannot shrink unseen: the same generator, seeded, reaches every event."""
    seen: set[str] = set()
    for seed in range(200):
        play(Seeded(seed), InMemory(seen))
    assert seen == set(CASE_EVENTS)
