"""When filing or replying fails half-way: no screenshot stays in quarantine that no record
refers to, a filing that did commit is not reported as failed, and no PostgreSQL error text
reaches a log.

PostgreSQL quotes the offending data in its messages ("CONTEXT: JSON data, line 1: ..."),
and nameko logs a failed worker's exception with its text: that would put a complaint's
words, or worse, into intake's log.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import StatementError

from netra_common.http_answers import dependency_unavailable
from netra_common.logging import log_event

log = logging.getLogger(__name__)


class RecordRefused(Exception):
    """PostgreSQL refused the record: only the error's class and SQLSTATE are kept."""


def _withheld(exc: StatementError) -> Exception:
    cause = exc.orig if exc.orig is not None else exc
    summary = f"{type(cause).__name__} sqlstate={getattr(cause, 'pgcode', None)}"
    if dependency_unavailable(exc):
        # Still a 503 with Retry-After (netra_common.http_answers), without the server's words.
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


class OutcomeUnknown(Exception):
    """The answer to COMMIT was lost and the database cannot be asked: the filing may be kept.
    A retry with the same Idempotency-Key tells; its uploads are left to the intents' timer."""


@dataclass
class Attempt:
    """How far a filing got: the uploads it put, and whether its transaction reached COMMIT."""

    put: list[str] = field(default_factory=list)
    committing: bool = False


@contextmanager
def settled(forget_intents: Callable[[list[str]], None], quarantine, recorded: Callable[[], bool]):
    """No half-written filing: on a failure its uploads leave quarantine again, unless the
    record committed after all (the answer to COMMIT can be lost): then the filing stands and
    the failure is swallowed, since nothing after the commit may turn a kept filing into an
    error. When that cannot be known, OutcomeUnknown."""
    attempt = Attempt()
    try:
        yield attempt
    except BaseException:
        if attempt.committing:
            kept = _kept(recorded)
            if kept:
                log_event(log, "filing.commit_answer_lost", objects=len(attempt.put))
                return
            if kept is None:
                log_event(log, "quarantine.left_for_intents", logging.WARNING, objects=len(attempt.put))
                raise OutcomeUnknown() from None
        if attempt.put:
            _undo(forget_intents, quarantine, attempt.put)
        raise


def _kept(recorded: Callable[[], bool]) -> bool | None:
    try:
        return recorded()
    except Exception as exc:  # noqa: BLE001 - cannot tell
        log_event(log, "filing.outcome_unknown", logging.WARNING, error=type(exc).__name__)
        return None


def _undo(forget_intents: Callable[[list[str]], None], quarantine, keys: list[str]) -> None:
    removed = 0
    for key in keys:
        try:
            quarantine.remove(key)
            removed += 1
        except Exception as exc:  # noqa: BLE001 - best effort; the intents' timer takes what is left
            log_event(log, "quarantine.undo_failed", logging.WARNING, error=type(exc).__name__)
    if removed == len(keys):
        try:
            forget_intents(keys)
        except Exception as exc:  # noqa: BLE001 - the timer finds the objects gone and forgets them
            log_event(log, "quarantine.intents_left", logging.WARNING, error=type(exc).__name__)
    log_event(log, "quarantine.undone", objects=removed, left=len(keys) - removed)
