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


def put(client: Minio, bucket: str, key: str, blob: bytes,
        retain_until: datetime | None = None) -> str | None:
    """Store bytes; returns the version id (buckets with object lock keep every version)."""
    retention = Retention(COMPLIANCE, retain_until) if retain_until else None
    result = client.put_object(bucket, key, io.BytesIO(blob), len(blob),
                               content_type="application/octet-stream", retention=retention)
    return result.version_id


def get(client: Minio, bucket: str, key: str, version_id: str | None = None) -> bytes:
    try:
        response = client.get_object(bucket, key, version_id=version_id)
    except S3Error as exc:
        if exc.code in ("NoSuchKey", "NoSuchVersion", "NoSuchBucket"):
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


def retention_mode(client: Minio, bucket: str, key: str, version_id: str | None) -> str | None:
    retention = client.get_object_retention(bucket, key, version_id=version_id)
    return retention.mode if retention else None
