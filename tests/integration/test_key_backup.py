"""The case keys' own backup (netra_common/backup_keys.py, docs/decisions/0037) on a real PostgreSQL:
it holds every key and only the keys, is encrypted, restores into an empty key store only, and
refuses what it is not. The whole round trip with the data backup is the restore drill's
(tests/e2e/test_restore_drill.py)."""

from __future__ import annotations

import os
import uuid

import pytest
from netra_stack import database
from sqlalchemy import create_engine, select

from netra_common import backup_keys, keystore
from netra_common.backup import RestoreRefused
from netra_common.backup_crypto import BackupUnreadable, new_key, parse_key
from netra_common.migrate import upgrade

PG = os.environ.get("NETRA_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")


@pytest.fixture
def databases():
    """Fresh databases named here, each with intake's migrations (which make the key store), or
    none when asked; all dropped after."""
    made: list[str] = []

    def new(with_key_store: bool = True) -> str:
        name = f"netra_keys_{uuid.uuid4().hex[:8]}"
        database.ensure_database(PG, name)
        made.append(name)
        url = f"{PG}/{name}"
        if with_key_store:
            upgrade("intake", url)
        return url

    yield new
    for name in made:
        database.drop_database(PG, name)


def keys_in(url: str) -> dict[uuid.UUID, bytes]:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            return {row.key_id: bytes(row.key) for row in conn.execute(select(keystore.case_keys))}
    finally:
        engine.dispose()


def with_keys(url: str, count: int) -> dict[uuid.UUID, bytes]:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        with engine.begin() as conn:
            for _ in range(count):
                keystore.create_key(conn, uuid.uuid4())
    finally:
        engine.dispose()
    return keys_in(url)


def test_the_key_backup_restores_every_key_into_an_empty_store_and_nowhere_else(databases, tmp_path):
    source, key = databases(), parse_key(new_key())
    kept = with_keys(source, 3)
    backup_file = tmp_path / "keys.backup"
    assert backup_keys.create(source, backup_file, key).keys == 3
    written = backup_file.read_bytes()
    assert not any(k in written or k.hex().encode() in written for k in kept.values()), "encrypted"

    target = databases()
    assert backup_keys.restore(backup_file, key, target).keys == 3
    assert keys_in(target) == kept

    with pytest.raises(RestoreRefused, match="already holds keys"):
        backup_keys.restore(backup_file, key, target)
    with pytest.raises(RestoreRefused, match="no key store"):
        backup_keys.restore(backup_file, key, databases(with_key_store=False))
    with pytest.raises(BackupUnreadable):
        backup_keys.restore(backup_file, parse_key(new_key()), databases())


def test_a_purged_key_is_not_in_a_key_backup_taken_after_the_purge(databases, tmp_path):
    source, key = databases(), parse_key(new_key())
    kept = with_keys(source, 2)
    purged = next(iter(kept))
    engine = create_engine(source, pool_size=1, max_overflow=0)
    try:
        with engine.begin() as conn:
            assert keystore.destroy(conn, purged)
    finally:
        engine.dispose()
    backup_file = tmp_path / "keys.backup"
    backup_keys.create(source, backup_file, key)
    target = databases()
    backup_keys.restore(backup_file, key, target)
    assert set(keys_in(target)) == set(kept) - {purged}


def test_a_database_older_than_the_key_store_gives_an_empty_key_backup(databases, tmp_path):
    key, backup_file = parse_key(new_key()), tmp_path / "keys.backup"
    assert backup_keys.create(databases(with_key_store=False), backup_file, key).keys == 0
    target = databases()
    assert backup_keys.restore(backup_file, key, target).keys == 0
    assert keys_in(target) == {}
