"""Hashing and sealing off the hub by size (netra_common/offload.py)."""

from __future__ import annotations

import threading

from netra_common.offload import INLINE_BYTES, by_size


def _thread() -> int:
    return threading.get_ident()


def test_a_screenshot_sized_piece_of_work_stays_on_the_calling_thread():
    assert by_size(200 * 1024, _thread) == threading.get_ident()


def test_more_than_the_inline_limit_goes_to_a_real_thread():
    assert by_size(INLINE_BYTES + 1, _thread) != threading.get_ident()
