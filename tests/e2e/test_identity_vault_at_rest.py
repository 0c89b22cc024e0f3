"""Issue 13, item 4: a full copy of what the server keeps, taken while the system runs (the
database by pg_dump, the object store's files, every service's environment as its process has
it, and the repository), opens no sealed identity: every key material found in it, and every key
Netra would derive from it, is tried against every box in it (tests/support/key_hunt.py); a
member's key comes only from their password, which is looked for in the copy as it is. The
people's passwords and the office's offline recovery key are not in the copy; given either, the
same hunt does open identities, so the test can fail (docs/decisions/0017)."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest
from netra_stack.settings import PROJECT_ROOT
from sqlalchemy import text

from netra_common import keystore
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.disclosure import disclose_and_read
from tests.support.key_hunt import BYTEA, Box, Hunt, as_bytes, strings_in
from tests.support.vault_keys import recovery_key

REPORTER = {"anonymous": False, "name": "Marlina Sihombing", "email": "marlina.sihombing.saksi@example.net",
            "phone": "081377665544", "nik": "1403016608910002", "consent_contact": True}
NOT_EVEN_WITH_NOTIFY = ("Marlina", "Sihombing", "081377665544", "81377665544", "1403016608910002")
REASON = "Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin yang mendesak."


@pytest.fixture(scope="module")
def disclosed(stack, stack_db, ketua, anggota):
    """A case with an identity, a disclosure to the anggota approved by a second ketua and read: so
    the copy holds every kind of box there is (grants, members' keys, sessions' keys, re-sealed)."""
    approver = enrol(stack, "brankas.ketua.penyetuju", "ketua", work_unit="Diskominfo")
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(reporter=REPORTER), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    read = disclose_and_read(ketua, approver, anggota, case, REASON)
    assert read.status_code == 200 and read.json()["identity"]["nik"] == REPORTER["nik"], read.text
    return {"case_id": case["case_id"], "recipient": anggota,
            "people": [member.user["user_id"] for member in (ketua, approver, anggota)],
            "passwords": [member.password for member in (ketua, approver, anggota)]}


def copy_of_everything(stack) -> tuple[bytes, list[bytes], list[bytes]]:
    """The database dump, the other files (object store, repository), every service's environment."""
    url = stack.settings.db_url.replace("+psycopg2", "")
    dump = subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True).stdout
    files = [p.read_bytes() for p in (stack.settings.data_dir / "seaweedfs").rglob("*") if p.is_file()]
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    files += [(PROJECT_ROOT / name).read_bytes() for name in tracked.decode().split("\0")
              if name and (PROJECT_ROOT / name).is_file() and (PROJECT_ROOT / name).stat().st_size < 2_000_000]
    environments = []
    for process in stack.services.values():
        environments += Path(f"/proc/{process.process.pid}/environ").read_bytes().split(b"\0")
    return dump, files, [value.partition(b"=")[2] for value in environments if b"=" in value]


# A sealed box adds 48 bytes to what it holds (the sender's one-time key and a MAC). One that holds
# fewer than 8 bytes holds no key and no part of an identity (the shortest, a phone number, has ten
# digits), so it is not tried as one: the copy's thousands of SHA-256 digests (hex that reads as
# exactly 48 bytes of base64) would each cost every key an X25519 multiplication. They are still
# keys to try, and secretboxes (a MAC check: a tenth of the cost).
SEALED_SMALLEST, SECRETBOX_SMALLEST = 48 + 8, 48


def boxes_in(dump: bytes) -> list[Box]:
    """Every string in the dump long enough to hold something, as a sealed box and as a secretbox."""
    boxes, seen = [], set()
    for string in strings_in(dump):
        for data in as_bytes(string):
            if data in seen:
                continue
            seen.add(data)
            name = string.decode()[:24]
            boxes += ([Box(name, data, sealed=True)] if len(data) >= SEALED_SMALLEST else []) + \
                ([Box(name, data, sealed=False)] if len(data) >= SECRETBOX_SMALLEST else [])
            if keystore.is_wrapped(data):  # a case key's wrapping (decision 0037): the secretbox inside
                boxes.append(Box(f"{name}/wrapped", data[len(keystore.MAGIC) + 16:], sealed=False))
    return boxes


def identity_parts(opened: list[Box]) -> list[tuple[str, str]]:
    return [(box.name, part) for box in opened for part in NOT_EVEN_WITH_NOTIFY
            if part.encode() in (box.opened or b"")]


def test_a_copy_of_everything_the_server_keeps_opens_no_identity(stack, stack_db, disclosed):
    dump, files, environment = copy_of_everything(stack)
    with stack_db.connect() as conn:
        sealed = conn.execute(text("SELECT sealed_identity FROM casework.sealed_identities")).scalars().all()
        # The salts of the keys that matter here: the first ketua's, the approver's, the recipient's.
        salts = [base64.b64decode(s) for s in conn.execute(text(
            "SELECT salt FROM casework.member_keys WHERE user_id = ANY(CAST(:people AS uuid[]))"),
            {"people": disclosed["people"]}).scalars()]
    assert len(salts) == len(disclosed["people"])
    assert sealed and all(box.encode() in dump for box in sealed)  # the copy holds the boxes
    assert b"NETRA_VAULT_PRIVATE_KEY" not in b"\n".join(environment)

    # A member's key is Argon2id of their password with their salt: a value of the copy derives it
    # only if it is that password. Rather than an Argon2id (64 MiB) of every value for each salt
    # (minutes on a loaded machine), the test, which knows the passwords, looks for them in the
    # whole copy; the hunt given one does open identities (below), so that path is tried too.
    copy = b"\n".join([dump, *files, *environment])
    assert all(password and password.encode() not in copy for password in disclosed["passwords"])
    hunt = Hunt()
    hunt.add_strings(strings_in(dump) | {s for blob in files for s in strings_in(blob)} | set(environment))
    hunt.add_strings({value for value in environment if value})
    boxes = boxes_in(dump)
    opened = hunt.run(boxes)

    # Nothing opened shows the reporter's name, phone or NIK.
    assert identity_parts(opened) == []
    # What the copy does open, honestly: notify's key (in notify's environment) opens the e-mail
    # address of a reporter who agreed to be written to, and nothing else of them
    # (docs/permissions.md, and the portal says so beside the box).
    with_address = [json.loads(box.opened) for box in opened
                    if REPORTER["email"].encode() in (box.opened or b"")]
    assert with_address and all(set(contact) <= {"email", "code"} for contact in with_address), with_address

    # The same hunt, given what the copy lacks, opens identities: the test can fail. (Only the new
    # key and what it opens are tried: the copy's own keys opened nothing more above.)
    # Each is given the copy's case keys too: a copy of the live database holds its key store
    # (decision 0037: only the purge's destroying a case's key closes that case's boxes).
    case_keys = set(BYTEA.findall(dump))
    assert case_keys, "the copy holds the key store"
    with_recovery = Hunt({bytes(recovery_key(stack))})
    with_recovery.add_strings(case_keys)
    assert identity_parts(with_recovery.run(boxes_in(dump)))
    with_token = Hunt()
    with_token.add_strings({disclosed["recipient"].token.encode()} | case_keys)
    assert identity_parts(with_token.run(boxes_in(dump)))
    with_password = Hunt()
    with_password.add_strings(case_keys)
    with_password.add_passwords({disclosed["recipient"].password.encode()}, salts)
    assert identity_parts(with_password.run(boxes_in(dump)))
