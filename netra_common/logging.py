"""Log lines as events with key=value fields (or JSON), refusing fields that could identify a
reporter, and carrying the correlation id of the complaint or case they concern.

Usage: ``log_event(log, "case.assigned", case_id=..., actor=...)``.

The correlation id travels in every event's envelope (netra_common/contracts/envelope.py): intake
draws one when a complaint is filed, and every event that follows from it, in every service, carries
it. While a worker handles an event, or a unit of work runs, the id is this green thread's
(`CORRELATION`), and every line it logs carries it, so one complaint is followed across the four
services' logs by that id (never by its tracking code). `NETRA_LOG_FORMAT=json` writes one JSON
object per line instead of text.
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar

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
        "tracking_code",
    }
)
WITHHELD = "[withheld]"

# The correlation id of what this green thread is doing (each greenlet has its own context, so a
# worker's id never reaches another worker's lines).
CORRELATION: ContextVar[str | None] = ContextVar("netra_correlation_id", default=None)


def set_correlation(correlation_id) -> None:
    CORRELATION.set(str(correlation_id) if correlation_id else None)


def _format_value(value) -> str:
    text = str(value)
    if not text or any(ch in text for ch in ' ="\n'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


def _safe(fields: dict) -> dict:
    return {key: WITHHELD if key.lower() in FORBIDDEN_FIELDS else value for key, value in fields.items()}


def format_fields(fields: dict) -> str:
    return " ".join(f"{key}={_format_value(value)}" for key, value in _safe(fields).items())


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields) -> None:
    """Log one event: a dotted name and its fields."""
    extra = {"netra_event": event, "netra_fields": _safe(fields)}
    if fields:
        logger.log(level, "%s %s", event, format_fields(fields), extra=extra)
    else:
        logger.log(level, "%s", event, extra=extra)


class EventFormatter(logging.Formatter):
    """`2026-11-24T20:01:13Z INFO intake outbox.sent event_id=... correlation_id=...` on one line,
    or (`output: json`) the same as one JSON object."""

    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def __init__(self, service: str = "-", output: str = "text", **kwargs):
        super().__init__(fmt=f"%(asctime)s %(levelname)s {service} %(name)s: %(message)s", **kwargs)
        self.service = service
        self.json = str(output).strip().lower() == "json"

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        correlation = CORRELATION.get()
        if self.json:
            return self._json(record, correlation)
        line = super().format(record)
        if correlation and "correlation_id=" not in line:
            line += f" correlation_id={correlation}"
        return line

    def _json(self, record: logging.LogRecord, correlation: str | None) -> str:
        entry: dict = {"time": self.formatTime(record), "level": record.levelname, "service": self.service,
                       "logger": record.name}
        event = getattr(record, "netra_event", None)
        if event is not None:
            entry["event"] = event
            entry.update({k: str(v) for k, v in getattr(record, "netra_fields", {}).items()
                          if k not in entry})
        else:
            entry["message"] = record.getMessage()
        if correlation:
            entry.setdefault("correlation_id", correlation)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
