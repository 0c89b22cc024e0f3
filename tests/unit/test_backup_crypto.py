"""A backup file opens only with its key, and one changed or cut short is refused, never half read."""

from __future__ import annotations

import io

import pytest

from netra_common.backup_crypto import CHUNK, BackupUnreadable, DecryptingReader, EncryptingWriter, new_key, parse_key


def sealed(data: bytes, key: bytes) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, key)
    for start in range(0, len(data), 70_000):  # written in pieces, as tar writes
        writer.write(data[start:start + 70_000])
    writer.close()
    return sink.getvalue()


def opened(blob: bytes, key: bytes) -> bytes:
    return DecryptingReader(io.BytesIO(blob), key).read()


DATA = bytes(range(256)) * (CHUNK // 256 * 2 + 100)  # a little over two chunks
KEY = parse_key(new_key())


def test_what_is_written_reads_back_and_shows_nothing_in_the_clear():
    blob = sealed(DATA, KEY)
    assert opened(blob, KEY) == DATA
    assert bytes(range(256)) not in blob


def test_the_wrong_key_a_changed_byte_or_a_missing_end_is_refused():
    blob = sealed(DATA, KEY)
    with pytest.raises(BackupUnreadable):
        opened(blob, parse_key(new_key()))
    changed = bytearray(blob)
    changed[len(blob) // 2] ^= 1
    with pytest.raises(BackupUnreadable):
        opened(bytes(changed), KEY)
    with pytest.raises(BackupUnreadable, match="cut short"):
        opened(blob[: len(blob) - (CHUNK // 2)], KEY)


def test_a_key_that_is_not_one_is_refused_in_words():
    with pytest.raises(BackupUnreadable, match="32 bytes"):
        parse_key("c2hvcnQ=")
