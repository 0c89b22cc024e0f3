"""Quarantine on the running system: raw uploads (EXIF, GPS) leave it once their outcome is
recorded, even when the first removal never happened; uploads still on their way stay; an
upload whose bytes are gone, or are not what intake received, is rejected with its reason."""

from __future__ import annotations

import io
import uuid

from sqlalchemy import text

from netra_common.bus import deadletters
from netra_common.contracts.quarantine import Sealer, new_key_pair
from tests.support import complaints
from tests.support.evidence import (
    announce,
    in_quarantine,
    netra_evidence,
    outcomes,
    put_sealed,
    quarantine,
    s3,
    sealed,
)
from tests.support.hostile_files import photo_with_gps
from tests.support.waiting import eventually

PHOTO = photo_with_gps()


def settled(stack_db, shots: dict, message: str) -> dict:
    return eventually(lambda: (o := outcomes(stack_db, shots)) and all(o.values()) and o,
                      timeout=60, message=message)


def put_back(stack, shot: dict, data: bytes, seal: bool = True) -> None:
    """As if the removal after the commit had failed, or the process had died before it."""
    if seal:
        put_sealed(stack, shot["object_key"], data)
    else:
        s3(stack, "intake").put_object("quarantine", shot["object_key"], io.BytesIO(data), len(data))


def test_a_delivery_again_removes_what_an_earlier_one_left_in_quarantine(stack, stack_db,
                                                                          bus_publisher):
    complaint_id, shots = quarantine(stack, {"photo": ("foto.jpg", PHOTO)})
    envelope = announce(bus_publisher, complaint_id, shots)
    assert settled(stack_db, shots, "the photo's outcome") == {"photo": "stored"}
    eventually(lambda: not in_quarantine(stack, shots["photo"]["object_key"]),
               message="the first removal")
    put_back(stack, shots["photo"], PHOTO)

    bus_publisher.publish_event(envelope.to_message())  # the same event, delivered again
    eventually(lambda: not in_quarantine(stack, shots["photo"]["object_key"]),
               message="the leftover removed on the repeated delivery")
    with stack_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence.items WHERE complaint_id = :c"),
                            {"c": complaint_id}).scalar_one() == 1


def test_the_sweep_removes_a_recorded_upload_at_once_and_keeps_an_unknown_one(stack, stack_db,
                                                                              bus_publisher):
    complaint_id, shots = quarantine(stack, {"photo": ("foto.jpg", PHOTO)})
    announce(bus_publisher, complaint_id, shots)
    settled(stack_db, shots, "the photo's outcome")
    eventually(lambda: not in_quarantine(stack, shots["photo"]["object_key"]),
               message="the first removal")
    put_back(stack, shots["photo"], PHOTO)
    unknown = f"{uuid.uuid4()}/{uuid.uuid4()}"  # its complaint may still be on its way
    s3(stack, "intake").put_object("quarantine", unknown, io.BytesIO(b"on its way"), 10)

    swept = netra_evidence(stack, "sweep")
    assert swept.returncode == 0, swept.stderr
    assert f"removed {shots['photo']['object_key']}" in swept.stdout
    assert not in_quarantine(stack, shots["photo"]["object_key"])
    assert in_quarantine(stack, unknown)


def test_a_short_grace_needs_force_and_then_removes_an_unclaimed_upload(stack):
    key = f"{uuid.uuid4()}/{uuid.uuid4()}"
    s3(stack, "intake").put_object("quarantine", key, io.BytesIO(b"orphan"), 6)
    refused = netra_evidence(stack, "sweep", "--grace-hours", "0")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert in_quarantine(stack, key)

    done = netra_evidence(stack, "sweep", "--grace-hours", "0", "--force")
    assert done.returncode == 0, done.stderr
    assert f"removed {key}" in done.stdout
    assert not in_quarantine(stack, key)


def test_an_upload_whose_bytes_are_gone_is_rejected_and_the_others_are_kept(stack, stack_db,
                                                                            bus_publisher):
    complaint_id, shots = quarantine(stack, {"gone": ("hilang.png", complaints.png(seed=40)),
                                             "photo": ("foto.jpg", PHOTO)}, missing=("gone",))
    announce(bus_publisher, complaint_id, shots)
    assert settled(stack_db, shots, "an outcome for both") == {"gone": "missing",
                                                               "photo": "stored"}
    with stack_db.connect() as conn:
        assert conn.execute(text("SELECT sha256 FROM evidence.rejections WHERE upload_id = :u"),
                            {"u": shots["gone"]["upload_id"]}).scalar_one() is None


def test_bytes_that_are_not_what_intake_received_are_rejected_and_logged(stack, stack_db,
                                                                         bus_publisher):
    swapped = complaints.png(seed=41)
    complaint_id, shots = quarantine(stack, {"swapped": ("layar.png", swapped),
                                             "photo": ("foto.jpg", PHOTO)},
                                     hashes={"swapped": "ab" * 32})
    announce(bus_publisher, complaint_id, shots)
    assert settled(stack_db, shots, "an outcome for both") == {"swapped": "hash_mismatch",
                                                               "photo": "stored"}
    log = (stack.settings.log_dir / "evidence.log").read_text(errors="replace")
    line = next(x for x in log.splitlines() if "evidence.hash_mismatch" in x
                and shots["swapped"]["upload_id"] in x)
    assert f"expected={'ab' * 32}" in line


