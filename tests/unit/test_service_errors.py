"""One error table each for intake, evidence and notify (docs/decisions/0013, as casework's in
test_casework_errors.py): every exception class a service defines either has an entry of its own in
its table, or is named here with the reason it never reaches a caller. A new exception fails here
until someone decides which."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from netra_common.contracts.grants import GrantRefused
from services.evidence.adapters.crypto import ContentTampered, RecordTampered
from services.evidence.adapters.storage import ObjectMissing
from services.evidence.api import api_errors as evidence_errors
from services.evidence.service import EvidenceService
from services.evidence.usecases.custody import NotFound
from services.intake.adapters.failed_writes import OutcomeUnknown
from services.intake.adapters.idempotency import InProgress, KeyReused
from services.intake.adapters.upload_intents import UploadsWithdrawn
from services.intake.api import api_errors as intake_errors
from services.intake.domain.idempotency import InvalidKey
from services.intake.service import IntakeService
from services.intake.usecases.lookups import RateLimited
from services.intake.usecases.validation import InvalidInput
from services.notify.api import api_errors as notify_errors
from services.notify.service import NotifyService

# Exceptions that never reach a caller, each with where it goes instead.
NEVER_ANSWERED = {
    "services.intake.adapters.idempotency.Replay": "not an error: filing catches it and gives the kept answer",
    "services.intake.adapters.failed_writes.RecordRefused": "a fault: the generic 500, the server's words withheld",
    "services.evidence.domain.containers.Malformed": "an upload's problem: inspection turns it into a rejection",
    "services.evidence.domain.jpeg_complete.Incomplete": "an upload's problem: inspection turns it into a rejection",
    "services.evidence.domain.inspection.Refused": "an upload's problem: inspection turns it into a rejection",
    "services.evidence.adapters.records.PutsWithdrawn": "an event handler's: the bus retries the upload",
    "services.notify.domain.retry.TemporaryFailure": "a delivery's: RetryPolicy tries it again",
    "services.notify.domain.retry.DeliveryRefused": "a delivery's: RetryPolicy parks it with the reason",
    "services.notify.domain.retry.LocalFailure": "a delivery's: RetryPolicy parks it with the reason",
    "services.notify.adapters.contacts.ContactKeyDestroyed": "a LocalFailure: the delivery is parked with the reason",
    "services.notify.usecases.planning.NotKnownYet": "an event handler's: the bus retries the event",
}
SERVICES = {"intake": (IntakeService, intake_errors.ERRORS), "evidence": (EvidenceService, evidence_errors.ERRORS),
            "notify": (NotifyService, notify_errors.ERRORS)}


def exceptions_defined_in(service: str) -> list[type]:
    """Every exception class a module of services/<service> defines (its migrations aside)."""
    package = importlib.import_module(f"services.{service}")
    found = set()
    for module_info in pkgutil.walk_packages(package.__path__, f"services.{service}."):
        if ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.add(value)
    return sorted(found, key=lambda kind: f"{kind.__module__}.{kind.__qualname__}")


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_exception_of_the_service_is_answered_or_named_as_never_reaching_a_caller(service):
    service_cls, table = SERVICES[service]
    assert service_cls.errors is table
    defined = exceptions_defined_in(service)
    assert defined, "the walk found no exception at all: it is looking in the wrong place"
    undecided = [f"{kind.__module__}.{kind.__qualname__}" for kind in defined
                 if kind not in table.kinds and f"{kind.__module__}.{kind.__qualname__}" not in NEVER_ANSWERED]
    assert undecided == []


def test_the_list_of_exceptions_never_answered_names_only_real_ones():
    defined = {f"{kind.__module__}.{kind.__qualname__}" for service in SERVICES
               for kind in exceptions_defined_in(service)}
    assert set(NEVER_ANSWERED) <= defined


INTAKE = [
    (InvalidInput({"reported": {"nip": ["nip_invalid"]}}, "complaint"), 400, "invalid_complaint"),
    (InvalidInput({"message": ["required"]}, "reply"), 400, "invalid_reply"),
    (InvalidKey("form"), 400, "idempotency_key_invalid"),
    (InvalidKey("too_predictable"), 422, "idempotency_key_predictable"),
    (RateLimited(30), 429, "too_many_requests"),
    (KeyReused(), 422, "idempotency_key_reused"),
    (InProgress(), 409, "idempotency_key_in_progress"),
    (OutcomeUnknown(), 503, "outcome_unknown"),
    (UploadsWithdrawn(), 503, "service_unavailable"),
]


@pytest.mark.parametrize(("exc", "status", "code"), INTAKE, ids=lambda v: getattr(v, "__name__", None))
def test_intake_answers_each_refusal_with_its_status_and_code(exc, status, code):
    answer = intake_errors.ERRORS.answer(exc)
    assert (answer.status, answer.code) == (status, code)


def test_a_rate_limit_says_when_to_come_back():
    answer = intake_errors.ERRORS.answer(RateLimited(42))
    assert answer.headers == {"Retry-After": "42"} and "42" in answer.message["id"]


def test_a_rule_the_document_cannot_state_is_422_and_worded_in_both_languages():
    answer = intake_errors.ERRORS.answer(InvalidInput({"screenshots": ["evidence_required"]}, "complaint"))
    assert answer.status == 422
    assert answer.details.in_language("id")[0]["field"] == "screenshots"
    assert answer.details.in_language("id")[0]["message"] != answer.details.in_language("en")[0]["message"]


EVIDENCE = [
    (ValueError("badly formed hexadecimal UUID string"), 404, "not_found"),
    (NotFound("e1"), 404, "not_found"),
    (ObjectMissing("gone"), 404, "not_found"),
    (GrantRefused("expired"), 403, "grant_refused"),
    (RecordTampered("x"), 500, "integrity_failure"),
    (ContentTampered("x"), 500, "integrity_failure"),
]


@pytest.mark.parametrize(("exc", "status", "code"), EVIDENCE, ids=lambda v: getattr(v, "__name__", None))
def test_evidence_answers_each_refusal_with_its_status_and_code(exc, status, code):
    answer = evidence_errors.ERRORS.answer(exc)
    assert (answer.status, answer.code) == (status, code)


def test_a_refused_grant_names_its_reason():
    assert evidence_errors.ERRORS.answer(GrantRefused("expired")).details == {"reason": "expired"}


def test_notify_answers_nothing_because_no_caller_asks_it_anything():
    assert notify_errors.ERRORS.kinds == ()
