"""What leaves intake when PostgreSQL refuses a filing: the error's kind, never its words."""

from __future__ import annotations

import traceback

import psycopg2
import pytest
from sqlalchemy.exc import DataError, OperationalError

from netra_common.http import dependency_unavailable
from services.intake.adapters.failed_writes import (
    RecordRefused,
    database_errors_withheld,
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
