"""A login does the same work whatever the name: Argon2id and the TOTP check run for a name nobody
has, an account not yet enrolled, a deactivated one, and a wrong password alike (the database and
the hash are replaced by fakes that count what was run)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from services.casework.adapters import credentials

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def row(**overrides):
    values = {"user_id": uuid.uuid4(), "username": "anggota.satu", "full_name": "Anggota", "role": "anggota",
              "work_unit": None, "email": None, "active": True, "notify_mode": "immediate",
              "enrolled_at": NOW, "confirmed_at": NOW, "version": 1, "password_hash": "$argon2id$stored",
              "totp_secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "totp_last_step": None}
    return SimpleNamespace(**{**values, **overrides})


@pytest.mark.parametrize("found", [None, row(password_hash=None, totp_secret=None, enrolled_at=None),
                                   row(active=False), row()], ids=["unknown", "invited", "deactivated", "wrong"])
def test_every_refusal_runs_the_password_hash_and_the_totp_check(monkeypatch, found):
    ran = []
    monkeypatch.setattr(credentials, "find_by_username", lambda conn, username, lock: found)
    monkeypatch.setattr(credentials, "slow_hash_matches", lambda stored, secret: ran.append(("argon2", stored)))
    real_otp_step = credentials.otp_step
    monkeypatch.setattr(credentials, "otp_step", lambda *a: ran.append(("totp", a[0])) or real_otp_step(*a))
    assert credentials.check(object(), "anggota.satu", "salah-sandinya", "123456", NOW) is None
    assert [kind for kind, _ in ran] == ["argon2", "totp"]
    assert ran[1][1], "a TOTP secret was checked even without one on file (a decoy)"
