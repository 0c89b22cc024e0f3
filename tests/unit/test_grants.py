"""Viewing grants: only casework's key makes them; each is for one object, copy and time."""

from __future__ import annotations

import base64
import uuid

import pytest
from nacl.signing import SigningKey

from netra_common.contracts import grants

KEY = SigningKey.generate()
SIGNING, VERIFYING = base64.b64encode(bytes(KEY)).decode(), base64.b64encode(bytes(KEY.verify_key)).decode()
EVIDENCE = str(uuid.uuid4())


def issue(copy="sanitized", ttl=300, now=1_000_000.0, key=SIGNING):
    return grants.issue(key, evidence_id=EVIDENCE, copy=copy, member_id=str(uuid.uuid4()),
                        member_role="anggota", purpose="memverifikasi unggahan", ttl_seconds=ttl,
                        now=now)


def test_a_fresh_grant_opens_its_own_object_and_copy():
    token, issued = issue()
    grant = grants.verify(VERIFYING, token, evidence_id=EVIDENCE, copy="sanitized", now=1_000_100)
    assert grant == issued


@pytest.mark.parametrize("evidence_id, copy, now, reason", [
    (EVIDENCE, "sanitized", 1_000_300, "expired"),
    (str(uuid.uuid4()), "sanitized", 1_000_100, "another object"),
    (EVIDENCE, "original", 1_000_100, "another object or copy"),
], ids=["expired", "another-object", "another-copy"])  # the same names in every pytest-xdist worker
def test_a_grant_for_another_time_object_or_copy_is_refused(evidence_id, copy, now, reason):
    token, _ = issue()
    with pytest.raises(grants.GrantRefused, match=reason):
        grants.verify(VERIFYING, token, evidence_id=evidence_id, copy=copy, now=now)


def test_a_forged_or_altered_grant_is_refused():
    forged, _ = issue(key=base64.b64encode(bytes(SigningKey.generate())).decode())
    token, _ = issue()
    body, signature = token.split(".")
    altered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    for bad in (forged, altered, "not-a-grant", token + "x", ""):
        with pytest.raises(grants.GrantRefused):
            grants.verify(VERIFYING, bad, evidence_id=EVIDENCE, copy="sanitized", now=1_000_100)
