"""The restore drill's parts: back a stack up with `netra-backup`, and bring the backup up with
`netra-restore` in a fresh isolated stack (its own empty database, SeaweedFS, bus prefix) that is
given the keys the backup names (the source's secrets file), then started."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from netra_stack import private
from netra_stack import secrets as dev_secrets
from netra_stack.settings import StackSettings
from netra_stack.stack import Stack

BIN = Path(sys.executable).parent


def tool_env(stack: Stack, backup_key: str) -> dict:
    admin = stack.secrets["s3"]["admin"]
    return {**os.environ, "NETRA_DB_URL": stack.settings.db_url, "NETRA_S3_ENDPOINT": stack.settings.s3_endpoint,
            "NETRA_BACKUP_S3_ACCESS_KEY": admin["access_key"], "NETRA_BACKUP_S3_SECRET_KEY": admin["secret_key"],
            "NETRA_BACKUP_KEY": backup_key}


def run_tool(argv: list[str], env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{argv[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


@contextmanager
def restored_stack(source: Stack, backup_file: Path, backup_key: str, work_dir: Path, cases: int,
                   keys_file: Path | None = None):
    """A fresh stack brought up from `backup_file` (and the case keys' backup `keys_file`, kept
    apart: docs/decisions/0037); yields it with `netra-restore`'s output."""
    from tests.conftest import _forget

    settings = StackSettings.for_tests(work_dir / f"restored-{uuid.uuid4().hex[:8]}")
    # The keys kept apart, handed to the new system as an operator would: its secrets file.
    private.folder(settings.data_dir)
    shutil.copy2(dev_secrets.secrets_file(source.settings.data_dir), dev_secrets.secrets_file(settings.data_dir))
    target = Stack(settings)
    outcome: dict = {}

    def restore() -> None:
        keys = ["--keys", str(keys_file)] if keys_file else []
        outcome["restore"] = run_tool([str(BIN / "netra-restore"), str(backup_file), *keys, "--cases", str(cases)],
                                      tool_env(target, backup_key))

    try:
        target.prepare(before_migrations=restore)
        target.start_services()
        yield target, outcome["restore"]
    finally:
        target.stop(fast=True)
        _forget(target, settings)
        shutil.rmtree(settings.data_dir / "seaweedfs", ignore_errors=True)
