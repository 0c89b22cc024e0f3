"""SeaweedFS in production: the check every deployment runs before the S3 gateway starts, and the
buckets the setup job makes.

SeaweedFS's S3 gateway with no identities, or with one named `anonymous`, serves requests nobody
signed: every screenshot to anyone who asks. `python -m netra_common.s3_deploy check FILE` refuses
such an identities file (exit 1, each problem on a line); the compose file's `s3-check` job and the
systemd unit's ExecStartPre run it, so the gateway never starts on one.
`python -m netra_common.s3_deploy buckets` makes the buckets (evidence with object lock) with the
admin key (NETRA_S3_ENDPOINT, NETRA_BACKUP_S3_ACCESS_KEY / _SECRET_KEY, as files: config.py).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import netra_common  # noqa: F401 - secrets given as files become settings first

# name: object lock. The same buckets as the local stack's (netra_stack.seaweed.BUCKETS).
BUCKETS = {"quarantine": False, "evidence": True, "derivatives": False}
MIN_SECRET_KEY = 20


def _identity_problems(index: int, identity: object, seen: set[str]) -> list[str]:
    if not isinstance(identity, dict):
        return [f"identity {index} is not an object"]
    name = str(identity.get("name") or "")
    label = f"identity {index} ({name or 'no name'})"
    if name.lower() == "anonymous":
        return [f"{label}: an anonymous identity lets unsigned requests in"]
    credentials = identity.get("credentials")
    if not name or not isinstance(credentials, list) or not credentials:
        return [f"{label}: no name or no credentials (SeaweedFS would treat it as anonymous)"]
    problems = []
    for credential in credentials:
        access, secret = (credential.get("accessKey"), credential.get("secretKey")) \
            if isinstance(credential, dict) else (None, None)
        if not access or not secret:
            problems.append(f"{label}: a credential without accessKey or secretKey")
        elif len(str(secret)) < MIN_SECRET_KEY:
            problems.append(f"{label}: a secretKey shorter than {MIN_SECRET_KEY} characters")
        elif access in seen:
            problems.append(f"{label}: accessKey used by another identity too")
        else:
            seen.add(access)
    if not identity.get("actions"):
        problems.append(f"{label}: no actions")
    return problems


def identity_problems(document: object) -> list[str]:
    """Why SeaweedFS must not start with this identities document; empty when it may."""
    identities = document.get("identities") if isinstance(document, dict) else None
    if not isinstance(identities, list) or not identities:
        return ["no identities: SeaweedFS would answer every request unsigned, to anyone"]
    seen: set[str] = set()
    return [p for index, identity in enumerate(identities) for p in _identity_problems(index, identity, seen)]


def check_file(path: str | os.PathLike) -> list[str]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        return [f"{path}: cannot read it ({exc.strerror})"]
    except ValueError as exc:
        return [f"{path}: not JSON ({exc})"]
    return identity_problems(document)


def ensure_buckets(client, wait_seconds: float = 120) -> None:
    """Make the buckets that are missing, retrying while the gateway is still coming up."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            for bucket, locked in BUCKETS.items():
                if not client.bucket_exists(bucket):
                    client.make_bucket(bucket, object_lock=locked)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and argv[0] == "check":
        problems = check_file(argv[1])
        for problem in problems:
            print(f"s3 identities refused: {problem}", file=sys.stderr)
        if not problems:
            print(f"s3 identities ok: {argv[1]}")
        return 1 if problems else 0
    if argv == ["buckets"]:
        from minio import Minio

        from netra_common.s3 import REGION

        client = Minio(os.environ["NETRA_S3_ENDPOINT"], access_key=os.environ["NETRA_BACKUP_S3_ACCESS_KEY"],
                       secret_key=os.environ["NETRA_BACKUP_S3_SECRET_KEY"],
                       secure=os.environ.get("NETRA_S3_SECURE", "false").lower() in ("1", "true", "yes"),
                       region=REGION)
        ensure_buckets(client)
        print("buckets ready: " + ", ".join(BUCKETS))
        return 0
    print("usage: python -m netra_common.s3_deploy check IDENTITIES.json | buckets", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
