"""The chain of custody on the running system: hostile files stopped, originals encrypted
under retention, clean copies for viewing, grants, the custody log, verify and rotation."""

from __future__ import annotations

import base64
import hashlib
import io
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests
from minio.error import S3Error
from PIL import Image
from sqlalchemy import text

from netra_common.contracts import grants
from services.evidence.adapters import crypto
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for
from tests.support.evidence import (
    evidence_id_for,
    in_quarantine,
    netra_evidence,
    outcomes,
    quarantine_and_announce,
    s3,
)
from tests.support.hostile_files import CORPUS, jpeg, photo_with_gps, with_xmp
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def corpus_outcome(stack, stack_db, bus_publisher):
    files = {name: (filename, data) for name, (filename, data, _) in CORPUS.items()}
    shots = quarantine_and_announce(stack, bus_publisher, files)
    result = eventually(lambda: (o := outcomes(stack_db, shots)) and all(o.values()) and o,
                        timeout=60, message="an outcome for every file of the corpus")
    return shots, result


def test_every_hostile_file_is_rejected_with_its_reason_and_the_real_images_are_kept(corpus_outcome):
    _, result = corpus_outcome
    expected = {name: (reason or "stored") for name, (_, _, reason) in CORPUS.items()}
    assert result == expected


def test_nothing_hostile_reaches_the_evidence_bucket_and_quarantine_is_emptied(stack, stack_db,
                                                                               corpus_outcome):
    shots, result = corpus_outcome
    admin = s3(stack, "admin")
    kept = {o.object_name for o in admin.list_objects("evidence", prefix="originals/", recursive=True)}
    copies = {o.object_name for o in admin.list_objects("derivatives", recursive=True)}
    with stack_db.connect() as conn:
        stored_ids = {str(r.upload_id): str(r.evidence_id) for r in conn.execute(
            text("SELECT upload_id, evidence_id FROM evidence.items"))}
    for name, shot in shots.items():
        evidence_id, stored = evidence_id_for(shot["upload_id"]), result[name] == "stored"
        assert (f"originals/{evidence_id}" in kept) is stored, name
        assert (f"sanitizeds/{evidence_id}" in copies) is stored, name
        assert (f"thumbnails/{evidence_id}" in copies) is stored, name
        if stored:
            assert stored_ids[shot["upload_id"]] == evidence_id
    # The removal follows the commit, so it may trail the outcome a little.
    eventually(lambda: not any(in_quarantine(stack, s["object_key"]) for s in shots.values()),
               message="quarantine emptied of the corpus")


@pytest.fixture(scope="module")
def filed_photo(stack, stack_db):
    """A phone photo with GPS in its EXIF and an XMP author, filed through intake."""
    photo = with_xmp(photo_with_gps())
    response = complaints.file(stack.settings.url("intake"), complaints.complaint(),
                               [("foto.jpg", photo)])
    assert response.status_code == 201
    sha = hashlib.sha256(photo).hexdigest()

    def stored():
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT evidence_id, complaint_id FROM evidence.items "
                                     "WHERE sha256 = :s"), {"s": sha}).first()

    row = eventually(stored, message="the photo in custody")
    return {"photo": photo, "sha": sha, "evidence_id": str(row.evidence_id),
            "complaint_id": str(row.complaint_id), **response.json()}


def test_the_stored_original_is_ciphertext_that_decrypts_to_exactly_what_was_sent(stack, stack_db,
                                                                                   filed_photo):
    with stack_db.connect() as conn:
        record = conn.execute(text("SELECT * FROM evidence.stored_objects WHERE evidence_id = :e "
                                   "AND copy = 'original'"), {"e": filed_photo["evidence_id"]}).one()
    blob = s3(stack, "admin").get_object("evidence", record.object_key, version_id=record.version_id).read()
    assert blob != filed_photo["photo"] and filed_photo["photo"][:64] not in blob
    keys = stack.secrets["evidence_master_keys"]
    ring = crypto.Keyring.parse(",".join(f"{k}:{v}" for k, v in keys.items()),
                                stack.secrets["evidence_active_key_id"])
    with stack_db.connect() as conn:
        received_at = conn.execute(text("SELECT received_at FROM evidence.items WHERE evidence_id = :e"),
                                   {"e": filed_photo["evidence_id"]}).scalar_one()
    assert record.aad_version == 2  # bound to its complaint and time of receipt too
    aad = crypto.associated_data(2, evidence_id=filed_photo["evidence_id"], copy="original",
                                 sha256=record.plain_sha256, size=record.plain_size,
                                 complaint_id=filed_photo["complaint_id"], received_at=received_at)
    plain = crypto.open_sealed(ring, record.key_id, bytes(record.wrapped_key), blob, aad)
    assert hashlib.sha256(plain).hexdigest() == filed_photo["sha"]


