"""A backup file's encryption: libsodium's secretstream (XChaCha20-Poly1305) over 1 MiB chunks, so a
backup of any size is written and read without holding it in memory, and a file that was changed,
reordered or cut short is refused rather than half restored.

File layout: MAGIC, the stream header, then each chunk as a 4-byte length and its ciphertext; the
last chunk carries the FINAL tag.
"""

from __future__ import annotations

import base64
import io
import struct

from nacl import bindings as sodium

MAGIC = b"NETRA-BACKUP-1\n"
CHUNK = 1024 * 1024
KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE


class BackupUnreadable(Exception):
    """Not a Netra backup, the wrong key, or a file changed or cut short."""


def new_key() -> str:
    return base64.b64encode(sodium.crypto_secretstream_xchacha20poly1305_keygen()).decode()


def parse_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise BackupUnreadable("the backup key is not base64") from exc
    if len(key) != KEY_BYTES:
        raise BackupUnreadable(f"the backup key must be {KEY_BYTES} bytes")
    return key


class EncryptingWriter(io.RawIOBase):
    def __init__(self, sink, key: bytes):
        self.sink = sink
        self.state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self.state, key)
        sink.write(MAGIC + header)
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._push(bytes(self.buffer[:CHUNK]), TAG_MESSAGE)
            del self.buffer[:CHUNK]
        return len(data)

    def _push(self, plain: bytes, tag: int) -> None:
        cipher = sodium.crypto_secretstream_xchacha20poly1305_push(self.state, plain, None, tag)
        self.sink.write(struct.pack(">I", len(cipher)) + cipher)

    def close(self) -> None:
        if not self.closed:
            self._push(bytes(self.buffer), TAG_FINAL)
            self.buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    def __init__(self, source, key: bytes):
        self.source = source
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupUnreadable("not a Netra backup file")
        header = source.read(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES)
        self.state = sodium.crypto_secretstream_xchacha20poly1305_state()
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(self.state, header, key)
        self.pending = b""
        self.finished = False

    def readable(self) -> bool:
        return True

    def _pull(self) -> None:
        length = self.source.read(4)
        if len(length) != 4:
            raise BackupUnreadable("the backup file ends before its last chunk (cut short)")
        expected = struct.unpack(">I", length)[0]
        cipher = self.source.read(expected)
        if len(cipher) != expected:
            raise BackupUnreadable("the backup file ends inside a chunk (cut short)")
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(self.state, cipher, None)
        except Exception as exc:  # noqa: BLE001 - libsodium says only "it does not open"
            raise BackupUnreadable("the backup does not open with this key, or was changed") from exc
        self.pending += plain
        self.finished = tag == TAG_FINAL

    def readinto(self, target) -> int:
        while not self.pending and not self.finished:
            self._pull()
        taken = self.pending[:len(target)]
        target[:len(taken)] = taken
        self.pending = self.pending[len(taken):]
        return len(taken)
