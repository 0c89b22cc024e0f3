"""notify against a real SMTP server (STARTTLS and a login) and a real webhook receiver: each
kind of message arrives once, in Bahasa Indonesia, to the right people; failures are retried or
kept as dead letters; webhooks are signed."""

from __future__ import annotations

import json
import uuid

import requests

from netra_common.contracts.reference import VIOLATION_TYPES
from services.casework.adapters.checkpoint_signing import parse_public_keys
from services.casework.adapters.checkpoint_signing import verify as verify_checkpoint
from services.notify import verifier
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import FINDING, case_id_for, complaint_id_of, step, wait_for_case
from tests.support.mailbox import html_of, text_of
from tests.support.notify_stack import (  # noqa: F401 - fixtures
    BKPPD,
    DUPLICATE_WATCH,
    email_deliveries,
    forwarded_event,
    netra_notify,
    no_mail,
    one_mail,
    outside_fixture,
    people_fixture,
    rows,
    wait_for_recipients,
)
from tests.support.waiting import eventually, stays

REPORTER = {"anonymous": False, "name": "Nurhayati Simanjuntak", "email": "nurhayati.pelapor@example.id",
            "phone": "081377665544", "consent_contact": True}


# One mail per change the reporter cares about, not one per step of the case: assigned and
# verification started are one "being examined"; the answer's return to verification, the proposal
# and the forward after the confirmation are no news of theirs (services/notify/domain/reporter_news.py).
REPORTER_NEWS = ["Ada keputusan atas pengaduan Anda", "Pengaduan Anda sedang diperiksa",
                 "Pengaduan Anda sudah diterima", "Tim meminta keterangan tambahan dari Anda"]


