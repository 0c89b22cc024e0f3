"""intake's filing against an in-memory store (tests/support/fake_intake.py): the Idempotency-Key
and rate-limit rules that live in the use case, in milliseconds and without PostgreSQL.
The same filing on real PostgreSQL: tests/e2e/test_public_api.py and test_filing_retries.py."""

from __future__ import annotations

import base64
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from netra_common import keystore
from netra_common.rate_limit import LimitPolicy
from services.intake.adapters.idempotency import Idempotent, KeyReused
from services.intake.adapters.signing import ProofSigner
from services.intake.domain.uploads import Upload
from services.intake.usecases import filing, lookups
from tests.support.fake_intake import FakeFilingStore

SALT = b"s" * 32
DAY = timedelta(days=1)
ONE_A_DAY = LimitPolicy(allowed=1, first_wait=timedelta(minutes=10), longest_wait=timedelta(hours=1),
                        window=DAY)
SIGNER = ProofSigner(base64.b64encode(os.urandom(32)).decode())


class FakeQuarantine:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> None:
        self.objects[key] = data

    def remove(self, key: str) -> None:
        self.objects.pop(key, None)


class FakeSealer:
    """Base64, as real boxes are (the case key wraps their bytes)."""

    def seal(self, identity: dict) -> str:
        return base64.b64encode(f"sealed:{sorted(identity)}".encode()).decode()

    def seal_contact(self, contact: dict) -> str:
        return base64.b64encode(b"sealed-contact").decode()


@pytest.fixture
def store() -> FakeFilingStore:
    return FakeFilingStore()


@pytest.fixture
def quarantine() -> FakeQuarantine:
    return FakeQuarantine()


def complaint(description: str = "Membagikan unggahan kampanye.") -> dict:
    return {"platform": "facebook", "account_handle": "budi.santoso", "description": description,
            "occurred_at": datetime(2024, 10, 1, 2, 30, tzinfo=UTC), "reporter": {"anonymous": True}}


def keyed(key: str, body: str) -> Idempotent:
    return Idempotent.derive(key, SALT, body.encode(), DAY)


def client_guard() -> lookups.Guard:
    return lookups.Guard(["client:203.0.113.7"], ONE_A_DAY)


def file(store, quarantine, body: str = "first", idempotent=None, limit=None) -> filing.Answer:
    door = filing.Door(store, quarantine, idempotent, limit)
    uploads = [Upload("bukti.png", f"png of {body}".encode(), "image/png")]
    return filing.file_complaint(door, FakeSealer(), SIGNER, complaint(body), uploads)


# --- the same Idempotency-Key ----------------------------------------------------------------


def test_a_replay_with_the_same_key_gives_the_original_answer_and_files_nothing_new(store, quarantine):
    key = str(uuid.uuid4())
    first = file(store, quarantine, idempotent=keyed(key, "first"))
    again = file(store, quarantine, idempotent=keyed(key, "first"))
    assert not first.replayed and again.replayed
    assert again.body == first.body  # the very same receipt, tracking code and proof
    assert len(store.complaints) == 1 and len(store.screenshots) == 1
    assert [event for event, _ in store.emitted] == ["complaint_submitted"]
    assert len(quarantine.objects) == 1, "the replay's own upload is taken out of quarantine again"
    assert not store.intents, "and its intent forgotten"


def test_a_replay_is_answered_before_anything_is_done_again(store, quarantine):
    key = str(uuid.uuid4())
    first = file(store, quarantine, idempotent=keyed(key, "first"))
    known = filing.known_answer(filing.Door(store, quarantine, keyed(key, "first")))
    assert known == filing.Answer(first.body, replayed=True)
    assert filing.known_answer(filing.Door(store, quarantine, keyed(str(uuid.uuid4()), "first"))) is None


def test_another_body_with_the_same_key_is_refused_and_files_nothing(store, quarantine):
    key = str(uuid.uuid4())
    file(store, quarantine, idempotent=keyed(key, "first"))
    with pytest.raises(KeyReused):
        filing.known_answer(filing.Door(store, quarantine, keyed(key, "second")))
    with pytest.raises(KeyReused):
        file(store, quarantine, body="second", idempotent=keyed(key, "second"))
    assert len(store.complaints) == 1 and len(store.emitted) == 1
    assert len(quarantine.objects) == 1 and not store.intents


def test_a_key_whose_day_is_over_files_anew(store, quarantine):
    key = str(uuid.uuid4())
    file(store, quarantine, idempotent=Idempotent.derive(key, SALT, b"first", -timedelta(seconds=1)))
    assert not file(store, quarantine, idempotent=keyed(key, "first")).replayed
    assert len(store.complaints) == 2


