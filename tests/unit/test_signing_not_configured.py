"""A signing key or certificate the operator did not give casework is answered 503 with the setting
to fill, in Bahasa Indonesia, and logged once: never a 500 (the dossier's seal, its PDF certificate,
the log's checkpoint key)."""

from __future__ import annotations

import logging
import uuid

import pytest

from services.casework.adapters.units import PostgresUnit
from services.casework.api import api_errors
from services.casework.api.api_errors import ERRORS
from services.casework.reports import dossier_signing
from services.casework.service import CaseworkService
from services.casework.signing_not_configured import SigningNotConfigured


class FakeUow:
    connection = None
    correlation_id = uuid.uuid4()
    cause = None


def raised_by(call) -> SigningNotConfigured:
    with pytest.raises(SigningNotConfigured) as caught:
        call()
    return caught.value


def test_the_json_dossier_without_its_key_asks_the_operator_for_it():
    answer = ERRORS.answer(raised_by(lambda: dossier_signing.sealer({})))
    assert (answer.status, answer.code) == (503, "signing_not_configured")
    assert "operator" in answer.message["id"] and "NETRA_DOSSIER_SIGNING_KEY" in answer.message["id"]
    assert answer.details == {"setting": "NETRA_DOSSIER_SIGNING_KEY"}


def test_the_public_key_door_without_the_key_answers_503_through_the_service_table():
    door = CaseworkService.dossier_public_key
    exc = raised_by(lambda: door(type("Worker", (), {"config": {}})(), request=None))
    assert CaseworkService.errors.translate(exc).status == 503


def test_the_pdf_without_its_certificate_settings_names_the_missing_one():
    exc = raised_by(lambda: dossier_signing.signed_pdf({"NETRA_DOSSIER_SIGNING_CERT_FILE": "/x.pem"}, {}, []))
    assert exc.setting == "NETRA_DOSSIER_SIGNING_KEY_FILE" and not exc.unreadable
    assert ERRORS.answer(exc).status == 503


def test_the_pdf_with_certificate_files_that_are_not_there_is_503_and_hides_the_paths(tmp_path):
    config = {"NETRA_DOSSIER_SIGNING_KEY_FILE": str(tmp_path / "gone-key.pem"),
              "NETRA_DOSSIER_SIGNING_CERT_FILE": str(tmp_path / "gone-cert.pem")}
    exc = raised_by(lambda: dossier_signing.signed_pdf(config, {}, []))
    assert exc.unreadable and "gone-key.pem" in str(exc)  # the log says which files
    answer = ERRORS.answer(exc)
    assert answer.status == 503 and "tidak dapat dibaca" in answer.message["id"]
    assert str(tmp_path) not in answer.message["id"] + answer.message["en"]  # the caller is not told paths


def test_a_forward_without_the_checkpoint_key_is_503_not_a_runtime_error():
    unit = PostgresUnit(FakeUow(), vault=None, signer=None)
    exc = raised_by(lambda: unit.take_checkpoint("forwarded"))
    assert exc.setting == "NETRA_CASEWORK_CHECKPOINT_KEY"
    assert ERRORS.answer(exc).status == 503


def test_the_operator_is_told_once_per_setting_not_at_every_request(caplog, monkeypatch):
    monkeypatch.setattr(api_errors, "_told_operator", set())
    with caplog.at_level(logging.ERROR, logger=api_errors.log.name):
        for _ in range(3):
            ERRORS.answer(SigningNotConfigured("NETRA_DOSSIER_SIGNING_KEY", "dossiers"))
        ERRORS.answer(SigningNotConfigured("NETRA_CASEWORK_CHECKPOINT_KEY", "checkpoints"))
    told = [r.getMessage() for r in caplog.records if "signing.not_configured" in r.getMessage()]
    assert len(told) == 2
    assert "NETRA_DOSSIER_SIGNING_KEY" in told[0] and "NETRA_CASEWORK_CHECKPOINT_KEY" in told[1]


def test_the_503_says_when_to_try_again_as_every_503_does():
    answer = ERRORS.answer(SigningNotConfigured("NETRA_DOSSIER_SIGNING_KEY", "dossiers"))
    assert int(answer.headers["Retry-After"]) > 0
