"""S3 through the minio SDK, configured per service with that service's own keys."""

from __future__ import annotations

from dataclasses import dataclass

from minio import Minio
from nameko.extensions import DependencyProvider

# SeaweedFS and MinIO both accept any region; naming one stops the SDK from
# asking GetBucketLocation, which a write-only key is not allowed to do.
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Settings:
    endpoint: str
    access_key: str
    secret_key: str
    secure: bool = False

    @classmethod
    def from_config(cls, config: dict) -> S3Settings:
        return cls(
            endpoint=config["NETRA_S3_ENDPOINT"],
            access_key=config["NETRA_S3_ACCESS_KEY"],
            secret_key=config["NETRA_S3_SECRET_KEY"],
            secure=str(config.get("NETRA_S3_SECURE", "false")).lower() in ("1", "true", "yes"),
        )

    def client(self) -> Minio:
        return Minio(self.endpoint, access_key=self.access_key, secret_key=self.secret_key,
                     secure=self.secure, region=REGION)


class ObjectStorage(DependencyProvider):
    """A minio client with this service's credentials (green under eventlet's patching)."""

    def setup(self):
        self.client = S3Settings.from_config(self.container.config).client()

    def get_dependency(self, worker_ctx):
        return self.client
