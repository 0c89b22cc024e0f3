"""notify's failures as operators meet them: a reporter's address refused for good leaves no
trace of it in notify's tables, its log or the dead-letter commands; what notify cannot send
by its own fault is a dead letter at once; dead letters are sent again one by one, by kind or
all, each attempt on record."""

from __future__ import annotations

import base64
import gc
import uuid

from click.testing import CliRunner
from nacl.public import PrivateKey
from sqlalchemy import event

from services.notify import admin
from tests.support import complaints
from tests.support.casework import complaint_id_of
from tests.support.notify_stack import (  # noqa: F401 - fixtures
    BKPPD,
    case_number,
    complaint_event,
    email_deliveries,
    forwarded_event,
    leaks,
    netra_notify,
    notify_log,
    notify_tables,
    one_mail,
    outside_fixture,
    records,
    rows,
    sealed_for,
    status_event,
    to_notify,
)
from tests.support.waiting import eventually

REFUSED = {"anonymous": False, "name": "Rahmat Hidayatullah", "email": "rahmat.hidayat.tolak@example.id",
           "phone": "085266554433", "nik": "1403021505850007", "consent_contact": True}


def dead_for(stack_db, recipient: str) -> list:
    return records(stack_db, "SELECT * FROM notify.deliveries WHERE recipient = :r AND status = 'dead'", r=recipient)


def attempts(stack_db, delivery_id) -> list:
    return records(stack_db, "SELECT * FROM notify.delivery_attempts WHERE delivery_id = :d ORDER BY attempt_id",
                   d=delivery_id)


def test_a_reporter_address_refused_for_good_is_nowhere_in_notify_nor_in_the_dead_letter_commands(
        stack, stack_db, outside):
    mailbox, _ = outside
    mailbox.refuse.add(REFUSED["email"])
    try:
        filed = complaints.file(stack.settings.url("intake"), complaints.complaint(reporter=REFUSED), []).json()
        recipient = f"reporter:{complaint_id_of(stack_db, filed['tracking_code'])}"
        dead = eventually(lambda: dead_for(stack_db, recipient), message="the refused reporter's dead letter")[0]
    finally:
        mailbox.refuse.discard(REFUSED["email"])
    assert dead.attempts == 1
    assert dead.last_error == ("refused for good: DeliveryRefused: SMTP 550 5.1.1 <[address]>: "
                               "Recipient address rejected: User unknown in virtual mailbox table")
    [attempt] = attempts(stack_db, dead.delivery_id)
    assert (attempt.attempt, attempt.outcome, attempt.error) == (1, "dead", dead.last_error)

    listed = netra_notify(stack, mailbox, "dead-letters", "list")
    shown = netra_notify(stack, mailbox, "dead-letters", "show", str(dead.delivery_id))
    assert str(dead.delivery_id) in listed.stdout and "SMTP 550" in listed.stdout
    assert "attempts log:" in shown.stdout and "#1" in shown.stdout and "SMTP 550" in shown.stdout
    for output in (listed.stdout + listed.stderr, shown.stdout + shown.stderr):
        assert leaks(output, [REFUSED]) == []
    assert [row for row in notify_tables(stack_db) if leaks(row, [REFUSED])] == []
    assert leaks(notify_log(stack), [REFUSED]) == []


def unopenable_reporter_update(stack, bus_publisher) -> str:
    """A reporter whose contact was sealed for another key: notify can never open it."""
    complaint_id = str(uuid.uuid4())
    other_key = base64.b64encode(PrivateKey.generate().public_key.encode()).decode()
    sealed = sealed_for(other_key, "sealed.elsewhere@example.id")
    to_notify(stack, bus_publisher, complaint_event(complaint_id, sealed))
    to_notify(stack, bus_publisher, status_event(complaint_id))
    return f"reporter:{complaint_id}"


def test_a_contact_notify_cannot_open_is_a_dead_letter_at_once_with_the_reason(stack, stack_db, outside,
                                                                                bus_publisher):
    recipient = unopenable_reporter_update(stack, bus_publisher)
    dead = eventually(lambda: dead_for(stack_db, recipient), message="the dead letter")[0]
    assert dead.attempts == 1
    assert dead.last_error == ("cannot be sent from here, not retried: LocalFailure: the reporter's sealed contact "
                               "does not open with NETRA_NOTIFY_PRIVATE_KEY (sealed for another key?)")
    assert [a.outcome for a in attempts(stack_db, dead.delivery_id)] == ["dead"]


