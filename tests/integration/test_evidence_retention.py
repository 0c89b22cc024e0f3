"""A case's retention on the local stack's real SeaweedFS (issue 18, decision 0033): evidence extends its
originals' COMPLIANCE locks to the case's keep-until and no one can shorten them, a legal hold keeps them
from deletion, `verify` names an original locked for less than its case needs, and a purge deletes every
version of every object of the case, keeps no hash, and records itself in custody once.

evidence's records are in a database of the test's own; the objects are the stack's, under evidence's own
S3 key, and every one is gone when the test ends (their locks last seconds)."""

from __future__ import annotations

import io
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention
from netra_stack import database
from netra_stack.settings import StackSettings
from sqlalchemy import create_engine, text

from netra_common.contracts.envelope import new_envelope
from netra_common.db import DatabaseHandle
from netra_common.migrate import upgrade
from netra_common.s3 import REGION
from services.evidence.adapters import records, storage
from services.evidence.adapters.tables import messaging
from services.evidence.settings import Settings
from services.evidence.usecases import integrity, retention

LOCK_SECONDS = 4


@pytest.fixture()
def evidence_db(tmp_path):
    settings = StackSettings.for_tests(tmp_path, database=f"netra_er_{uuid.uuid4().hex[:8]}")
    database.ensure_database(settings.pg_url, settings.database)
    upgrade("evidence", settings.db_url)
    engine = create_engine(settings.db_url, pool_size=2, max_overflow=0)
    yield DatabaseHandle(engine, messaging, producer="evidence", consumer="evidence.test")
    engine.dispose()
    database.drop_database(settings.pg_url, settings.database)


@pytest.fixture()
def s3(stack) -> Minio:
    keys = stack.secrets["s3"]["evidence"]
    return Minio(stack.settings.s3_endpoint, access_key=keys["access_key"], secret_key=keys["secret_key"],
                 secure=False, region=REGION)


def settings() -> Settings:
    return Settings(quarantine="quarantine", evidence="evidence", derivatives="derivatives", keyring=None,  # type: ignore[arg-type]
                    quarantine_keys=None, retention=timedelta(seconds=LOCK_SECONDS), grants=None,  # type: ignore[arg-type]
                    quarantine_grace=timedelta(days=1), image_slots=1, put_grace=timedelta(minutes=15))


def a_screenshot(db, s3: Minio, complaint_id: uuid.UUID, locked_until: datetime) -> uuid.UUID:
    """A screenshot kept as evidence keeps one: the original locked at receipt, a clean copy beside it."""
    evidence_id = uuid.uuid4()
    rows = []
    for copy, bucket, until in (("original", "evidence", locked_until), ("sanitized", "derivatives", None)):
        key = f"{copy}s/{evidence_id}"
        version = storage.put(s3, bucket, key, f"sealed bytes of {evidence_id} {copy}".encode(), until)
        rows.append({"evidence_id": evidence_id, "copy": copy, "bucket": bucket, "object_key": key,
                     "version_id": version, "plain_sha256": "a" * 64, "plain_size": 10, "content_type": "image/png",
                     "key_id": "k1", "wrapped_key": b"wrapped data key", "retain_until": until, "aad_version": 2})
    with db.unit_of_work() as uow:
        now = datetime.now(UTC)
        records.add_item(uow, {"evidence_id": evidence_id, "upload_id": uuid.uuid4(), "complaint_id": complaint_id,
                               "sha256": "a" * 64, "size": 10, "content_type": "image/png", "perceptual_hash": "f" * 16,
                               "received_at": now, "stored_at": now}, rows)
    return evidence_id


def retention_changed(case_id, complaint_id, keep_until: datetime, on_hold: bool, reason: str):
    return new_envelope("case_retention_changed", {
        "case_id": str(case_id), "complaint_id": str(complaint_id), "keep_until": keep_until.isoformat(),
        "on_hold": on_hold, "reason": reason, "changed_at": datetime.now(UTC).isoformat()}, producer="casework")


def purged(case_id, complaint_id):
    return new_envelope("case_purged", {"case_id": str(case_id), "complaint_id": str(complaint_id),
                                        "purged_at": datetime.now(UTC).isoformat()}, producer="casework")


def original(db, evidence_id):
    with db.read() as conn:
        return records.stored_object(conn, evidence_id, "original")


def actions(db, case_id) -> list[str]:
    with db.read() as conn:
        return [a.action for a in records.actions_of_case(conn, case_id)]


