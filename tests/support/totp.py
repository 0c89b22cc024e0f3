"""One-time codes for the tests' logins: casework accepts each code once, and only a step later
than the last one the account used (services/casework/adapters/credentials.py otp_step), so a test
that logs an account in again takes the next unused step.

Casework accepts one step of drift either way. A test therefore takes the previous step too, while
the current one has long enough to run that the server cannot have moved past it, and never waits
for a step a refused request did not use: `spare_code` gives the code of the next unused step
without counting it used, for a request the test expects to be refused before the code is used.
"""

from __future__ import annotations

import time
from threading import Lock

import pyotp

_last_step: dict[str, int] = {}
_lock = Lock()
STEP_SECONDS = 30
# The previous step is safe only while the server's clock is still in the same step as ours by the
# time the request reaches it: a test takes a code just before it sends it (never before another
# fresh_code, which may wait for a step), and the previous step only in a step's first half.
SAFE_MARGIN_SECONDS = 15


def _usable_steps(totp: pyotp.TOTP, now: float) -> tuple[int, ...]:
    current = totp.timecode(now)
    into_step = now % STEP_SECONDS
    earliest = current - 1 if STEP_SECONDS - into_step > SAFE_MARGIN_SECONDS else current
    return tuple(range(earliest, current + 2))


def _next_unused(secret: str) -> int | None:
    totp = pyotp.TOTP(secret)
    for step in _usable_steps(totp, time.time()):
        if step > _last_step.get(secret, -1):
            return step
    return None


def _wait_for_unused(secret: str) -> int:
    """The first usable step this process has not used (waiting, if both are used, for the next)."""
    while (step := _next_unused(secret)) is None:
        time.sleep(1)
    return step


def fresh_code(secret: str) -> str:
    """A code of a step this process has not used: counted as used from now on."""
    with _lock:
        step = _last_step[secret] = _wait_for_unused(secret)
        return pyotp.TOTP(secret).generate_otp(step)


def spare_code(secret: str) -> str:
    """A right code the test expects the server to refuse the request before using (a wrong
    password, a weak new one): the step stays free for the next `fresh_code`."""
    with _lock:
        return pyotp.TOTP(secret).generate_otp(_wait_for_unused(secret))


def leave_to_another(secret: str) -> None:
    """Another program (the README's walk-through) is about to log in with the code `netra-stack otp`
    prints now: wait until this process has used neither the current step nor the next, then count
    both as used here, so neither side is refused a code the other took (a code is good once)."""
    totp = pyotp.TOTP(secret)
    with _lock:
        while totp.timecode(time.time()) <= _last_step.get(secret, -1):
            time.sleep(1)
        _last_step[secret] = totp.timecode(time.time()) + 1
