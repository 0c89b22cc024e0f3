"""Which of a set of screenshots' pHashes are near one another (`near_duplicate`), in bulk.

The links of a case with near-identical screenshots are found when read (decision 0035) through
case_screenshot_near: the pairs of *distinct* hashes within NEAR_DUPLICATE_DISTANCE bits, both
ways. Screenshots with one and the same hash (a post many reporters send) are one hash there, so
k of them cost k rows in case_screenshots and none here. A rebuild makes the pairs once, at the end,
from the hashes it kept: each hash against every later one in numpy (XOR and a popcount over one
array, in C: about a nanosecond a pair), each pair found checked again by `near_duplicate`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, near_duplicate


def near_pairs(hashes: Iterable[str]) -> list[tuple[str, str]]:
    """Every ordered pair (a, b) of distinct hashes of `hashes` with `near_duplicate(a, b)`."""
    distinct = sorted(set(hashes))
    bits = np.array([int(h, 16) for h in distinct], dtype=np.uint64)
    pairs: list[tuple[str, str]] = []
    for i in range(len(distinct) - 1):
        found = np.flatnonzero(np.bitwise_count(bits[i + 1:] ^ bits[i]) <= NEAR_DUPLICATE_DISTANCE)
        for j in (found + i + 1).tolist():
            a, b = distinct[i], distinct[j]
            if near_duplicate(a, b):
                pairs += [(a, b), (b, a)]
    return pairs
