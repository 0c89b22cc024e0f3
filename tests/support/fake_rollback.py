"""The rollback every in-memory unit of work in tests/support shares: what a unit did is undone, last
first, when its block raises, as a transaction that does not commit leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar


class Undoable(Protocol):
    undo: list[Callable[[], None]]


U = TypeVar("U", bound=Undoable)


@contextmanager
def undone_on_error(unit: U, before_commit: Callable[[], None] | None = None) -> Iterator[U]:
    try:
        yield unit
        if before_commit:
            before_commit()
    except BaseException:
        for undo in reversed(unit.undo):
            undo()
        raise
