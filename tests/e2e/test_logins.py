"""Logins tell nothing and lock no one out for others, over HTTP: an unknown name and a wrong password
are answered alike for every count of tries; failures are counted per (name as typed, client), so a
stranger hammering a name does not lock its holder out from their own desk; and while failures run
high across the system, attempts take turns, the right person's included."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from tests.conftest import enrol
from tests.support.totp import fresh_code

TRIES = 9  # past the allowance (5 in the test stack) and through a wait or two


def attempt(stack, username: str, password: str, otp: str, client: str) -> requests.Response:
    return requests.post(f"{stack.settings.url('casework')}/api/v1/auth/login", timeout=60,
                         headers={"X-Forwarded-For": client},
                         json={"username": username, "password": password, "otp": otp})


def answer(response: requests.Response) -> tuple:
    """What a caller learns from an answer, the seconds to wait left out (they follow the clock)."""
    error = response.json().get("error", {})
    return (response.status_code, error.get("code"), re.sub(r"\d+", "N", error.get("message", "")),
            sorted(error), "Retry-After" in response.headers)


def test_an_unknown_name_and_a_wrong_password_are_answered_alike_for_every_count_of_tries(stack):
    enrol(stack, "anggota.sasaran", "anggota", work_unit="Diskominfo")
    wrong = [answer(attempt(stack, "anggota.sasaran", "bukan-sandinya-sama-sekali", "123456", "203.0.113.10"))
             for _ in range(TRIES)]
    unknown = [answer(attempt(stack, "tidak.ada.orangnya", "bukan-sandinya-sama-sekali", "123456", "203.0.113.11"))
               for _ in range(TRIES)]
    assert wrong == unknown
    assert wrong[0][:2] == (401, "login_failed") and wrong[-1][:2] == (429, "too_many_attempts")
    assert wrong[-1][4], "a wait says how long (Retry-After)"


def test_a_stranger_hammering_a_name_does_not_lock_its_holder_out_from_their_own_desk(stack):
    holder = enrol(stack, "ketua.dikepung", "ketua", work_unit="Diskominfo")
    answers = [attempt(stack, "ketua.dikepung", "tebakan-yang-salah-1", "000000", "198.51.100.7").status_code
               for _ in range(TRIES)]
    assert answers[0] == 401 and answers[-1] == 429
    # The stranger, waiting, is not even checked: the right password does not help them now.
    blocked = attempt(stack, "ketua.dikepung", holder.password, fresh_code(holder.totp_secret), "198.51.100.7")
    assert blocked.status_code == 429 and blocked.json()["error"]["code"] == "too_many_attempts"
    own_desk = attempt(stack, "ketua.dikepung", holder.password, fresh_code(holder.totp_secret), "10.20.30.40")
    assert own_desk.status_code == 200, own_desk.text
    # Another name from the stranger's address is counted apart: nothing tells them it exists.
    assert attempt(stack, "nama.lain", "tebakan-yang-salah-1", "000000", "198.51.100.7").status_code == 401


PACED = {"NETRA_LOGIN_OVERALL_ALLOWED": "3", "NETRA_LOGIN_OVERALL_WINDOW_SECONDS": "120",
         "NETRA_LOGIN_PACE_SECONDS": "1", "NETRA_LOGIN_LONGEST_QUEUE_SECONDS": "4"}


@pytest.fixture
def paced_casework(stack, stack_db):
    """casework with a small allowance of failures in total, and a clean slate before and after."""

    def forget():
        with stack_db.begin() as conn:
            conn.execute(text("DELETE FROM casework.login_limits WHERE key = 'login:overall'"))
            conn.execute(text("DELETE FROM casework.login_pace"))

    forget()
    stack.restart_service("casework", PACED)
    yield
    stack.restart_service("casework")
    forget()


def test_distributed_guessing_takes_turns_and_the_right_person_still_gets_in(stack, paced_casework):
    holder = enrol(stack, "anggota.berantre", "anggota", work_unit="Diskominfo")
    for n in range(4):  # many clients, each guessing a little: past the allowance in total
        assert attempt(stack, f"tebak.{n}", "tebakan-yang-salah-1", "000000", f"192.0.2.{n}").status_code == 401

    def guess(n: int) -> tuple[int, str | None]:
        response = attempt(stack, f"tebak.lagi.{n}", "tebakan-yang-salah-1", "000000", f"192.0.2.{100 + n}")
        return response.status_code, response.json()["error"]["code"]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(guess, range(4)))
    # One check per second, in turn: four guesses take at least three seconds, however fast the machine.
    assert time.monotonic() - started >= 3.0
    assert answers == [(401, "login_failed")] * 4

    with ThreadPoolExecutor(max_workers=10) as pool:
        flood = list(pool.map(guess, range(10, 20)))
    assert (429, "login_busy") in flood, "a queue longer than its limit sends the late ones away"
    assert set(flood) <= {(401, "login_failed"), (429, "login_busy")}

    # The right person waits their turn, and is let in.
    def right_person():
        return attempt(stack, "anggota.berantre", holder.password, fresh_code(holder.totp_secret), "10.9.8.7")

    let_in = right_person()
    while let_in.status_code == 429 and let_in.json()["error"]["code"] == "login_busy":
        time.sleep(int(let_in.headers["Retry-After"]))
        let_in = right_person()
    assert let_in.status_code == 200, let_in.text