def dead_count(stack_db, kind: str | None = None) -> int:
    return len(rows(stack_db, "SELECT delivery_id FROM notify.deliveries WHERE status = 'dead' "
                              "AND (CAST(:k AS text) IS NULL OR kind = :k)", k=kind))


def test_dead_letters_of_a_kind_or_all_are_sent_again_once_their_count_is_confirmed(stack, stack_db, outside,
                                                                                     bus_publisher):
    mailbox, _ = outside
    number = case_number()
    mailbox.refuse.update(BKPPD)
    try:
        bus_publisher.publish_event(forwarded_event(number))
        eventually(lambda: [r.status for r in email_deliveries(stack_db, number)] == ["dead", "dead"],
                   message="both BKPPD mails dead")
    finally:
        mailbox.refuse.difference_update(BKPPD)
    other = unopenable_reporter_update(stack, bus_publisher)
    eventually(lambda: dead_for(stack_db, other), message="a dead letter of another kind")

    count = dead_count(stack_db, "bkppd_forwarded")
    declined = netra_notify(stack, mailbox, "dead-letters", "resend", "--kind", "bkppd_forwarded", stdin="n\n")
    assert declined.returncode == 1
    assert f"{count} dead letter(s) of kind bkppd_forwarded to send again" in declined.stdout
    assert [r.status for r in email_deliveries(stack_db, number)] == ["dead", "dead"]

    resent = netra_notify(stack, mailbox, "dead-letters", "resend", "--kind", "bkppd_forwarded", stdin="y\n")
    assert resent.returncode == 0, resent.stderr
    assert f"{count} dead letter(s) queued to be sent again" in resent.stdout
    for address in BKPPD:
        one_mail(mailbox, address, number)
    assert dead_for(stack_db, other), "a dead letter of another kind stays dead"

    count = dead_count(stack_db)
    everything = netra_notify(stack, mailbox, "dead-letters", "resend", "--all", "--yes")
    assert everything.returncode == 0, everything.stderr
    assert f"{count} dead letter(s) to send again" in everything.stdout
    # It fails the same way again, and both attempts are on record.
    eventually(lambda: len(attempts(stack_db, dead_for(stack_db, other)[0].delivery_id)) == 2,
               message="the second attempt of the dead letter")
    shown = netra_notify(stack, mailbox, "dead-letters", "show", str(dead_for(stack_db, other)[0].delivery_id))
    assert shown.stdout.count("  #1  ") == 2 and shown.stdout.count("not retried") >= 2

    unclear = netra_notify(stack, mailbox, "dead-letters", "resend", "--all", "--kind", "digest")
    assert unclear.returncode == 2 and "give one DELIVERY_ID, or --all, or --kind KIND" in unclear.stderr
    for command in ("list", "show", "resend"):
        helped = netra_notify(stack, mailbox, "dead-letters", command, "--help")
        assert helped.returncode == 0 and "Pemakaian:" in helped.stdout  # click's own words in Indonesian too


def test_resend_now_gives_back_every_database_connection_it_took(stack, stack_db, outside, bus_publisher,
                                                                  monkeypatch):
    mailbox, _ = outside
    number = case_number()
    mailbox.refuse.add(BKPPD[0])
    try:
        bus_publisher.publish_event(forwarded_event(number))
        dead = eventually(lambda: [r for r in email_deliveries(stack_db, number) if r.status == "dead"],
                          message="the dead letter")[0]
    finally:
        mailbox.refuse.discard(BKPPD[0])
    for key, value in stack.service_env("notify", mailbox.notify_env()).items():
        if key.startswith("NETRA_"):
            monkeypatch.setenv(key, value)
    out = []  # +1 per connection taken from a pool, -1 per connection given back

    def counted_engine(*args, **kwargs):
        engine = admin_create_engine(*args, **kwargs)
        event.listen(engine, "checkout", lambda *_: out.append(1))
        event.listen(engine, "checkin", lambda *_: out.append(-1))
        return engine

    admin_create_engine = admin.create_engine
    monkeypatch.setattr(admin, "create_engine", counted_engine)
    gc.disable()  # a connection left open would otherwise be collected before it is counted
    try:
        result = CliRunner().invoke(admin.main, ["dead-letters", "resend", str(dead.delivery_id), "--now"])
        assert result.exit_code == 0, result.output
        assert out and sum(out) == 0, f"{sum(out)} connection(s) never given back"
    finally:
        gc.enable()
    one_mail(mailbox, BKPPD[0], number)
