"""Nothing unaccounted for is left behind (issue 10.4): evidence announces every put by an
intent, `netra-evidence verify` names every object version no record explains, and reconciling
removes what it can, saying until when a locked original must stay."""

from __future__ import annotations

import io
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from tests.support import complaints
from tests.support.evidence import (
    announce,
    evidence_id_for,
    in_quarantine,
    netra_evidence,
    outcomes,
    put_sealed,
    quarantine,
    s3,
)
from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually, stays

QUICK = {"NETRA_EVIDENCE_PUT_GRACE_SECONDS": "2"}


def evidence_command(stack, *args, **env):
    return netra_evidence(stack, *args, env={**stack.service_env("evidence"), **QUICK, **env})


def lines(done, prefix: str, about: str) -> list[str]:
    return [x for x in done.stdout.splitlines() if x.startswith(prefix) and about in x]


def versions(stack, bucket: str, key: str) -> list[str]:
    return [o.version_id for o in s3(stack, "admin").list_objects(bucket, prefix=key, include_version=True)
            if o.object_name == key and not o.is_delete_marker]


@pytest.fixture
def restore_evidence(stack):
    yield
    stack.restart_service("evidence")


def test_an_original_an_attempt_put_before_it_died_is_named_and_removed_once_its_lock_ends(
        stack, stack_db, restore_evidence):
    # Originals are locked for about 90 seconds here, so the test can see the lock end.
    short = {**QUICK, "NETRA_EVIDENCE_RETENTION_DAYS": "0.001"}
    pg = urlsplit(stack.settings.db_url)
    proxy = TcpProxy(pg.port or 5432, pg.hostname)
    try:
        stack.restart_service("evidence", {**short, "NETRA_DB_URL": stack.settings.db_url.replace(
            f"{pg.hostname}:{pg.port or 5432}", proxy.endpoint, 1)})
        silent = proxy.fall_silent_at(b"INSERT INTO evidence.items")
        filed = complaints.file(stack.settings.url("intake"), complaints.complaint(),
                                [("sebelum-mati.png", complaints.png(seed=1101))])
        assert filed.status_code == 201
        eventually(silent.sprung.is_set, timeout=60, message="evidence between its puts and its commit")
        stack.kill_service("evidence")  # a crash between the put and the commit
    finally:
        proxy.close()
    sha = filed.json()["screenshots"][0]["sha256"]
    with stack_db.connect() as conn:
        upload_id = conn.execute(text("SELECT upload_id::text FROM intake.screenshots WHERE sha256 = :s"),
                                 {"s": sha}).scalar_one()
    original = f"originals/{evidence_id_for(upload_id)}"
    (abandoned,) = versions(stack, "evidence", original)

    # The message comes again; this attempt commits, with a version of its own.
    stack.start_service("evidence", {**short, "NETRA_EVIDENCE_HOUSEKEEPING_SECONDS": "2"})
    stack.wait_healthy("evidence")
    eventually(lambda: _recorded_version(stack_db, original), timeout=60, message="the original recorded")
    assert _recorded_version(stack_db, original) != abandoned
    assert len(versions(stack, "evidence", original)) == 2

    found = evidence_command(stack, "verify")
    assert found.returncode == 1
    named = lines(found, "UNEXPLAINED", original)
    assert len(named) == 1 and abandoned in named[0] and "never committed" in named[0] and "locked until" in named[0]
    assert lines(found, "UNEXPLAINED", evidence_id_for(upload_id)) == named  # its copies are explained
    reconciled = evidence_command(stack, "reconcile")
    assert reconciled.returncode == 0, reconciled.stderr
    assert len(lines(reconciled, "LOCKED", original)) == 1 and abandoned in versions(stack, "evidence", original)

    # Once the lock ends, evidence's own housekeeping takes it away.
    eventually(lambda: abandoned not in versions(stack, "evidence", original), timeout=240,
               message="the abandoned original removed after its retention")
    assert lines(evidence_command(stack, "verify"), "UNEXPLAINED", evidence_id_for(upload_id)) == []
    assert versions(stack, "evidence", original) == [_recorded_version(stack_db, original)]


def _recorded_version(stack_db, key: str) -> str | None:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT version_id FROM evidence.stored_objects WHERE object_key = :k"),
                            {"k": key}).scalar()


def test_an_object_no_one_explains_is_named_and_removed_only_when_an_operator_asks(stack, restore_evidence):
    stack.restart_service("evidence", {**QUICK, "NETRA_EVIDENCE_HOUSEKEEPING_SECONDS": "1"})
    stray = f"sanitizeds/{uuid.uuid4()}"
    s3(stack, "evidence").put_object("derivatives", stray, io.BytesIO(b"tak dikenal"), 11)

    found = evidence_command(stack, "verify")
    assert found.returncode == 1
    assert lines(found, "UNEXPLAINED", stray) == [f"UNEXPLAINED derivatives/{stray}: no record explains it"]
    cautious = evidence_command(stack, "reconcile")
    assert len(lines(cautious, "LEFT", stray)) == 1
    # Rounds of evidence's own housekeeping go by: it removes only what its own attempts put.
    stays(lambda: len(versions(stack, "derivatives", stray)) == 1, duration=4)

    asked = evidence_command(stack, "reconcile", "--all")
    assert lines(asked, "removed", stray) == [f"removed derivatives/{stray}: no record explains it"]
    assert versions(stack, "derivatives", stray) == []
    assert lines(evidence_command(stack, "verify"), "UNEXPLAINED", stray) == []


def test_a_raw_upload_left_in_quarantine_after_its_outcome_is_named_and_removed(stack, stack_db, bus_publisher):
    complaint_id, shots = quarantine(stack, {"photo": ("foto.png", complaints.png(seed=1102))})
    announce(bus_publisher, complaint_id, shots)
    eventually(lambda: outcomes(stack_db, shots)["photo"] == "stored", message="the photo stored")
    eventually(lambda: not in_quarantine(stack, shots["photo"]["object_key"]), message="the first removal")
    put_sealed(stack, shots["photo"]["object_key"], complaints.png(seed=1102))  # as if that removal failed

    key = shots["photo"]["object_key"]
    found = evidence_command(stack, "verify", NETRA_EVIDENCE_PUT_GRACE_SECONDS="0")
    assert lines(found, "UNEXPLAINED", key) == [f"UNEXPLAINED quarantine/{key}: outcome recorded, still in quarantine"]
    done = evidence_command(stack, "reconcile", NETRA_EVIDENCE_PUT_GRACE_SECONDS="0")
    assert len(lines(done, "removed", key)) == 1 and not in_quarantine(stack, key)
