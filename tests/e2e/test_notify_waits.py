"""notify waits rather than drops: an event that arrives before the member or the complaint it
is for is tried again by the bus until they are known (or parked, to be replayed); the named
recipient of a disclosure hears of it; a digest goes out once a day, at the digest hour, with
what was queued before it, and never to a member who left or has no address."""

from __future__ import annotations

import uuid
from datetime import timedelta

from netra_common.bus import deadletters
from netra_common.wib import WIB, in_wib
from services.notify import settings as notify_settings
from services.notify import usecases
from services.notify.adapters.notify_store import PostgresNotifyStore
from services.notify.admin import _Db
from services.notify.domain.digest_hour import last_digest_moment
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.mailbox import text_of
from tests.support.notify_stack import (  # noqa: F401 - fixtures
    DUPLICATE_WATCH,
    assigned_event,
    case_number,
    complaint_event,
    leaks,
    mails,
    member_event,
    netra_notify,
    no_mail,
    notify_log,
    one_mail,
    outside_fixture,
    people_fixture,
    records,
    rows,
    sealed_for,
    status_event,
    to_notify,
    wait_for_recipients,
    waited_for,
)
from tests.support.waiting import eventually, stays

LATE_REPORTER = {"anonymous": False, "name": "Fitri Handayani", "email": "fitri.handayani.urut@example.id",
                 "phone": "081299887766", "consent_contact": True}
DISCLOSED = {"anonymous": False, "name": "Syahrial Nasution", "email": "syahrial.saksi.surat@example.net",
             "phone": "082177665500", "nik": "1403020807860003", "consent_contact": True}


def new_member() -> tuple[str, str]:
    user_id = str(uuid.uuid4())
    return user_id, f"anggota.{user_id[:8]}@bengkaliskab.go.id"


def known(stack_db, user_id: str, **expected) -> bool:
    found = records(stack_db, "SELECT * FROM notify.recipients WHERE user_id = :u", u=user_id)
    return bool(found) and all(getattr(found[0], k) == v for k, v in expected.items())


# --- an event before the news of whom it is for -----------------------------------------------


def test_an_assignment_heard_before_its_member_reaches_them_once_the_member_is_known(stack, outside, bus_publisher):
    mailbox, _ = outside
    user_id, address = new_member()
    number = case_number()
    assigned = assigned_event(user_id, number)
    to_notify(stack, bus_publisher, assigned)
    eventually(lambda: waited_for(stack, assigned["event_id"], "member"), message="notify waiting for the member")
    to_notify(stack, bus_publisher, member_event(user_id, "Anggota Datang Belakangan", address))
    mail = one_mail(mailbox, address, f"Kasus {number} ditugaskan")
    assert "Yth. Anggota Datang Belakangan," in text_of(mail["message"])
    waiting = [line for line in notify_log(stack).splitlines() if assigned["event_id"] in line]
    assert waiting and not [line for line in waiting if address in line or "Belakangan" in line]


def test_an_assignment_for_a_member_never_heard_of_is_parked_not_dropped_and_can_be_replayed(
        stack, stack_db, outside, bus_publisher):
    mailbox, _ = outside
    user_id, address = new_member()
    number = case_number()
    assigned = assigned_event(user_id, number)
    to_notify(stack, bus_publisher, assigned)

    def parked():
        return [d for d in deadletters.list_dead(stack.bus, "notify", "case_assigned")
                if d.event_id == assigned["event_id"]]

    letter = eventually(parked, message="the assignment parked after the bus's retries")[0]
    assert "has not reached notify yet" in letter.reason and letter.attempts == stack.bus.max_attempts
    to_notify(stack, bus_publisher, member_event(user_id, "Anggota Terlambat", address))
    eventually(lambda: known(stack_db, user_id), message="the member known to notify")
    assert deadletters.replay(stack.bus, "notify", "case_assigned", assigned["event_id"]) == 1
    one_mail(mailbox, address, f"Kasus {number} ditugaskan")


def test_news_heard_before_its_complaint_reaches_the_reporter_once_the_complaint_is_known(stack, outside,
                                                                                       bus_publisher):
    mailbox, _ = outside
    complaint_id = str(uuid.uuid4())
    changed = status_event(complaint_id)
    to_notify(stack, bus_publisher, changed)
    eventually(lambda: waited_for(stack, changed["event_id"], "complaint"), message="notify waiting for the complaint")
    sealed = sealed_for(stack.secrets["notify_public_key"], LATE_REPORTER["email"])
    to_notify(stack, bus_publisher, complaint_event(complaint_id, sealed))
    mail = one_mail(mailbox, LATE_REPORTER["email"], "Pengaduan Anda")
    assert mail["message"]["Subject"] == "Pengaduan Anda sedang diperiksa"


