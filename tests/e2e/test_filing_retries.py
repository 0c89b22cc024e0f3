"""A retry never files twice (issue 10.2): a client that sends its complaint or reply again with
the same Idempotency-Key gets the original answer, receipt included, and nothing is filed
twice, also when the database is lost between the commit and the answer."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import text

from services.intake.adapters.idempotency import Idempotent, salt_from
from tests.support import complaints
from tests.support.casework import complaint_id_of
from tests.support.evidence import s3
from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually


def new_key() -> str:
    return str(uuid.uuid4())


def marked(marker: str) -> dict:
    return complaints.complaint(description=f"Membagikan unggahan kampanye. Penanda {marker}.")


def filed_with(stack, key: str | None, document: dict, shots=None, **headers) -> requests.Response:
    if key is not None:
        headers["Idempotency-Key"] = key
    return complaints.file(stack.settings.url("intake"), document, shots, headers=headers)


def kept(stack_db, marker: str) -> int:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM intake.complaints WHERE document->>'description' LIKE :m"),
                            {"m": f"%{marker}%"}).scalar_one()


def submit_counter(stack, stack_db, address: str):
    """The filing counter intake keeps for a client address (an HMAC of it, as intake keys it)."""
    secret = stack.secrets["intake_client_key_secret"].encode()
    key = "submit:" + hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT failures FROM intake.rate_limits WHERE key = :k"), {"k": key}).scalar()


def test_the_same_key_twice_files_once_and_gives_the_same_answer(stack, stack_db):
    marker, key, address = uuid.uuid4().hex, new_key(), f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    shots = [("bukti.png", complaints.png(seed=1001))]
    first = filed_with(stack, key, marked(marker), shots, **{"X-Forwarded-For": address})
    again = filed_with(stack, key, marked(marker), shots, **{"X-Forwarded-For": address})
    assert first.status_code == again.status_code == 201, again.text
    assert again.text == first.text  # tracking code, receipt, proof: the very same document
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert again.headers["Cache-Control"] == "no-store"
    assert kept(stack_db, marker) == 1
    assert submit_counter(stack, stack_db, address) == 1  # counted with the filing, once
    answer = again.json()
    status = complaints.status(stack.settings.url("intake"), answer["tracking_code"], answer["receipt"])
    assert status.status_code == 200


def test_the_answer_kept_for_a_retry_holds_no_receipt_or_key_in_the_clear(stack, stack_db):
    key = new_key()
    answer = filed_with(stack, key, marked(uuid.uuid4().hex)).json()
    with stack_db.connect() as conn:
        rows = conn.execute(text("SELECT * FROM intake.idempotency_keys")).all()
    stored = b"".join(bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode()
                      for row in rows for v in row)
    for secret in (key, answer["receipt"], answer["tracking_code"]):
        assert secret.encode() not in stored


def test_the_same_key_with_another_request_is_refused_in_words(stack, stack_db):
    marker, key = uuid.uuid4().hex, new_key()
    assert filed_with(stack, key, marked(marker)).status_code == 201
    other = filed_with(stack, key, marked(marker + "-lain"))
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused" and "sudah dipakai untuk kiriman lain" in error["message"]
    english = filed_with(stack, key, marked(marker), [("lain.png", complaints.png(seed=1002))],
                         **{"Accept-Language": "en"})
    assert english.status_code == 422 and "already used for another request" in english.json()["error"]["message"]
    assert kept(stack_db, marker) == 1 and kept(stack_db, marker + "-lain") == 0


@pytest.mark.parametrize(("key", "status", "code"), [
    ("pendek-sekali", 400, "idempotency_key_invalid"), ("kunci dengan spasi " * 3, 400, "idempotency_key_invalid"),
    # These fit the document's pattern; a rule it cannot state refuses them (decision 0007).
    ("a" * 40, 422, "idempotency_key_predictable"), ("abcd" * 10, 422, "idempotency_key_predictable")])
def test_a_short_or_guessable_key_is_refused_and_nothing_is_filed(stack, stack_db, key, status, code):
    marker = uuid.uuid4().hex
    refused = filed_with(stack, key, marked(marker))
    assert refused.status_code == status
    assert refused.json()["error"]["code"] == code
    assert "Idempotency-Key" in refused.json()["error"]["message"]
    assert kept(stack_db, marker) == 0


def test_requests_sent_at_once_with_one_key_file_once(stack, stack_db):
    marker, key = uuid.uuid4().hex, new_key()
    shots = [("bersamaan.png", complaints.png(seed=1003))]
    before = quarantined(stack)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: filed_with(stack, key, marked(marker), shots), range(4)))
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    bodies = {a.text for a in answers if a.status_code == 201}
    assert len(bodies) == 1
    for busy in (a for a in answers if a.status_code == 409):
        assert busy.headers["Retry-After"].isdigit() and "masih diproses" in busy.json()["error"]["message"]
    assert kept(stack_db, marker) == 1
    # The uploads of the requests that lost are taken back out of quarantine.
    winner = complaint_id_of(stack_db, json.loads(bodies.pop())["tracking_code"])
    eventually(lambda: {n for n in quarantined(stack) - before if not n.startswith(winner)} == set(),
               timeout=30, message="no upload left from the requests that lost")


def quarantined(stack) -> set[str]:
    return {o.object_name for o in s3(stack, "admin").list_objects("quarantine", recursive=True)}


def test_a_reply_sent_again_with_its_key_is_sent_once(stack, stack_db):
    answer = filed_with(stack, new_key(), marked(uuid.uuid4().hex)).json()
    url = f"{stack.settings.url('intake')}/api/v1/complaints/{answer['tracking_code']}/messages"
    key, words = new_key(), f"Tambahan keterangan {uuid.uuid4().hex}."

    def reply(**extra):
        return requests.post(url, timeout=30, headers={"X-Receipt": answer["receipt"], "Idempotency-Key": key},
                             data={"message": words}, **extra)

    first, again = reply(), reply()
    assert first.status_code == again.status_code == 201, again.text
    assert again.text == first.text and again.headers["Idempotent-Replayed"] == "true"
    with stack_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM intake.messages WHERE body = :b"),
                            {"b": words}).scalar_one() == 1
    other = requests.post(url, timeout=30, headers={"X-Receipt": answer["receipt"], "Idempotency-Key": key},
                          data={"message": words + " Lain."})
    assert other.status_code == 422


# --- the database lost between the commit and the answer ---------------------------------


@pytest.fixture
def database_link(stack):
    """intake restarted to reach PostgreSQL through a proxy the test controls."""
    pg = urlsplit(stack.settings.db_url)
    proxy = TcpProxy(pg.port or 5432, pg.hostname)
    try:
        stack.restart_service("intake", {"NETRA_DB_URL": stack.settings.db_url.replace(
            f"{pg.hostname}:{pg.port or 5432}", proxy.endpoint, 1)})
        yield proxy
    finally:
        proxy.restore()
        stack.restart_service("intake")
        proxy.close()


def test_a_database_lost_between_the_commit_and_the_answer_gives_the_receipt_to_a_retry(stack, stack_db,
                                                                                      database_link):
    marker, key = uuid.uuid4().hex, new_key()
    shots = [("terputus.png", complaints.png(seed=1004))]
    trap = database_link.lose_commit_answer(b"INSERT INTO intake.complaints", then_cut=True)
    lost = filed_with(stack, key, marked(marker), shots)
    # The trap says so after its cut, which intake's 503 can overtake.
    eventually(trap.sprung.is_set, timeout=10, message="the lost answer to COMMIT")
    assert lost.status_code == 503 and lost.headers["Retry-After"].isdigit()
    error = lost.json()["error"]
    assert error["code"] == "outcome_unknown" and "Idempotency-Key yang sama" in error["message"]
    assert kept(stack_db, marker) == 1  # it was committed all the same

    database_link.restore()
    retried = eventually(lambda: (r := filed_with(stack, key, marked(marker), shots)).status_code == 201 and r,
                         timeout=60, message="the retry's answer")
    answer = retried.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert kept(stack_db, marker) == 1
    status = complaints.status(stack.settings.url("intake"), answer["tracking_code"], answer["receipt"])
    assert status.status_code == 200 and status.json()["screenshots"][0]["sha256"] == answer["screenshots"][0]["sha256"]


def test_a_lost_answer_to_commit_is_still_a_201_when_the_database_can_be_asked(stack, stack_db, database_link):
    marker = uuid.uuid4().hex
    trap = database_link.lose_commit_answer(b"INSERT INTO intake.complaints", then_cut=False)
    filed = filed_with(stack, None, marked(marker), [("sekali.png", complaints.png(seed=1005))])
    eventually(trap.sprung.is_set, timeout=10, message="the lost answer to COMMIT")
    assert filed.status_code == 201, filed.text  # kept, so never an error
    assert kept(stack_db, marker) == 1
    answer = filed.json()
    assert complaints.status(stack.settings.url("intake"), answer["tracking_code"],
                             answer["receipt"]).status_code == 200
    log = (stack.settings.log_dir / "intake.log").read_text(errors="replace")
    assert "filing.commit_answer_lost" in log and answer["receipt"] not in log


def test_kept_answers_are_forgotten_after_their_lifetime(stack, stack_db):
    stack.restart_service("intake", {"NETRA_IDEMPOTENCY_HOURS": "0.0005", "NETRA_RATE_LIMIT_PRUNE_SECONDS": "1"})
    try:
        marker, key = uuid.uuid4().hex, new_key()
        first = filed_with(stack, key, marked(marker))
        assert first.status_code == 201

        lookup = Idempotent.derive(key, salt_from(stack.secrets["intake_client_key_secret"].encode()), b"",
                                   timedelta(0)).lookup

        def rows() -> int:
            with stack_db.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM intake.idempotency_keys WHERE lookup = :l"),
                                    {"l": lookup}).scalar_one()

        assert rows() == 1
        eventually(lambda: rows() == 0, timeout=30, message="the kept answer pruned")
        again = filed_with(stack, key, marked(marker))
        assert again.status_code == 201 and json.loads(again.text)["tracking_code"] != first.json()["tracking_code"]
        assert kept(stack_db, marker) == 2  # a day later the key means nothing any more
    finally:
        stack.restart_service("intake")


# --- uploads whose filing never came -----------------------------------------------------


def test_an_upload_whose_filing_died_before_its_commit_leaves_quarantine_within_seconds(stack, stack_db,
                                                                                        database_link):
    marker = uuid.uuid4().hex
    before = quarantined(stack)
    silent = database_link.fall_silent_at(b"INSERT INTO intake.complaints")
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(filed_with, stack, None, marked(marker), [("yatim.png", complaints.png(seed=1006))])
        eventually(silent.sprung.is_set, timeout=30, message="the filing in the middle of its transaction")
        (orphan,) = quarantined(stack) - before
        stack.kill_service("intake")  # a crash between the put and the commit
        with pytest.raises(requests.ConnectionError):
            pending.result(timeout=30)
    with stack_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM intake.upload_intents WHERE object_key = :k"),
                            {"k": orphan}).scalar_one() == 1
    assert kept(stack_db, marker) == 0

    stack.start_service("intake", {"NETRA_UPLOAD_INTENT_SECONDS": "2", "NETRA_UPLOAD_INTENT_CHECK_SECONDS": "1"})
    stack.wait_healthy("intake")
    eventually(lambda: orphan not in quarantined(stack), timeout=30, message="the orphan removed")

    def intents_left() -> int:
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM intake.upload_intents WHERE object_key = :k"),
                                {"k": orphan}).scalar_one()

    # The object goes first and its intent with the commit that follows, a moment later.
    eventually(lambda: intents_left() == 0, timeout=10, message="the orphan's intent forgotten")
    assert "quarantine.abandoned_removed objects=1" in (stack.settings.log_dir / "intake.log").read_text()