def test_the_original_is_kept_under_compliance_retention(stack, stack_db, filed_photo):
    with stack_db.connect() as conn:
        record = conn.execute(text("SELECT * FROM evidence.stored_objects WHERE evidence_id = :e "
                                   "AND copy = 'original'"), {"e": filed_photo["evidence_id"]}).one()
    admin = s3(stack, "admin")
    retention = admin.get_object_retention("evidence", record.object_key, version_id=record.version_id)
    assert retention.mode == "COMPLIANCE" and retention.retain_until_date > datetime.now(UTC)
    # The same identity may delete a version that has no retention in the same bucket, so
    # the refusal below is the lock's and not a missing permission.
    scratch = admin.put_object("evidence", f"scratch/{uuid.uuid4()}", io.BytesIO(b"x"), 1)
    admin.remove_object("evidence", scratch.object_name, version_id=scratch.version_id)
    with pytest.raises(S3Error, match="NoSuch"):
        admin.stat_object("evidence", scratch.object_name, version_id=scratch.version_id)
    with pytest.raises(S3Error) as refused:
        admin.remove_object("evidence", record.object_key, version_id=record.version_id)
    assert refused.value.code == "AccessDenied"  # what SeaweedFS answers for a locked version
    kept = admin.stat_object("evidence", record.object_key, version_id=record.version_id)
    assert kept.version_id == record.version_id


def grant_for(ketua, stack, case_id: str, evidence_id: str, copy: str = "sanitized"):
    return ketua.post(f"/api/v1/cases/{case_id}/evidence/{evidence_id}/grants",
                      {"copy": copy, "purpose": "memverifikasi keaslian unggahan"})


def view(stack, evidence_id: str, copy: str, token: str) -> requests.Response:
    return requests.get(f"{stack.settings.url('evidence')}/api/v1/evidence/{evidence_id}/{copy}",
                        headers={"Authorization": f"Grant {token}"}, timeout=30)


def test_a_team_member_with_a_grant_sees_a_clean_copy_and_the_view_is_logged(stack, stack_db, ketua,
                                                                            filed_photo):
    case_id = case_id_for(filed_photo["complaint_id"])
    seen = eventually(lambda: (c := ketua.get(f"/api/v1/cases/{case_id}").json()) and any(
        e["evidence_id"] == filed_photo["evidence_id"] for e in c.get("evidence", [])) and c,
        message="the evidence on the case")
    granted = grant_for(ketua, stack, case_id, filed_photo["evidence_id"])
    assert granted.status_code == 200, granted.text
    shown = view(stack, filed_photo["evidence_id"], "sanitized", granted.json()["grant"])
    assert shown.status_code == 200 and shown.headers["Content-Type"] == "image/webp"
    assert shown.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(shown.content))
    assert not image.getexif()
    for marker in (b"Exif", b"GPS", b"Rahmat", b"PhoneMaker", b"xmpmeta"):
        assert marker not in shown.content

    with stack_db.connect() as conn:
        logged = conn.execute(text("SELECT * FROM evidence.custody_log WHERE evidence_id = :e"),
                              {"e": filed_photo["evidence_id"]}).all()
    assert [(r.copy, str(r.member_id), r.purpose) for r in logged] == [
        ("sanitized", ketua.user["user_id"], "memverifikasi keaslian unggahan")]
    after = eventually(lambda: (c := ketua.get(f"/api/v1/cases/{case_id}").json()) and c["access_log"] and c,
                       message="the view in the case's access log")
    assert [(v["type"], v["copy"], v["viewer"]["id"], v["purpose"]) for v in after["access_log"]] == [
        ("evidence_viewed", "sanitized", ketua.user["user_id"], "memverifikasi keaslian unggahan")]
    # A view is no change: the timeline shows none, and a command decided on the case as the
    # member saw it before looking is still decided on the same case.
    assert "evidence_viewed" not in [t["type"] for t in after["timeline"]]
    assert [t["type"] for t in after["timeline"]] == [t["type"] for t in seen["timeline"]]
    assigned = ketua.command(case_id, "assign", seen["version"], assignee_id=ketua.user["user_id"])
    assert assigned.status_code == 200, assigned.text


