"""What leaves intake when PostgreSQL refuses a filing: the error's kind, never its words; and
what a filing that fails half-way leaves behind: nothing, unless it was kept after all."""

from __future__ import annotations

import traceback

import psycopg2
import pytest
from sqlalchemy.exc import DataError, OperationalError

from netra_common.http_answers import dependency_unavailable
from services.intake.adapters.failed_writes import (
    OutcomeUnknown,
    RecordRefused,
    database_errors_withheld,
    settled,
    withholds_database_errors,
)

QUOTED = 'CONTEXT: JSON data, line 1: {"description": "Rahasia pelapor 0852..."'


def raised_by(error: Exception) -> BaseException:
    with pytest.raises(Exception) as caught, database_errors_withheld():
        raise error
    return caught.value


def test_a_refused_record_keeps_only_the_errors_class_and_sqlstate():
    withheld = raised_by(DataError("INSERT INTO intake.complaints ...", None, psycopg2.DataError(QUOTED)))
    assert isinstance(withheld, RecordRefused)
    assert str(withheld) == "DataError sqlstate=None"
    printed = "".join(traceback.format_exception(withheld))
    assert "Rahasia" not in printed and "JSON data" not in printed


def test_an_unreachable_database_is_still_a_503_without_the_servers_words():
    withheld = raised_by(OperationalError("SELECT 1", None, psycopg2.OperationalError(QUOTED)))
    assert dependency_unavailable(withheld)
    assert "Rahasia" not in "".join(traceback.format_exception(withheld))


def test_an_event_handler_is_wrapped_the_same_way():
    @withholds_database_errors
    def handler(envelope):
        raise DataError("UPDATE intake.messages ...", None, psycopg2.DataError(QUOTED))

    with pytest.raises(RecordRefused) as caught:
        handler(None)
    assert "Rahasia" not in "".join(traceback.format_exception(caught.value))


class FakeQuarantine:
    def __init__(self):
        self.removed: list[str] = []

    def remove(self, key: str) -> None:
        self.removed.append(key)


def no_database(keys: list[str]) -> None:
    """Forgetting the intents finds the database gone."""
    raise OperationalError("BEGIN", None, psycopg2.OperationalError("gone"))


def attempt_that_fails(quarantine: FakeQuarantine, *, at_commit: bool, recorded) -> None:
    with settled(no_database, quarantine, recorded) as attempt:
        attempt.put.append("c/u1")
        attempt.committing = at_commit
        raise OperationalError("COMMIT", None, psycopg2.OperationalError("server closed the connection"))


def test_a_filing_whose_commit_answer_was_lost_but_that_was_kept_stands():
    quarantine = FakeQuarantine()
    attempt_that_fails(quarantine, at_commit=True, recorded=lambda: True)  # no error
    assert quarantine.removed == []  # its uploads are its screenshots


def test_a_filing_that_cannot_be_told_kept_or_not_is_reported_as_unknown_and_keeps_its_uploads():
    def unreachable():
        raise OperationalError("SELECT", None, psycopg2.OperationalError("gone"))

    quarantine = FakeQuarantine()
    with pytest.raises(OutcomeUnknown), settled(no_database, quarantine, unreachable) as attempt:
        attempt.put.append("c/u1")
        attempt.committing = True
        raise OperationalError("COMMIT", None, psycopg2.OperationalError("server closed the connection"))
    assert quarantine.removed == []  # left to the intents' timer, which knows whether to take them


@pytest.mark.parametrize("at_commit", [False, True])
def test_a_filing_that_was_not_kept_takes_its_uploads_back_out(at_commit):
    quarantine = FakeQuarantine()
    with pytest.raises(OperationalError):
        attempt_that_fails(quarantine, at_commit=at_commit, recorded=lambda: False)
    assert quarantine.removed == ["c/u1"]


def test_uploads_of_a_failed_filing_leave_quarantine_even_without_the_database():
    quarantine = FakeQuarantine()
    with pytest.raises(ValueError), settled(no_database, quarantine, lambda: False) as attempt:
        attempt.put.extend(["c/u1", "c/u2"])
        raise ValueError("refused before the commit")
    assert quarantine.removed == ["c/u1", "c/u2"]
