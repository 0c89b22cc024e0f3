"""Uploads wait in quarantine sealed to evidence's key: only evidence opens them, each only under
its own object key, and a rotation keeps both keys working."""

from __future__ import annotations

import pytest

from netra_common.contracts import quarantine
from netra_common.contracts.quarantine import Opener, Sealer, new_key_pair

PHOTO = b"\xff\xd8\xff\xe1EXIF GPS 1.4700N 102.1100E serial PHONE-XY-123456 " + bytes(range(256)) * 40
KEY = "6f1c3a2e-0000-4000-8000-000000000001/0d9e8f7a-0000-4000-8000-000000000002"


def pair() -> tuple[Opener, Sealer]:
    private, public = new_key_pair()
    return Opener.parse(private), Sealer(public)


def test_a_sealed_upload_holds_nothing_readable_and_opens_back_exactly():
    opener, sealer = pair()
    blob = sealer.seal(PHOTO, KEY)
    assert b"GPS" not in blob and b"PHONE-XY-123456" not in blob and PHOTO[:32] not in blob
    assert blob.startswith(quarantine.MAGIC)
    assert opener.open(blob, KEY) == PHOTO


def test_each_upload_has_its_own_data_key():
    _, sealer = pair()
    assert sealer.seal(PHOTO, KEY) != sealer.seal(PHOTO, KEY)


def test_a_sealed_upload_moved_to_another_object_does_not_open():
    opener, sealer = pair()
    with pytest.raises(quarantine.DoesNotOpen):
        opener.open(sealer.seal(PHOTO, KEY), KEY.replace("0001", "0003"))


def test_another_objects_sealed_key_spliced_in_does_not_open():
    opener, sealer = pair()
    first, second = sealer.seal(PHOTO, KEY), sealer.seal(b"other bytes" * 50, KEY)
    split = quarantine.HEADER - quarantine.NONCE
    with pytest.raises(quarantine.DoesNotOpen):
        opener.open(second[:split] + first[split:], KEY)


@pytest.mark.parametrize("damage", [lambda b: b[:-1], lambda b: b[:-20] + bytes(20),
                                    lambda b: b[:quarantine.HEADER], lambda b: b[:40]])
def test_a_changed_or_cut_upload_does_not_open(damage):
    opener, sealer = pair()
    with pytest.raises(quarantine.DoesNotOpen):
        opener.open(damage(sealer.seal(PHOTO, KEY)), KEY)


def test_a_rotation_opens_uploads_sealed_to_the_old_key_and_to_the_new_one():
    old_private, old_public = new_key_pair()
    new_private, new_public = new_key_pair()
    both = Opener.parse(f"{new_private}, {old_private}")
    assert both.open(Sealer(old_public).seal(PHOTO, KEY), KEY) == PHOTO
    assert both.open(Sealer(new_public).seal(PHOTO, KEY), KEY) == PHOTO


def test_an_upload_sealed_to_a_key_evidence_lacks_names_that_key():
    _, public = new_key_pair()
    sealer = Sealer(public)
    opener, _ = pair()
    with pytest.raises(quarantine.UnknownKey) as unknown:
        opener.open(sealer.seal(PHOTO, KEY), KEY)
    assert unknown.value.key_id == sealer.key_id.hex()


def test_an_upload_from_before_sealing_is_told_apart():
    opener, _ = pair()
    with pytest.raises(quarantine.NotSealed):
        opener.open(PHOTO, KEY)


@pytest.mark.parametrize("value", ["", "   ", "bm90IGEga2V5", "%%%"])
def test_a_missing_or_malformed_key_stops_start_up_with_its_setting_named(value):
    with pytest.raises(ValueError, match="NETRA_QUARANTINE_PUBLIC_KEY"):
        Sealer(value)
    with pytest.raises(ValueError, match="NETRA_QUARANTINE_PRIVATE_KEYS"):
        Opener.parse(value)


def test_the_private_keys_never_show_in_a_repr():
    private, _ = new_key_pair()
    opener = Opener.parse(private)
    assert private not in repr(opener) and private not in str(opener)
