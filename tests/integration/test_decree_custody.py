"""evidence keeps a decree (SK) on real PostgreSQL (its object store stood in for by a recorder): under
an upload grant casework signed, inspected first, encrypted bound to its case and time, retained,
recorded once per grant; what is refused leaves no record and no object."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from types import SimpleNamespace

import pytest
from nacl.signing import SigningKey
from netra_stack import database
from netra_stack.settings import StackSettings
from sqlalchemy import create_engine, text

from netra_common.contracts import grants
from netra_common.contracts.decrees import DecreeRefused
from netra_common.contracts.quarantine import new_key_pair
from netra_common.db import DatabaseHandle
from netra_common.migrate import upgrade
from services.evidence.adapters import crypto, records
from services.evidence.adapters.tables import messaging
from services.evidence.settings import from_config
from services.evidence.usecases.decrees import GrantAlreadyUsed, keep_decree
from tests.support import decrees

SIGNING = SigningKey.generate()
SIGNING_B64 = base64.b64encode(bytes(SIGNING)).decode()
VERIFY_B64 = base64.b64encode(bytes(SIGNING.verify_key)).decode()


class RecordingStore:
    """What evidence puts, by (bucket, key): enough of Minio for storage.put and storage.get."""

    def __init__(self):
        self.objects: dict[tuple[str, str], tuple[bytes, object]] = {}

    def put_object(self, bucket, key, data, length, content_type=None, retention=None):
        self.objects[(bucket, key)] = (data.read(length), retention)
        return SimpleNamespace(version_id=f"v{len(self.objects)}")

    def get_object(self, bucket, key, version_id=None):
        return SimpleNamespace(read=lambda: self.objects[(bucket, key)][0], close=lambda: None,
                               release_conn=lambda: None)


@pytest.fixture()
def evidence_db(tmp_path):
    settings = StackSettings.for_tests(tmp_path, database=f"netra_dc_{uuid.uuid4().hex[:8]}")
    database.ensure_database(settings.pg_url, settings.database)
    upgrade("evidence", settings.db_url)
    engine = create_engine(settings.db_url, pool_size=2, max_overflow=0)
    yield DatabaseHandle(engine, messaging, producer="evidence", consumer="evidence.test")
    engine.dispose()
    database.drop_database(settings.pg_url, settings.database)


def settings():
    return from_config({
        "NETRA_BUCKET_QUARANTINE": "quarantine", "NETRA_BUCKET_EVIDENCE": "evidence",
        "NETRA_BUCKET_DERIVATIVES": "derivatives",
        "NETRA_EVIDENCE_MASTER_KEYS": f"k1:{crypto.Keyring.new_key()}", "NETRA_EVIDENCE_ACTIVE_KEY_ID": "k1",
        "NETRA_QUARANTINE_PRIVATE_KEYS": new_key_pair()[0], "NETRA_EVIDENCE_RETENTION_DAYS": "1825",
        "NETRA_EVIDENCE_ORIGINAL_ROLES": "ketua,sekretaris,bkppd", "NETRA_GRANT_MAX_LIFETIME_SECONDS": "900",
        "NETRA_QUARANTINE_GRACE_HOURS": "168", "NETRA_EVIDENCE_IMAGE_SLOTS": "1",
        "NETRA_EVIDENCE_PUT_GRACE_SECONDS": "900", "NETRA_DECREE_MAX_BYTES": str(1024 * 1024)})


def upload_grant(case_id: str, **changes) -> str:
    fields = {"evidence_id": str(uuid.uuid4()), "copy": grants.DECREE_UPLOAD, "member_id": str(uuid.uuid4()),
              "member_role": "bkppd", "purpose": "Unggah SK keputusan BKPPD", "ttl_seconds": 120,
              "case_id": case_id, **changes}
    return grants.issue(SIGNING_B64, **fields)[0]


def test_a_decree_is_kept_encrypted_bound_to_its_case_and_retained_once_per_grant(evidence_db):
    store, config, case_id = RecordingStore(), settings(), str(uuid.uuid4())
    sk = decrees.plain_decree(pages=2)
    grant = upload_grant(case_id)
    kept = keep_decree(evidence_db, store, config, VERIFY_B64, grant, sk)
    assert (kept.case_id, kept.sha256, kept.size, kept.pages) == (case_id, hashlib.sha256(sk).hexdigest(), len(sk), 2)
    with evidence_db.read() as conn:
        row = records.stored_object(conn, uuid.UUID(kept.decree_id), "original")
    assert (row.kind, str(row.case_id), row.complaint_id, row.aad_version) == ("decree", case_id, None, 3)
    blob, retention = store.objects[(row.bucket, row.object_key)]
    assert b"%PDF" not in blob and retention is not None
    opened = crypto.open_sealed(config.keyring, row.key_id, row.wrapped_key, blob, records.associated_data(row))
    assert opened == sk
    moved = SimpleNamespace(**{**row._asdict(), "case_id": uuid.uuid4()})  # claimed for another case
    with pytest.raises(crypto.RecordTampered):
        crypto.open_sealed(config.keyring, row.key_id, row.wrapped_key, blob, records.associated_data(moved))

    assert keep_decree(evidence_db, store, config, VERIFY_B64, grant, sk) == kept  # a retried request
    with pytest.raises(GrantAlreadyUsed):
        keep_decree(evidence_db, store, config, VERIFY_B64, grant, decrees.plain_decree("lain"))
    assert len(store.objects) == 1


@pytest.mark.parametrize(("made", "refusal"), [
    (decrees.with_javascript, "active_content"), (decrees.not_a_pdf, "not_pdf"),
    (lambda: decrees.plain_decree() + b"%" * (1024 * 1024), "too_large")])
def test_a_refused_file_leaves_no_record_and_no_object(evidence_db, made, refusal):
    store = RecordingStore()
    with pytest.raises(DecreeRefused) as refused:
        keep_decree(evidence_db, store, settings(), VERIFY_B64, upload_grant(str(uuid.uuid4())), made())
    assert refused.value.code == refusal
    assert store.objects == {}
    with evidence_db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence.items")).scalar_one() == 0


@pytest.mark.parametrize("grant", [
    lambda: upload_grant(str(uuid.uuid4()), copy="original"),  # a viewing grant stores nothing
    lambda: upload_grant(None),  # no case named
    lambda: upload_grant(str(uuid.uuid4()), ttl_seconds=-1),  # expired
    lambda: grants.issue(base64.b64encode(bytes(SigningKey.generate())).decode(), evidence_id=str(uuid.uuid4()),
                         copy=grants.DECREE_UPLOAD, member_id=str(uuid.uuid4()), member_role="bkppd",
                         purpose="Unggah SK", ttl_seconds=120, case_id=str(uuid.uuid4()))[0],  # not casework's
])
def test_only_an_upload_grant_casework_signed_for_a_case_stores_a_decree(evidence_db, grant):
    with pytest.raises(grants.GrantRefused):
        keep_decree(evidence_db, RecordingStore(), settings(), VERIFY_B64, grant(), decrees.plain_decree())


def test_the_inspection_sees_the_bytes_as_sent(evidence_db):
    """A PDF wrapped in another stream is not one: the magic must open the file itself."""
    wrapped = io.BytesIO(b"PK\x03\x04" + decrees.plain_decree()).getvalue()
    with pytest.raises(DecreeRefused):
        keep_decree(evidence_db, RecordingStore(), settings(), VERIFY_B64, upload_grant(str(uuid.uuid4())), wrapped)
