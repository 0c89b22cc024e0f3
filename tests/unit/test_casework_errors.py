"""One error table for casework: every refusal its doors let through has an entry of its own, with
the status the decision gives it (docs/decisions/0013); the table itself (netra_common.error_table)
looks an exception up by class and then by base class, and never takes a class twice."""

from __future__ import annotations

import pytest

from netra_common.error_table import ErrorTable
from netra_common.errors import ApiError
from services.casework.api.api_errors import ERRORS
from services.casework.domain import accounts, rules
from services.casework.domain.commands import NotFit
from services.casework.domain.errors import DomainError, InvalidCommand, StaleVersion, TransitionNotAllowed
from services.casework.service import CaseworkService
from services.casework.signing_not_configured import SigningNotConfigured
from services.casework.usecases import account_management, cases, enrolment, logins

# Every family of exceptions casework's doors let through for the table to answer.
FAMILIES = (DomainError, StaleVersion, cases.CaseNotFound, account_management.AccountNotFound,
            logins.TooManyAttempts, SigningNotConfigured)


def test_every_casework_error_has_an_entry_of_its_own():
    """A new domain error fails here until someone decides what the caller is told."""
    assert ERRORS.unlisted(FAMILIES, "services.casework") == []
    assert CaseworkService.errors is ERRORS


def message(words: str = "x") -> dict[str, str]:
    return {"id": words, "en": words}


STATUSES = [
    (TransitionNotAllowed("close", "opened", []), 409, "transition_not_allowed"),
    (rules.recused_error(), 403, "recused"),
    (rules.SecondMemberRequired(message()), 422, "second_member_required"),
    (rules.no_disclosure_error(), 403, "not_allowed"),
    (rules.RecipientNotEligible(message()), 422, "recipient_not_eligible"),
    (rules.ThreePeopleRequired(message()), 422, "three_people_required"),
    (InvalidCommand(message(), field="note"), 422, "invalid_command"),
    (DomainError(message()), 422, "refused"),
    (NotFit(message(), field="assignee_id"), 422, "refused"),
    (StaleVersion(3, 5), 409, "stale_version"),
    (cases.CaseNotFound("c1"), 404, "case_not_found"),
    (accounts.UsernameTaken("budi"), 409, "username_taken"),
    (accounts.AccountInactive(), 409, "account_inactive"),
    (accounts.NothingToChange("role"), 409, "nothing_to_change"),
    (accounts.NotAwaitingConfirmation("active"), 409, "not_awaiting_confirmation"),
    (accounts.AccountChanged(1, 2), 409, "account_changed"),
    (accounts.OwnAccount("mengubah", "change"), 422, "own_account"),
    (accounts.WeakPassword(message()), 422, "weak_password"),
    (account_management.NoAddress(), 422, "no_email"),
    (enrolment.OtpMismatch(), 422, "otp_mismatch"),
    (enrolment.EnrolmentCodeInvalid(), 404, "enrolment_code_invalid"),
    (account_management.AccountNotFound("u1"), 404, "account_not_found"),
    (logins.TooManyAttempts(30), 429, "too_many_attempts"),
    (logins.Busy(5), 429, "login_busy"),
    (SigningNotConfigured("NETRA_DOSSIER_SIGNING_KEY", "dossiers"), 503, "signing_not_configured"),
]


@pytest.mark.parametrize("exc, status, code", STATUSES, ids=[type(e).__name__ for e, _, _ in STATUSES])
def test_each_refusal_is_answered_with_its_status_code_and_words(exc, status, code):
    answer = ERRORS.answer(exc)
    assert (answer.status, answer.code) == (status, code)
    assert answer.message["id"] and answer.message["en"]


def test_a_refusal_keeps_its_details_and_a_wait_says_how_long():
    assert ERRORS.answer(StaleVersion(3, 5)).details == {"expected_version": 3, "current_version": 5}
    assert ERRORS.answer(InvalidCommand(message(), field="note")).details == {"field": "note"}
    busy = ERRORS.answer(logins.Busy(7))
    assert busy.headers == {"Retry-After": "7"} and busy.details == {"retry_after": 7}


def test_a_fault_is_not_in_the_table():
    assert ERRORS.answer(KeyError("x")) is None
    fault = RuntimeError("broken")
    assert ERRORS.translate(fault) is fault


# --- the table itself ------------------------------------------------------------------------------


class Refused(Exception):
    code, details = "refused", None

    def __init__(self):
        super().__init__("refused")
        self.message = message("ditolak")


class NewRefusal(Refused):
    code = "new_refusal"


def test_an_error_without_an_entry_is_answered_as_its_nearest_base_and_named_as_unlisted():
    table = ErrorTable()
    table.refusal(422, Refused)
    answer = table.answer(NewRefusal())
    assert (answer.status, answer.code) == (422, "new_refusal")  # never a 500 for a refusal
    assert table.unlisted([Refused], __name__) == [NewRefusal]
    table.refusal(409, NewRefusal)
    assert table.answer(NewRefusal()).status == 409 and table.unlisted([Refused], __name__) == []


def test_a_class_is_in_the_table_once_and_an_api_error_answers_itself():
    table = ErrorTable()
    table.fixed(ApiError(404, "gone", message()), Refused)
    with pytest.raises(ValueError, match="twice"):
        table.refusal(422, Refused)
    error = ApiError(418, "teapot", message())
    assert table.answer(error) is error and table.kinds == (Refused,)
