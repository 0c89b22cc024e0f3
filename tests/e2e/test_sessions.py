"""Sessions end when idle and at their lifetime, say why, and are renewed by use (the API and the
CLI); time is moved on by moving a session's ends back in the database, not by waiting."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from tests.conftest import enrol
from tests.e2e.test_netra_cli import Netra, logged_in


def ends_of(stack_db, token: str) -> tuple[datetime, datetime]:
    hashed = hashlib.sha256(token.encode()).hexdigest()
    with stack_db.connect() as conn:
        return tuple(conn.execute(text("SELECT idle_expires_at, expires_at FROM casework.sessions "
                                       "WHERE token_hash = :h"), {"h": hashed}).one())


def move_ends(stack_db, token: str, **ends: datetime) -> None:
    with stack_db.begin() as conn:
        for column, value in ends.items():
            conn.execute(text(f"UPDATE casework.sessions SET {column} = :v WHERE token_hash = :h"),  # noqa: S608
                         {"v": value, "h": hashlib.sha256(token.encode()).hexdigest()})


def now() -> datetime:
    return datetime.now(UTC)


def test_the_session_says_when_it_ends(stack, stack_db):
    member = enrol(stack, "anggota.sesi", "anggota", work_unit="Diskominfo")
    answer = member.get("/api/v1/auth/session")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    body = answer.json()
    assert body["idle_minutes"] == 30
    idle_end, end = ends_of(stack_db, member.token)
    assert datetime.fromisoformat(body["idle_expires_at"]) == idle_end
    assert datetime.fromisoformat(body["expires_at"]) == end
    assert timedelta(hours=11, minutes=59) < end - now() <= timedelta(hours=12)


def test_a_session_left_idle_ends_and_says_why(stack, stack_db):
    member = enrol(stack, "anggota.diam", "anggota", work_unit="Diskominfo")
    move_ends(stack_db, member.token, idle_expires_at=now() - timedelta(seconds=1))
    ended = member.get("/api/v1/cases")
    assert ended.status_code == 401 and ended.json()["error"]["details"] == {"reason": "idle"}
    assert ended.json()["error"]["message"] == ("Sesi Anda berakhir karena tidak dipakai selama 30 menit. "
                                                "Silakan masuk kembali.")
    english = member.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert english.json()["error"]["message"].startswith("Your session ended after 30 minutes without use")


def test_a_busy_session_still_ends_at_its_lifetime(stack, stack_db):
    member = enrol(stack, "anggota.sibuk", "anggota", work_unit="Diskominfo")
    move_ends(stack_db, member.token, expires_at=now() - timedelta(seconds=1))
    ended = member.get("/api/v1/me")
    assert ended.status_code == 401 and ended.json()["error"]["details"] == {"reason": "lifetime"}
    assert "batas 12 jam" in ended.json()["error"]["message"]


def test_use_moves_the_idle_end_on_at_most_about_once_a_minute_and_never_past_the_lifetime(stack, stack_db):
    member = enrol(stack, "anggota.rajin", "anggota", work_unit="Diskominfo")
    move_ends(stack_db, member.token, idle_expires_at=now() + timedelta(minutes=10))
    assert member.get("/api/v1/cases").status_code == 200
    renewed, _ = ends_of(stack_db, member.token)
    assert renewed > now() + timedelta(minutes=29)
    assert member.get("/api/v1/cases").status_code == 200
    assert ends_of(stack_db, member.token)[0] == renewed, "a second use within the minute writes nothing"

    move_ends(stack_db, member.token, idle_expires_at=now() + timedelta(minutes=1),
              expires_at=now() + timedelta(minutes=5))
    assert member.get("/api/v1/me").status_code == 200
    idle_end, end = ends_of(stack_db, member.token)
    assert idle_end == end, "the idle end never passes the lifetime"


def test_the_cli_renews_its_session_by_use_and_says_when_it_ended(stack, stack_db, tmp_path):
    member = enrol(stack, "cli.sesi", "anggota", work_unit="Diskominfo")
    netra: Netra = logged_in(stack, tmp_path, "cli.sesi", member.password, member.totp_secret)
    token = json.loads(netra.session_file.read_text())["token"]
    move_ends(stack_db, token, idle_expires_at=now() + timedelta(minutes=5))
    netra.ok("whoami")
    assert ends_of(stack_db, token)[0] > now() + timedelta(minutes=29)

    move_ends(stack_db, token, idle_expires_at=now() - timedelta(seconds=1))
    ended = netra("list")
    assert ended.returncode == 3
    assert "tidak dipakai selama 30 menit" in ended.stderr