def test_grants_that_are_expired_forged_or_for_another_object_are_refused(stack, stack_db, filed_photo):
    evidence_id = filed_photo["evidence_id"]
    signing = stack.secrets["grant_signing_key"]
    member = str(uuid.uuid4())

    def make(key=signing, target=evidence_id, ttl=300, copy="sanitized", role="anggota", now=None):
        return grants.issue(key, evidence_id=target, copy=copy, member_id=member,
                            member_role=role, purpose="percobaan", ttl_seconds=ttl, now=now)[0]

    from nacl.signing import SigningKey
    forged_key = base64.b64encode(bytes(SigningKey.generate())).decode()
    refused = {
        "expired": view(stack, evidence_id, "sanitized", make(ttl=-1)),
        "forged": view(stack, evidence_id, "sanitized", make(key=forged_key)),
        "another object": view(stack, evidence_id, "sanitized", make(target=str(uuid.uuid4()))),
        "another copy": view(stack, evidence_id, "original", make()),
        # signed by casework's own key, and still not honoured by evidence:
        "valid for a day": view(stack, evidence_id, "sanitized", make(ttl=86_400)),
        "issued for later": view(stack, evidence_id, "sanitized", make(now=time.time() + 7200)),
        "an original for an anggota": view(stack, evidence_id, "original", make(copy="original")),
        "no grant": requests.get(f"{stack.settings.url('evidence')}/api/v1/evidence/{evidence_id}/sanitized",
                                 timeout=10),
    }
    assert {name: r.status_code for name, r in refused.items()} == {name: 403 for name in refused}
    assert refused["an original for an anggota"].json()["error"]["details"]["reason"] == \
        "this role may not see originals"
    with stack_db.connect() as conn:
        views = conn.execute(text("SELECT count(*) FROM evidence.custody_log WHERE member_id = :m"),
                             {"m": member}).scalar_one()
    assert views == 0
    assert view(stack, evidence_id, "sanitized", make()).status_code == 200


def test_only_roles_that_need_it_may_see_the_original(stack, ketua, filed_photo):
    case_id = case_id_for(filed_photo["complaint_id"])
    anggota = enrol(stack, "anggota.uji", "anggota")
    refused = anggota.post(f"/api/v1/cases/{case_id}/evidence/{filed_photo['evidence_id']}/grants",
                           {"copy": "original", "purpose": "ingin melihat berkas asli"})
    assert refused.status_code == 403
    allowed = grant_for(ketua, stack, case_id, filed_photo["evidence_id"], "original")
    shown = view(stack, filed_photo["evidence_id"], "original", allowed.json()["grant"])
    assert shown.status_code == 200
    assert hashlib.sha256(shown.content).hexdigest() == filed_photo["sha"]


def verify_problems(stack) -> set[str]:
    found = netra_evidence(stack, "verify")
    assert found.returncode in (0, 1), found.stderr
    return {line.split(" ", 1)[1] for line in found.stdout.splitlines() if line.startswith("PROBLEM")}


