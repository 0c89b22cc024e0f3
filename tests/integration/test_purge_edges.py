"""intake and notify when casework purges a case, and when a reporter erases their contact (issue 18), on
real PostgreSQL: the complaint keeps its
ids, dates, platform, violation types and work unit, and nothing of the reporter or the ASN; notify's mails
about it lose subject, bodies and addresses and what was not sent is never sent; each outbox row about
the case goes; other cases are untouched; a second delivery changes nothing."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from netra_stack import database
from netra_stack.settings import StackSettings
from sqlalchemy import create_engine, insert, select, text

from netra_common.contracts.envelope import new_envelope
from netra_common.db import DatabaseHandle
from netra_common.migrate import upgrade
from services.intake.adapters import tables as intake_tables
from services.intake.usecases import contact
from services.intake.usecases import retention as intake_retention
from services.notify.adapters import recipients
from services.notify.adapters import tables as notify_tables
from services.notify.usecases import retention as notify_retention

ASN = {"name": "Budi Santoso Contoh", "nip": "198001012005011001", "position": "Kepala Seksi",
       "work_unit": "Dinas Pendidikan", "kecamatan": None}
STORY = "Unggahan kampanye di akun pribadi pada jam kerja, disaksikan banyak orang."


@pytest.fixture()
def engine(tmp_path):
    settings = StackSettings.for_tests(tmp_path, database=f"netra_pe_{uuid.uuid4().hex[:8]}")
    database.ensure_database(settings.pg_url, settings.database)
    upgrade("intake", settings.db_url)
    upgrade("notify", settings.db_url)
    engine = create_engine(settings.db_url, pool_size=2, max_overflow=0)
    yield engine
    engine.dispose()
    database.drop_database(settings.pg_url, settings.database)


def a_complaint(engine) -> tuple[uuid.UUID, uuid.UUID]:
    complaint_id, case_id, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    document = {"reported": ASN, "platform": "facebook", "post_urls": ["https://facebook.com/budi/posts/1"],
                "account_handle": "@budi.asn", "occurred_at": now.isoformat(), "violation_types": ["campaign"],
                "description": STORY}
    with engine.begin() as conn:
        conn.execute(insert(intake_tables.complaints).values(
            complaint_id=complaint_id, tracking_code=f"NTR-{uuid.uuid4().hex[:8]}", receipt_hash="h",
            submitted_at=now, document=document, anonymous=False, sealed_identity="sealed-identity-blob",
            proof={"complaint": document}))
        conn.execute(insert(intake_tables.messages).values(message_id=uuid.uuid4(), complaint_id=complaint_id,
                                                           author="reporter", kind="reply", body=STORY, at=now))
        conn.execute(insert(intake_tables.screenshots).values(
            upload_id=uuid.uuid4(), complaint_id=complaint_id, filename="sealed-name", size=10, sha256="b" * 64,
            state="accepted", received_at=now))
        conn.execute(insert(intake_tables.messaging.outbox).values(
            event_id=uuid.uuid4(), event_type="complaint_submitted",
            message={"payload": {"complaint_id": str(complaint_id), "description": STORY}}))
        conn.execute(insert(notify_tables.reporter_contacts).values(complaint_id=complaint_id,
                                                                    sealed_contact="sealed-contact-blob"))
        for recipient, status, about in ((f"reporter:{complaint_id}", "sent", {}),
                                         ("member:k", "pending", {"case_id": case_id}),
                                         ("member:d", "sent", {})):  # a digest, before deliveries named cases
            delivery_id = uuid.uuid4()
            conn.execute(insert(notify_tables.deliveries).values(
                delivery_id=delivery_id, event_id=uuid.uuid4(), recipient=recipient, channel="email",
                kind="case", status=status, address="budi@example.org", subject=f"Kasus {ASN['name']}",
                body_text=f"{ASN['name']} {STORY} https://team/cases/{case_id}", message_id=f"<{delivery_id}>",
                next_attempt_at=now, **about))
    return complaint_id, case_id


def purged(case_id, complaint_id):
    return new_envelope("case_purged", {"case_id": str(case_id), "complaint_id": str(complaint_id),
                                        "purged_at": datetime.now(UTC).isoformat()}, producer="casework")


def dump(engine) -> str:
    with engine.connect() as conn:
        rows = [dict(r._mapping) for schema in ("intake", "notify")
                for table in ("complaints", "messages", "screenshots", "outbox", "deliveries", "reporter_contacts")
                if conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{schema}.{table}"}).scalar()
                for r in conn.execute(text(f"SELECT * FROM {schema}.{table}"))]  # noqa: S608 - constants
    return "\n".join(sorted(json.dumps(row, default=str, sort_keys=True) for row in rows))


def test_a_purge_leaves_intake_and_notify_only_the_statistics_and_a_second_one_changes_nothing(engine):
    complaint_id, case_id = a_complaint(engine)
    other, other_case = a_complaint(engine)
    intake = DatabaseHandle(engine, intake_tables.messaging, producer="intake", consumer="intake.on_case_purged")
    notify = DatabaseHandle(engine, notify_tables.messaging, producer="notify", consumer="notify.on_case_purged")

    assert intake_retention.purge(intake, purged(case_id, complaint_id))
    notify_retention.purge(notify, purged(case_id, complaint_id))

    with engine.connect() as conn:
        kept = conn.execute(select(intake_tables.complaints).where(
            intake_tables.complaints.c.complaint_id == complaint_id)).one()
        assert kept.document["platform"] == "facebook" and kept.document["violation_types"] == ["campaign"]
        assert kept.document["reported"] == {"work_unit": "Dinas Pendidikan"}
        assert (kept.sealed_identity, kept.proof) == (None, None) and kept.purged_at is not None
        statuses = conn.execute(text("SELECT status FROM notify.deliveries WHERE complaint_id = :c OR case_id = :k "
                                     "OR recipient = :r"), {"c": complaint_id, "k": case_id,
                                                            "r": f"reporter:{complaint_id}"}).scalars().all()
        assert "pending" not in statuses
    # Of the other case everything is there still; of this one nothing names the ASN or the reporter.
    everything = dump(engine)
    for said in (ASN["name"], ASN["nip"], STORY[:30], "@budi.asn", "budi@example.org", "sealed-identity-blob",
                 "sealed-contact-blob", "facebook.com/budi"):
        assert everything.count(said) > 0  # the other complaint's
    before = everything
    intake_retention.purge(intake, purged(other_case, other))
    notify_retention.purge(notify, purged(other_case, other))
    everything = dump(engine)
    for said in (ASN["name"], ASN["nip"], STORY[:30], "@budi.asn", "budi@example.org", "sealed-identity-blob",
                 "sealed-contact-blob", "facebook.com/budi", "b" * 64):
        assert said not in everything, said
    assert before != everything

    assert not intake_retention.purge(intake, purged(case_id, complaint_id))  # nothing left to forget
    notify_retention.purge(notify, purged(case_id, complaint_id))
    assert dump(engine) == everything


def test_a_reporter_erases_their_contact_once_and_notify_never_gets_it_back(engine):
    complaint_id, _ = a_complaint(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE intake.outbox SET sent_at = now(), message = jsonb_set(message, '{payload,reporter}',"
                          " '{\"sealed_contact\": \"sealed-contact-blob\", \"sealed_identity\": \"x\"}')"))
    intake = DatabaseHandle(engine, intake_tables.messaging, producer="intake", consumer="intake.erase_contact")
    first = contact.erase_contact(intake, complaint_id)
    assert contact.erase_contact(intake, complaint_id) == first  # asked again: the first erasure's time
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT event_type, message FROM intake.outbox ORDER BY position")).all()
        row = conn.execute(select(intake_tables.complaints).where(
            intake_tables.complaints.c.complaint_id == complaint_id)).one()
    assert [k.event_type for k in kept] == ["complaint_submitted", "reporter_contact_erased"]
    assert "sealed-contact-blob" not in json.dumps(kept[0].message)
    assert row.sealed_identity is None and row.document["reported"]["name"] == ASN["name"]  # the complaint stays

    erased = new_envelope("reporter_contact_erased", {"complaint_id": str(complaint_id),
                                                      "erased_at": first.isoformat()}, producer="intake")
    later = uuid.uuid4()  # a complaint whose announcement reaches notify after the erasure
    notify = DatabaseHandle(engine, notify_tables.messaging, producer="notify", consumer="notify.erased")
    notify_retention.forget_contact(notify, erased)
    notify_retention.forget_contact(notify, new_envelope("reporter_contact_erased", {
        "complaint_id": str(later), "erased_at": first.isoformat()}, producer="intake"))
    with engine.begin() as conn:
        recipients.remember_complaint(conn, str(later), "sealed-contact-late")
        contacts = dict(conn.execute(text("SELECT complaint_id, sealed_contact FROM notify.reporter_contacts")).all())
    assert contacts[complaint_id] is None and contacts[later] is None

    anonymous = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(insert(intake_tables.complaints).values(
            complaint_id=anonymous, tracking_code="NTR-anon", receipt_hash="h", submitted_at=datetime.now(UTC),
            document={}, anonymous=True))
    with pytest.raises(contact.NoContact):
        contact.erase_contact(intake, anonymous)
