"""Hashing and sealing an upload off the eventlet hub when it is large, on it when it is small.

SHA-256 and AES-GCM of 10 MB hold the hub for tens of milliseconds, so that work goes to a real
thread (eventlet's tpool). For a screenshot of a few hundred KB the work itself takes well under
a millisecond, while the hand-over to a thread and back costs two wake-ups, each a wait for the
CPU on a loaded machine: measured at 4 clients filing, about 10 ms a filing (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from eventlet import tpool

INLINE_BYTES = 1024 * 1024  # ~1 ms of SHA-256 or AES-GCM: short enough to hold the hub

T = TypeVar("T")


def by_size(size: int, function: Callable[..., T], *args) -> T:
    """function(*args), in a real thread when it works on more than INLINE_BYTES."""
    if size > INLINE_BYTES:
        return tpool.execute(function, *args)
    return function(*args)
