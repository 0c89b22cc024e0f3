"""notify's end-to-end tests share this: notify pointed at the tests' own SMTP server and webhook
receiver (both keeping what they got, for the final scan), the team's accounts, and the ways
of looking at what notify did."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
from nacl.public import PublicKey, SealedBox
from netra_stack.settings import free_port
from sqlalchemy import text

from netra_common.contracts import new_envelope
from tests.conftest import enrol
from tests.support import events
from tests.support.mailbox import Mailbox
from tests.support.waiting import eventually, stays
from tests.support.webhook_receiver import WebhookReceiver

BKPPD = ("kabid.disiplin@bkppd.bengkaliskab.go.id", "sekretariat@bkppd.bengkaliskab.go.id")
RETRY_SECONDS = 2  # notify's back-off between attempts, as `outside` sets it
TICK_SECONDS = 1  # how often notify looks for due deliveries in the test stack
# A duplicate would come from a retry (the bus's or notify's own) and then a tick: watch past both.
DUPLICATE_WATCH = RETRY_SECONDS + TICK_SECONDS + 1.0
WEBHOOK_FOLDER = "webhook-test-receiver"
RELAY_FOLDER = "mail-test-relay"


@pytest.fixture(scope="module", name="outside")
def outside_fixture(stack, tmp_path_factory):
    """notify pointed at the tests' own SMTP server and webhook receiver (import this into a test
    module to use `outside`)."""
    mailbox = Mailbox(tmp_path_factory.mktemp("smtp"), free_port(),
                      keep_in=stack.settings.data_dir / RELAY_FOLDER).start()
    receiver = WebhookReceiver(keep_in=stack.settings.data_dir / WEBHOOK_FOLDER)
    stack.restart_service("notify", {**mailbox.notify_env(), "NETRA_BKPPD_EMAIL": ",".join(BKPPD),
                                     "NETRA_BKPPD_WEBHOOK_URL": receiver.url,
                                     "NETRA_NOTIFY_RETRY_SECONDS": ",".join([str(RETRY_SECONDS)] * 6),
                                     # digests only when the test asks, whatever the hour in WIB
                                     "NETRA_DIGEST_HOUR_WIB": "off"})
    yield mailbox, receiver
    stack.restart_service("notify")
    receiver.close()
    mailbox.stop()


@pytest.fixture(scope="module", name="people")
def people_fixture(stack):
    return {
        "ketua": enrol(stack, "ketua.surat", "ketua", email="ketua.surat@bengkaliskab.go.id", full_name="Ketua Surat"),
        "sekretaris": enrol(stack, "sekretaris.surat", "sekretaris", email="sekretaris.surat@bengkaliskab.go.id",
                            full_name="Sekretaris Surat", work_unit="Diskominfo"),
        "anggota": enrol(stack, "anggota.surat", "anggota", email="anggota.surat@bengkaliskab.go.id",
                         full_name="Anggota Surat", work_unit="Diskominfo"),
        "digest": enrol(stack, "anggota.ringkas", "sekretaris", email="ringkasan@bengkaliskab.go.id",
                        full_name="Sekretaris Ringkasan", notify_mode="digest"),
    }


def rows(stack_db, sql: str, **params) -> list:
    """The first column of a query's rows, read behind notify's back."""
    with stack_db.connect() as conn:
        return conn.execute(text(sql), params).scalars().all()


def records(stack_db, sql: str, **params) -> list:
    with stack_db.connect() as conn:
        return conn.execute(text(sql), params).all()


def wait_for_recipients(stack_db, members) -> None:
    """The accounts reach notify's recipient list by the bus; mail for them needs them there."""
    wanted = {m.user["user_id"] for m in members}
    eventually(lambda: wanted <= set(rows(stack_db, "SELECT user_id::text FROM notify.recipients")),
               message="the team's accounts in notify's recipient list")


def mails(mailbox, address: str, contains: str) -> list:
    return [m for m in mailbox.to(address) if contains in m["raw"]]


def one_mail(mailbox, address: str, contains: str, timeout: float = 30) -> dict:
    """The one mail to `address` about `contains`: it arrives, and no second one follows."""
    found = eventually(lambda: mails(mailbox, address, contains), timeout=timeout,
                       message=f"a mail to {address} about {contains}")
    stays(lambda: len(mails(mailbox, address, contains)) == 1, duration=DUPLICATE_WATCH)
    return found[0]


def no_mail(mailbox, address: str) -> None:
    stays(lambda: mailbox.to(address) == [], duration=DUPLICATE_WATCH)


def netra_notify(stack, mailbox, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.notify.admin", *args], input=stdin,
                          env=stack.service_env("notify", mailbox.notify_env()), capture_output=True, text=True,
                          timeout=60)


