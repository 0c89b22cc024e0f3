"""`netra-backup nightly` on a real stack (PostgreSQL and SeaweedFS, no services running): it writes
the data and the case keys' backups into their two folders and prunes the planted old ones by the
stamp in their names; a night whose backup fails prunes nothing. And `netra-restore` without
`--keys` says that identities and contacts stay closed (docs/decisions/0037)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from netra_stack.settings import StackSettings
from netra_stack.stack import Stack
from sqlalchemy import create_engine

from netra_common import keystore
from netra_common.backup_cli import KEYS_MISSING
from netra_common.backup_crypto import DecryptingReader, new_key, parse_key
from netra_common.backup_nightly import stamp
from tests.conftest import _forget
from tests.support.restore_drill import BIN, tool_env


@contextmanager
def prepared_stack(test_output: Path, before_migrations=None) -> Iterator[Stack]:
    """A stack's database, buckets and bus, without its services: all the backup reads."""
    settings = StackSettings.for_tests(test_output / f"nightly-{uuid.uuid4().hex[:8]}")
    running = Stack(settings)
    try:
        running.prepare(before_migrations=(lambda: before_migrations(running)) if before_migrations else None)
        yield running
    finally:
        running.stop(fast=True)
        _forget(running, settings)
        shutil.rmtree(settings.data_dir / "seaweedfs", ignore_errors=True)


@pytest.fixture(scope="module")
def source(test_output):
    with prepared_stack(test_output) as running:
        engine = create_engine(running.settings.db_url, pool_size=1, max_overflow=0)
        try:
            with engine.begin() as conn:
                for _ in range(2):
                    keystore.create_key(conn, uuid.uuid4())
        finally:
            engine.dispose()
        yield running


def nightly(stack: Stack, key: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "netra-backup"), "nightly", *args], env={**tool_env(stack, key), **(env or {})},
                          capture_output=True, text=True, timeout=300)


def header(path: Path, key: str) -> dict:
    with open(path, "rb") as raw, tarfile.open(fileobj=DecryptingReader(raw, parse_key(key)), mode="r|") as tar:
        for member in tar:
            if member.name == "header.json":
                extracted = tar.extractfile(member)
                assert extracted is not None
                return json.loads(extracted.read())
    raise AssertionError(f"{path} has no header")


def named(kind: str, days_ago: int) -> str:
    return f"{kind}-{stamp(datetime.now(UTC) - timedelta(days=days_ago))}.backup"


def test_the_night_writes_the_data_and_the_keys_apart_and_prunes_by_the_stamp(source, tmp_path):
    data_dir, keys_dir, key = tmp_path / "data", tmp_path / "keys", new_key()
    data_dir.mkdir()
    keys_dir.mkdir()
    old_data, old_keys, young_keys = named("data", 3000), named("keys", 36), named("keys", 2)
    for folder, name in ((data_dir, old_data), (keys_dir, old_keys), (keys_dir, young_keys),
                         (data_dir, "catatan-operator.txt")):
        (folder / name).write_bytes(b"planted")

    done = nightly(source, key, "--to", str(data_dir), "--keys-to", str(keys_dir))
    assert done.returncode == 0, done.stderr
    new_data = [p for p in data_dir.glob("data-*.backup") if p.name != old_data]
    new_keys = [p for p in keys_dir.glob("keys-*.backup") if p.name not in (old_keys, young_keys)]
    assert len(new_data) == 1 and len(new_keys) == 1
    assert "keys_needed" in header(new_data[0], key)
    assert header(new_keys[0], key)["kind"] == "netra-case-keys"
    assert "kunci kasus: 2 kunci" in done.stdout
    assert sorted(p.name for p in data_dir.iterdir()) == sorted([new_data[0].name, "catatan-operator.txt"])
    assert sorted(p.name for p in keys_dir.iterdir()) == sorted([new_keys[0].name, young_keys])
    assert f"ditulis: {new_data[0]}" in done.stdout and f"ditulis: {new_keys[0]}" in done.stdout
    assert f"dihapus: {data_dir / old_data}" in done.stdout and f"dihapus: {keys_dir / old_keys}" in done.stdout


def test_a_night_whose_backup_fails_prunes_nothing_and_says_why_in_one_line(source, tmp_path):
    old_keys = named("keys", 400)
    (tmp_path / old_keys).write_bytes(b"planted")
    absent = f"{source.settings.pg_url}/netra_absent_{uuid.uuid4().hex[:8]}"
    done = nightly(source, new_key(), "--to", str(tmp_path), env={"NETRA_DB_URL": absent})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pencadangan malam gagal, tidak ada berkas yang dihapus: data-")
    assert "does not exist" in lines[0]
    assert [p.name for p in tmp_path.iterdir()] == [old_keys]


def test_a_restore_without_the_keys_says_identities_and_contacts_stay_closed(source, tmp_path, test_output):
    key = new_key()
    assert nightly(source, key, "--to", str(tmp_path)).returncode == 0
    data_file = next(tmp_path.glob("data-*.backup"))
    outcome: dict = {}

    def restore(target: Stack) -> None:
        outcome["done"] = subprocess.run([str(BIN / "netra-restore"), str(data_file)], env=tool_env(target, key),
                                         capture_output=True, text=True, timeout=300)

    with prepared_stack(test_output, before_migrations=restore):
        done = outcome["done"]
    assert done.returncode == 0, done.stderr
    assert KEYS_MISSING in done.stderr
    assert "Identitas dan kontak pelapor tetap tertutup" in done.stderr
