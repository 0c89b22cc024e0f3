"""The links' rules: the pairs of near pHashes found in bulk are exactly the ones `near_duplicate`
finds pair by pair, and each event tells the links what `follow_link_rules` says, the same to the
live projection and to a rebuild's replay."""

from __future__ import annotations

import random
import uuid
from itertools import permutations

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, near_duplicate
from services.casework.adapters.near_hashes import near_pairs
from services.casework.adapters.projection_memory import CaseLinksReplay
from services.casework.adapters.projections import follow_link_rules
from services.casework.domain import events as ev


def _flipped(phash: str, bits) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


def test_near_pairs_are_the_pairs_near_duplicate_finds_on_random_and_crafted_hashes():
    rng = random.Random(35)
    base = f"{rng.getrandbits(64):016x}"
    hashes = [f"{rng.getrandbits(64):016x}" for _ in range(300)]
    for distance in (0, 1, NEAR_DUPLICATE_DISTANCE - 1, NEAR_DUPLICATE_DISTANCE, NEAR_DUPLICATE_DISTANCE + 1, 64):
        hashes.append(_flipped(base, rng.sample(range(64), distance)))
    hashes += [base, base, _flipped(base, range(NEAR_DUPLICATE_DISTANCE)), _flipped(base, range(52, 64)),
               "0000000000000000", "ffffffffffffffff", "0000000000000fff", "8000000000000000"]
    expected = {(a, b) for a, b in permutations(set(hashes), 2) if near_duplicate(a, b)}
    found = near_pairs(hashes)
    assert len(found) == len(set(found)) and set(found) == expected
    assert (base, _flipped(base, range(NEAR_DUPLICATE_DISTANCE))) in expected  # at the edge: near
    assert (_flipped(base, range(NEAR_DUPLICATE_DISTANCE)), _flipped(base, range(52, 64))) not in expected
    assert ("0000000000000000", "0000000000000fff") in expected and ("0000000000000000", base) not in expected


def _opened(number: str, nip: str | None, posts: list[str]) -> ev.CaseOpened:
    return ev.CaseOpened(case_number=number, source="team", complaint_id=None, opened_at="2026-11-01T00:00:00+00:00",
                         reported={"name": "ASN", "nip": nip}, platform="facebook", post_urls=posts,
                         account_handle=None, occurred_at="2026-10-30T00:00:00+00:00", violation_types=["share"],
                         description="Membagikan.", reporter={"anonymous": True})


def _shot(evidence: uuid.UUID, phash: str | None) -> ev.EvidenceAttached:
    return ev.EvidenceAttached(evidence_id=str(evidence), upload_id=str(uuid.uuid4()), sha256="ab" * 32, size=1,
                               content_type="image/png", received_at="2026-11-01T00:00:00+00:00",
                               perceptual_hash=phash)


class Recorded:
    def __init__(self):
        self.said: list[tuple] = []

    def link_duplicate(self, case_id, case_number):
        self.said.append(("duplicate", case_id, case_number))

    def keep_key(self, case_id, kind, key):
        self.said.append(("key", case_id, kind, key))

    def keep_screenshot(self, case_id, evidence_id, phash, position):
        self.said.append(("screenshot", case_id, evidence_id, phash, position))

    def forget(self, case_id):
        self.said.append(("forget", case_id))


def test_each_event_tells_the_links_what_the_case_is_known_by_and_never_a_pair_but_a_duplicates():
    facts, evidence = Recorded(), uuid.uuid4()
    follow_link_rules(facts, 1, _opened("NTR-1", "1987", ["https://m.facebook.com/a/posts/1?mibextid=x",
                                                          "https://www.facebook.com/a/posts/1"]), 10)
    follow_link_rules(facts, 1, _shot(evidence, "c517fae8b2635581"), 11)
    follow_link_rules(facts, 1, _shot(uuid.uuid4(), None), 12)  # no hash (not an image): nothing
    follow_link_rules(facts, 2, ev.CaseDismissed(reason="duplicate", note="", duplicate_of="NTR-1"), 13)
    assert facts.said == [("key", 1, "case_number", "NTR-1"), ("key", 1, "nip", "1987"),
                          ("key", 1, "post", "facebook.com/a/posts/1"),
                          ("screenshot", 1, str(evidence), "c517fae8b2635581", 11), ("duplicate", 2, "NTR-1")]


def test_the_replay_keeps_each_screenshot_once_and_forgets_a_purged_cases_keys_and_screenshots():
    replay = CaseLinksReplay(projection=None, conn=None)
    first, again = uuid.uuid4(), uuid.uuid4()
    for case_id, number in ((1, "NTR-1"), (2, "NTR-2")):
        follow_link_rules(replay, case_id, _opened(number, "1987", []), case_id)
    follow_link_rules(replay, 1, _shot(first, "c517fae8b2635581"), 3)
    follow_link_rules(replay, 1, _shot(first, "c517fae8b2635581"), 4)  # redelivered: kept at its first
    follow_link_rules(replay, 2, _shot(again, "c517fae8b2635581"), 5)
    follow_link_rules(replay, 2, ev.CaseDismissed(reason="duplicate", note="", duplicate_of="NTR-1"), 6)
    assert replay.shots == {first.int: (1, "c517fae8b2635581", 3), again.int: (2, "c517fae8b2635581", 5)}
    assert replay.links == {(2, 1): "NTR-1", (1, 2): "NTR-1"}
    replay.forget(2)
    assert replay.shots == {first.int: (1, "c517fae8b2635581", 3)}
    assert replay.keyed[("nip", "1987")] == {1: None} and replay.keyed[("case_number", "NTR-2")] == {2: None}
    assert replay.links == {(2, 1): "NTR-1", (1, 2): "NTR-1"}  # a duplicate's link stays
