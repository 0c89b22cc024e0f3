"""One-time codes for the tests' logins: casework accepts each code once, so a test that logs
an account in again takes the next unused one (within the step of drift casework allows)."""

from __future__ import annotations

import time
from threading import Lock

import pyotp

_last_step: dict[str, int] = {}
_lock = Lock()


def fresh_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    with _lock:
        while True:
            current = totp.timecode(time.time())
            for step in (current, current + 1):
                if step > _last_step.get(secret, -1):
                    _last_step[secret] = step
                    return totp.generate_otp(step)
            time.sleep(1)


def leave_to_another(secret: str) -> None:
    """Another program (the README's walk-through) is about to log in with the code `netra-stack otp`
    prints now: wait until this process has used neither the current step nor the next, then count
    both as used here, so neither side is refused a code the other took (a code is good once)."""
    totp = pyotp.TOTP(secret)
    with _lock:
        while totp.timecode(time.time()) <= _last_step.get(secret, -1):
            time.sleep(1)
        _last_step[secret] = totp.timecode(time.time()) + 1
