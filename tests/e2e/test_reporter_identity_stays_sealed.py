"""A reporter's name, phone, e-mail and NIK never appear in plain text in intake's tables,
its logs, or any message it publishes, nor in the team's view of the case: not when the
filing succeeds, not when it is refused, not when a screenshot's file name carries the
reporter's phone number. The sealed box opens only with the vault's key."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
import requests
from kombu import Connection, Exchange, Queue
from nacl.exceptions import CryptoError
from nacl.public import SealedBox
from sqlalchemy import text

from netra_common import keystore
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.vault_keys import vault_key_by_recovery
from tests.support.waiting import eventually

IDENTITY = {"anonymous": False, "name": "Rahmat Hidayatullah Saragih",
            "email": "rahmat.saragih.pelapor@example.net", "phone": "085276543210",
            "nik": "1403024708950007", "consent_contact": True}
# A second reporter, whose filing is refused for a field that has nothing to do with them.
REFUSED_IDENTITY = {"anonymous": False, "name": "Yusnaini Batubara", "email": "yusnaini.btb@example.net",
                    "phone": "081378901234", "nik": "1403034502880003", "consent_contact": True}
NEEDLES = ("Hidayatullah", "Saragih", "rahmat.saragih.pelapor", "085276543210", "85276543210",
           "1403024708950007", "Yusnaini", "Batubara", "yusnaini.btb", "081378901234", "81378901234",
           "1403034502880003")
# Phones name files after chats and numbers.
PHONE_FILE = "Screenshot WhatsApp 085276543210 Rahmat Saragih.png"


def leaks(haystack: str) -> list[str]:
    lowered = haystack.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


def file_both(intake: str) -> dict:
    """The refused filing and the accepted one (with the telling file name), then a reply."""
    refused = complaints.file(intake, complaints.complaint(reporter=REFUSED_IDENTITY, description="pendek"),
                              [("Foto Yusnaini Batubara 081378901234.png", complaints.png(seed=908))])
    assert refused.status_code == 400, refused.text
    filed = complaints.file(intake, complaints.complaint(reporter=IDENTITY),
                            [(PHONE_FILE, complaints.png(seed=909))])
    assert filed.status_code == 201, filed.text
    receipt = filed.json()
    reply = requests.post(
        f"{intake}/api/v1/complaints/{receipt['tracking_code']}/messages", timeout=10,
        headers={"X-Receipt": receipt["receipt"]}, json={"message": "Tambahan keterangan."})
    assert reply.status_code == 201
    return receipt


def test_the_identity_is_sealed_everywhere_intake_keeps_or_sends_anything(stack, stack_db, ketua):
    tap_name = f"{stack.bus.prefix}.tap.{uuid.uuid4().hex[:6]}"
    intake = stack.settings.url("intake")
    with Connection(stack.settings.amqp_uri) as connection:
        tap = Queue(tap_name, exchange=Exchange(stack.bus.events_exchange, type="topic"),
                    routing_key="#", auto_delete=False, durable=False)
        tap(connection.channel()).declare()
        try:
            receipt = file_both(intake)
            eventually(lambda: complaints.status(intake, receipt["tracking_code"], receipt["receipt"])
                       .json()["status"] == "opened", message="the case opened downstream")
            case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, receipt["tracking_code"])),
                                 screenshots=1)

            published = []
            channel = connection.channel()
            while (message := tap(channel).get(no_ack=True)) is not None:
                published.append(message.body.decode() if isinstance(message.body, bytes)
                                 else json.dumps(message.payload))
        finally:
            tap(connection.channel()).delete()

    # Every message published on the bus: the screenshot travels under a neutral name, with
    # the SHA-256 intake took on receipt.
    submitted = [json.loads(m) for m in published if '"complaint_submitted"' in m]
    assert len(submitted) == 1
    shot = submitted[0]["payload"]["screenshots"][0]
    assert shot["filename"] == "tangkapan-layar-1.png"
    assert shot["sha256"] == hashlib.sha256(complaints.png(seed=909)).hexdigest()
    assert [leaks(m) for m in published if leaks(m)] == []

    # The team's view of the case.
    assert leaks(json.dumps(case)) == []

    # Every row of every intake table, the outbox included.
    with stack_db.connect() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.tables "
                                   "WHERE table_schema = 'intake'")).scalars().all()
        rows = [r for t in tables for r in conn.execute(
            text(f'SELECT row_to_json(t)::text FROM intake."{t}" t')).scalars()]  # noqa: S608
        sealed = conn.execute(text("SELECT sealed_identity FROM intake.complaints c "
                                   "WHERE tracking_code = :c"), {"c": receipt["tracking_code"]}).scalar_one()
    assert "complaints" in tables and "outbox" in tables
    assert [leaks(r) for r in rows if leaks(r)] == []

    # intake's whole log.
    log_text = (stack.settings.log_dir / "intake.log").read_text(errors="replace")
    assert "complaint.filed" in log_text
    assert leaks(log_text) == []

    # The reporter, with the receipt, still sees their own file's name and gets it in the proof.
    page = complaints.status(intake, receipt["tracking_code"], receipt["receipt"]).json()
    assert [s["filename"] for s in page["screenshots"]] == [PHONE_FILE]
    proof = requests.get(f"{intake}/api/v1/complaints/{receipt['tracking_code']}/proof", timeout=10,
                         headers={"X-Receipt": receipt["receipt"]}).json()
    assert proof == receipt["proof"] and proof["proof"]["screenshots"][0]["filename"] == PHONE_FILE
    assert requests.post(f"{intake}/api/v1/proof/verify", json=proof, timeout=10).json() == {"valid": True}

    # It was sealed, not dropped: wrapped with the complaint's own key (decision 0037), which the key
    # store still holds, around a box the vault's private key (which only the office's offline
    # recovery key, or a ketua's own key, opens) opens; the vault's key alone does not.
    vault = vault_key_by_recovery(stack, stack_db)
    assert keystore.wrapped_key_id(sealed) is not None
    with pytest.raises(CryptoError):
        SealedBox(vault).decrypt(base64.b64decode(sealed))
    with stack_db.connect() as conn:
        inner = keystore.open_text(conn, sealed)
    opened = json.loads(SealedBox(vault).decrypt(base64.b64decode(inner)))
    assert opened == {k: IDENTITY[k] for k in ("name", "email", "phone", "nik")}
