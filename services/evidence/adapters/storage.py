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
