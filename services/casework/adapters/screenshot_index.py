"""Near-identical screenshots found among the ones a case-links replay has seen, in bulk.

A rebuild meets tens of thousands of screenshots; comparing each new one with every earlier one
in Python cost a Python round per pair. Here the earlier hashes sit in one numpy array and a new
one is compared with all of them at once (XOR and a popcount over the array, in C): still every
pair, but at about a nanosecond a pair instead of a microsecond. Banding the 64 bits to look only
at candidates (multi-index hashing) was measured and lost: at a distance of 12 bits the bands are
so short that a few percent of all earlier hashes are candidates, each checked in Python
(docs/decisions/0035). The rule itself stays `near_duplicate`'s: every pair found is checked
again by it, so the index can only be faster, never differently right.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, near_duplicate


class ScreenshotIndex:
    """The screenshots seen so far (evidence id, case, hash), the ones of a forgotten case left out.
    An evidence id is anything ordered as PostgreSQL orders the uuid (a UUID, or its int, which a
    rebuild uses: hashing and comparing an int costs no Python call); a case, anything hashable."""

    def __init__(self) -> None:
        self._bits = np.zeros(1024, dtype=np.uint64)
        self._alive = np.zeros(1024, dtype=bool)
        self._shots: list[tuple[Any, Any, str]] = []  # evidence id, case id, hex hash
        self._of_case: dict[Any, list[int]] = {}
        self._kept_ids: set[Any] = set()  # an evidence id is kept once, as its table's key says

    def __len__(self) -> int:
        return int(self._alive[:len(self._shots)].sum())

    def near(self, phash: str) -> list[tuple[Any, Any]]:
        """(evidence id, case id) of each kept screenshot near `phash`, by evidence id: the order the
        live projection meets them in (it reads them ordered by evidence id)."""
        n = len(self._shots)
        if not n:
            return []
        distance = np.bitwise_count(self._bits[:n] ^ np.uint64(int(phash, 16)))
        found = np.flatnonzero((distance <= NEAR_DUPLICATE_DISTANCE) & self._alive[:n])
        hits = [self._shots[i] for i in found.tolist()]
        return sorted((evidence, case) for evidence, case, other in hits if near_duplicate(phash, other))

    def add(self, evidence_id: Any, case_id: Any, phash: str) -> None:
        if evidence_id in self._kept_ids:
            return
        self._kept_ids.add(evidence_id)
        n = len(self._shots)
        if n == len(self._bits):
            self._bits = np.concatenate([self._bits, np.zeros(n, dtype=np.uint64)])
            self._alive = np.concatenate([self._alive, np.zeros(n, dtype=bool)])
        self._bits[n], self._alive[n] = int(phash, 16), True
        self._shots.append((evidence_id, case_id, phash))
        self._of_case.setdefault(case_id, []).append(n)

    def forget_case(self, case_id: Any) -> None:
        for i in self._of_case.pop(case_id, []):
            self._alive[i] = False
            self._kept_ids.discard(self._shots[i][0])

    def kept(self) -> list[tuple[Any, Any, str]]:
        n = len(self._shots)
        return [shot for shot, alive in zip(self._shots, self._alive[:n].tolist(), strict=True) if alive]
