"""The quarantine bucket: raw uploads wait here, unread by anyone but evidence."""

from __future__ import annotations

import io
from uuid import UUID

from minio import Minio


def object_key(complaint_id: UUID, upload_id: UUID) -> str:
    return f"{complaint_id}/{upload_id}"


def put_upload(client: Minio, bucket: str, key: str, data: bytes, content_type: str) -> None:
    client.put_object(bucket, key, io.BytesIO(data), len(data), content_type=content_type)


def remove_upload(client: Minio, bucket: str, key: str) -> None:
    client.remove_object(bucket, key)
