"""A member's key pair in casework's own schema (services/casework/adapters/member_keys.py): locked
under the password, opened only by it, kept for a session only under the token, and never silently
replaced by a login whose password does not open it (that would lose the member's vault grant)."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select

from services.casework.adapters import member_keys
from services.casework.adapters.tables import member_keys as member_keys_table
from services.casework.adapters.tables import users


def a_member(conn) -> uuid.UUID:
    user_id = uuid.uuid4()
    conn.execute(insert(users).values(user_id=user_id, username=f"kunci.{user_id.hex[:8]}", full_name="Uji Kunci",
                                      role="ketua"))
    return user_id


def test_the_password_opens_the_key_another_does_not_and_a_login_never_replaces_it(casework_db):
    engine, _ = casework_db
    with engine.begin() as conn:
        user_id = a_member(conn)
        made = member_keys.make(conn, user_id, "kata sandi pertama yang panjang")
        stored = conn.execute(select(member_keys_table).where(member_keys_table.c.user_id == user_id)).one()
        assert bytes(made) not in member_keys.unb64(stored.locked_private_key)
        assert bytes(member_keys.unlock(conn, user_id, "kata sandi pertama yang panjang")) == bytes(made)
        assert member_keys.unlock(conn, user_id, "kata sandi lain") is None
        # A login whose password does not open the pair (it was changed without re-locking, or the
        # hash was written by hand) leaves the pair as it was, and the session gets no key.
        assert member_keys.unlock_or_make(conn, user_id, "kata sandi lain") is None
        assert member_keys.public_key_of(conn, user_id) == stored.public_key
        # An account with no pair yet gets one at login.
        newcomer = a_member(conn)
        first = member_keys.unlock_or_make(conn, newcomer, "kata sandi pendatang baru")
        assert first is not None
        assert member_keys.public_key_of(conn, newcomer) == member_keys.b64(bytes(first.public_key))
