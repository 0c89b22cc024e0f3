"""A rebuild's replay decodes each event from its data as it is (`decode_owned`): the same event,
field for field, as `decode` makes with its copy, still frozen; a stored event with other fields
than its class goes through `decode`, which refuses it."""

from __future__ import annotations

import copy
import dataclasses
import json
import random
import uuid
from datetime import UTC, datetime

import pytest

from services.casework.adapters.case_repository import UnreadableEvent, decode, decode_owned, encode
from services.casework.adapters.log_replay_read import ReplayedEvent
from services.casework.domain import events as ev
from tests.perf.big_log import _case


def _replayed(new, n: int) -> ReplayedEvent:
    # As the reader gives it: the stored JSON text parsed anew (a dict of its own).
    return ReplayedEvent(n, uuid.uuid4(), n, str(uuid.uuid4()), new.event_type, new.class_version,
                         json.loads(json.dumps(new.data)), {"status": "opened"}, datetime.now(UTC))


def test_each_event_of_a_case_is_the_event_decode_makes_and_stays_frozen():
    rng, seen = random.Random(14), set()
    for n in range(60):
        for stored in (_replayed(encode(r, {}), n) for r in _case(n, rng).collect_events()):
            data = stored.data
            owned = decode_owned(stored)
            assert owned == decode(stored._replace(data=copy.deepcopy(data)))
            assert type(owned) is ev.CASE_EVENTS[stored.event_type]
            assert owned.__dict__ is data, "made from the data as it is, not a copy"
            field = dataclasses.fields(owned)[0].name
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(owned, field, None)
            seen.add(stored.event_type)
    assert {"case_opened", "case_assigned", "evidence_attached", "violation_confirmed"} <= seen


def test_an_event_with_other_fields_than_its_class_goes_through_decode_and_is_refused_as_decode_refuses_it():
    stored = _replayed(encode(_case(1, random.Random(1)).collect_events()[0], {}), 1)
    del stored.data["account_handle"]
    with pytest.raises(UnreadableEvent, match="keys missing: account_handle"):
        decode_owned(stored)
    stored.data["account_handle"], stored.data["surplus"] = None, 1
    with pytest.raises(UnreadableEvent):
        decode_owned(stored)