# --- the client's limit, counted inside the filing --------------------------------------------


def test_a_kept_filing_is_counted_and_the_next_one_waits(store, quarantine):
    file(store, quarantine, limit=client_guard())
    assert store.limits["client:203.0.113.7"].failures == 1
    with pytest.raises(lookups.RateLimited) as refused:
        file(store, quarantine, body="second", limit=client_guard())
    assert refused.value.retry_after > 0
    assert len(store.complaints) == 1 and len(store.emitted) == 1 and len(quarantine.objects) == 1


def test_a_filing_that_fails_before_its_commit_is_not_counted(store, quarantine):
    def refused() -> None:
        raise RuntimeError("the database refused the record")

    store.before_commit = refused
    with pytest.raises(RuntimeError):
        file(store, quarantine, limit=client_guard())
    assert store.locked_keys == ["client:203.0.113.7"], "the counter was taken inside the unit"
    assert not store.limits and not store.complaints and not store.emitted
    assert not quarantine.objects and not store.intents
    store.before_commit = None
    assert not file(store, quarantine, limit=client_guard()).replayed, "the client may still file"


def test_nothing_after_the_commit_turns_a_kept_filing_into_an_error(store, quarantine):
    store.commit_answer_lost = True
    answer = file(store, quarantine, limit=client_guard())
    assert not answer.replayed and answer.body["tracking_code"]
    assert store.units_committed == 1 and len(store.complaints) == 1
    assert store.limits["client:203.0.113.7"].failures == 1, "counted once, with the filing"
    assert len(quarantine.objects) == 1, "the kept filing keeps its screenshot"


def test_uploads_taken_back_before_the_commit_refuse_the_filing(store, quarantine):
    def abandoned_timer_came_first() -> None:
        store.intents.clear()

    store.intend_uploads = lambda keys, now: abandoned_timer_came_first()  # type: ignore[method-assign]
    with pytest.raises(filing.upload_intents.UploadsWithdrawn):
        file(store, quarantine, limit=client_guard())
    assert not store.complaints and not store.limits and not quarantine.objects


# --- the case key (docs/decisions/0037) -------------------------------------------------------


IDENTIFIED = {"anonymous": False, "name": "Rina", "email": "rina@example.net", "phone": "0811", "nik": "1",
              "consent_contact": True}


def file_identified(store, quarantine, idempotent=None) -> filing.Answer:
    door = filing.Door(store, quarantine, idempotent)
    return filing.file_complaint(door, FakeSealer(), SIGNER, {**complaint("identified"), "reporter": IDENTIFIED}, [])


def test_an_identified_filing_wraps_both_boxes_with_a_key_of_its_own_made_in_the_same_unit(store, quarantine):
    file_identified(store, quarantine)
    [(complaint_id, row)] = store.complaints.items()
    [(_, event)] = store.emitted
    reporter = event["reporter"]
    assert list(store.case_keys) == [complaint_id]
    key = store.case_keys[complaint_id]
    sealer = FakeSealer()
    identity = {k: IDENTIFIED[k] for k in ("name", "email", "phone", "nik")}
    for field, inner in (("sealed_identity", sealer.seal(identity)), ("sealed_contact", sealer.seal_contact({}))):
        assert keystore.wrapped_key_id(reporter[field]) == complaint_id
        data = base64.b64decode(reporter[field])
        assert base64.b64encode(keystore.unwrap(complaint_id, key, data)).decode() == inner
    assert row["sealed_identity"] == reporter["sealed_identity"]  # the row keeps the same wrapped box


def test_a_retried_filing_makes_no_second_key_and_answers_the_same(store, quarantine):
    key = str(uuid.uuid4())
    first = file_identified(store, quarantine, keyed(key, "identified"))
    again = file_identified(store, quarantine, keyed(key, "identified"))
    assert again.replayed and again.body == first.body
    assert len(store.case_keys) == 1 and len(store.complaints) == 1 and len(store.emitted) == 1


def test_a_failed_filing_leaves_no_key_behind(store, quarantine):
    store.before_commit = lambda: (_ for _ in ()).throw(RuntimeError("the database went away"))
    with pytest.raises(Exception):  # noqa: B017 - whatever the door makes of it, nothing stays
        file_identified(store, quarantine)
    assert store.case_keys == {} and store.complaints == {}


def test_an_anonymous_filing_has_no_key(store, quarantine):
    file(store, quarantine)
    assert store.case_keys == {}
