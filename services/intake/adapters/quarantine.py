"""The quarantine bucket: uploads wait here for evidence, sealed so that only evidence can read
them (netra_common.contracts.quarantine), each announced by an intent before it is put."""

from __future__ import annotations

import io
from uuid import UUID

from minio import Minio

from netra_common.contracts.quarantine import Sealer
from netra_common.offload import by_size


def object_key(complaint_id: UUID, upload_id: UUID) -> str:
    return f"{complaint_id}/{upload_id}"


class Quarantine:
    def __init__(self, client: Minio, bucket: str, sealer: Sealer):
        self.client = client
        self.bucket = bucket
        self.sealer = sealer

    def put(self, key: str, data: bytes) -> None:
        """Seal the upload (a large one in a real thread: 10 MB of AES-GCM would hold the hub), then put it.
        The content type says nothing of the image: the object is ciphertext."""
        blob = by_size(len(data), self.sealer.seal, data, key)
        self.client.put_object(self.bucket, key, io.BytesIO(blob), len(blob),
                               content_type="application/octet-stream")

    def remove(self, key: str) -> None:
        self.client.remove_object(self.bucket, key)
