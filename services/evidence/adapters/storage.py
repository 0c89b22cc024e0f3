"""The buckets evidence owns: encrypted originals under retention, encrypted derivatives."""

from __future__ import annotations

import io
from datetime import datetime

from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention


class ObjectMissing(Exception):
    pass


OBJECT_GONE = ("NoSuchKey", "NoSuchVersion")
NO_RETENTION = ("NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError",
                "NoSuchRetention", "InvalidRequest")


def put(client: Minio, bucket: str, key: str, blob: bytes,
        retain_until: datetime | None = None) -> str | None:
    """Store bytes; returns the version id (buckets with object lock keep every version)."""
    retention = Retention(COMPLIANCE, retain_until) if retain_until else None
    result = client.put_object(bucket, key, io.BytesIO(blob), len(blob),
                               content_type="application/octet-stream", retention=retention)
    return result.version_id


def get(client: Minio, bucket: str, key: str, version_id: str | None = None,
        missing: tuple[str, ...] = (*OBJECT_GONE, "NoSuchBucket")) -> bytes:
    """The object's bytes; ObjectMissing for the S3 error codes in `missing`."""
    try:
        response = client.get_object(bucket, key, version_id=version_id)
    except S3Error as exc:
        if exc.code in missing:
            raise ObjectMissing(f"{bucket}/{key}") from None
        raise
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def latest_version(client: Minio, bucket: str, key: str) -> str | None:
    try:
        return client.stat_object(bucket, key).version_id
    except S3Error as exc:
        if exc.code in ("NoSuchKey", "NoSuchVersion"):
            return None
        raise


def get_upload(client: Minio, bucket: str, key: str) -> bytes:
    """A quarantined upload; ObjectMissing only when that object is gone (a missing bucket
    is a fault to retry, not a verdict on the upload)."""
    return get(client, bucket, key, missing=OBJECT_GONE)


def retention(client: Minio, bucket: str, key: str,
              version_id: str | None) -> tuple[str | None, datetime | None]:
    """(mode, retain-until) of one object version, (None, None) when it has no retention."""
    try:
        found = client.get_object_retention(bucket, key, version_id=version_id)
    except S3Error as exc:
        if exc.code in NO_RETENTION:
            return None, None
        raise
    return (found.mode, found.retain_until_date) if found else (None, None)


# --- retention (issue 18): locks only ever extended, holds, and deleting every version ---------


def extend_retention(client: Minio, bucket: str, key: str, version_id: str | None,
                     until: datetime) -> datetime | None:
    """Lock the version in COMPLIANCE mode until `until`, unless it is already locked that long;
    returns the new date, or None when nothing had to change. Never shortens a lock."""
    mode, current = retention(client, bucket, key, version_id)
    if mode == "COMPLIANCE" and current is not None and current >= until:
        return None
    client.set_object_retention(bucket, key, Retention(COMPLIANCE, until), version_id=version_id)
    return until


def set_legal_hold(client: Minio, bucket: str, key: str, version_id: str | None, on: bool) -> bool:
    """Set or release the version's legal hold; returns whether the store now reports it as asked."""
    if on:
        client.enable_object_legal_hold(bucket, key, version_id=version_id)
    else:
        client.disable_object_legal_hold(bucket, key, version_id=version_id)
    return legal_hold(client, bucket, key, version_id) == on


def legal_hold(client: Minio, bucket: str, key: str, version_id: str | None) -> bool:
    try:
        return client.is_object_legal_hold_enabled(bucket, key, version_id=version_id)
    except S3Error as exc:
        if exc.code in (*NO_RETENTION, "NoSuchObjectLegalHold"):
            return False
        raise


def versions(client: Minio, bucket: str, key: str) -> list[str | None]:
    """Every version of the object (delete markers too) in the bucket, by version id."""
    return [entry.version_id for entry in client.list_objects(bucket, prefix=key, include_version=True)
            if entry.object_name == key]


def remove_every_version(client: Minio, bucket: str, key: str) -> tuple[int, list[tuple[str | None, str]]]:
    """Delete every version of the object: (how many went, [(version, why) for those still locked])."""
    removed, kept = 0, []
    for version_id in versions(client, bucket, key):
        try:
            client.remove_object(bucket, key, version_id=version_id)
            removed += 1
        except S3Error as exc:
            if exc.code in ("AccessDenied", "ObjectLocked", "InvalidRequest"):
                kept.append((version_id, exc.code))
                continue
            if exc.code in OBJECT_GONE:
                continue
            raise
    return removed, kept
