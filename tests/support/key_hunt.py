"""What a thief does with a copy of everything the server keeps: gather every string that could be
key material (base64, URL-safe base64 or hex that decodes to 32 or 64 bytes, and every value of a
service's environment), derive from each what Netra derives keys with (a session token's BLAKE2b;
Argon2id with a member's salt, for a password given), and try every key
against every sealed box and secretbox, again with whatever opens, until nothing new opens. A box
wrapped with a case key (netra_common/keystore.py, decision 0037) is tried as the secretbox it
carries, and what opens inside it as a sealed box in turn: a thief reads the format in the code.
tests/e2e/test_identity_vault_at_rest.py uses it (docs/decisions/0017)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from argon2.low_level import hash_secret_raw
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from nacl.secret import SecretBox

from services.casework.adapters.member_keys import ARGON2, SESSION_KEY_PERSON

B64 = re.compile(rb"[A-Za-z0-9+/_-]{40,}={0,2}")
HEX = re.compile(rb"\b[0-9a-fA-F]{64}\b")
BYTEA = re.compile(rb"\\x([0-9a-fA-F]{64})\b")  # a 32-byte bytea as pg_dump writes it (the case keys)
SEALED_OVERHEAD = 48  # a sealed box's one-time public key and MAC
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32), as casework makes a session's token


def decoded(raw: bytes) -> list[bytes]:
    """Every reading of one string as 32 bytes of key (a 64-byte value gives its first 32 too)."""
    found = []
    text = raw.strip(b"=")
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            value = decode(text + b"=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            continue
        if len(value) in (32, 64):
            found.append(value[:32])
    if HEX.fullmatch(raw):
        found.append(bytes.fromhex(raw.decode()))
    return found


def strings_in(blob: bytes) -> set[bytes]:
    return set(B64.findall(blob)) | set(HEX.findall(blob)) | set(BYTEA.findall(blob))


def as_bytes(string: bytes) -> list[bytes]:
    """A string read as base64 and as URL-safe base64, whatever length it decodes to."""
    out = []
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            out.append(decode(string + b"=" * (-len(string) % 4)))
        except (binascii.Error, ValueError):
            pass
    return out


def session_key(string: bytes) -> bytes:
    return hashlib.blake2b(string, digest_size=SecretBox.KEY_SIZE, person=SESSION_KEY_PERSON).digest()


@dataclass
class Box:
    name: str
    data: bytes
    sealed: bool  # a sealed box (an X25519 private key opens it), else a secretbox (a symmetric key)
    opened: bytes | None = None


@dataclass
class Hunt:
    keys: set[bytes] = field(default_factory=set)

    def add_strings(self, strings: set[bytes]) -> None:
        for string in strings:
            self.keys.update(decoded(string))
            if len(string) == TOKEN_LENGTH:
                self.keys.add(session_key(string))  # were it a session's token

    def add_passwords(self, values: set[bytes], salts: list[bytes]) -> None:
        for value in values:
            for salt in salts:
                self.keys.add(hash_secret_raw(value, salt, **ARGON2))

    def run(self, boxes: list[Box]) -> list[Box]:
        """Try every key on every box until nothing new opens; the boxes that opened (with those
        found inside an opened secretbox, as a case key's wrapping holds a sealed box)."""
        boxes = list(boxes)
        openers: dict[bytes, tuple[SealedBox, SecretBox]] = {}
        while True:
            openers.update({key: (SealedBox(PrivateKey(key)), SecretBox(key)) for key in self.keys - set(openers)})
            new, inner = set(), []
            for box in boxes:
                if box.opened is not None:
                    continue
                for sealed, secret in openers.values():
                    try:
                        box.opened = (sealed if box.sealed else secret).decrypt(box.data)
                    except CryptoError:
                        continue
                    if len(box.opened) in (32, 64):
                        new.add(box.opened[:32])
                    elif not box.sealed and len(box.opened) > SEALED_OVERHEAD:
                        inner.append(Box(f"{box.name}/inside", box.opened, sealed=True))
                    break
            if not new - self.keys and not inner:
                return [box for box in boxes if box.opened is not None]
            self.keys |= new
            boxes += inner
