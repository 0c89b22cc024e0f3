"""When filing or replying fails half-way: no screenshot stays in quarantine that no record
refers to, and no PostgreSQL error text reaches a log.

PostgreSQL quotes the offending data in its messages ("CONTEXT: JSON data, line 1: ..."),
and nameko logs a failed worker's exception with its text: that would put a complaint's
words, or worse, into intake's log.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy.exc import StatementError

from netra_common.http import dependency_unavailable
from netra_common.logging import log_event
from services.intake.adapters.quarantine import remove_upload

log = logging.getLogger(__name__)


class RecordRefused(Exception):
    """PostgreSQL refused the record: only the error's class and SQLSTATE are kept."""


def _withheld(exc: StatementError) -> Exception:
    cause = exc.orig if exc.orig is not None else exc
    summary = f"{type(cause).__name__} sqlstate={getattr(cause, 'pgcode', None)}"
    if dependency_unavailable(exc):
        # Still a 503 with Retry-After (netra_common.http), without the server's words.
        return ConnectionError(f"database unavailable: {summary}")
    return RecordRefused(summary)


@contextmanager
def database_errors_withheld():
    try:
        yield
    except StatementError as exc:
        raise _withheld(exc) from None


def withholds_database_errors(handler):
    """The same for a whole entrypoint (an event handler: a team message can be quoted too)."""
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        with database_errors_withheld():
            return handler(*args, **kwargs)
    return wrapper


@contextmanager
def quarantine_undone_on_failure(storage, bucket: str, keys: list[str], recorded: Callable[[], bool]):
    """On any failure, remove the objects in `keys` (filled as they are put), unless the
    record did commit after all (the answer to COMMIT can be lost): then they are its."""
    try:
        yield
    except BaseException:
        if keys:
            _undo(storage, bucket, keys, recorded)
        raise


def _undo(storage, bucket: str, keys: list[str], recorded: Callable[[], bool]) -> None:
    try:
        if recorded():
            return
    except Exception as exc:  # noqa: BLE001 - cannot tell: evidence's sweep removes orphans later
        log_event(log, "quarantine.left_for_sweep", logging.WARNING, objects=len(keys),
                  error=type(exc).__name__)
        return
    removed = 0
    for key in keys:
        try:
            remove_upload(storage, bucket, key)
            removed += 1
        except Exception as exc:  # noqa: BLE001 - best effort; the sweep takes what is left
            log_event(log, "quarantine.undo_failed", logging.WARNING, error=type(exc).__name__)
    log_event(log, "quarantine.undone", objects=removed, left=len(keys) - removed)
