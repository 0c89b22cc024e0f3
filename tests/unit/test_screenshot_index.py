"""The rebuild's screenshot index finds exactly the pairs a comparison with every earlier one finds."""

from __future__ import annotations

import random
import uuid

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, near_duplicate
from services.casework.adapters.screenshot_index import ScreenshotIndex


def _brute_force(kept: list[tuple[uuid.UUID, uuid.UUID, str]], phash: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
    return sorted((evidence, case) for evidence, case, other in kept if near_duplicate(phash, other))


def _flipped(phash: str, bits: list[int]) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


def test_the_index_finds_what_brute_force_finds_on_random_and_crafted_hashes():
    rng = random.Random(35)
    base = f"{rng.getrandbits(64):016x}"
    hashes = [f"{rng.getrandbits(64):016x}" for _ in range(1100)]  # past the first array's 1024 slots
    # Crafted: at the threshold, one over it, one under, the extreme bits, zero and all ones.
    for distance in (0, 1, NEAR_DUPLICATE_DISTANCE - 1, NEAR_DUPLICATE_DISTANCE, NEAR_DUPLICATE_DISTANCE + 1, 64):
        hashes.append(_flipped(base, rng.sample(range(64), distance)))
    hashes += [_flipped(base, list(range(NEAR_DUPLICATE_DISTANCE))), _flipped(base, list(range(52, 64))),
               "0000000000000000", "ffffffffffffffff", "0000000000000fff", "8000000000000000"]
    rng.shuffle(hashes)
    index, kept, cases = ScreenshotIndex(), [], [uuid.uuid4() for _ in range(20)]
    for phash in [base, *hashes]:
        evidence, case = uuid.uuid4(), rng.choice(cases)
        assert index.near(phash) == _brute_force(kept, phash)
        index.add(evidence, case, phash)
        kept.append((evidence, case, phash))
        if rng.random() < 0.03:  # a purged case's screenshots are no longer found
            gone = rng.choice(cases)
            index.forget_case(gone)
            kept = [shot for shot in kept if shot[1] != gone]
    assert sorted(index.kept()) == sorted(kept)


def test_a_distance_of_exactly_the_threshold_is_near_and_one_more_is_not():
    index, case = ScreenshotIndex(), uuid.uuid4()
    index.add(uuid.UUID(int=1), case, "0000000000000000")
    assert index.near(_flipped("0000000000000000", list(range(NEAR_DUPLICATE_DISTANCE)))) == [(uuid.UUID(int=1), case)]
    assert index.near(_flipped("0000000000000000", list(range(NEAR_DUPLICATE_DISTANCE + 1)))) == []


def test_an_evidence_id_is_kept_once_and_again_after_its_case_is_forgotten():
    index, case = ScreenshotIndex(), uuid.uuid4()
    index.add(uuid.UUID(int=1), case, "00000000000000ff")
    index.add(uuid.UUID(int=1), case, "00000000000000ff")
    assert len(index) == 1
    index.forget_case(case)
    assert index.near("00000000000000ff") == []
    index.add(uuid.UUID(int=1), case, "00000000000000ff")
    assert len(index) == 1