def case_number() -> str:
    return f"NTR-2026-9{uuid.uuid4().int % 10000:04d}"


def forwarded_event(number: str) -> dict:
    now = "2026-11-24T08:00:00+00:00"
    return new_envelope("case_forwarded_to_bkppd", {
        "case_id": str(uuid.uuid4()), "case_number": number, "forwarded_at": now,
        "reported": {"name": "Ujang", "nip": None}, "platform": "tiktok", "post_urls": [],
        "violation_types": ["share"], "finding": "Membagikan video kampanye.", "legal_basis": "PP 94/2021",
        "sanction_level": "ringan", "evidence": []}, producer="tests").to_message()


def to_notify(stack, bus_publisher, message: dict) -> None:
    """Put an event on notify's own queue only (no other service acts on it)."""
    bus_publisher.publish_to_queue(message, stack.bus.queue("notify", message["type"]), {})


def email_deliveries(stack_db, number: str) -> list:
    return records(stack_db, "SELECT * FROM notify.deliveries WHERE subject LIKE :n AND channel = 'email' "
                             "ORDER BY recipient", n=f"%{number}%")


# --- events straight onto notify's queues ----------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat()


def sealed_for(public_key_b64: str, address: str) -> str:
    """A contact sealed the way intake seals it (for whoever holds the key's private half)."""
    box = SealedBox(PublicKey(base64.b64decode(public_key_b64)))
    return base64.b64encode(box.encrypt(json.dumps({"email": address}).encode())).decode()


def complaint_event(complaint_id: str, sealed_contact: str | None) -> dict:
    message = events.complaint_submitted()
    message["payload"]["complaint_id"] = complaint_id
    message["payload"]["reporter"] = {"anonymous": sealed_contact is None, "sealed_identity": None,
                                      "contact_consent": sealed_contact is not None, "sealed_contact": sealed_contact}
    return message


def status_event(complaint_id: str | None, status: str = "assigned", previous: str | None = "opened") -> dict:
    return events.case_status_changed(complaint_id, status, previous, case_number=case_number())


def assigned_event(user_id: str, number: str) -> dict:
    return new_envelope("case_assigned", {"case_id": str(uuid.uuid4()), "case_number": number,
                                          "assignee_id": user_id, "assigned_at": _now()}, producer="tests").to_message()


def member_event(user_id: str, full_name: str, email: str | None, *, active: bool = True,
                 notify_mode: str = "immediate") -> dict:
    return new_envelope("team_member_changed", {"user_id": user_id, "full_name": full_name, "role": "anggota",
                                                "email": email, "active": active, "notify_mode": notify_mode},
                        producer="tests").to_message()


def notify_log(stack) -> str:
    return (stack.settings.log_dir / "notify.log").read_text(errors="replace")


def waited_for(stack, event_id: str, what: str) -> bool:
    """notify said it is waiting for the member or complaint this event is for."""
    return any(f"event_id={event_id}" in line and f"waiting_for={what}" in line
               for line in notify_log(stack).splitlines() if "delivery.no_recipient" in line)


# --- everything notify keeps ---------------------------------------------------------------


def notify_tables(stack_db) -> list[str]:
    """Every row of every notify table as JSON, without the sealed boxes (ciphertext, in which
    any short word turns up by chance)."""
    with stack_db.connect() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.tables "
                                   "WHERE table_schema = 'notify'")).scalars().all()
        return [row for table in tables for row in conn.execute(text(
            f"SELECT (row_to_json(t)::jsonb - 'sealed_contact' - 'address_sealed')::text "  # noqa: S608 - names from the catalogue
            f'FROM notify."{table}" t')).scalars().all()]


def identity_fragments(reporter: dict) -> list[str]:
    """What would give a reporter away: parts of their name, their e-mail (and its local part),
    phone (also without the leading 0) and NIK."""
    fragments = [part for part in reporter["name"].split() if len(part) > 3]
    fragments += [reporter[k] for k in ("email", "phone", "nik") if reporter.get(k)]
    if reporter.get("email"):
        fragments.append(reporter["email"].partition("@")[0])
    if reporter.get("phone"):
        fragments.append(reporter["phone"].lstrip("0"))
    return fragments


def _found(fragment: str, haystack: str) -> bool:
    # A name part is a word: "Siti" is in "position", and that gives no one away.
    if fragment.isalpha():
        return re.search(rf"\b{re.escape(fragment)}\b", haystack, re.IGNORECASE) is not None
    return fragment.lower() in haystack.lower()


def leaks(haystack: str, reporters) -> list[str]:
    return sorted({f for r in reporters for f in identity_fragments(r) if _found(f, haystack)})
