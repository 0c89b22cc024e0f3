"""The team's own screenshots (docs/decisions/0025), the rules without the services: which case takes
them from whom, what either door refuses at first look, which grant evidence takes for them, and the
binding to the case a stored copy is sealed under."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from nacl.signing import SigningKey

from netra_common.contracts import grants, screenshots
from services.casework.domain import events as ev
from services.casework.domain.errors import TransitionNotAllowed
from services.casework.domain.rules import NotAllowed, Recused
from services.evidence.adapters import crypto, records
from services.evidence.usecases.preparation import Binding, prepare
from tests.support import complaints
from tests.unit.test_case_lifecycle import ANGGOTA, ANGGOTA_2, KETUA, NOW, PATHS, SAME_UNIT, case_in

KEY = SigningKey.generate()
SIGNING, VERIFYING = base64.b64encode(bytes(KEY)).decode(), base64.b64encode(bytes(KEY.verify_key)).decode()
SHOT = ev.EvidenceAttached(evidence_id="e1", upload_id="u1", sha256="ab" * 32, size=100, content_type="image/png",
                           received_at=NOW.isoformat())


@pytest.mark.parametrize("stage", list(PATHS))
def test_a_case_takes_the_teams_screenshots_until_a_finding_is_proposed(stage):
    case = case_in(stage)
    if stage in ("opened", "assigned", "under_verification", "clarification_requested"):
        assert case.attach_team_screenshot(KETUA, SHOT, at=NOW) is True
        assert (case.evidence[-1].actor, case.new_events[-1].type) == (KETUA, "evidence_attached")
        assert case.attach_team_screenshot(KETUA, SHOT, at=NOW) is False  # a retried request adds nothing
    else:
        with pytest.raises(TransitionNotAllowed):
            case.attach_team_screenshot(KETUA, SHOT, at=NOW)


def test_an_anggota_adds_only_to_a_case_assigned_to_them_and_no_one_to_a_case_they_are_recused_from():
    case = case_in("under_verification")  # assigned to ANGGOTA (a1)
    with pytest.raises(NotAllowed):
        case.attach_team_screenshot(ANGGOTA_2, SHOT, at=NOW)
    with pytest.raises(Recused):
        case.attach_team_screenshot(SAME_UNIT, SHOT, at=NOW)
    assert case.attach_team_screenshot(ANGGOTA, SHOT, at=NOW)


@pytest.mark.parametrize(("files", "code", "status"), [
    ([], "missing", 400),
    ([("a.png", complaints.png())] * 6, "count", 400),
    ([("kosong.png", b"")], "empty", 422),
    ([("besar.png", b"\x89PNG\r\n\x1a\n" + b"0" * screenshots.MAX_FILE_BYTES)], "too_large", 413),
    ([("a.png", complaints.png()), ("surat.pdf", b"%PDF-1.7")], "not_an_image", 415),
], ids=["none", "six", "empty", "too-large", "a-pdf"])
def test_the_first_look_refuses_in_indonesian_naming_the_file(files, code, status):
    with pytest.raises(screenshots.ScreenshotRefused) as refused:
        screenshots.first_look(files)
    answer = refused.value.as_api_error()
    assert (refused.value.code, answer.status, answer.code) == (code, status, f"screenshot_{code}")
    assert answer.message["id"].endswith("Tidak ada berkas yang disimpan.")
    if refused.value.index is not None:
        assert f"\u201c{files[refused.value.index][0]}\u201d" in answer.message["id"]


def test_evidence_takes_only_an_upload_grant_for_screenshots_of_a_case():
    def issue(copy: str, case_id: str | None) -> str:
        return grants.issue(SIGNING, evidence_id=str(uuid.uuid4()), copy=copy, member_id=str(uuid.uuid4()),
                            member_role="anggota", purpose="Unggah tangkapan layar oleh tim", ttl_seconds=120,
                            case_id=case_id)[0]

    case_id = str(uuid.uuid4())
    assert grants.verify_screenshot_upload(VERIFYING, issue(grants.SCREENSHOT_UPLOAD, case_id)).case_id == case_id
    for token in (issue(grants.DECREE_UPLOAD, case_id), issue(grants.SCREENSHOT_UPLOAD, None), issue("original", None)):
        with pytest.raises(grants.GrantRefused):
            grants.verify_screenshot_upload(VERIFYING, token)
    with pytest.raises(grants.GrantRefused):
        grants.verify_upload(VERIFYING, issue(grants.SCREENSHOT_UPLOAD, case_id))  # not a decree's


def test_a_team_screenshots_copies_are_bound_to_its_case_and_open_only_with_it():
    keyring = crypto.Keyring.parse(f"k1:{crypto.Keyring.new_key()}", "k1")
    case_id, received = uuid.uuid4(), datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    binding = Binding(uuid.uuid4(), None, received, case_id)
    made = prepare(complaints.png(seed=9), "bukti.png", None, binding, keyring)
    assert made.inspection.accepted and set(made.copies or {}) == {"original", "sanitized", "thumbnail"}
    original = (made.copies or {})["original"]
    row = SimpleNamespace(aad_version=binding.aad_version, evidence_id=binding.evidence_id, copy="original",
                          plain_sha256=original.sha256, plain_size=original.size, complaint_id=None,
                          received_at=received, case_id=case_id)
    assert binding.aad_version == crypto.CASE_AAD_VERSION
    assert crypto.open_sealed(keyring, original.sealed.key_id, original.sealed.wrapped_key, original.sealed.blob,
                              records.associated_data(row)) == complaints.png(seed=9)
    moved = SimpleNamespace(**{**vars(row), "case_id": uuid.uuid4()})
    with pytest.raises(crypto.RecordTampered):
        crypto.open_sealed(keyring, original.sealed.key_id, original.sealed.wrapped_key, original.sealed.blob,
                           records.associated_data(moved))