def test_an_upload_announced_without_a_hash_is_still_taken(stack, stack_db, bus_publisher):
    complaint_id, shots = quarantine(stack, {"photo": ("foto.jpg", PHOTO)})
    announce(bus_publisher, complaint_id, shots, with_hashes=False)
    assert settled(stack_db, shots, "the photo's outcome") == {"photo": "stored"}


def test_the_reporter_is_told_when_a_screenshot_never_reached_evidence(stack, stack_db):
    intake, admin = stack.settings.url("intake"), s3(stack, "admin")
    stack.stop_service("evidence")
    try:
        before = quarantined(admin)
        filed = complaints.file(intake, complaints.complaint(), [("layar.png", complaints.png(seed=42))])
        assert filed.status_code == 201, filed.text
        receipt = filed.json()
        lost = quarantined(admin) - before
        assert len(lost) == 1
        admin.remove_object("quarantine", lost.pop())  # gone before evidence could take it
    finally:
        stack.start_service("evidence")
        stack.wait_healthy("evidence")

    def rejected():
        page = complaints.status(intake, receipt["tracking_code"], receipt["receipt"]).json()
        return page["screenshots"][0] if page["screenshots"][0]["state"] == "rejected" else None

    shot = eventually(rejected, timeout=60, message="the rejection on the status page")
    assert shot["reason_code"] == "missing"
    assert shot["reason"] == "Berkas tidak sampai ke pemeriksaan bukti; kirim ulang tangkapan layarnya."


def quarantined(admin) -> set[str]:
    return {o.object_name for o in admin.list_objects("quarantine", recursive=True)}


def test_an_upload_that_does_not_open_under_its_own_key_is_rejected(stack, stack_db, bus_publisher):
    """Sealed for another object (moved there by someone with intake's key), it is not what
    intake received for this one."""
    complaint_id, shots = quarantine(stack, {"moved": ("layar.png", complaints.png(seed=43)),
                                             "photo": ("foto.jpg", PHOTO)})
    elsewhere = sealed(stack, f"{uuid.uuid4()}/{uuid.uuid4()}", complaints.png(seed=43))
    s3(stack, "intake").put_object("quarantine", shots["moved"]["object_key"], io.BytesIO(elsewhere),
                                   len(elsewhere))
    announce(bus_publisher, complaint_id, shots)
    assert settled(stack_db, shots, "an outcome for both") == {"moved": "hash_mismatch", "photo": "stored"}
    log = (stack.settings.log_dir / "evidence.log").read_text(errors="replace")
    assert any("evidence.quarantine_does_not_open" in x and shots["moved"]["upload_id"] in x
               for x in log.splitlines())


def test_an_upload_put_there_before_sealing_began_is_still_taken(stack, stack_db, bus_publisher):
    complaint_id, shots = quarantine(stack, {"photo": ("foto.jpg", PHOTO)}, missing=("photo",))
    put_back(stack, shots["photo"], PHOTO, seal=False)
    announce(bus_publisher, complaint_id, shots)
    assert settled(stack_db, shots, "the photo's outcome") == {"photo": "stored"}


def test_an_upload_sealed_to_a_key_evidence_lacks_waits_for_that_key_and_is_never_rejected(
        stack, stack_db, bus_publisher):
    """A rotation done in the wrong order: intake already seals to a new key evidence does not
    hold yet. The upload is parked with the key named, and taken once the key is configured."""
    new_private, new_public = new_key_pair()
    complaint_id, shots = quarantine(stack, {"photo": ("foto.jpg", PHOTO)}, missing=("photo",))
    key = shots["photo"]["object_key"]
    blob = Sealer(new_public).seal(PHOTO, key)
    s3(stack, "intake").put_object("quarantine", key, io.BytesIO(blob), len(blob))
    envelope = announce(bus_publisher, complaint_id, shots)

    parked = eventually(lambda: [d for d in deadletters.list_dead(stack.bus, "evidence", "complaint_submitted")
                                 if d.event_id == str(envelope.event_id)], timeout=60, message="parked")
    assert f"quarantine key {Sealer(new_public).key_id.hex()} is not configured" in parked[0].reason
    assert outcomes(stack_db, shots) == {"photo": None}

    stack.restart_service("evidence", {"NETRA_QUARANTINE_PRIVATE_KEYS": ",".join(
        [new_private, stack.secrets["quarantine_private_key"]])})
    try:
        assert deadletters.replay(stack.bus, "evidence", "complaint_submitted", str(envelope.event_id)) == 1
        assert settled(stack_db, shots, "the photo's outcome") == {"photo": "stored"}
    finally:
        stack.restart_service("evidence")
