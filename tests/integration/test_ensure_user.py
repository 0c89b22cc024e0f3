"""`netra-casework ensure-user` on a fresh installation's database, run as the server's operator runs it:
the first ketua is active at once and only the first; an existing account is never overwritten
without --reset, which is audited and ends its sessions; and `make run`'s development account keeps
the e-mail an operator gave it across restarts."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from netra_stack import database
from netra_stack import secrets as dev_secrets
from netra_stack.settings import StackSettings
from netra_stack.stack import DEV_ACCOUNT, Stack
from sqlalchemy import create_engine, text

from netra_common.migrate import upgrade

PASSWORD = "kuda-laut-berenang-7"


@pytest.fixture
def fresh(tmp_path):
    """A stack's settings and secrets over a database holding only casework's tables, nothing else."""
    settings = StackSettings.for_tests(tmp_path)
    database.ensure_database(settings.pg_url, settings.database)
    upgrade("casework", settings.db_url)
    stack = Stack(settings)
    stack.secrets = dev_secrets.load_or_create(tmp_path)
    engine = create_engine(settings.db_url)
    yield stack, engine
    engine.dispose()
    database.drop_database(settings.pg_url, settings.database)


def ensure_user(stack, username: str, role: str, *extra: str, password: str = PASSWORD,
                secret: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.casework.admin", "ensure-user", "--username", username,
                           "--role", role, "--full-name", f"Orang {username}", "--password-stdin",
                           "--totp-secret", secret or SECRETS.setdefault(username, pyotp.random_base32()), *extra],
                          input=password, text=True, env=stack.service_env("casework"), capture_output=True,
                          timeout=120)


SECRETS: dict[str, str] = {}


def state_of(engine, username: str) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(text(
            "SELECT user_id, email, role, enrolled_at IS NOT NULL AS enrolled, confirmed_at IS NOT NULL AS confirmed, "
            "password_hash, version FROM casework.users WHERE username = :u"), {"u": username}).one()._mapping)


def audit(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT account_username, action, actor_role FROM casework.account_audit ORDER BY audit_id"))]


def test_the_first_ketua_is_active_at_once_and_only_the_first(fresh):
    stack, engine = fresh
    first = ensure_user(stack, "ketua.pertama", "ketua")
    assert first.returncode == 0, first.stderr
    assert "state active" in first.stdout and "the first active ketua" in first.stdout
    second = ensure_user(stack, "ketua.kedua", "ketua")
    assert "state awaiting_confirmation" in second.stdout and "a ketua must confirm it" in second.stdout
    assert "state active" in ensure_user(stack, "admin.satu", "admin").stdout
    assert "state awaiting_confirmation" in ensure_user(stack, "anggota.satu", "anggota").stdout
    assert [action for _, action, _ in audit(engine)] == ["bootstrap_ketua", "created_on_server", "created_on_server",
                                                          "created_on_server"]
    assert {actor for _, _, actor in audit(engine)} == {"server"}


def test_an_existing_account_is_never_overwritten_without_reset_and_a_reset_is_audited(fresh):
    stack, engine = fresh
    assert ensure_user(stack, "ketua.pertama", "ketua").returncode == 0
    assert ensure_user(stack, "anggota.dua", "anggota", "--email", "dua@example.id").returncode == 0
    before = state_of(engine, "anggota.dua")

    same = ensure_user(stack, "anggota.dua", "anggota")
    assert same.returncode == 0 and "unchanged" in same.stdout
    other = ensure_user(stack, "anggota.dua", "ketua", password="sandi-lain-sekali-9")
    assert other.returncode == 3 and "nothing was changed" in other.stderr
    assert state_of(engine, "anggota.dua") == before
    assert [a for a in audit(engine) if a[0] == "anggota.dua"] == [("anggota.dua", "created_on_server", "server")]

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO casework.sessions (token_hash, user_id, expires_at, idle_expires_at) "
                          "VALUES (:t, :u, :e, :e)"),
                     {"t": uuid.uuid4().hex, "u": before["user_id"], "e": datetime.now(UTC) + timedelta(hours=1)})
    reset = ensure_user(stack, "anggota.dua", "ketua", "--reset", password="sandi-lain-sekali-9")
    assert reset.returncode == 0 and "reset" in reset.stdout
    after = state_of(engine, "anggota.dua")
    assert (after["role"], after["email"], after["confirmed"]) == ("ketua", "dua@example.id", False)
    assert after["password_hash"] != before["password_hash"]
    assert audit(engine)[-1] == ("anggota.dua", "reset_on_server", "server")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT end_reason FROM casework.sessions WHERE user_id = :u"),
                            {"u": before["user_id"]}).scalar_one() == "reset_on_server"


def test_the_development_account_keeps_the_email_an_operator_gave_it_across_restarts(fresh):
    stack, engine = fresh
    stack._ensure_dev_account()  # what `make run` does at every start
    assert state_of(engine, DEV_ACCOUNT["username"])["confirmed"]
    given = ensure_user(stack, DEV_ACCOUNT["username"], "ketua", "--email", "operator@bengkaliskab.go.id", "--reset",
                        password=stack.secrets["dev_team_password"], secret=stack.secrets["dev_team_totp_secret"])
    assert given.returncode == 0, given.stderr
    entries = len(audit(engine))

    stack._ensure_dev_account()  # the next start
    kept = state_of(engine, DEV_ACCOUNT["username"])
    assert (kept["email"], kept["confirmed"]) == ("operator@bengkaliskab.go.id", True)
    assert len(audit(engine)) == entries, "a start that changes nothing records nothing"

    stack.secrets["dev_team_password"] = "sandi-pengembangan-baru-1"  # the secrets file made anew
    stack._ensure_dev_account()
    reset = state_of(engine, DEV_ACCOUNT["username"])
    assert (reset["email"], reset["confirmed"]) == ("operator@bengkaliskab.go.id", True)
    assert audit(engine)[-1] == ("ketua", "reset_on_server", "server")
