"""A reporter erases their contact details on the status page (issue 18.5; docs/decisions/0034), on the
real stack: casework records it, its events and tables hold neither the contact nor notify's sealed
contact, verify-log passes, the case file says the reporter can no longer be reached, and the vault's
identity is disclosed and read without the e-mail and telephone, both for a disclosure approved before
the erasure (the reader's copy) and one approved after it (the vault's own box, sealed again)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import text

from netra_common import keystore
from netra_common.contracts.envelope import new_envelope
from netra_common.db import DatabaseHandle
from services.casework.adapters import event_store
from services.casework.adapters.tables import messaging
from services.casework.usecases import contact_erasure
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.waiting import eventually


def casework_rows(stack_db) -> str:
    with stack_db.connect() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                   "'casework' AND table_type = 'BASE TABLE'")).scalars().all()
        return "\n".join(v for table in tables for v in conn.execute(
            text(f'SELECT t::text FROM casework."{table}" t')).scalars())  # noqa: S608 - names from the catalogue


def disclose(ketua, second_ketua, case_id: str, recipient_id: str) -> None:
    version = ketua.get(f"/api/v1/cases/{case_id}").json()["version"]
    asked = ketua.command(case_id, "request_disclosure", version, recipient_id=recipient_id,
                          reason="Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin.")
    assert asked.status_code == 200, asked.text
    request_id = ketua.get(f"/api/v1/cases/{case_id}").json()["disclosures"][-1]["request_id"]
    approved = second_ketua.command(case_id, "approve_disclosure", asked.json()["version"], request_id=request_id,
                                    valid_for_hours=24)
    assert approved.status_code == 200, approved.text


def test_an_erased_contact_is_nowhere_in_casework_and_never_disclosed_again(stack, stack_db, ketua, anggota):
    marker = uuid.uuid4().hex[:8]
    identity = {"anonymous": False, "name": "Sulastri Saksi Ardiansyah", "email": f"saksi.{marker}@example.net",
                "phone": f"0813{int(marker, 16) % 10**8:08d}", "nik": f"140301221188{int(marker, 16) % 10**4:04d}",
                "consent_contact": True}
    intake = stack.settings.url("intake")
    answer = complaints.file(intake, complaints.complaint(reporter=identity), [])
    assert answer.status_code == 201, answer.text
    filed = answer.json()
    complaint_id = complaint_id_of(stack_db, filed["tracking_code"])
    case_id = case_id_for(complaint_id)
    case = wait_for_case(ketua, case_id)
    assert case["reporter"]["contact_consent"] is True
    to_forwarded(ketua, anggota, case_id, case["version"])
    bkppd = enrol(stack, f"bkppd.{marker}", "bkppd", work_unit="BKPPD", full_name="Pemeriksa BKPPD")
    second = enrol(stack, f"ketua.{marker}", "ketua", full_name="Ketua Kedua")
    disclose(ketua, second, case_id, bkppd.user["user_id"])  # before the erasure: the reader's copy has it

    def sealed_contact():
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT sealed_contact FROM notify.reporter_contacts WHERE complaint_id = :c"),
                                {"c": complaint_id}).scalar_one_or_none()
    sealed = eventually(sealed_contact, timeout=60, message="notify holds the sealed contact")
    erased = requests.delete(f"{intake}/api/v1/complaints/{filed['tracking_code']}/contact",
                             headers={"X-Receipt": filed["receipt"]}, timeout=10)
    assert erased.status_code == 200, erased.text

    def recorded():
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT erased_at FROM casework.contact_withdrawals WHERE case_id = :c"),
                                {"c": case_id}).scalar_one_or_none()
    first_time = eventually(recorded, timeout=60, message="casework recorded the erasure")

    # A redelivery (or a second erasure) changes nothing.
    again = new_envelope("reporter_contact_erased", {"complaint_id": complaint_id,
                                                     "erased_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
                         producer="intake")
    contact_erasure.forget_contact(DatabaseHandle(stack_db, messaging, producer="casework",
                                                  consumer="casework.test"), again)
    assert recorded() == first_time

    # The reader's copy, disclosed before: read without the contact, and sealed again without it.
    read = bkppd.post(f"/api/v1/cases/{case_id}/identity")
    assert read.status_code == 200, read.text
    assert read.json()["identity"] == {"name": identity["name"], "nik": identity["nik"]}
    # A disclosure approved after: the vault's own box is opened, sealed again without the contact.
    with stack_db.connect() as conn:
        box_before = conn.execute(text("SELECT sealed_identity FROM casework.sealed_identities WHERE case_id = :c"),
                                  {"c": case_id}).scalar_one()
    disclose(ketua, second, case_id, bkppd.user["user_id"])
    read = bkppd.post(f"/api/v1/cases/{case_id}/identity")
    assert read.status_code == 200 and read.json()["identity"] == {"name": identity["name"], "nik": identity["nik"]}
    with stack_db.connect() as conn:
        box_after = conn.execute(text("SELECT sealed_identity FROM casework.sealed_identities WHERE case_id = :c"),
                                 {"c": case_id}).scalar_one()
        disclosed = conn.execute(text("SELECT sealed_identity FROM casework.disclosed_identities WHERE case_id = :c"),
                                 {"c": case_id}).scalars().all()
    assert box_after != box_before
    # Every box sealed again is wrapped with the case's own key, so the purge closes it too (0037).
    assert disclosed and {keystore.wrapped_key_id(box) for box in [box_after, *disclosed]} == \
        {keystore.wrapped_key_id(box_before)} == {uuid.UUID(complaint_id)}

    shown = ketua.get(f"/api/v1/cases/{case_id}").json()
    assert shown["reporter"]["contact_consent"] is False and shown["reporter"]["contact_erased_at"]
    found = casework_rows(stack_db)
    for never in (identity["email"], identity["phone"], sealed):
        assert never not in found, never
    with stack_db.connect() as conn:
        _, problems = event_store.verify_log(conn)
        assert [str(p) for p in problems if str(p.stream_id) == case_id] == []
        # The team's reads of the case file are recorded, outside its log (breach readiness).
        assert conn.execute(text("SELECT count(*) FROM casework.case_views WHERE case_id = :c AND viewer_id = :v"),
                            {"c": case_id, "v": ketua.user["user_id"]}).scalar() >= 3
