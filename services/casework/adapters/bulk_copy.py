"""Rows written with COPY: what a rebuild writes into its empty tables (projection_memory.py).

A multi-row INSERT through SQLAlchemy spends some microseconds of Python per value on building
and quoting parameters; COPY takes the rows as text in one stream, which PostgreSQL parses in C.
Only the simple values the rebuild's tables hold are written here (text, numbers, booleans,
UUIDs, times, arrays of text): each is turned into COPY's text form, with its escapes.

The rows are made as PostgreSQL reads them: psycopg2 asks for the next part of the stream when
it has sent the last one, so PostgreSQL parses and stores (and computes, for a generated column)
one part while this process makes the next, and a large table is never one string in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

import psycopg2

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
PART = 64 * 1024  # characters handed to psycopg2 at a time


def escaped(text: str) -> str:
    """A text value in COPY's text form (looked through first: nearly every text has nothing to escape)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _element(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array(value) -> str:  # an array of texts, each quoted as an array element
    return escaped("{" + ",".join("NULL" if v is None else _element(v) for v in value) + "}")


# By the value's exact type first: one dict look-up instead of a row of isinstance checks, for
# each of the hundreds of thousands of values a rebuild writes.
_BY_TYPE = {type(None): lambda _: "\\N", bool: lambda v: "t" if v else "f", str: escaped,
            datetime: datetime.isoformat, int: str, uuid.UUID: str, list: _array, tuple: _array}


def _text(value) -> str:
    by_type = _BY_TYPE.get(type(value))
    return by_type(value) if by_type is not None else _text_of_subtype(value)


def _text_of_subtype(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return escaped(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return _array(value)
    raise TypeError(f"COPY here takes text, numbers, booleans, UUIDs and times, not {type(value).__name__}")


def copy_rows(conn, table, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows` (values in the order of `columns`) into `table` on `conn`'s transaction."""
    return copy_lines(conn, table, columns, ("\t".join(_text(v) for v in row) + "\n" for row in rows))


def copy_lines(conn, table, columns: Sequence[str], lines: Iterable[str]) -> int:
    """Write rows already in COPY's text form (values escaped, tab-separated, each line ending in a
    newline) into `table`: for a caller that writes many rows of few distinct texts."""
    preparer = conn.dialect.identifier_preparer
    target = f"{preparer.format_table(table)} ({', '.join(preparer.quote(c) for c in columns)})"
    stream = _Stream(lines)
    with conn.connection.driver_connection.cursor() as cursor:
        try:
            cursor.copy_expert(f"COPY {target} FROM STDIN", stream, size=PART)
        except psycopg2.Error:
            # A line that could not be made stops the COPY: raised as itself, not as the COPY
            # PostgreSQL was told to cancel.
            if stream.failed is not None:
                raise stream.failed from None
            raise
    return stream.written


class _Stream:
    """The lines as a file psycopg2 reads from, about `size` characters a read."""

    def __init__(self, lines: Iterable[str]):
        self._lines: Iterator[str] = iter(lines)
        self.written = 0
        self.failed: BaseException | None = None

    def read(self, size: int = PART) -> str:
        part: list[str] = []
        length = 0
        try:
            for line in self._lines:
                part.append(line)
                length += len(line)
                if length >= size:
                    break
        except BaseException as exc:
            self.failed = exc
            raise
        self.written += len(part)
        return "".join(part)
