"""notify's recording, delivering and digests against in-memory ports (tests/support/fake_notify.py):
a message is sent once per recipient and event, a failed hand-over is retried or kept as a dead
letter, and the digest rules, in milliseconds and without PostgreSQL, SMTP or a webhook.
The same use cases on the real stack: tests/e2e/test_notify.py and test_notify_waits.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from netra_common.contracts import parse_envelope
from netra_common.wib import WIB
from services.notify.adapters.contacts import ContactOpener
from services.notify.adapters.smtp import SmtpSettings
from services.notify.adapters.webhook import WebhookSettings
from services.notify.domain.retry import DeliveryRefused, RetryPolicy, TemporaryFailure
from services.notify.usecases import deliver, deliver_due, handle, send_digests
from services.notify.usecases.context import Outbound
from tests.support import events
from tests.support.fake_notify import FakeMember, FakeNotifyStore, FakeSender

OUT = Outbound(smtp=SmtpSettings("127.0.0.1", 25, "netra@bengkaliskab.go.id"), webhook=WebhookSettings(None, None),
               retry=RetryPolicy((60, 300)), contacts=ContactOpener(None), portal_url="https://lapor.example",
               team_url="https://tim.example", bkppd_emails=("bkppd@bengkaliskab.go.id",), digest_hour_wib=7)

KETUA = FakeMember("Hj. Rahmah", "ketua", email="ketua@bengkaliskab.go.id")
SEKRETARIS = FakeMember("Sari", "sekretaris", email="sekretaris@bengkaliskab.go.id", notify_mode="digest")
DIGEST_MOMENT = datetime(2026, 12, 7, 7, 0, tzinfo=WIB)


@pytest.fixture
def store() -> FakeNotifyStore:
    fake = FakeNotifyStore()
    fake.add_member(KETUA)
    fake.add_member(SEKRETARIS)
    return fake


def opened(case_number: str = "NTR-2026-00001"):
    """A case the team filed itself: no reporter to tell, the ketua now, the sekretaris in the digest."""
    return parse_envelope(events.case_status_changed(None, "opened", None, case_number=case_number))


def queued_at(store: FakeNotifyStore, at: datetime, case_number: str) -> None:
    store.clock = lambda: at
    handle(store, OUT, opened(case_number))


# --- once per recipient and event --------------------------------------------------------------


def test_a_message_is_sent_once_per_recipient_and_event_whatever_the_redeliveries(store):
    event, sender = opened(), FakeSender()
    to_send = handle(store, OUT, event)
    assert handle(store, OUT, event) == [], "a redelivered event records nothing"
    for delivery_id in to_send:
        deliver(store, OUT, delivery_id, sender=sender)
    assert deliver_due(store, OUT, sender=sender) == 0, "nothing sent is due again"
    assert [(address, subject is not None) for address, subject, _ in sender.mails] == [
        ("ketua@bengkaliskab.go.id", True)]
    assert [(d.recipient, d.status) for d in store.deliveries_by_id.values()] == [
        (f"member:{KETUA.user_id}", "sent"), (f"member:{SEKRETARIS.user_id}", "queued")]


def test_two_events_for_one_recipient_are_two_messages(store):
    sender = FakeSender()
    handle(store, OUT, opened("NTR-2026-00001"))
    handle(store, OUT, opened("NTR-2026-00002"))
    assert deliver_due(store, OUT, sender=sender) == 2
    assert len({message_id for _, _, message_id in sender.mails}) == 2


def test_an_event_for_someone_not_known_yet_records_nothing(store):
    with pytest.raises(Exception, match="complaint"):
        handle(store, OUT, parse_envelope(events.case_status_changed(str(uuid.uuid4()), "opened", None,
                                                                     case_number="NTR-2026-00003")))
    assert not store.deliveries_by_id and not store.handled, "so the redelivery is planned anew"


def test_a_failed_hand_over_is_retried_when_due_and_then_sent_once(store):
    [delivery_id] = handle(store, OUT, opened())
    sender, now = FakeSender(failures=[TemporaryFailure("SMTP 421 sibuk")]), datetime.now(UTC)
    assert deliver(store, OUT, delivery_id, now=now, sender=sender)
    delivery = store.deliveries_by_id[delivery_id]
    assert (delivery.status, delivery.attempts, sender.mails) == ("retrying", 1, [])
    assert not deliver(store, OUT, delivery_id, now=now + timedelta(seconds=59), sender=sender), "not due yet"
    assert deliver(store, OUT, delivery_id, now=now + timedelta(seconds=60), sender=sender)
    assert (delivery.status, delivery.attempts, len(sender.mails)) == ("sent", 2, 1)
    assert [status for _, _, status, _ in store.attempts] == ["retrying", "sent"]


def test_a_refused_message_is_a_dead_letter_that_does_not_name_its_address(store):
    [delivery_id] = handle(store, OUT, opened())
    sender = FakeSender(failures=[DeliveryRefused("SMTP 550 ketua@bengkaliskab.go.id unknown")])
    deliver(store, OUT, delivery_id, sender=sender)
    delivery = store.deliveries_by_id[delivery_id]
    assert delivery.status == "dead" and delivery.last_error is not None
    assert delivery.last_error.startswith("refused for good: DeliveryRefused")
    assert "ketua@bengkaliskab.go.id" not in delivery.last_error
    assert deliver_due(store, OUT, sender=sender) == 0


def test_each_attempt_is_counted_for_metrics_by_kind_channel_and_outcome(store):
    def counted(outcome: str) -> float:
        return REGISTRY.get_sample_value("netra_notify_delivery_attempts_total",
                                         {"kind": kind, "channel": "email", "outcome": outcome}) or 0

    [delivery_id] = handle(store, OUT, opened())
    kind = store.deliveries_by_id[delivery_id].kind
    before = {outcome: counted(outcome) for outcome in ("retrying", "sent", "dead")}
    now = datetime.now(UTC)
    deliver(store, OUT, delivery_id, now=now, sender=FakeSender(failures=[TemporaryFailure("SMTP 421")]))
    deliver(store, OUT, delivery_id, now=now + timedelta(seconds=60), sender=FakeSender())
    [refused_id] = handle(store, OUT, opened("NTR-2026-00009"))
    deliver(store, OUT, refused_id, sender=FakeSender(failures=[DeliveryRefused("SMTP 550")]))
    assert {o: counted(o) - before[o] for o in before} == {"retrying": 1, "sent": 1, "dead": 1}


# --- the daily digest --------------------------------------------------------------------------


def test_the_digest_folds_what_was_queued_before_the_digest_hour_once_a_day(store):
    queued_at(store, DIGEST_MOMENT - timedelta(hours=3), "NTR-2026-00001")
    queued_at(store, DIGEST_MOMENT - timedelta(hours=1), "NTR-2026-00002")
    queued_at(store, DIGEST_MOMENT + timedelta(minutes=5), "NTR-2026-00003")  # after the hour: tomorrow's
    assert send_digests(store, OUT, now=DIGEST_MOMENT + timedelta(minutes=10)) == 1
    [digest] = [d for d in store.deliveries_by_id.values() if d.kind == "digest"]
    assert (digest.recipient, digest.address, digest.status) == (
        f"member:{SEKRETARIS.user_id}", "sekretaris@bengkaliskab.go.id", "pending")
    assert digest.body_text is not None and "NTR-2026-00001" in digest.body_text
    assert "NTR-2026-00002" in digest.body_text and "NTR-2026-00003" not in digest.body_text
    assert len(store.with_status("digested")) == 2 and len(store.with_status("queued")) == 1
    assert send_digests(store, OUT, now=DIGEST_MOMENT + timedelta(hours=2)) == 0, "one digest a day"
    assert send_digests(store, OUT, now=DIGEST_MOMENT + timedelta(days=1)) == 1, "the next day's"
    assert not store.with_status("queued")


def test_before_the_digest_hour_nothing_goes_and_force_folds_everything_now(store):
    queued_at(store, DIGEST_MOMENT - timedelta(hours=3), "NTR-2026-00001")
    assert send_digests(store, OUT, now=DIGEST_MOMENT - timedelta(hours=2)) == 0, "queued after yesterday's"
    assert send_digests(store, OUT, now=DIGEST_MOMENT - timedelta(hours=2), force=True) == 1
    assert not store.with_status("queued")
    queued_at(store, DIGEST_MOMENT - timedelta(hours=1), "NTR-2026-00002")
    assert send_digests(store, OUT, now=DIGEST_MOMENT + timedelta(minutes=10)) == 1, (
        "a forced digest before the hour does not take the day's")


def test_without_a_digest_hour_digests_go_out_only_when_forced(store):
    by_command = Outbound(**{**OUT.__dict__, "digest_hour_wib": None})
    queued_at(store, DIGEST_MOMENT - timedelta(hours=3), "NTR-2026-00001")
    assert send_digests(store, by_command, now=DIGEST_MOMENT + timedelta(hours=1)) == 0
    assert send_digests(store, by_command, now=DIGEST_MOMENT + timedelta(hours=1), force=True) == 1


def test_a_digest_for_a_member_who_cannot_be_written_to_becomes_dead_letters_with_why(store):
    queued_at(store, DIGEST_MOMENT - timedelta(hours=3), "NTR-2026-00001")
    store.members[SEKRETARIS.user_id] = FakeMember("Sari", "sekretaris", active=False,
                                                   notify_mode="digest", user_id=SEKRETARIS.user_id)
    assert send_digests(store, OUT, now=DIGEST_MOMENT) == 0
    [dead] = store.with_status("dead")
    assert dead.last_error == "digest not sent: the member's account is inactive"
    assert not store.digest_runs, "no digest was made for them"


def test_every_message_names_the_case_it_is_about_so_its_purge_finds_it(store):
    event = opened()
    handle(store, OUT, event)
    assert {str(d.case_id) for d in store.deliveries_by_id.values()} == {event.payload["case_id"]}
