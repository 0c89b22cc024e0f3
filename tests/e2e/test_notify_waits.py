"""notify's digest goes out once a day, at the digest hour, with what was queued before it, and
never to a member who left or has no address."""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.notify import settings as notify_settings
from services.notify import usecases
from services.notify.admin import _Db
from services.notify.domain.digest_hour import last_digest_moment
from services.notify.domain.messages import WIB
from tests.support.mailbox import text_of
from tests.support.notify_stack import (  # noqa: F401 - fixtures
    DUPLICATE_WATCH,
    assigned_event,
    case_number,
    mails,
    member_event,
    netra_notify,
    no_mail,
    one_mail,
    outside_fixture,
    records,
    to_notify,
)
from tests.support.waiting import eventually, stays


def new_member() -> tuple[str, str]:
    user_id = str(uuid.uuid4())
    return user_id, f"anggota.{user_id[:8]}@bengkaliskab.go.id"


def known(stack_db, user_id: str, **expected) -> bool:
    found = records(stack_db, "SELECT * FROM notify.recipients WHERE user_id = :u", u=user_id)
    return bool(found) and all(getattr(found[0], k) == v for k, v in expected.items())


# --- digests -----------------------------------------------------------------------------------------


def digest_settings(hour: int | None):
    return notify_settings.outbound({"NETRA_SMTP_HOST": "127.0.0.1", "NETRA_SMTP_PORT": "25",
                                     "NETRA_MAIL_FROM": "netra@bengkaliskab.go.id", "NETRA_PORTAL_URL": "http://p",
                                     "NETRA_TEAM_URL": "http://t", "NETRA_DIGEST_HOUR_WIB": hour})


def queued_for(stack_db, user_id: str, number: str) -> list:
    return records(stack_db, "SELECT * FROM notify.deliveries WHERE recipient = :r AND subject LIKE :n",
                   r=f"member:{user_id}", n=f"%{number}%")


def digest_member(stack, stack_db, bus_publisher, name: str) -> tuple[str, str]:
    user_id, address = new_member()
    to_notify(stack, bus_publisher, member_event(user_id, name, address, notify_mode="digest"))
    eventually(lambda: known(stack_db, user_id), message="the digest member known to notify")
    return user_id, address


def queue_item(stack, stack_db, bus_publisher, user_id: str):
    number = case_number()
    to_notify(stack, bus_publisher, assigned_event(user_id, number))
    return number, eventually(lambda: queued_for(stack_db, user_id, number), message="the item queued")[0]


def test_the_digest_goes_out_once_a_day_at_the_digest_hour_with_what_was_queued_before_it(
        stack, stack_db, outside, bus_publisher):
    mailbox, _ = outside
    db = _Db(stack_db)
    user_id, address = digest_member(stack, stack_db, bus_publisher, "Anggota Ringkasan Harian")
    first, item = queue_item(stack, stack_db, bus_publisher, user_id)
    # Make the digest hour the hour the item was queued in: today's digest moment has passed.
    hour = item.created_at.astimezone(WIB).hour
    settings = digest_settings(hour)
    today = last_digest_moment(item.created_at, hour)
    assert today < item.created_at

    usecases.send_digests(db, settings, now=item.created_at + timedelta(seconds=1))
    assert queued_for(stack_db, user_id, first)[0].status == "queued"  # not a one-item digest now
    no_mail(mailbox, address)

    tomorrow = today + timedelta(days=1, seconds=1)
    usecases.send_digests(db, settings, now=tomorrow)
    daily = one_mail(mailbox, address, "Ringkasan harian")
    assert f"Kasus {first} ditugaskan" in text_of(daily["message"])
    assert queued_for(stack_db, user_id, first)[0].status == "digested"

    second, _ = queue_item(stack, stack_db, bus_publisher, user_id)
    usecases.send_digests(db, settings, now=tomorrow + timedelta(hours=1))  # already had today's
    assert queued_for(stack_db, user_id, second)[0].status == "queued"
    stays(lambda: len(mailbox.to(address)) == 1, duration=DUPLICATE_WATCH)

    forced = netra_notify(stack, mailbox, "send-digests", "--force")
    assert forced.returncode == 0, forced.stderr
    again = one_mail(mailbox, address, second)
    assert "Ringkasan harian" in again["message"]["Subject"] and first not in again["raw"]


def test_digest_items_of_a_member_who_left_or_has_no_address_become_dead_letters_with_the_reason(
        stack, stack_db, outside, bus_publisher):
    mailbox, _ = outside
    left, left_address = digest_member(stack, stack_db, bus_publisher, "Anggota Sudah Keluar")
    silent, _ = digest_member(stack, stack_db, bus_publisher, "Anggota Tanpa Surel")
    left_item, _ = queue_item(stack, stack_db, bus_publisher, left)
    silent_item, _ = queue_item(stack, stack_db, bus_publisher, silent)
    to_notify(stack, bus_publisher, member_event(left, "Anggota Sudah Keluar", left_address, active=False,
                                                 notify_mode="digest"))
    to_notify(stack, bus_publisher, member_event(silent, "Anggota Tanpa Surel", None, notify_mode="digest"))
    eventually(lambda: known(stack_db, left, active=False) and known(stack_db, silent, email=None),
               message="the changes known to notify")

    usecases.send_digests(_Db(stack_db), digest_settings(None), force=True)
    [gone] = queued_for(stack_db, left, left_item)
    [unreachable] = queued_for(stack_db, silent, silent_item)
    assert (gone.status, gone.last_error) == ("dead", "digest not sent: the member's account is inactive")
    assert (unreachable.status, unreachable.last_error) == ("dead", "digest not sent: the member has no e-mail address")
    assert mails(mailbox, left_address, "Ringkasan harian") == []