def test_news_of_an_anonymous_complaint_or_a_case_the_team_filed_goes_to_no_one_without_waiting(
        stack, stack_db, outside, bus_publisher):
    complaint_id = str(uuid.uuid4())
    to_notify(stack, bus_publisher, complaint_event(complaint_id, None))
    eventually(lambda: rows(stack_db, "SELECT complaint_id::text FROM notify.reporter_contacts "
                                      "WHERE complaint_id = :c AND sealed_contact IS NULL", c=complaint_id),
               message="the anonymous complaint recorded")
    for changed in (status_event(complaint_id), status_event(None)):
        to_notify(stack, bus_publisher, changed)
        eventually(lambda changed=changed: rows(stack_db, "SELECT event_id::text FROM notify.processed_messages "
                                                          "WHERE event_id = :e", e=changed["event_id"]),
                   message="the status change handled")
        assert not waited_for(stack, changed["event_id"], "complaint")
    assert rows(stack_db, "SELECT delivery_id FROM notify.deliveries WHERE recipient = :r",
                r=f"reporter:{complaint_id}") == []


# --- the recipient of a disclosure ---------------------------------------------------------------


def test_the_person_a_disclosure_names_is_told_how_to_read_it_and_never_the_identity(stack, stack_db, outside,
                                                                                    people):
    mailbox, _ = outside
    ketua, anggota = people["ketua"], people["anggota"]
    address = "pemeriksa.surat@bkppd.bengkaliskab.go.id"
    bkppd = enrol(stack, "bkppd.surat", "bkppd", work_unit="BKPPD", email=address, full_name="Pemeriksa Surat")
    approver = enrol(stack, "ketua.surat.dua", "ketua", full_name="Ketua Surat Kedua")
    wait_for_recipients(stack_db, [ketua, anggota, bkppd])
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(reporter=DISCLOSED), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    version = to_forwarded(ketua, anggota, case["case_id"], case["version"])
    asked = ketua.command(case["case_id"], "request_disclosure", version, recipient_id=bkppd.user["user_id"],
                          reason="Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin.")
    assert asked.status_code == 200, asked.text
    request_id = ketua.get(f"/api/v1/cases/{case['case_id']}").json()["disclosures"][0]["request_id"]
    approved = approver.command(case["case_id"], "approve_disclosure", asked.json()["version"],
                                request_id=request_id, valid_for_hours=24)
    assert approved.status_code == 200, approved.text
    valid_until = ketua.get(f"/api/v1/cases/{case['case_id']}").json()["disclosures"][0]["valid_until"]

    number = case["case_number"]
    told = one_mail(mailbox, address, "read-identity")
    body = text_of(told["message"])
    assert told["message"]["Subject"] == f"[Netra] Pengungkapan identitas pelapor kasus {number} disetujui untuk Anda"
    assert "Yth. Pemeriksa Surat," in body and f"netra read-identity {number}" in body
    assert f"berlaku sampai {in_wib(valid_until)}" in " ".join(body.split())
    assert leaks(told["raw"], [DISCLOSED]) == []
    assert bkppd.post(f"/api/v1/cases/{case['case_id']}/identity").status_code == 200  # what the mail points to


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
    store = PostgresNotifyStore(_Db(stack_db))
    user_id, address = digest_member(stack, stack_db, bus_publisher, "Anggota Ringkasan Harian")
    first, item = queue_item(stack, stack_db, bus_publisher, user_id)
    # Make the digest hour the hour the item was queued in: today's digest moment has passed.
    hour = item.created_at.astimezone(WIB).hour
    settings = digest_settings(hour)
    today = last_digest_moment(item.created_at, hour)
    assert today < item.created_at

    usecases.send_digests(store, settings, now=item.created_at + timedelta(seconds=1))
    assert queued_for(stack_db, user_id, first)[0].status == "queued"  # not a one-item digest now
    no_mail(mailbox, address)

    tomorrow = today + timedelta(days=1, seconds=1)
    usecases.send_digests(store, settings, now=tomorrow)
    daily = one_mail(mailbox, address, "Ringkasan harian")
    assert f"Kasus {first} ditugaskan" in text_of(daily["message"])
    assert queued_for(stack_db, user_id, first)[0].status == "digested"

    second, _ = queue_item(stack, stack_db, bus_publisher, user_id)
    usecases.send_digests(store, settings, now=tomorrow + timedelta(hours=1))  # already had today's
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

    usecases.send_digests(PostgresNotifyStore(_Db(stack_db)), digest_settings(None), force=True)
    [gone] = queued_for(stack_db, left, left_item)
    [unreachable] = queued_for(stack_db, silent, silent_item)
    assert (gone.status, gone.last_error) == ("dead", "digest not sent: the member's account is inactive")
    assert (unreachable.status, unreachable.last_error) == ("dead", "digest not sent: the member has no e-mail address")
    assert mails(mailbox, left_address, "Ringkasan harian") == []
