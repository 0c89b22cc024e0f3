"""When to try a failed delivery again, and when to give up (pure decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


class TemporaryFailure(Exception):
    """The receiver may take it later: connection refused, SMTP 4xx, webhook 408/429/5xx, a timeout."""


class DeliveryRefused(Exception):
    """The receiver refused it for good: SMTP 5xx, webhook 3xx/4xx. Trying again cannot help."""


class LocalFailure(Exception):
    """Something on our side stops this message: it cannot be built, the reporter's sealed contact
    cannot be opened, a key or setting is missing. The same row fails the same way every time."""


@dataclass(frozen=True)
class RetryPolicy:
    delays_seconds: tuple[int, ...] = (60, 300, 1800, 7200, 21600)

    @classmethod
    def parse(cls, value) -> RetryPolicy:
        if value in (None, ""):
            return cls()
        delays = tuple(int(part) for part in str(value).split(",") if part.strip())
        if not delays or any(d <= 0 for d in delays):
            raise ValueError("NETRA_NOTIFY_RETRY_SECONDS must be positive seconds, comma-separated")
        return cls(delays)

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.delays_seconds)

    def after_failure(self, attempts: int, failure: Exception, now: datetime) -> tuple[str, datetime | None, str]:
        """(new status, next attempt time, reason) after attempt number `attempts` failed.

        Only a TemporaryFailure is tried again. Anything the adapters did not class as the
        receiver's answer (a LocalFailure, or an error nobody expected) is ours: it goes to
        the dead letters at once, where an operator sees why, instead of failing for hours.
        """
        reason = f"{type(failure).__name__}: {failure}"[:1000]
        if isinstance(failure, DeliveryRefused):
            return "dead", None, f"refused for good: {reason}"
        if not isinstance(failure, TemporaryFailure):
            return "dead", None, f"cannot be sent from here, not retried: {reason}"
        if attempts >= self.max_attempts:
            return "dead", None, f"gave up after {attempts} attempts: {reason}"
        return "retrying", now + timedelta(seconds=self.delays_seconds[attempts - 1]), reason
