"""Case events can evolve: each class has a version, older stored data is brought up to date by the
class's upcasters on read, data that does not fit its class is refused by name, and a class whose
fields change without a new version fails here (domain/event_versions.json keeps every version)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest

from services.casework.adapters.case_repository import UnreadableEvent, decode
from services.casework.adapters.event_store import StoredEvent, event_hash
from services.casework.domain import events as ev
from services.casework.domain.case import Case, UnknownEvent

SNAPSHOT = Path(ev.__file__).with_name("event_versions.json")
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def unrecorded_changes(classes: dict[str, type[ev.CaseEvent]], snapshot: dict) -> list[str]:
    """What a change to the event classes left out: a version's fields not kept, fields that changed
    without a new version, a missing upcaster, a kept class that is gone."""
    problems = []
    for event_type, cls in classes.items():
        kept = snapshot.get(event_type, {})
        wanted = [str(v) for v in range(1, cls.class_version + 1)]
        if sorted(kept, key=int) != wanted:
            problems.append(f"{event_type}: event_versions.json keeps versions {sorted(kept, key=int)}, the class "
                            f"is at version {cls.class_version}; keep each version's fields, this one's being "
                            f'"{cls.class_version}": {json.dumps(cls.field_types())}')
        elif kept[str(cls.class_version)] != cls.field_types():
            problems.append(f"{event_type}: the fields of version {cls.class_version} changed; stored events are "
                            f"never rewritten, so raise class_version to {cls.class_version + 1}, write "
                            f"upcast_v{cls.class_version}_v{cls.class_version + 1}, and keep "
                            f'"{cls.class_version + 1}": {json.dumps(cls.field_types())}')
        problems += [f"{event_type}: no upcast_v{v}_v{v + 1}" for v in range(1, cls.class_version)
                     if not callable(getattr(cls, f"upcast_v{v}_v{v + 1}", None))]
    problems += [f"{event_type}: kept in event_versions.json, but no class has that type; events of it may be "
                 "stored: bring the class back" for event_type in snapshot.keys() - classes.keys()]
    return problems


def test_every_case_event_class_is_the_version_event_versions_json_keeps():
    assert unrecorded_changes(ev.CASE_EVENTS, json.loads(SNAPSHOT.read_text())) == []


# --- a class that evolved (kept out of the case's events) -----------------------------------


@dataclass(frozen=True)
class NoteV1(ev.CaseEvent, register=False):
    type: ClassVar[str] = "note_taken"
    text: str


@dataclass(frozen=True)
class NoteV2(ev.CaseEvent, register=False):
    """Version 2 renamed `text` to `note` and says whether the reporter may read it."""

    type: ClassVar[str] = "note_taken"
    class_version: ClassVar[int] = 2
    note: str
    for_reporter: bool

    @staticmethod
    def upcast_v1_v2(data: dict) -> None:
        data["note"] = data.pop("text")
        data["for_reporter"] = False  # every note before version 2 was the team's own


KNOWN = {"note_taken": NoteV2}
ACTOR = {"id": "k1", "role": "ketua"}


def test_a_change_of_fields_without_a_new_version_fails_and_says_what_to_write():
    kept = {"note_taken": {"1": NoteV1.field_types()}}
    assert unrecorded_changes({"note_taken": NoteV1}, kept) == []

    @dataclass(frozen=True)
    class Renamed(ev.CaseEvent, register=False):
        type: ClassVar[str] = "note_taken"
        note: str

    problems = unrecorded_changes({"note_taken": Renamed}, kept)
    assert len(problems) == 1 and "raise class_version to 2, write upcast_v1_v2" in problems[0]
    assert unrecorded_changes({"note_taken": NoteV2}, kept)[0].startswith(
        "note_taken: event_versions.json keeps versions ['1'], the class is at version 2")
    assert unrecorded_changes({"note_taken": NoteV2}, {"note_taken": {"1": NoteV1.field_types(),
                                                                       "2": NoteV2.field_types()}}) == []
    assert "bring the class back" in unrecorded_changes({}, kept)[0]


def test_stored_version_1_data_is_read_as_the_current_version():
    stored = NoteV1(text="Pelapor menelepon kantor.", actor=ACTOR).to_data()
    read = ev.read_event("note_taken", 1, stored, known=KNOWN)
    assert read == NoteV2(note="Pelapor menelepon kantor.", for_reporter=False, actor=ACTOR)
    assert stored == {"text": "Pelapor menelepon kantor.", "actor": ACTOR}, "the stored data is never rewritten"


def test_data_stored_as_the_current_version_is_read_as_it_is():
    stored = NoteV2(note="Catatan.", for_reporter=True, actor=ACTOR).to_data()
    assert ev.read_event("note_taken", 2, stored, known=KNOWN) == NoteV2(note="Catatan.", for_reporter=True,
                                                                         actor=ACTOR)


@pytest.mark.parametrize("version, data, words", [
    (2, {"note": "x", "for_reporter": False, "actor": ACTOR, "colour": "red"},
     "keys its class does not have: colour"),
    (2, {"note": "x", "actor": ACTOR}, "keys missing: for_reporter"),
    (1, {"text": "x", "actor": ACTOR, "urgent": True}, "keys its class does not have: urgent"),
    (3, {"note": "x", "for_reporter": False, "actor": ACTOR}, "only up to version 2"),
    (0, {"note": "x", "for_reporter": False, "actor": ACTOR}, "stored as version 0"),
])
def test_data_that_does_not_fit_its_class_is_refused_never_dropped_or_defaulted(version, data, words):
    with pytest.raises(ev.EventDoesNotFit) as refused:
        ev.read_event("note_taken", version, data, known=KNOWN)
    assert words in str(refused.value)


def test_a_missing_key_with_a_default_in_the_class_is_not_defaulted():
    attached = ev.EvidenceAttached(evidence_id="e1", upload_id="u1", sha256="ab" * 32, size=10,
                                   content_type="image/png", received_at=NOW.isoformat()).to_data()
    del attached["perceptual_hash"]
    with pytest.raises(ev.EventDoesNotFit, match="keys missing: perceptual_hash"):
        ev.read_event("evidence_attached", 1, attached)


def stored(event_type: str, data: dict, class_version: int = 1) -> StoredEvent:
    fields = {"stream_id": uuid.uuid4(), "version": 3, "event_id": uuid.uuid4(), "event_type": event_type,
              "class_version": class_version, "data": data, "metadata": {}, "recorded_at": NOW, "prev_hash": None}
    return StoredEvent(global_position=7, **fields, hash=event_hash(**fields))


def test_the_repository_names_the_stored_event_that_does_not_fit():
    row = stored("case_assigned", {"assignee_id": "a1", "assignee": "Anggota", "actor": ACTOR})
    with pytest.raises(UnreadableEvent) as refused:
        decode(row)
    message = str(refused.value)
    assert str(row.event_id) in message and f"stream {row.stream_id} version 3" in message
    assert "case_assigned v1" in message and "assignee" in message and "assignee_name" in message
    with pytest.raises(UnreadableEvent, match="no event class is called 'case_painted'"):
        decode(stored("case_painted", {"actor": ACTOR}))


def test_an_upcaster_that_meets_data_it_did_not_expect_is_named_too():
    with pytest.raises(UnreadableEvent, match="its upcasters failed: KeyError"):
        decode(stored("note_taken", {"note": "already renamed", "actor": ACTOR}), known=KNOWN)


def test_the_hash_of_a_version_1_event_is_what_it_was_before_versions_and_a_later_version_is_hashed():
    fields = {"stream_id": uuid.UUID(int=1), "version": 1, "event_id": uuid.UUID(int=2), "event_type": "case_closed",
              "data": {"note": None, "actor": ACTOR}, "metadata": {"status": "closed"}, "recorded_at": NOW,
              "prev_hash": None}
    # The formula before class versions existed, written out: every event stored then still verifies.
    content = {**fields, "stream_id": str(fields["stream_id"]), "event_id": str(fields["event_id"]),
               "recorded_at": "2026-11-24T03:00:00.000000+00:00"}
    before = hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"),
                                       ensure_ascii=False).encode()).hexdigest()
    assert event_hash(**fields) == event_hash(**fields, class_version=1) == before
    assert event_hash(**fields, class_version=2) != before


def test_the_case_refuses_an_event_it_has_no_rule_for():
    case = Case("case-1")
    with pytest.raises(UnknownEvent, match="NoteV2"):
        case._apply(NoteV2(note="x", for_reporter=False), NOW)
    assert case.version == 0
