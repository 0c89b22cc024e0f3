"""Image work runs in real threads (tpool), off the eventlet hub, and only a few at a time
in one process: a 40 MP upload holds a few hundred MB while it is decoded and re-encoded,
and ten of them at once would take gigabytes. Workers past the limit wait, green, for a
slot; the hub keeps answering everything else meanwhile."""

from __future__ import annotations

from eventlet import tpool
from eventlet.semaphore import Semaphore

_slots: dict[int, Semaphore] = {}


def _semaphore(size: int) -> Semaphore:
    if size not in _slots:
        _slots[size] = Semaphore(size)
    return _slots[size]


def run(size: int, function, *args):
    """function(*args) in a real thread, with at most `size` such calls under way at once."""
    with _semaphore(size):
        return tpool.execute(function, *args)
