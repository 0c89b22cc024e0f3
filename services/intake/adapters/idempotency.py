"""Answers kept for a retry with the same Idempotency-Key, readable only with that key.

The answer to a filing holds its receipt, which intake otherwise never keeps. So the row is
found by a value derived from the key (HKDF-SHA256, never the key itself), the answer is
sealed (AES-256-GCM) under another value derived from it, and the request is remembered only
as an HMAC under a third one. The derivation is salted with a value made from intake's
server secret, so someone holding only the database cannot even try keys.

The row is written in the filing's own transaction: the filing and its answer commit together
or not at all. A second request with the key waits on the first one's uncommitted row (up to
WAIT), then replays its answer; a first one that died leaves nothing to wait for.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import OperationalError

from services.intake.adapters.tables import idempotency_keys as table

WAIT = "15s"  # how long a retry waits for a filing with its key that is still under way
LOCK_NOT_AVAILABLE = "55P03"
NONCE = 12


class Replay(Exception):  # noqa: N818 - not an error: the original answer, to give again
    def __init__(self, answer: dict):
        super().__init__("replay")
        self.answer = answer


class KeyReused(Exception):
    """The key was used for a different request."""


class InProgress(Exception):
    """A request with this key is still being filed."""


def salt_from(server_secret: bytes) -> bytes:
    return hmac.new(server_secret, b"netra-idempotency-salt/v1", hashlib.sha256).digest()


def _derive(key: str, salt: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"netra-idempotency/v1/" + purpose).derive(key.encode("ascii"))


@dataclass(frozen=True)
class Idempotent:
    """One request's key, as the derived values the store needs (never the key itself)."""

    lookup: str
    request_mac: bytes
    lifetime: timedelta
    _seal_key: bytes = field(repr=False)

    @classmethod
    def derive(cls, key: str, salt: bytes, fingerprint: bytes, lifetime: timedelta) -> Idempotent:
        mac = hmac.new(_derive(key, salt, b"request"), fingerprint, hashlib.sha256).digest()
        return cls(_derive(key, salt, b"lookup").hex(), mac, lifetime, _derive(key, salt, b"seal"))

    def seal(self, answer: dict) -> bytes:
        """`answer` holds JSON values only, so the replay is the very same document."""
        plaintext = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        nonce = os.urandom(NONCE)
        return nonce + AESGCM(self._seal_key).encrypt(nonce, plaintext, self.lookup.encode())

    def open(self, sealed: bytes) -> dict:
        try:
            plaintext = AESGCM(self._seal_key).decrypt(sealed[:NONCE], sealed[NONCE:], self.lookup.encode())
        except (InvalidTag, ValueError):
            raise KeyReused("the stored answer does not open with this key") from None
        return json.loads(plaintext)

    def answer_from(self, row) -> dict:
        """The stored answer, if the row is this very request; KeyReused otherwise."""
        if not hmac.compare_digest(bytes(row.request_mac), self.request_mac):
            raise KeyReused("the key was sent with a different request")
        return self.open(bytes(row.sealed_answer))


def stored(conn, idempotent: Idempotent, now: datetime):
    """The live row for this key, or None."""
    return conn.execute(select(table).where(table.c.lookup == idempotent.lookup,
                                            table.c.expires_at > now)).first()


def claim(uow, idempotent: Idempotent, answer: dict, now: datetime) -> None:
    """Record this filing's answer under its key, first thing in the filing's transaction.

    Raises Replay with the answer already kept for the same request (the filing is then rolled
    back), KeyReused for another request, InProgress when one with the key is still under way.
    """
    uow.execute(text(f"SET LOCAL lock_timeout = '{WAIT}'"))
    values = {"lookup": idempotent.lookup, "request_mac": idempotent.request_mac,
              "sealed_answer": idempotent.seal(answer), "created_at": now,
              "expires_at": now + idempotent.lifetime}
    insert = pg_insert(table).values(**values)
    # A row whose day is over is taken over as if it were not there.
    statement = insert.on_conflict_do_update(index_elements=[table.c.lookup], set_=values,
                                             where=table.c.expires_at <= now).returning(table.c.lookup)
    try:
        if uow.execute(statement).first() is not None:
            return
    except OperationalError as exc:
        if getattr(exc.orig, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise InProgress() from None
        raise
    raise Replay(idempotent.answer_from(stored(uow.connection, idempotent, now)))


def prune(conn, now: datetime) -> int:
    return conn.execute(delete(table).where(table.c.expires_at <= now)).rowcount
