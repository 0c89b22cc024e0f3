"""Crypto-shredding on the real stack (issue 18 item 3, docs/decisions/0037): a data backup taken
before a purge still holds the reporter's wrapped identity and contact, and after the purge no key
left anywhere opens them, because the case key they are wrapped with is gone.

"Every key left": the vault's private key (here by the office's recovery key, which opens more than
any two people's disclosure could), notify's private key, and every case key still in the key
store. The same procedure opens both boxes before the purge, so the test can fail. And notify,
handed the old wrapped contact again (as a restored old copy of its tables would hold it), refuses
to send and says why in its record and its log, without a traceback.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tarfile
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import text

from netra_common import keystore
from netra_common.backup_crypto import DecryptingReader, new_key, parse_key
from netra_common.db import DatabaseHandle
from services.casework.adapters.retention_schedule import load_schedule
from services.casework.adapters.tables import messaging
from services.casework.adapters.units import PostgresUnits
from services.casework.usecases import retention
from tests.conftest import enrol
from tests.e2e.test_retention_purge_whole import _listed_as, file_and_dismiss, identified
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.disclosure import disclose_and_read
from tests.support.restore_drill import BIN, run_tool, tool_env
from tests.support.vault_keys import vault_key_by_recovery
from tests.support.waiting import eventually


def backed_up_sql(stack, tmp_path) -> str:
    """`netra-backup create` of the whole stack, read back as SQL (what a thief with the backup
    and its backup key has)."""
    key = new_key()
    backup_file = tmp_path / "before-the-purge.backup"
    run_tool([str(BIN / "netra-backup"), "create", str(backup_file)], tool_env(stack, key))
    dump = tmp_path / "database.dump"
    with open(backup_file, "rb") as raw, \
            tarfile.open(fileobj=DecryptingReader(raw, parse_key(key)), mode="r|") as tar:
        for member in tar:
            if member.name == "database.dump":
                dump.write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
                break
    return subprocess.run(["pg_restore", "--file=-", str(dump)], capture_output=True, text=True,
                          check=True).stdout


def every_key_left(stack, stack_db) -> dict:
    with stack_db.connect() as conn:
        case_keys = {row.key_id: bytes(row.key) for row in conn.execute(text(
            "SELECT key_id, key FROM keystore.case_keys"))}
    notify_key = PrivateKey(base64.b64decode(stack.service_env("notify")["NETRA_NOTIFY_PRIVATE_KEY"]))
    return {"vault": vault_key_by_recovery(stack, stack_db), "notify": notify_key, "case_keys": case_keys}


def open_box(stored: str, keys: dict, private: PrivateKey) -> bytes:
    """The documented way: the case key the box names, from the key store, then the long-lived key."""
    data = base64.b64decode(stored)
    key_id = keystore.key_id_of(data)
    if key_id not in keys["case_keys"]:
        raise keystore.KeyDestroyed(str(key_id))
    return SealedBox(private).decrypt(keystore.unwrap(key_id, keys["case_keys"][key_id], data))


def opens_with_nothing_left(stored: str, keys: dict) -> bool:
    """No key left opens the box: not its own (gone), not any other case key, not the vault's or
    notify's on the box as it is stored."""
    data = base64.b64decode(stored)
    key_id = keystore.key_id_of(data)
    assert key_id not in set(keys["case_keys"])  # the ids only: a failure never prints a key
    for other in keys["case_keys"].values():
        with pytest.raises(keystore.NotWrapped):
            keystore.unwrap(key_id, other, data)
    for private in (keys["vault"], keys["notify"]):
        with pytest.raises(CryptoError):
            SealedBox(private).decrypt(data)
    return True


def boxes_of(stack_db, case_id: str, complaint_id: str) -> dict[str, str]:
    with stack_db.connect() as conn:
        return {"identity": conn.execute(text("SELECT sealed_identity FROM casework.sealed_identities "
                                              "WHERE case_id = :c"), {"c": case_id}).scalar_one(),
                "contact": conn.execute(text("SELECT sealed_contact FROM notify.reporter_contacts "
                                             "WHERE complaint_id = :c"), {"c": complaint_id}).scalar_one()}


def purge_three_years_on(stack_db, case_id: str) -> None:
    """As tests/e2e/test_retention_purge_whole.py: casework's purge in-process, its clock moved."""
    moved = datetime.now(UTC) + timedelta(days=3 * 365)
    units = PostgresUnits(DatabaseHandle(stack_db, messaging, producer="casework", consumer="casework.retention"),
                          clock=lambda: moved)
    assert retention.purge_case(units, uuid.UUID(case_id), load_schedule()).goes


