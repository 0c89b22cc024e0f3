"""evidence's error table: what the one who asks for a screenshot is answered for each exception its
door lets through (docs/decisions/0013). The HTTP entrypoints consult it (EvidenceService.errors),
so the door raises the use case's own exceptions and catches none.

An id that is not one, evidence that is not there or whose object is gone: 404, the same for all,
so the answer says nothing of what exists. A grant that does not hold: 403 with its reason. A copy
that fails its integrity check is logged for the administrators (by the use case) and answered
500 integrity_failure: it is a fault, and a loud one. A test fails when one of evidence's
exceptions has no entry here and is not named as one that never reaches a caller
(tests/unit/test_service_errors.py).
"""

from __future__ import annotations

from netra_common.contracts.decrees import DecreeRefused
from netra_common.contracts.grants import GrantRefused
from netra_common.contracts.screenshots import ScreenshotRefused
from netra_common.error_table import ErrorTable
from netra_common.errors import ApiError
from services.evidence.adapters.crypto import ContentTampered, RecordTampered
from services.evidence.adapters.storage import ObjectMissing
from services.evidence.usecases.custody import NotFound
from services.evidence.usecases.decrees import DecreeNotFound, GrantAlreadyUsed

GRANT_USED = ApiError(409, "grant_used", {
    "id": "Izin unggah ini sudah dipakai untuk berkas lain; mintalah izin baru.",
    "en": "This upload permission was used for another file already; ask for a new one."})
NOT_A_PDF_REQUEST = ApiError(415, "decree_not_pdf", {
    "id": "Kirim berkas SK sebagai application/pdf.", "en": "Send the decree as application/pdf."})
NOT_FOUND = ApiError(404, "not_found", {"id": "Bukti tidak ditemukan.", "en": "Evidence not found."})
INTEGRITY_FAILURE = ApiError(500, "integrity_failure", {
    "id": "Bukti ini gagal diperiksa keutuhannya; administrator telah dicatatkan.",
    "en": "This evidence failed its integrity check; it has been logged for the administrators."})


def grant_refused(reason: str) -> ApiError:
    return ApiError(403, "grant_refused", {
        "id": "Izin melihat bukti ini tidak sah, sudah kedaluwarsa, atau untuk bukti lain. "
              "Mintalah izin baru lewat berkas kasus.",
        "en": "The permission to view this evidence is invalid, expired or for other evidence. "
              "Ask for a new one from the case file."}, details={"reason": reason})


ERRORS = ErrorTable()
# The door's id is parsed by uuid.UUID: a ValueError is an id that names nothing.
ERRORS.fixed(NOT_FOUND, ValueError, NotFound, ObjectMissing, DecreeNotFound)
ERRORS.answer_with(lambda exc: grant_refused(exc.reason), GrantRefused)
# Logged by the use case (evidence.integrity_failure), where the evidence and the copy are known.
ERRORS.fixed(INTEGRITY_FAILURE, RecordTampered, ContentTampered)
# A decree BKPPD uploads that is not a plain PDF: the words both doors use (netra_common/contracts/decrees.py).
ERRORS.answer_with(lambda exc: exc.as_api_error(), DecreeRefused)
ERRORS.fixed(GRANT_USED, GrantAlreadyUsed)
# A screenshot a team member hands in that evidence will not keep: the words both doors use
# (netra_common/contracts/screenshots.py).
ERRORS.answer_with(lambda exc: exc.as_api_error(), ScreenshotRefused)
