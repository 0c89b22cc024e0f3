"""Opening a kept decree (SK) again: the view grant is for one decree of one case, only BKPPD, the
leads and the assignee may open it, and casework never hands on bytes whose SHA-256 is not the one
the case recorded."""

from __future__ import annotations

import base64
import hashlib
import uuid
from types import SimpleNamespace

import pytest
import requests
from nacl.signing import SigningKey

from netra_common.contracts import grants
from netra_common.errors import ApiError
from services.casework.adapters import evidence_door
from services.casework.domain import events as ev
from services.casework.domain import rules
from services.casework.domain.accounts import TeamMember
from services.casework.usecases.decrees import decree_to_open

KEY = SigningKey.generate()
SIGNING, VERIFYING = base64.b64encode(bytes(KEY)).decode(), base64.b64encode(bytes(KEY.verify_key)).decode()
DECREE, CASE = str(uuid.uuid4()), str(uuid.uuid4())


def view_grant(copy=grants.DECREE_VIEW, case_id=CASE):
    return grants.issue(SIGNING, evidence_id=DECREE, copy=copy, member_id=str(uuid.uuid4()), member_role="bkppd",
                        purpose="Membuka kembali SK", ttl_seconds=60, now=1_000_000, case_id=case_id)[0]


def test_a_decree_view_grant_opens_that_decree_of_its_case_only():
    grant = grants.verify_decree_view(VERIFYING, view_grant(), decree_id=DECREE, now=1_000_010)
    assert (grant.case_id, grant.copy) == (CASE, "decree")
    with pytest.raises(grants.GrantRefused):
        grants.verify_decree_view(VERIFYING, view_grant(), decree_id=str(uuid.uuid4()), now=1_000_010)
    with pytest.raises(grants.GrantRefused):  # a screenshot's grant does not open a decree
        grants.verify_decree_view(VERIFYING, view_grant(copy="original"), decree_id=DECREE, now=1_000_010)
    with pytest.raises(grants.GrantRefused):
        grants.verify_decree_view(VERIFYING, view_grant(case_id=None), decree_id=DECREE, now=1_000_010)


def member(role: str, user_id: uuid.UUID | None = None) -> TeamMember:
    return TeamMember(user_id or uuid.uuid4(), f"{role}.uji", "Uji", role, "Diskominfo")


ASSIGNEE = uuid.uuid4()
KEPT = ev.DecreeAttached(decree_id=DECREE, sha256="ab" * 32, size=10, pages=1, received_at="2026-12-01T00:00:00Z")
CASE_WITH_SK = SimpleNamespace(decrees=[KEPT], assignee_id=str(ASSIGNEE))


@pytest.mark.parametrize("who", [member("bkppd"), member("ketua"), member("sekretaris"), member("anggota", ASSIGNEE)],
                         ids=["bkppd", "ketua", "sekretaris", "assignee"])
def test_bkppd_the_leads_and_the_assignee_may_open_the_sk(who):
    assert decree_to_open(who, CASE_WITH_SK, DECREE) is KEPT
    assert decree_to_open(who, CASE_WITH_SK, str(uuid.uuid4())) is None  # not this case's


def test_another_anggota_may_not():
    with pytest.raises(rules.NotAllowed):
        decree_to_open(member("anggota"), CASE_WITH_SK, DECREE)


class Answer:
    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content


@pytest.mark.parametrize(("answer", "status", "code"), [
    (Answer(200, b"%PDF-1.7 another file"), 500, "integrity_failure"),
    (Answer(404, b"{}"), 404, "decree_not_found"),
    (Answer(403, b"{}"), 503, "evidence_unavailable"),
])
def test_the_door_hands_on_only_the_recorded_bytes(monkeypatch, answer, status, code):
    monkeypatch.setattr(requests, "get", lambda *a, **kw: answer)
    with pytest.raises(ApiError) as refused:
        evidence_door.fetch_decree("http://evidence", "grant", DECREE, hashlib.sha256(b"%PDF-1.7 sk").hexdigest())
    assert (refused.value.status, refused.value.code) == (status, code)


def test_the_recorded_bytes_pass(monkeypatch):
    monkeypatch.setattr(requests, "get", lambda *a, **kw: Answer(200, b"%PDF-1.7 sk"))
    assert evidence_door.fetch_decree("http://evidence", "g", DECREE,
                                      hashlib.sha256(b"%PDF-1.7 sk").hexdigest()) == b"%PDF-1.7 sk"
