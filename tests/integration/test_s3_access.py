"""The local S3 refuses anonymous and wrong-key requests; each service holds only its own rights."""

from __future__ import annotations

import io

import pytest
from minio import Minio
from minio.error import S3Error

from netra_common.s3 import REGION


def client(stack, identity: str | None, secret: str | None = None) -> Minio:
    if identity is None:
        return Minio(stack.settings.s3_endpoint, secure=False, region=REGION)
    keys = stack.secrets["s3"][identity]
    return Minio(stack.settings.s3_endpoint, access_key=keys["access_key"],
                 secret_key=secret or keys["secret_key"], secure=False, region=REGION)


def put(c: Minio, bucket: str, key: str = "access-test/object"):
    return c.put_object(bucket, key, io.BytesIO(b"x"), 1)


def refused(action) -> str:
    with pytest.raises(S3Error) as error:
        action()
    return error.value.code


def test_anonymous_requests_are_refused(stack):
    anonymous = client(stack, None)
    assert refused(lambda: put(anonymous, "quarantine")) == "AccessDenied"
    assert refused(lambda: anonymous.list_objects("evidence")
                   .__next__()) == "AccessDenied"


def test_a_wrong_secret_is_refused(stack):
    impostor = client(stack, "intake", secret="not-the-secret-key-at-all")
    assert refused(lambda: put(impostor, "quarantine")) == "SignatureDoesNotMatch"


def test_intake_may_only_drop_files_into_quarantine(stack):
    intake = client(stack, "intake")
    put(intake, "quarantine")
    assert refused(lambda: intake.get_object("quarantine", "access-test/object")) == "AccessDenied"
    assert refused(lambda: put(intake, "evidence")) == "AccessDenied"
    assert refused(lambda: put(intake, "derivatives")) == "AccessDenied"


def test_evidence_reads_quarantine_and_owns_the_evidence_and_derivatives_buckets(stack):
    evidence = client(stack, "evidence")
    put(client(stack, "intake"), "quarantine", "access-test/for-evidence")
    assert evidence.get_object("quarantine", "access-test/for-evidence").read() == b"x"
    put(evidence, "derivatives")
    written = put(evidence, "evidence", "access-test/evidence-object")
    assert evidence.get_object("evidence", "access-test/evidence-object").read() == b"x"
    # Nothing of it stays: `netra-evidence verify` names every object no record explains.
    evidence.remove_object("evidence", written.object_name, version_id=written.version_id)
    for bucket, key in (("derivatives", "access-test/object"), ("quarantine", "access-test/for-evidence"),
                        ("quarantine", "access-test/object")):
        evidence.remove_object(bucket, key)
