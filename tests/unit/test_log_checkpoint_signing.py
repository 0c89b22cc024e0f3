"""Checkpoints of the log (docs/decisions/0016): signed over the checkpoint's canonical JSON, any
change breaks the signature, a retired key still verifies, and the forward's event, mail and
webhook carry the signed checkpoint as it was made."""

from __future__ import annotations

import copy
import json

import pytest

from netra_common.contracts.events import payload_schema
from services.casework.adapters.checkpoint_signing import (
    CheckpointSigner,
    canonical_bytes,
    new_seed_b64,
    parse_public_keys,
    verify,
)
from services.notify.domain import messages
from services.notify.usecases import TEMPLATE_DIR
from tests.unit.test_notify_templates import FORWARDED, html_lines

SIGNER = CheckpointSigner(new_seed_b64())


def signed(signer: CheckpointSigner = SIGNER) -> dict:
    return signer.sign(global_position=42, log_hash="ab" * 32, signed_at="2026-12-07T02:00:00+00:00")


def test_a_fresh_checkpoint_verifies_with_the_published_key_and_names_it():
    checkpoint = signed()
    published = parse_public_keys(SIGNER.public_keys()["public_key"])
    assert verify(checkpoint, published)
    assert checkpoint["checkpoint"]["key_id"] == checkpoint["signature"]["key_id"] == SIGNER.key_id
    assert canonical_bytes(checkpoint["checkpoint"]) == (
        b'{"global_position":42,"key_id":"' + SIGNER.key_id.encode()
        + b'","log_hash":"' + b"ab" * 32 + b'","signed_at":"2026-12-07T02:00:00+00:00"}')


@pytest.mark.parametrize("change", [
    ("checkpoint", "global_position", 41), ("checkpoint", "log_hash", "cd" * 32),
    ("checkpoint", "signed_at", "2026-12-08T02:00:00+00:00"), ("signature", "algorithm", "HS256"),
    ("signature", "value", "AAAA"), ("checkpoint", "key_id", "0" * 16)])
def test_any_change_breaks_it(change):
    part, field, value = change
    changed = copy.deepcopy(signed())
    changed[part][field] = value
    assert not verify(changed, SIGNER.keys)


def test_another_key_does_not_verify_it_and_a_retired_one_still_does():
    old = CheckpointSigner(new_seed_b64())
    kept_from_before = signed(old)
    rotated = CheckpointSigner(new_seed_b64(), retired=[old.public])
    assert not verify(kept_from_before, [rotated.public])
    assert verify(kept_from_before, rotated.keys)
    assert [k["status"] for k in rotated.public_keys()["keys"]] == ["current", "retired"]


@pytest.mark.parametrize("broken", [None, {}, {"checkpoint": {}}, {"checkpoint": "x", "signature": "y"}])
def test_something_that_is_not_a_checkpoint_is_simply_not_good(broken):
    assert verify(broken, SIGNER.keys) is False


def test_casework_does_not_start_signing_without_a_key():
    with pytest.raises(ValueError, match="NETRA_CASEWORK_CHECKPOINT_KEY"):
        CheckpointSigner("")


def test_the_forward_event_carries_the_signed_checkpoint_through_the_contract():
    schema = payload_schema("case_forwarded_to_bkppd", 1)
    payload = {**FORWARDED, "checkpoint": signed()}
    assert schema.load(json.loads(json.dumps(schema.dump(schema.load(payload)))))["checkpoint"] == signed()
    assert schema.load(FORWARDED)["checkpoint"] is None  # an event from before checkpoints still reads


def test_bkppd_mail_holds_the_checkpoint_on_one_line_in_text_and_html():
    checkpoint = signed()
    message = messages.bkppd_forwarded({**FORWARDED, "checkpoint": checkpoint}, "http://tim/x", TEMPLATE_DIR)
    line = next(line for line in message.text.splitlines() if line.startswith("Titik periksa log"))
    assert json.loads(line[line.index("{"):]) == checkpoint
    html_line = next(line for line in html_lines(message.html) if line.startswith("Titik periksa log"))
    assert json.loads(html_line[html_line.index("{"):]) == checkpoint
    without = messages.bkppd_forwarded(FORWARDED, "http://tim/x", TEMPLATE_DIR)  # from an older casework
    assert "Titik periksa log" not in without.text and "Titik periksa log" not in without.html
