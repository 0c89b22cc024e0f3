"""The restore drill: complaints are filed, `netra-backup` backs the system up, and `netra-restore`
brings the backup up in a fresh, empty stack (database, object store, bus) given the keys the backup
names, and the case keys' backup kept apart (docs/decisions/0037). There the case log's chains and
evidence's copies verify, the cases, events, evidence and custody log are all there, every
reporter's tracking code and receipt still open their complaint, and every identified reporter's
identity and contact open with the restored case keys (the data backup alone holds none).

`make test` runs it with a few complaints on the session stack; `make restore-drill` with
NETRA_DRILL_COMPLAINTS (default there 200) and prints how long backup and restore took per 1,000
cases."""

from __future__ import annotations

import base64
import json
import os
import sys

import pytest
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import create_engine, text

from netra_common import keystore
from netra_common.backup_crypto import new_key
from tests.conftest import isolated_stack
from tests.support import complaints
from tests.support.restore_drill import BIN, restored_stack, run_tool, tool_env
from tests.support.vault_keys import vault_key_by_recovery
from tests.support.waiting import eventually

COMPLAINTS = int(os.environ.get("NETRA_DRILL_COMPLAINTS", "3"))

IDENTIFIED_EVERY = 2  # every second complaint names its reporter, who agrees to be contacted

COUNTS = {
    "cases": "SELECT count(*) FROM casework.case_list",
    "case events": "SELECT count(*) FROM casework.events",
    "evidence": "SELECT count(*) FROM evidence.items",
    "custody log": "SELECT count(*) FROM evidence.custody_log",
    "complaints": "SELECT count(*) FROM intake.complaints",
    "deliveries": "SELECT count(*) FROM notify.deliveries",
}


def counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url, poolclass=None)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(text(sql)).scalar_one() for name, sql in COUNTS.items()}
    finally:
        engine.dispose()


def reporter(n: int) -> dict:
    if n % IDENTIFIED_EVERY:
        return {"anonymous": True}
    return {"anonymous": False, "name": f"Pelapor Latihan {n}", "email": f"pelapor.latihan.{n}@example.org",
            "phone": f"08129{n:07d}", "nik": f"140301550790{n % 9999 + 1:04d}", "consent_contact": True}


def sealed_boxes(db_url: str) -> dict[str, dict[str, str]]:
    engine = create_engine(db_url, poolclass=None)
    try:
        with engine.connect() as conn:
            return {"identities": dict(conn.execute(text(
                        "SELECT case_id::text, sealed_identity FROM casework.sealed_identities")).all()),
                    "contacts": dict(conn.execute(text(
                        "SELECT complaint_id::text, sealed_contact FROM notify.reporter_contacts "
                        "WHERE sealed_contact IS NOT NULL")).all())}
    finally:
        engine.dispose()


def every_identity_and_contact_opens(source, restored) -> None:
    """In the restored system, with its restored case keys: the vault's key (by the office's
    recovery key) opens every identity, notify's key every contact (decision 0037)."""
    engine = create_engine(restored.settings.db_url, poolclass=None)
    try:
        vault = vault_key_by_recovery(source, engine)
        notify = PrivateKey(base64.b64decode(restored.service_env("notify")["NETRA_NOTIFY_PRIVATE_KEY"]))
        boxes = sealed_boxes(restored.settings.db_url)
        with engine.connect() as conn:
            for private, kind, field in ((vault, "identities", "name"), (notify, "contacts", "email")):
                for box in boxes[kind].values():
                    assert keystore.wrapped_key_id(box) is not None, "filed since 0037: wrapped"
                    opened = json.loads(SealedBox(private).decrypt(base64.b64decode(keystore.open_text(conn, box))))
                    assert opened[field].startswith(("Pelapor Latihan", "pelapor.latihan.")), kind
    finally:
        engine.dispose()


def admin(service: str, stack, *args: str):
    return run_tool([sys.executable, "-m", f"services.{service}.admin", *args], stack.service_env(service))


@pytest.fixture(scope="module")
def own_stack(test_output):
    """The drill restores a whole system and counts every store: on a stack of its own, not the
    session's, which holds complaints other tests left half-done on purpose (rejected screenshots,
    tampered records)."""
    with isolated_stack(test_output) as running:
        yield running


def test_a_backup_restored_into_an_empty_system_holds_everything(own_stack, test_output, tmp_path):
    stack = own_stack
    intake = stack.settings.url("intake")
    filed = []
    for n in range(COMPLAINTS):
        document = complaints.complaint(description=f"Latihan pemulihan {n}.", reporter=reporter(n))
        answer = complaints.file(intake, document, [("bukti.png", complaints.png(seed=9000 + n))])
        assert answer.status_code == 201, answer.text
        filed.append(answer.json())
    identified = len(range(0, COMPLAINTS, IDENTIFIED_EVERY))
    before = counts(stack.settings.db_url)
    # every screenshot taken into custody and every case opened before the backup is taken
    eventually(lambda: (now := counts(stack.settings.db_url))["evidence"] >= before["complaints"]
               and now["cases"] >= before["complaints"] and now, timeout=120 + 2 * COMPLAINTS,
               message="the complaints settled")
    eventually(lambda: counts(stack.settings.db_url) == counts(stack.settings.db_url), timeout=30)
    eventually(lambda: len(sealed_boxes(stack.settings.db_url)["contacts"]) == identified, timeout=60 + COMPLAINTS,
               message="notify knows every reporter's contact")
    before = counts(stack.settings.db_url)

    key = new_key()
    backup_file, keys_file = tmp_path / "netra.backup", tmp_path / "netra-keys.backup"
    made = run_tool([str(BIN / "netra-backup"), "create", str(backup_file), "--keys-to", str(keys_file),
                     "--cases", str(before["cases"])], tool_env(stack, key))
    print(f"\n{made.stdout.strip()}")
    assert b"Budi Santoso" not in backup_file.read_bytes(), "the backup is encrypted"
    assert "holds no keys" in made.stderr and f"{identified} keys" in made.stdout
    sealed_before = sealed_boxes(stack.settings.db_url)
    assert len(sealed_before["identities"]) == identified == len(sealed_before["contacts"])

    with restored_stack(stack, backup_file, key, test_output, before["cases"], keys_file) as (restored, restore_run):
        print(restore_run.stdout.strip())
        assert f"case keys restored: {identified}" in restore_run.stdout
        assert counts(restored.settings.db_url) == before
        assert sealed_boxes(restored.settings.db_url) == sealed_before
        every_identity_and_contact_opens(stack, restored)
        admin("casework", restored, "verify-log")
        admin("evidence", restored, "verify")
        url = restored.settings.url("intake")
        for receipt in filed:
            answer = complaints.status(url, receipt["tracking_code"], receipt["receipt"])
            assert answer.status_code == 200, answer.text