def test_a_decided_case_extends_its_locks_a_hold_keeps_them_and_the_purge_leaves_no_version(evidence_db, s3):
    case_id, complaint_id, config = uuid.uuid4(), uuid.uuid4(), settings()
    received_lock = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    evidence_id = a_screenshot(evidence_db, s3, complaint_id, received_lock)
    row = original(evidence_db, evidence_id)

    keep_until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=LOCK_SECONDS + 2)
    retention.follow_retention(evidence_db, s3, config, retention_changed(case_id, complaint_id, keep_until, False,
                                                                          "outcome"))
    assert storage.retention(s3, row.bucket, row.object_key, row.version_id) == ("COMPLIANCE", keep_until)
    assert original(evidence_db, evidence_id).retain_until == keep_until
    with evidence_db.read() as conn:  # a later screenshot of the complaint is locked as long at once
        assert records.keep_until_of_complaint(conn, complaint_id) == keep_until
    assert integrity.short_locks(evidence_db.engine, s3) == []
    # No one shortens a COMPLIANCE lock, evidence's own key included; nor deletes the version under it.
    with pytest.raises(S3Error):
        s3.set_object_retention(row.bucket, row.object_key, Retention(COMPLIANCE, received_lock),
                                version_id=row.version_id)
    with pytest.raises(S3Error):
        s3.remove_object(row.bucket, row.object_key, version_id=row.version_id)
    assert storage.retention(s3, row.bucket, row.object_key, row.version_id) == ("COMPLIANCE", keep_until)

    # The case needs longer than the store shows: verify says so (the announcement had not been applied).
    with evidence_db.engine.begin() as conn:
        conn.execute(text("UPDATE evidence.case_retention SET keep_until = keep_until + interval '1 day'"))
    assert [f.problem for f in integrity.short_locks(evidence_db.engine, s3)] == ["short_of_case"]
    with evidence_db.engine.begin() as conn:
        conn.execute(text("UPDATE evidence.case_retention SET keep_until = keep_until - interval '1 day'"))

    # On hold the original outlives its lock; a purge then is refused and deletes nothing.
    retention.follow_retention(evidence_db, s3, config, retention_changed(case_id, complaint_id, keep_until, True,
                                                                          "legal_hold"))
    assert storage.legal_hold(s3, row.bucket, row.object_key, row.version_id)
    time.sleep(max(0.0, (keep_until - datetime.now(UTC)).total_seconds()) + 1)
    with pytest.raises(S3Error):
        s3.remove_object(row.bucket, row.object_key, version_id=row.version_id)
    with pytest.raises(RuntimeError):
        retention.purge_case(evidence_db, s3, config, purged(case_id, complaint_id))
    assert storage.versions(s3, row.bucket, row.object_key) == [row.version_id]

    retention.follow_retention(evidence_db, s3, config, retention_changed(case_id, complaint_id, keep_until, False,
                                                                          "hold_lifted"))
    assert not storage.legal_hold(s3, row.bucket, row.object_key, row.version_id)
    s3.put_object(row.bucket, row.object_key, *_bytes(b"a later version of the same key"))  # every version goes
    assert len(storage.versions(s3, row.bucket, row.object_key)) == 2

    done = retention.purge_case(evidence_db, s3, config, purged(case_id, complaint_id))
    assert (done.items, done.versions_removed, done.left_locked) == (1, 3, 0)
    for bucket, key in (("evidence", f"originals/{evidence_id}"), ("derivatives", f"sanitizeds/{evidence_id}")):
        assert storage.versions(s3, bucket, key) == []
    with evidence_db.read() as conn:
        item = conn.execute(text("SELECT sha256, perceptual_hash, purged_at FROM evidence.items")).one()
        assert (item.sha256, item.perceptual_hash) == (None, None) and item.purged_at is not None
        assert conn.execute(text("SELECT count(*) FROM evidence.stored_objects")).scalar_one() == 0
    assert actions(evidence_db, case_id) == ["lock_extended", "legal_hold_set", "legal_hold_released", "purged"]

    again = retention.purge_case(evidence_db, s3, config, purged(case_id, complaint_id))
    assert (again.items, again.versions_removed) == (1, 0)
    assert actions(evidence_db, case_id)[-1] == "purged" and len(actions(evidence_db, case_id)) == 4
    assert integrity.short_locks(evidence_db.engine, s3) == []


def _bytes(data: bytes):
    return io.BytesIO(data), len(data)