def test_each_kind_of_message_arrives_once_in_indonesian_to_the_right_people(stack, stack_db, outside, people):
    mailbox, receiver = outside
    ketua, anggota = people["ketua"], people["anggota"]
    intake = stack.settings.url("intake")
    wait_for_recipients(stack_db, people.values())
    filed = complaints.file(intake, complaints.complaint(reporter=REPORTER), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    number = case["case_number"]

    new_case = one_mail(mailbox, "ketua.surat@bengkaliskab.go.id", number)
    assert new_case["message"]["Subject"] == f"[Netra] Kasus baru {number}"
    assert new_case["tls"] and new_case["authenticated"]
    assert "menunggu penugasan petugas" in text_of(new_case["message"])
    assert f"Kasus baru {number}" in html_of(new_case["message"])
    one_mail(mailbox, "sekretaris.surat@bengkaliskab.go.id", number)
    no_mail(mailbox, "ringkasan@bengkaliskab.go.id")  # digest members wait for the digest

    version = step(ketua, case["case_id"], case["version"], "assign", assignee_id=anggota.user["user_id"])
    assigned = one_mail(mailbox, "anggota.surat@bengkaliskab.go.id", f"Kasus {number} ditugaskan")
    assert "3 hari kerja" in text_of(assigned["message"])

    version = step(anggota, case["case_id"], version, "start_verification")
    version = step(anggota, case["case_id"], version, "request_clarification",
                   question="Apakah unggahan itu masih dapat dilihat publik?")
    question = one_mail(mailbox, REPORTER["email"], "pertanyaan")
    assert question["message"]["Subject"] == "Tim meminta keterangan tambahan dari Anda"

    answered = requests.post(f"{intake}/api/v1/complaints/{filed['tracking_code']}/messages", timeout=10,
                             headers={"X-Receipt": filed["receipt"]}, json={"message": "Masih, saya cek tadi pagi."})
    assert answered.status_code == 201
    reply = one_mail(mailbox, "anggota.surat@bengkaliskab.go.id", f"Pelapor menjawab pada kasus {number}")
    assert "Masih, saya cek" not in reply["raw"]  # the words stay in casework

    version = eventually(lambda: (c := ketua.get(f"/api/v1/cases/{case['case_id']}").json())["status"]
                         == "under_verification" and c["version"], message="the answer on the case")
    version = step(anggota, case["case_id"], version, "propose_violation", **FINDING)
    version = step(ketua, case["case_id"], version, "confirm_violation")
    step(ketua, case["case_id"], version, "forward_to_bkppd")
    for address in BKPPD:
        forwarded = one_mail(mailbox, address, number)
        body = text_of(forwarded["message"]).replace("\r\n", "\n")
        assert forwarded["message"]["Subject"] == f"[Netra] Penerusan dugaan pelanggaran netralitas ASN - {number}"
        assert "Rekomendasi     : Hukuman disiplin sedang" in body
        assert f"/console/#/kasus/{case['case_id']}" in body and "/api/v1/" not in body
        assert f"Dasar hukum     : {FINDING['legal_basis']}\n" in body
        violations = "".join(f"  - {VIOLATION_TYPES[v]['id']}\n" for v in complaints.BASE_COMPLAINT["violation_types"])
        assert f"Jenis pelanggaran:\n{violations}\n" in body
        assert "Nurhayati" not in forwarded["raw"] and "nurhayati" not in forwarded["raw"]

    webhook = eventually(lambda: [r for r in receiver.received if number in r["body"].decode()],
                         message="the webhook")[0]
    headers = webhook["headers"]
    assert verifier.verify(stack.secrets["webhook_secret"], headers["X-Netra-Timestamp"],
                           headers["X-Netra-Signature"], webhook["body"])
    assert json.loads(webhook["body"])["case"]["finding"] == FINDING["finding"]
    # The log's signed checkpoint taken with the forward reaches BKPPD in both (docs/checkpoints.md).
    checkpoint = json.loads(webhook["body"])["case"]["checkpoint"]
    published = requests.get(f"{stack.settings.url('casework')}/api/v1/checkpoints/public-key", timeout=10).json()
    assert verify_checkpoint(checkpoint, parse_public_keys(published["public_key"]))
    line = next(line for line in body.splitlines() if line.startswith("Titik periksa log"))
    assert json.loads(line[line.index("{"):]) == checkpoint

    # The reporter heard of each change once, with no case details in any of it.
    eventually(lambda: complaints.status(intake, filed["tracking_code"], filed["receipt"]).json()["status"]
               == "forwarded_to_bkppd", message="the forwarding on the status page")
    expected = len(REPORTER_NEWS)
    eventually(lambda: len(mailbox.to(REPORTER["email"])) == expected,
               message=f"{expected} messages to the reporter")
    stays(lambda: len(mailbox.to(REPORTER["email"])) == expected, duration=DUPLICATE_WATCH)
    assert sorted(m["message"]["Subject"] for m in mailbox.to(REPORTER["email"])) == REPORTER_NEWS
    for mail in mailbox.to(REPORTER["email"]):
        assert number not in mail["raw"] and filed["tracking_code"] not in mail["raw"]
        assert "Budi" not in mail["raw"] and "facebook" not in mail["raw"].lower()
        assert stack.settings.url("intake") in text_of(mail["message"])

    digest = netra_notify(stack, mailbox, "send-digests", "--force")
    assert digest.returncode == 0, digest.stderr
    daily = one_mail(mailbox, "ringkasan@bengkaliskab.go.id", "Ringkasan harian")
    assert f"Kasus baru {number}" in text_of(daily["message"])


def test_a_member_chooses_the_daily_digest_for_themself(stack, stack_db, outside, people):
    mailbox, _ = outside
    member = enrol(stack, "anggota.pilih", "anggota", email="pilih@bengkaliskab.go.id", full_name="Anggota Pilih")
    wrong = member.post("/api/v1/me/preferences", {"notify_mode": "mingguan"})
    assert wrong.status_code == 400 and "notify_mode" in wrong.json()["error"]["details"]
    chosen = member.post("/api/v1/me/preferences", {"notify_mode": "digest"})
    assert chosen.status_code == 200, chosen.text
    assert member.get("/api/v1/me").json()["notify_mode"] == "digest"
    eventually(lambda: rows(stack_db, "SELECT notify_mode FROM notify.recipients WHERE user_id = :u",
                            u=member.user["user_id"]) == ["digest"], message="the choice reaches notify")

    ketua = people["ketua"]
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    step(ketua, case["case_id"], case["version"], "assign", assignee_id=member.user["user_id"])
    queued = eventually(lambda: rows(stack_db, "SELECT status FROM notify.deliveries WHERE recipient = :r "
                                     "AND kind = 'case_assigned'", r=f"member:{member.user['user_id']}"),
                        message="the assignment kept for the digest")
    assert queued == ["queued"]
    no_mail(mailbox, "pilih@bengkaliskab.go.id")

    member.post("/api/v1/me/preferences", {"notify_mode": "immediate"})
    assert member.get("/api/v1/me").json()["notify_mode"] == "immediate"


def test_the_same_event_delivered_three_times_sends_one_message(outside, bus_publisher):
    mailbox, _ = outside
    message = forwarded_event(f"NTR-2026-8{uuid.uuid4().int % 10000:04d}")
    for _ in range(3):
        bus_publisher.publish_event(message)
    for address in BKPPD:
        one_mail(mailbox, address, message["payload"]["case_number"])


def test_mail_waits_while_the_server_is_down_and_arrives_when_it_is_back(stack_db, outside, bus_publisher):
    mailbox, _ = outside
    mailbox.stop()
    number = f"NTR-2026-7{uuid.uuid4().int % 10000:04d}"
    try:
        bus_publisher.publish_event(forwarded_event(number))
        eventually(lambda: any(r.status == "retrying" and r.attempts >= 1 for r in email_deliveries(stack_db, number)),
                   message="a failed first attempt, to be retried")
    finally:
        mailbox.start()
    for address in BKPPD:
        one_mail(mailbox, address, number)
    assert all(r.status == "sent" and r.attempts >= 2 for r in email_deliveries(stack_db, number))


def test_a_permanent_refusal_becomes_a_dead_letter_that_can_be_sent_again(stack, stack_db, outside, bus_publisher):
    mailbox, _ = outside
    refused_address = BKPPD[1]
    mailbox.refuse.add(refused_address)
    number = f"NTR-2026-6{uuid.uuid4().int % 10000:04d}"
    try:
        bus_publisher.publish_event(forwarded_event(number))
        one_mail(mailbox, BKPPD[0], number)
        dead = eventually(lambda: [r for r in email_deliveries(stack_db, number) if r.status == "dead"],
                          message="the dead letter")[0]
        assert dead.attempts == 1 and "refused for good" in dead.last_error and "550" in dead.last_error
        listed = netra_notify(stack, mailbox, "dead-letters", "list")
        assert str(dead.delivery_id) in listed.stdout and "550" in listed.stdout
        shown = netra_notify(stack, mailbox, "dead-letters", "show", str(dead.delivery_id))
        assert number in shown.stdout
    finally:
        mailbox.refuse.discard(refused_address)
    resent = netra_notify(stack, mailbox, "dead-letters", "resend", str(dead.delivery_id), "--now")
    assert resent.returncode == 0, resent.stderr
    one_mail(mailbox, refused_address, number)
    assert [r.status for r in email_deliveries(stack_db, number)] == ["sent", "sent"]


def test_a_webhook_is_signed_and_a_tampered_or_old_one_fails_verification(stack, outside, bus_publisher):
    _, receiver = outside
    number = f"NTR-2026-5{uuid.uuid4().int % 10000:04d}"
    bus_publisher.publish_event(forwarded_event(number))
    hook = eventually(lambda: [r for r in receiver.received if number in r["body"].decode()],
                      message="the webhook")[0]
    secret, headers, body = stack.secrets["webhook_secret"], hook["headers"], hook["body"]
    timestamp, signature = headers["X-Netra-Timestamp"], headers["X-Netra-Signature"]
    assert verifier.verify(secret, timestamp, signature, body)
    assert not verifier.verify(secret, timestamp, signature, body.replace(b"ringan", b"berat"))
    assert not verifier.verify(secret, timestamp, signature, body, now=int(timestamp) + 600)
    assert not verifier.verify("another-secret", timestamp, signature, body)
    assert headers["X-Netra-Event-Id"] == json.loads(body)["event_id"]


def test_a_webhook_that_fails_for_now_is_retried_and_one_refused_is_dead(stack_db, outside, bus_publisher):
    _, receiver = outside
    try:
        receiver.answer = 503
        number = f"NTR-2026-4{uuid.uuid4().int % 10000:04d}"
        bus_publisher.publish_event(forwarded_event(number))
        eventually(lambda: len([r for r in receiver.received if number in r["body"].decode()]) >= 2,
                   message="a retried webhook")
        receiver.answer = 200
        eventually(lambda: _webhook_status(stack_db, number) == "sent", message="the webhook delivered")
        receiver.answer = 400
        refused = f"NTR-2026-3{uuid.uuid4().int % 10000:04d}"
        bus_publisher.publish_event(forwarded_event(refused))
        eventually(lambda: _webhook_status(stack_db, refused) == "dead", message="the refused webhook dead")
    finally:
        receiver.answer = 200


def _webhook_status(stack_db, number: str) -> str | None:
    found = rows(stack_db, "SELECT status FROM notify.deliveries WHERE channel = 'webhook' "
                           "AND payload->'case'->>'case_number' = :n", n=number)
    return found[0] if found else None
