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
