"""A reporter's name, phone, e-mail and NIK never appear in plain text in intake's tables,
its logs, or any message it publishes; the sealed box opens only with the vault's key."""

from __future__ import annotations

import base64
import json
import uuid

import requests
from kombu import Connection, Exchange, Queue
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import text

from tests.support import complaints
from tests.support.waiting import eventually

IDENTITY = {"anonymous": False, "name": "Rahmat Hidayatullah Saragih",
            "email": "rahmat.saragih.pelapor@example.net", "phone": "085276543210",
            "nik": "1403024708950007", "consent_contact": True}
NEEDLES = ("Hidayatullah", "Saragih", "rahmat.saragih.pelapor", "085276543210", "85276543210",
           "1403024708950007")


def leaks(haystack: str) -> list[str]:
    lowered = haystack.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


def test_the_identity_is_sealed_everywhere_intake_keeps_or_sends_anything(stack, stack_db):
    tap_name = f"{stack.bus.prefix}.tap.{uuid.uuid4().hex[:6]}"
    with Connection(stack.settings.amqp_uri) as connection:
        tap = Queue(tap_name, exchange=Exchange(stack.bus.events_exchange, type="topic"),
                    routing_key="#", auto_delete=False, durable=False)
        tap(connection.channel()).declare()
        try:
            intake = stack.settings.url("intake")
            filed = complaints.file(intake, complaints.complaint(reporter=IDENTITY),
                                    [("bukti.png", complaints.png(seed=909))])
            assert filed.status_code == 201
            receipt = filed.json()
            reply = requests.post(
                f"{intake}/api/v1/complaints/{receipt['tracking_code']}/messages", timeout=10,
                headers={"X-Receipt": receipt["receipt"]}, json={"message": "Tambahan keterangan."})
            assert reply.status_code == 201
            eventually(lambda: complaints.status(intake, receipt["tracking_code"], receipt["receipt"])
                       .json()["status"] == "opened", message="the case opened downstream")

            published = []
            channel = connection.channel()
            while (message := tap(channel).get(no_ack=True)) is not None:
                published.append(message.body.decode() if isinstance(message.body, bytes)
                                 else json.dumps(message.payload))
        finally:
            tap(connection.channel()).delete()

    # Every message intake published on the bus.
    intake_messages = [m for m in published if '"producer": "intake"' in m or '"producer":"intake"' in m]
    assert any("complaint_submitted" in m for m in intake_messages)
    assert [leaks(m) for m in published if leaks(m)] == []

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

    # It was sealed, not dropped: the vault's private key opens it.
    vault = PrivateKey(base64.b64decode(stack.secrets["vault_private_key"]))
    opened = json.loads(SealedBox(vault).decrypt(base64.b64decode(sealed)))
    assert opened == {k: IDENTITY[k] for k in ("name", "email", "phone", "nik")}
