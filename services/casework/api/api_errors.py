"""casework's error table: what the caller is answered for each exception the team's doors let
through (docs/decisions/0013). The HTTP and RPC entrypoints consult it (CaseworkService.errors), so
the doors raise the domain's own exceptions and catch none.

Refusals by the domain: 409 when the case or account is not in a state for it now (reload and look
again), 403 when it is not for this person (recused, not the assignee, no disclosure for them), 404
when what it names is not there, 422 for any other rule the request breaks (a second member must
agree, an assignee who is not active, ...); 400 stays for a body that breaks the schema
(docs/decisions/0007). 503 when casework lacks a signing key or certificate its operator must set.
A test fails when a domain error has no entry of its own here.
"""

from __future__ import annotations

import logging

from netra_common.contracts.screenshots import ScreenshotRefused
from netra_common.error_table import ErrorTable
from netra_common.errors import ApiError
from netra_common.logging import log_event
from services.casework.adapters import vault
from services.casework.domain import accounts, rules
from services.casework.domain.commands import NotFit
from services.casework.domain.errors import DomainError, InvalidCommand, StaleVersion, TransitionNotAllowed
from services.casework.signing_not_configured import SigningNotConfigured
from services.casework.usecases import account_management, cases, enrolment, logins, own_account, vault_access

log = logging.getLogger(__name__)

CASE_NOT_FOUND = ApiError(404, "case_not_found", {"id": "Kasus tidak ditemukan.", "en": "Case not found."})
ACCOUNT_NOT_FOUND = ApiError(404, "account_not_found", {"id": "Akun tidak ditemukan.", "en": "Account not found."})


def stale_version(exc: StaleVersion) -> ApiError:
    return ApiError(409, "stale_version", {"id": "Kasus telah diubah orang lain. Muat ulang lalu coba lagi.",
                                           "en": "Someone else changed the case. Reload and try again."},
                    details={"expected_version": exc.expected, "current_version": exc.current})


def too_many_logins(exc: logins.TooManyAttempts) -> ApiError:
    if isinstance(exc, logins.Busy):
        message = {"id": f"Terlalu banyak percobaan masuk di seluruh sistem saat ini. Coba lagi dalam "
                         f"{exc.retry_after} detik.",
                   "en": f"Too many login attempts across the system just now. Try again in "
                         f"{exc.retry_after} seconds."}
        code = "login_busy"
    else:
        message = {"id": f"Terlalu banyak percobaan masuk yang gagal dengan nama ini dari tempat Anda. Coba lagi "
                         f"dalam {exc.retry_after} detik.",
                   "en": f"Too many failed logins with this name from where you are. Try again in "
                         f"{exc.retry_after} seconds."}
        code = "too_many_attempts"
    return ApiError(429, code, message, details={"retry_after": exc.retry_after},
                    headers={"Retry-After": str(exc.retry_after)})


SIGNING_RETRY_AFTER = 300
_told_operator: set[str] = set()  # the settings already logged: once each, not at every request


def signing_not_configured(exc: SigningNotConfigured) -> ApiError:
    """503: the server is not ready to sign, which the operator fixes; the caller can only wait."""
    if exc.setting not in _told_operator:
        _told_operator.add(exc.setting)
        log_event(log, "signing.not_configured", logging.ERROR, setting=exc.setting, problem=str(exc),
                  fix=f"set {exc.setting} in casework's configuration and restart casework")
    if exc.unreadable:
        words = {"id": f"pengaturan {exc.setting} menunjuk berkas yang tidak dapat dibaca; operator server "
                       f"harus memperbaikinya", "en": f"{exc.setting} names files that cannot be read; the "
                                                       f"server's operator must fix it"}
    else:
        words = {"id": f"operator server harus mengisi pengaturan {exc.setting}",
                 "en": f"the server's operator must set {exc.setting}"}
    return ApiError(503, "signing_not_configured",
                    {"id": f"Netra belum dapat menandatangani: {words['id']}, lalu menjalankan ulang casework. "
                           f"Hubungi operator Netra dan coba lagi setelah diperbaiki.",
                     "en": f"Netra cannot sign yet: {words['en']}, then restart casework. "
                           f"Ask Netra's operator and try again once it is fixed."},
                    details={"setting": exc.setting},
                    # Said by every 503 (docs/decisions/0007); an operator's fix takes minutes, not seconds.
                    headers={"Retry-After": str(SIGNING_RETRY_AFTER)})


ERRORS = ErrorTable()
# --- the case's rules
ERRORS.refusal(409, TransitionNotAllowed, rules.HoldNotPossible)
ERRORS.refusal(403, rules.Recused, rules.NotAllowed)
ERRORS.refusal(422, rules.SecondMemberRequired, rules.RecipientNotEligible, rules.ThreePeopleRequired, InvalidCommand,
               NotFit, DomainError)
ERRORS.answer_with(stale_version, StaleVersion)
ERRORS.fixed(CASE_NOT_FOUND, cases.CaseNotFound)
# --- accounts
ERRORS.refusal(409, accounts.UsernameTaken, accounts.AccountInactive, accounts.NothingToChange,
               accounts.NotAwaitingConfirmation, accounts.AccountChanged)
ERRORS.refusal(422, accounts.AccountRefused, accounts.OwnAccount, accounts.WeakPassword, account_management.NoAddress,
               enrolment.OtpMismatch, own_account.CurrentCredentialsWrong, own_account.SamePassword,
               own_account.TotpTicketInvalid, own_account.NewOtpMismatch)
ERRORS.refusal(404, enrolment.EnrolmentCodeInvalid)
ERRORS.fixed(ACCOUNT_NOT_FOUND, account_management.AccountNotFound)
ERRORS.answer_with(too_many_logins, logins.TooManyAttempts, logins.Busy)
# --- the identity vault (docs/decisions/0017)
ERRORS.refusal(409, vault.VaultClosed, vault.VaultNotReady, vault.NotOpenableByYou, vault.IdentityDestroyed)
ERRORS.refusal(422, vault.RecipientHasNoKey, vault_access.NotAnActiveKetua)
# --- the operator's configuration
ERRORS.answer_with(signing_not_configured, SigningNotConfigured)
# --- a team member's screenshots that evidence would not keep (netra_common/contracts/screenshots.py)
ERRORS.answer_with(lambda exc: exc.as_api_error(), ScreenshotRefused)
