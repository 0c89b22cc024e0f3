"""Working with evidence behind intake's back, as the e2e tests do: S3 clients per identity,
the operator command, and complaints announced straight onto the bus."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import uuid
from datetime import UTC, datetime

from minio import Minio
from sqlalchemy import text

from netra_common.contracts import new_envelope
from netra_common.contracts.quarantine import Sealer
from netra_common.s3 import REGION

EVIDENCE_NAMESPACE = uuid.UUID("0f5f7c1e-8a53-4a2b-9d4e-6b1c3e2f9a70")


def evidence_id_for(upload_id: str) -> str:
    return str(uuid.uuid5(EVIDENCE_NAMESPACE, upload_id))


def s3(stack, identity: str) -> Minio:
    keys = stack.secrets["s3"][identity]
    return Minio(stack.settings.s3_endpoint, access_key=keys["access_key"],
                 secret_key=keys["secret_key"], secure=False, region=REGION)


def netra_evidence(stack, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.evidence.admin", *args],
                          env=env or stack.service_env("evidence"), capture_output=True, text=True,
                          timeout=120)


def sealed(stack, key: str, data: bytes) -> bytes:
    """The upload as intake puts it into quarantine: sealed to evidence's key, for that object."""
    return Sealer(stack.secrets["quarantine_public_key"]).seal(data, key)


def put_sealed(stack, key: str, data: bytes) -> None:
    blob = sealed(stack, key, data)
    s3(stack, "intake").put_object("quarantine", key, io.BytesIO(blob), len(blob))


def quarantine(stack, files: dict[str, tuple[str, bytes]], missing: tuple[str, ...] = (),
               hashes: dict[str, str] | None = None) -> tuple[uuid.UUID, dict]:
    """Do what intake does first: seal files into quarantine (all but those named in
    `missing`), noting the SHA-256 intake would have sent (or the one in `hashes`)."""
    complaint_id, shots = uuid.uuid4(), {}
    for name, (filename, data) in files.items():
        upload_id = uuid.uuid4()
        key = f"{complaint_id}/{upload_id}"
        if name not in missing:
            put_sealed(stack, key, data)
        sha = (hashes or {}).get(name, hashlib.sha256(data).hexdigest())
        shots[name] = {"upload_id": str(upload_id), "object_key": key, "content_type": "image/png",
                       "size": len(data), "filename": filename, "sha256": sha}
    return complaint_id, shots


def announce(bus_publisher, complaint_id: uuid.UUID, shots: dict, with_hashes: bool = True):
    """Publish the complaint_submitted intake would; returns the envelope (to deliver again)."""
    now = datetime.now(UTC).isoformat()
    envelope = new_envelope("complaint_submitted", {
        "complaint_id": str(complaint_id), "submitted_at": now,
        "reported": {"name": "Dedi Kurniawan"}, "platform": "facebook", "post_urls": [],
        "occurred_at": now, "violation_types": ["post_support"], "description": "Uji berkas bukti.",
        "screenshots": [s if with_hashes else {k: v for k, v in s.items() if k != "sha256"}
                        for s in shots.values()],
        "reporter": {"anonymous": True, "sealed_identity": None, "contact_consent": False},
    }, producer="tests")
    bus_publisher.publish_event(envelope.to_message())
    return envelope


def quarantine_and_announce(stack, bus_publisher, files: dict[str, tuple[str, bytes]], **options) -> dict:
    complaint_id, shots = quarantine(stack, files, **options)
    announce(bus_publisher, complaint_id, shots)
    return shots


def outcomes(stack_db, shots: dict) -> dict:
    """name: "stored", the rejection's reason code, or None while there is no outcome yet."""
    with stack_db.connect() as conn:
        rejected = dict(conn.execute(text(
            "SELECT upload_id::text, reason_code FROM evidence.rejections")).all())
        stored = set(conn.execute(text("SELECT upload_id::text FROM evidence.items")).scalars())
    return {name: ("stored" if s["upload_id"] in stored else rejected.get(s["upload_id"]))
            for name, s in shots.items()}


def in_quarantine(stack, key: str) -> bool:
    return bool(list(s3(stack, "admin").list_objects("quarantine", prefix=key)))