def test_a_backup_from_before_the_purge_opens_with_no_key_left(stack, stack_db, ketua, anggota, tmp_path):
    marker = uuid.uuid4().hex[:10]
    case_id, says, _ = file_and_dismiss(stack, stack_db, ketua, anggota, marker)
    with stack_db.connect() as conn:
        complaint_id = str(conn.execute(text("SELECT (data->>'complaint_id') FROM casework.events "
                                             "WHERE stream_id = :s AND version = 1"), {"s": case_id}).scalar_one())
    eventually(lambda: _contact_known(stack_db, complaint_id) and _listed_as(stack_db, (case_id,), "dismissed"),
               timeout=60, message="notify knows the contact, the case is listed as dismissed")
    boxes = boxes_of(stack_db, case_id, complaint_id)
    assert {keystore.wrapped_key_id(box) for box in boxes.values()} == {uuid.UUID(complaint_id)}

    sql = backed_up_sql(stack, tmp_path)
    assert all(box in sql for box in boxes.values()), "the backup holds both wrapped boxes"
    assert str(uuid.UUID(complaint_id)) not in _keystore_rows(sql), "and not the case key"

    # Before the purge the documented procedure opens both: the test can fail.
    keys = every_key_left(stack, stack_db)
    identity = json.loads(open_box(boxes["identity"], keys, keys["vault"]))
    assert identity["name"] == says["reporter"] and identity["nik"] == says["nik"]
    assert json.loads(open_box(boxes["contact"], keys, keys["notify"])) == {"email": says["email"]}

    purge_three_years_on(stack_db, case_id)
    eventually(lambda: _notify_forgot(stack_db, complaint_id), timeout=60, message="notify purged its part")

    keys = every_key_left(stack, stack_db)
    assert uuid.UUID(complaint_id) not in set(keys["case_keys"]), "the purge destroyed the case key"
    for name, private in (("identity", keys["vault"]), ("contact", keys["notify"])):
        with pytest.raises(keystore.KeyDestroyed):
            open_box(boxes[name], keys, private)
        assert opens_with_nothing_left(boxes[name], keys)

    # notify given the old wrapped contact again refuses, and says why.
    delivery_id = _old_delivery(stack_db, case_id, complaint_id, boxes["contact"])
    row = eventually(lambda: _tried(stack_db, delivery_id), timeout=60, message="notify tried the old contact")
    assert row.status == "dead" and "ContactKeyDestroyed" in row.last_error and "purged" in row.last_error
    logged = "\n".join(p.read_text(errors="replace") for p in stack.settings.log_dir.glob("notify*"))
    lines = [line for line in logged.splitlines() if str(delivery_id) in line]
    assert lines and all("ContactKeyDestroyed" in line for line in lines if "delivery.dead" in line), lines
    assert "Traceback" not in "\n".join(lines)
    assert says["email"] not in logged


def _contact_known(stack_db, complaint_id: str) -> bool:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT sealed_contact FROM notify.reporter_contacts WHERE complaint_id = :c"),
                            {"c": complaint_id}).scalar() is not None


def _notify_forgot(stack_db, complaint_id: str) -> bool:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM notify.reporter_contacts WHERE complaint_id = :c "
                                 "AND sealed_contact IS NULL"), {"c": complaint_id}).scalar_one() == 1


def _keystore_rows(sql: str) -> str:
    """The key store's data section of a dump (empty in a data backup)."""
    start = sql.find("COPY keystore.case_keys")
    return "" if start < 0 else sql[start:sql.find("\\.", start)]


def _old_delivery(stack_db, case_id: str, complaint_id: str, sealed_contact: str) -> uuid.UUID:
    delivery_id = uuid.uuid4()
    with stack_db.begin() as conn:
        conn.execute(text(
            "INSERT INTO notify.deliveries (delivery_id, event_id, recipient, channel, kind, status, address_sealed, "
            "subject, body_text, message_id, next_attempt_at, case_id, complaint_id) VALUES (:d, :e, :r, 'email', "
            "'reporter_update', 'pending', :s, 'Kabar pengaduan', 'Pengaduan Anda diperbarui.', :m, now(), :case, "
            ":complaint)"), {"d": delivery_id, "e": uuid.uuid4(), "r": f"reporter:{complaint_id}", "s": sealed_contact,
                             "m": f"<{delivery_id}@netra.test>", "case": case_id, "complaint": complaint_id})
    return delivery_id


def _tried(stack_db, delivery_id: uuid.UUID):
    with stack_db.connect() as conn:
        row = conn.execute(text("SELECT status, last_error FROM notify.deliveries WHERE delivery_id = :d"),
                           {"d": delivery_id}).first()
    return row if row is not None and row.status != "pending" else None


def test_an_identity_whose_case_key_is_gone_is_refused_in_words_not_a_server_error(stack, stack_db, ketua,
                                                                                  anggota):
    """A disclosed identity whose case key is not in the store (as on a system restored without its
    key backup) is refused with 409 identity_destroyed and says why; it opens while the key is there."""
    approver = enrol(stack, f"kunci.ketua.{uuid.uuid4().hex[:6]}", "ketua", work_unit="Diskominfo")
    document, says = identified(uuid.uuid4().hex[:10])
    filed = complaints.file(stack.settings.url("intake"), document, [])
    assert filed.status_code == 201, filed.text
    complaint_id = complaint_id_of(stack_db, filed.json()["tracking_code"])
    case = wait_for_case(ketua, case_id_for(complaint_id))
    read = disclose_and_read(ketua, approver, anggota, case)
    assert read.status_code == 200 and read.json()["identity"]["nik"] == says["nik"], read.text

    with stack_db.begin() as conn:
        assert keystore.destroy(conn, uuid.UUID(complaint_id))
    refused = anggota.post(f"/api/v1/cases/{case['case_id']}/identity")
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "identity_destroyed" and "sudah dimusnahkan" in json.dumps(error, ensure_ascii=False), error
    assert says["nik"] not in refused.text and says["reporter"] not in refused.text
