"""evidence's own rules: which grants it honours, which quarantined uploads may go, how many
images one process works on at once, and that an upload is decoded and hashed once."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import eventlet
import pytest
from eventlet import tpool
from PIL import Image

from netra_common import offload
from netra_common.config import load_service_config
from netra_common.contracts.grants import Grant, GrantRefused
from netra_common.contracts.quarantine import DoesNotOpen, Opener, Sealer, new_key_pair
from services.evidence import settings as evidence_settings
from services.evidence.adapters import crypto, image_slots
from services.evidence.domain import grant_policy, quarantine
from services.evidence.domain.grant_policy import GrantPolicy
from services.evidence.domain.inspection import REASON_CODES
from services.evidence.usecases import custody, preparation
from services.intake.domain.status import REJECTION_REASONS
from tests.support import complaints

POLICY = GrantPolicy.parse("ketua,sekretaris,bkppd", 900)
NOW = 1_000_000


def grant(copy="original", role="ketua", issued=NOW, lifetime=300) -> Grant:
    return Grant(str(uuid.uuid4()), str(uuid.uuid4()), copy, str(uuid.uuid4()), role,
                 "memverifikasi unggahan", issued, issued + lifetime)


@pytest.mark.parametrize("role", ["ketua", "sekretaris", "bkppd"])
def test_roles_that_may_see_originals_get_them(role):
    grant_policy.check(POLICY, grant(role=role), NOW + 10)


@pytest.mark.parametrize("role", ["anggota", "admin", ""])
def test_an_original_is_refused_to_any_other_role_even_with_a_signed_grant(role):
    with pytest.raises(GrantRefused, match="may not see originals"):
        grant_policy.check(POLICY, grant(role=role), NOW + 10)
    grant_policy.check(POLICY, grant(copy="sanitized", role=role), NOW + 10)  # clean copies: fine


@pytest.mark.parametrize("lifetime, issued, reason", [
    (901, NOW, "longer than evidence allows"),
    (86_400 * 365, NOW, "longer than evidence allows"),
    (300, NOW + 3600, "issued in the future"),
])
def test_a_grant_that_lives_too_long_is_refused(lifetime, issued, reason):
    with pytest.raises(GrantRefused, match=reason):
        grant_policy.check(POLICY, grant(copy="thumbnail", issued=issued, lifetime=lifetime), NOW)
    grant_policy.check(POLICY, grant(copy="thumbnail", lifetime=900), NOW)


def test_the_shipped_settings_allow_originals_to_the_leads_and_bkppd_for_a_quarter_hour():
    settings = evidence_settings.from_config({
        **load_service_config("evidence"), "NETRA_EVIDENCE_MASTER_KEYS": f"k1:{crypto.Keyring.new_key()}",
        "NETRA_EVIDENCE_ACTIVE_KEY_ID": "k1", "NETRA_QUARANTINE_PRIVATE_KEYS": new_key_pair()[0]})
    assert settings.grants == GrantPolicy(frozenset({"ketua", "sekretaris", "bkppd"}), 900)
    assert settings.quarantine_grace == timedelta(days=7)
    assert settings.image_slots == 2


# --- quarantine -----------------------------------------------------------------------

T = datetime(2026, 12, 1, tzinfo=UTC)
WEEK = quarantine.DEFAULT_GRACE


@pytest.mark.parametrize("recorded, age, goes", [
    (True, timedelta(seconds=1), True),  # its outcome is recorded: the raw copy goes now
    (True, timedelta(days=400), True),
    (False, timedelta(hours=30), False),  # a complaint held up on the bus for a day
    (False, timedelta(days=6), False),  # parked in a dead-letter queue over a long weekend
    (False, timedelta(days=8), True),
])
def test_a_recorded_upload_goes_at_once_and_an_unknown_one_only_after_the_grace(recorded, age, goes):
    assert quarantine.sweepable(recorded, T - age, T, WEEK) is goes


def test_a_grace_under_a_day_is_refused_unless_forced():
    with pytest.raises(ValueError, match="still on their way"):
        quarantine.check_grace(timedelta(hours=23))
    assert quarantine.check_grace(timedelta(0), force=True) == timedelta(0)
    assert quarantine.check_grace(timedelta(hours=24)) == timedelta(hours=24)


# --- image work -----------------------------------------------------------------------


def test_no_more_images_are_worked_on_at_once_than_the_slots_allow():
    lock, running, most = threading.Lock(), [0], [0]

    def work(_):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.15)
        with lock:
            running[0] -= 1

    pool = eventlet.GreenPool()
    for i in range(6):
        pool.spawn(image_slots.run, 2, work, i)
    pool.waitall()
    assert most[0] == 2


def test_an_upload_is_decoded_once_for_its_check_and_all_its_copies(monkeypatch):
    opened = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    data = complaints.png(900, 700, seed=2)
    binding = preparation.Binding(uuid.uuid4(), uuid.uuid4(), T)
    ring = crypto.Keyring.parse(f"k1:{crypto.Keyring.new_key()}", "k1")
    prepared = preparation.prepare(data, "layar.png", None, binding, ring)
    assert prepared.inspection.accepted and set(prepared.copies) == {"original", "sanitized",
                                                                      "thumbnail"}
    assert len(opened) == 1


def test_an_upload_is_hashed_once_and_its_original_sealed_under_that_hash(monkeypatch):
    data = complaints.png(900, 700, seed=3)
    hashed = []
    real_sha256 = hashlib.sha256
    monkeypatch.setattr(hashlib, "sha256", lambda content=b"", **k: hashed.append(content) or real_sha256(content, **k))
    binding = preparation.Binding(uuid.uuid4(), uuid.uuid4(), T)
    ring = crypto.Keyring.parse(f"k1:{crypto.Keyring.new_key()}", "k1")
    prepared = preparation.prepare(data, "layar.png", None, binding, ring)
    assert prepared.copies is not None
    assert sum(1 for content in hashed if content == data) == 1
    original = prepared.copies["original"]
    assert original.sha256 == real_sha256(data).hexdigest() == prepared.inspection.sha256
    aad = crypto.associated_data(crypto.AAD_VERSION, evidence_id=binding.evidence_id, copy="original",
                                 sha256=original.sha256, size=len(data), complaint_id=binding.complaint_id,
                                 received_at=binding.received_at)
    assert crypto.open_sealed(ring, original.sealed.key_id, original.sealed.wrapped_key, original.sealed.blob,
                              aad) == data


class _Quarantine:
    """A stand-in for the quarantine bucket: get_object answers the stored blob."""

    def __init__(self, blob: bytes):
        self.blob = blob

    def get_object(self, bucket, key, version_id=None):
        blob = self.blob

        class Answer:
            def read(self):
                return blob

            def close(self):
                pass

            def release_conn(self):
                pass

        return Answer()


@pytest.mark.parametrize("size, in_a_thread", [(6_000, False), (offload.INLINE_BYTES + 1, True)])
def test_a_quarantined_upload_is_opened_in_a_thread_only_when_it_is_large(monkeypatch, size, in_a_thread):
    private, public = new_key_pair()
    data = bytes(range(256)) * (size // 256 + 1)
    blob = Sealer(public).seal(data, "uploads/u1")
    handed_over = []
    real_execute = tpool.execute
    monkeypatch.setattr(tpool, "execute", lambda f, *a: handed_over.append(f) or real_execute(f, *a))
    settings = SimpleNamespace(quarantine="quarantine", quarantine_keys=Opener.parse(private))
    assert custody._quarantined(_Quarantine(blob), settings, "uploads/u1", uuid.uuid4()) == data
    assert bool(handed_over) is in_a_thread
    with pytest.raises(DoesNotOpen):  # moved from another object: still refused
        custody._quarantined(_Quarantine(blob), settings, "uploads/u2", uuid.uuid4())


def test_the_reporter_reads_words_for_every_reason_evidence_gives():
    for code in REASON_CODES:
        assert REJECTION_REASONS[code]["id"] and REJECTION_REASONS[code]["en"]
