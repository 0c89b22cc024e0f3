"""intake's error table: what a reporter is answered for each exception the public doors let
through (docs/decisions/0013). The HTTP entrypoints consult it (IntakeService.errors), so the doors
raise the use cases' own exceptions and catch none.

400 for what breaks the OpenAPI document, 422 for a rule it cannot state (decision 0007), 409 for
a request with the same Idempotency-Key still being filed, 429 with Retry-After for too many
attempts, 503 with Retry-After when the filing's outcome is not known yet or its uploads waited
too long. A test fails when one of intake's exceptions has no entry here and is not named as one
that never reaches a caller (tests/unit/test_service_errors.py).
"""

from __future__ import annotations

from netra_common.error_table import ErrorTable
from netra_common.errors import ApiError, PerLanguage
from netra_common.http_answers import RETRY_AFTER_SECONDS
from services.intake.adapters.failed_writes import OutcomeUnknown
from services.intake.adapters.idempotency import InProgress, KeyReused
from services.intake.adapters.upload_intents import UploadsWithdrawn
from services.intake.domain.idempotency import InvalidKey
from services.intake.domain.messages import describe_errors, status_of
from services.intake.usecases.contact import NoContact
from services.intake.usecases.lookups import RateLimited
from services.intake.usecases.validation import InvalidInput

# Refusals the doors raise themselves (a missing header, a body too large, a lookup that finds nothing).
NOT_FOUND = ApiError(404, "not_found", {
    "id": "Pengaduan tidak ditemukan. Periksa kode lacak dan tanda terima Anda.",
    "en": "Complaint not found. Check your tracking code and receipt.",
})
TOO_LARGE = ApiError(413, "too_large", {
    "id": "Kiriman terlalu besar: tangkapan layar paling banyak 25 MB seluruhnya.",
    "en": "Too large: screenshots may be at most 25 MB together.",
})

RECEIPT_REQUIRED = ApiError(400, "receipt_required", {
    "id": "Header X-Receipt (tanda terima pengaduan) wajib diisi.",
    "en": "The X-Receipt header (the complaint's receipt) is required.",
})
PROOF_REQUIRED = ApiError(400, "invalid_proof", {
    "id": "Kirim bukti pengiriman yang ditandatangani (JSON) untuk diperiksa.",
    "en": "Send the signed proof of submission (JSON) to be checked.",
})

IN_PROGRESS_RETRY_SECONDS = 2


def rate_limited(exc: RateLimited) -> ApiError:
    return ApiError(429, "too_many_requests", {
        "id": f"Terlalu banyak percobaan. Coba lagi dalam {exc.retry_after} detik.",
        "en": f"Too many attempts. Try again in {exc.retry_after} seconds.",
    }, headers={"Retry-After": str(exc.retry_after)})


def invalid_input(exc: InvalidInput) -> ApiError:
    """400 for what breaks the OpenAPI document, 422 for a rule it cannot state (messages.RULES)."""
    details = PerLanguage(id=describe_errors(exc.errors, "id"), en=describe_errors(exc.errors, "en"))
    return ApiError(status_of(details["id"]), f"invalid_{exc.what}", {
        "id": "Isian belum dapat diterima. Perbaiki isian berikut.",
        "en": "This cannot be accepted yet. Please correct the following.",
    }, details=details)


INVALID_KEY = {
    "form": ApiError(400, "idempotency_key_invalid", {
        "id": "Idempotency-Key harus 32 sampai 128 karakter A-Z, a-z, 0-9, - atau _ "
              "(misalnya sebuah UUID acak).",
        "en": "Idempotency-Key must be 32 to 128 characters of A-Z, a-z, 0-9, - or _ "
              "(a random UUID, for example)."}),
    # It fits the document's pattern, but a rule the document cannot state refuses it: 422 (decision 0007).
    "too_predictable": ApiError(422, "idempotency_key_predictable", {
        "id": "Idempotency-Key terlalu mudah ditebak: buatlah secara acak (misalnya sebuah UUID acak).",
        "en": "Idempotency-Key is too easy to guess: make it at random (a random UUID, for example)."}),
}
KEY_REUSED = ApiError(422, "idempotency_key_reused", {
    "id": "Idempotency-Key ini sudah dipakai untuk kiriman lain. Kirim ulang hanya dengan isi yang "
          "persis sama; untuk kiriman baru buat kunci baru.",
    "en": "This Idempotency-Key was already used for another request. Send it again only with the "
          "very same content; make a new key for a new request."})
IN_PROGRESS = ApiError(409, "idempotency_key_in_progress", {
    "id": "Kiriman dengan Idempotency-Key ini masih diproses, coba lagi sebentar lagi.",
    "en": "A request with this Idempotency-Key is still being processed; try again shortly."},
    headers={"Retry-After": str(IN_PROGRESS_RETRY_SECONDS)})
OUTCOME_UNKNOWN = ApiError(503, "outcome_unknown", {
    "id": "Layanan terputus saat menyimpan, sehingga belum dapat dipastikan apakah kiriman Anda "
          "tersimpan. Kirim ulang dengan Idempotency-Key yang sama dalam beberapa menit: bila sudah "
          "tersimpan, Anda menerima jawaban aslinya dan tidak ada yang tercatat dua kali.",
    "en": "The service was cut off while saving, so it cannot yet tell whether your request was "
          "kept. Send it again with the same Idempotency-Key in a few minutes: if it was kept, you "
          "get the original answer and nothing is recorded twice."},
    headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
WITHDRAWN = ApiError(503, "service_unavailable", {
    "id": "Kiriman ini terlalu lama diproses dan belum disimpan; silakan kirim ulang.",
    "en": "This request took too long and was not kept; please send it again."},
    headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


ERRORS = ErrorTable()
ERRORS.answer_with(invalid_input, InvalidInput)
ERRORS.answer_with(lambda exc: INVALID_KEY[exc.reason], InvalidKey)
ERRORS.answer_with(rate_limited, RateLimited)
ERRORS.fixed(KEY_REUSED, KeyReused)
ERRORS.fixed(IN_PROGRESS, InProgress)
ERRORS.fixed(OUTCOME_UNKNOWN, OutcomeUnknown)
ERRORS.fixed(WITHDRAWN, UploadsWithdrawn)
ERRORS.fixed(ApiError(409, "no_contact", {
    "id": "Pengaduan ini tidak menyimpan data kontak: dikirim tanpa identitas, atau masa simpannya sudah berakhir.",
    "en": "This complaint holds no contact details: it was filed anonymously, or its retention has ended."}),
    NoContact)
