"""Log lines as events with key=value fields, refusing fields that could identify a reporter.

Usage: ``log_event(log, "case.assigned", case_id=..., actor=...)``.
"""

from __future__ import annotations

import logging
import time

# Field names that must never reach a log line. A caller that tries gets the
# value replaced, so a mistake in a handler cannot leak a reporter's identity.
FORBIDDEN_FIELDS = frozenset(
    {
        "name",
        "reporter",
        "reporter_name",
        "email",
        "phone",
        "nik",
        "identity",
        "sealed_identity",
        "receipt",
        "password",
        "token",
        "secret",
        "otp",
        "client_ip",
        "ip",
    }
)


def _format_value(value) -> str:
    text = str(value)
    if not text or any(ch in text for ch in ' ="\n'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


def format_fields(fields: dict) -> str:
    parts = []
    for key, value in fields.items():
        if key.lower() in FORBIDDEN_FIELDS:
            value = "[withheld]"
        parts.append(f"{key}={_format_value(value)}")
    return " ".join(parts)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields) -> None:
    """Log one event: a dotted name and its fields."""
    if fields:
        logger.log(level, "%s %s", event, format_fields(fields))
    else:
        logger.log(level, "%s", event)


class EventFormatter(logging.Formatter):
    """`2026-11-24T20:01:13Z INFO intake outbox.sent event_id=...` on one line."""

    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def __init__(self, service: str = "-", **kwargs):
        super().__init__(fmt=f"%(asctime)s %(levelname)s {service} %(name)s: %(message)s", **kwargs)

    converter = time.gmtime
