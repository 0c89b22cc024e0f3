"""evidence keeps a team member's screenshots on real PostgreSQL (its object store stood in for by a
recorder; docs/decisions/0025): under an upload grant for one case, all of a request or none, bound to
the case (found by case_id, no complaint), each with its custody entry naming the member; the same
grant answers the same files again without a second copy, and refuses other files."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import text

from netra_common.contracts import grants
from netra_common.contracts.screenshots import ScreenshotRefused
from services.evidence.adapters import crypto, records
from services.evidence.usecases.decrees import GrantAlreadyUsed
from services.evidence.usecases.team_uploads import keep_screenshots
from tests.integration.test_decree_custody import SIGNING_B64, VERIFY_B64, RecordingStore, evidence_db, settings
from tests.support import complaints

__all__ = ["evidence_db"]  # the fixture, used here
MEMBER = str(uuid.uuid4())


def upload_grant(case_id: str, copy: str = grants.SCREENSHOT_UPLOAD) -> str:
    return grants.issue(SIGNING_B64, evidence_id=str(uuid.uuid4()), copy=copy, member_id=MEMBER,
                        member_role="anggota", purpose="Unggah tangkapan layar oleh tim", ttl_seconds=120,
                        case_id=case_id)[0]


def test_a_requests_screenshots_are_kept_bound_to_the_case_with_custody_naming_the_member(evidence_db):
    store, config, case_id = RecordingStore(), settings(), str(uuid.uuid4())
    files = [("satu.png", complaints.png(seed=31)), ("dua.png", complaints.png(seed=32))]
    grant = upload_grant(case_id)
    kept = keep_screenshots(evidence_db, store, config, VERIFY_B64, grant, files)
    assert kept["case_id"] == case_id
    assert [s["sha256"] for s in kept["screenshots"]] == [hashlib.sha256(d).hexdigest() for _, d in files]
    with evidence_db.engine.connect() as conn:
        items = conn.execute(text("SELECT evidence_id, kind, complaint_id FROM evidence.items WHERE case_id = :c"),
                             {"c": case_id}).all()
        custody = conn.execute(text("SELECT action, member_id::text, copy FROM evidence.custody_log")).all()
        stored = records.stored_object(conn, uuid.UUID(kept["screenshots"][0]["evidence_id"]), "original")
    assert sorted((i.kind, i.complaint_id) for i in items) == [("screenshot", None)] * 2
    assert sorted(custody) == [("upload", MEMBER, "original")] * 2
    assert len(store.objects) == 6  # original, clean copy and thumbnail of each
    blob = store.objects[(stored.bucket, stored.object_key)][0]
    assert stored.aad_version == crypto.CASE_AAD_VERSION
    assert crypto.open_sealed(config.keyring, stored.key_id, stored.wrapped_key, blob,
                              records.associated_data(stored)) == files[0][1]
    # The same request again (a retry) answers what was kept; other files under that grant are refused.
    assert keep_screenshots(evidence_db, store, config, VERIFY_B64, grant, files) == kept
    assert len(store.objects) == 6
    with pytest.raises(GrantAlreadyUsed):
        keep_screenshots(evidence_db, store, config, VERIFY_B64, grant, [("tiga.png", complaints.png(seed=33))])


def test_one_refused_file_keeps_nothing_of_its_request_and_a_decree_grant_opens_nothing(evidence_db):
    store, config, case_id = RecordingStore(), settings(), str(uuid.uuid4())
    broken = complaints.png(seed=35)[:200]
    with pytest.raises(ScreenshotRefused) as refused:
        keep_screenshots(evidence_db, store, config, VERIFY_B64, upload_grant(case_id),
                         [("baik.png", complaints.png(seed=34)), ("rusak.png", broken)])
    assert (refused.value.code, refused.value.name, refused.value.index) == ("corrupt", "rusak.png", 1)
    with pytest.raises(grants.GrantRefused):
        keep_screenshots(evidence_db, store, config, VERIFY_B64, upload_grant(case_id, grants.DECREE_UPLOAD),
                         [("baik.png", complaints.png(seed=34))])
    with evidence_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence.items")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM evidence.custody_log")).scalar_one() == 0
    assert store.objects == {}