CHANGES = {  # an edit behind evidence's back, and the one that puts it back
    "moved onto another complaint": (
        "UPDATE evidence.items SET complaint_id = gen_random_uuid() WHERE evidence_id = :e",
        "UPDATE evidence.items SET complaint_id = :was WHERE evidence_id = :e"),
    "back-dated": (
        "UPDATE evidence.items SET received_at = received_at - interval '3 days' WHERE evidence_id = :e",
        "UPDATE evidence.items SET received_at = received_at + interval '3 days' WHERE evidence_id = :e"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_record_moved_or_back_dated_is_caught_by_verify(stack, stack_db, filed_photo, change):
    evidence_id, (edit, undo) = filed_photo["evidence_id"], CHANGES[change]
    with stack_db.begin() as conn:
        conn.execute(text(edit), {"e": evidence_id})
    try:
        assert verify_problems(stack) == {f"{evidence_id} {copy}: record_tampered"
                                          for copy in ("original", "sanitized", "thumbnail")}
    finally:
        with stack_db.begin() as conn:
            conn.execute(text(undo), {"e": evidence_id, "was": filed_photo["complaint_id"]})
    assert verify_problems(stack) == set()


def test_an_original_no_longer_under_retention_is_caught_by_verify(stack, stack_db, filed_photo):
    """The same ciphertext, written again without retention and the record pointed at it:
    it decrypts and hashes fine, but nothing keeps it from being deleted."""
    evidence_id = filed_photo["evidence_id"]
    with stack_db.connect() as conn:
        record = conn.execute(text("SELECT * FROM evidence.stored_objects WHERE evidence_id = :e "
                                   "AND copy = 'original'"), {"e": evidence_id}).one()
    evidence_key = s3(stack, "evidence")
    blob = evidence_key.get_object("evidence", record.object_key, version_id=record.version_id).read()
    loose = evidence_key.put_object("evidence", record.object_key, io.BytesIO(blob), len(blob))
    with stack_db.begin() as conn:
        conn.execute(text("UPDATE evidence.stored_objects SET version_id = :v WHERE evidence_id = :e "
                          "AND copy = 'original'"), {"v": loose.version_id, "e": evidence_id})
    try:
        assert verify_problems(stack) == {f"{evidence_id} original: not_retained"}
    finally:
        with stack_db.begin() as conn:
            conn.execute(text("UPDATE evidence.stored_objects SET version_id = :v WHERE "
                              "evidence_id = :e AND copy = 'original'"),
                         {"v": record.version_id, "e": evidence_id})
        evidence_key.remove_object("evidence", record.object_key, version_id=loose.version_id)
    assert verify_problems(stack) == set()


def test_verify_passes_and_rotation_rewraps_keys_without_touching_content(stack, stack_db, filed_photo):
    intact = netra_evidence(stack, "verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "all intact" in intact.stdout and "verifying:" in intact.stderr

    with stack_db.connect() as conn:
        before = conn.execute(text("SELECT object_key, version_id, key_id FROM evidence.stored_objects "
                                   "ORDER BY evidence_id, copy")).all()
    stack.secrets["evidence_master_keys"]["k2"] = crypto.Keyring.new_key()
    stack.secrets["evidence_active_key_id"] = "k2"
    rotated = netra_evidence(stack, "rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    with stack_db.connect() as conn:
        after = conn.execute(text("SELECT object_key, version_id, key_id FROM evidence.stored_objects "
                                  "ORDER BY evidence_id, copy")).all()
    assert {r.key_id for r in after} == {"k2"}
    assert [(r.object_key, r.version_id) for r in after] == [(r.object_key, r.version_id) for r in before]
    stack.restart_service("evidence")
    assert netra_evidence(stack, "verify").returncode == 0


def test_tampering_with_an_object_or_its_record_is_caught_by_verify(stack, stack_db, filed_photo):
    evidence_id = filed_photo["evidence_id"]
    with stack_db.connect() as conn:
        thumb = conn.execute(text("SELECT * FROM evidence.stored_objects WHERE evidence_id = :e "
                                  "AND copy = 'thumbnail'"), {"e": evidence_id}).one()
        original = conn.execute(text("SELECT * FROM evidence.stored_objects WHERE evidence_id = :e "
                                     "AND copy = 'original'"), {"e": evidence_id}).one()
    evidence_key = s3(stack, "evidence")
    thumb_blob = evidence_key.get_object(thumb.bucket, thumb.object_key).read()
    garbled = thumb_blob[:-10] + bytes(10)
    evidence_key.put_object(thumb.bucket, thumb.object_key, io.BytesIO(garbled), len(garbled))
    with stack_db.begin() as conn:
        conn.execute(text("UPDATE evidence.items SET sha256 = :s WHERE evidence_id = :e"),
                     {"s": "0" * 64, "e": evidence_id})
    evidence_key.remove_object("derivatives", f"sanitizeds/{evidence_id}")
    evidence_key.put_object("evidence", original.object_key, io.BytesIO(b"forgery"), 7)

    found = netra_evidence(stack, "verify")
    assert found.returncode == 1
    problems = {line.split(" ", 1)[1] for line in found.stdout.splitlines() if line.startswith("PROBLEM")}
    assert problems == {f"{evidence_id} thumbnail: content_tampered",
                        f"{evidence_id} original: record_tampered",
                        f"{evidence_id} sanitized: missing"}

    # Put the record and the copies back: only the overwritten original stays reported, as
    # "replaced" (its locked version is intact, but something was written over it).
    with stack_db.begin() as conn:
        conn.execute(text("UPDATE evidence.items SET sha256 = :s WHERE evidence_id = :e"),
                     {"s": filed_photo["sha"], "e": evidence_id})
    evidence_key.put_object(thumb.bucket, thumb.object_key, io.BytesIO(thumb_blob), len(thumb_blob))
    found = netra_evidence(stack, "verify")
    problems = {line.split(" ", 1)[1] for line in found.stdout.splitlines() if line.startswith("PROBLEM")}
    assert f"{evidence_id} original: replaced" in problems


def test_the_reporter_reads_why_a_screenshot_was_rejected(stack):
    intake = stack.settings.url("intake")
    broken = jpeg(seed=31)[:3000]  # a JPEG cut off mid-way: intake's first look lets it through
    filed = complaints.file(intake, complaints.complaint(), [("terpotong.jpg", broken)])
    assert filed.status_code == 201, filed.text
    receipt = filed.json()

    def rejected():
        page = complaints.status(intake, receipt["tracking_code"], receipt["receipt"]).json()
        return page["screenshots"][0] if page["screenshots"][0]["state"] == "rejected" else None

    shot = eventually(rejected, message="the rejection on the status page")
    assert shot["reason_code"] == "corrupt"
    assert shot["reason"] == "Gambar rusak atau terpotong; kirim ulang tangkapan layarnya."
