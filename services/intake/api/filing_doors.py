"""The HTTP side of filing and replying: the Idempotency-Key header, the refusals in words, and
the answer (the same document again for a retry with the key)."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from datetime import timedelta

from eventlet import tpool
from werkzeug.wrappers import Response

from netra_common.errors import ApiError
from netra_common.http_answers import RETRY_AFTER_SECONDS, json_response
from services.intake.adapters.failed_writes import OutcomeUnknown
from services.intake.adapters.idempotency import Idempotent, InProgress, KeyReused
from services.intake.adapters.upload_intents import UploadsWithdrawn
from services.intake.domain import idempotency as rules
from services.intake.usecases import filing, lookups

IN_PROGRESS_RETRY_SECONDS = 2


def rate_limited(retry_after: int) -> ApiError:
    return ApiError(429, "too_many_requests", {
        "id": f"Terlalu banyak percobaan. Coba lagi dalam {retry_after} detik.",
        "en": f"Too many attempts. Try again in {retry_after} seconds.",
    }, headers={"Retry-After": str(retry_after)})


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


def key_of(request) -> str | None:
    try:
        return rules.checked_key(request.headers.get(rules.HEADER))
    except rules.InvalidKey as exc:
        raise INVALID_KEY[exc.reason] from None


def idempotent(key: str | None, salt: bytes, kind: str, fields, files: list[tuple[str, bytes]],
               lifetime: timedelta) -> Idempotent | None:
    if key is None:
        return None
    digests = [(name, tpool.execute(lambda d=data: hashlib.sha256(d).hexdigest())) for name, data in files]
    return Idempotent.derive(key, salt, rules.request_fingerprint(kind, fields, digests), lifetime)


@contextmanager
def refusals():
    """What can stop a filing or a reply, in words."""
    try:
        yield
    except KeyReused:
        raise KEY_REUSED from None
    except InProgress:
        raise IN_PROGRESS from None
    except OutcomeUnknown:
        raise OUTCOME_UNKNOWN from None
    except UploadsWithdrawn:
        raise WITHDRAWN from None
    except lookups.RateLimited as exc:
        raise rate_limited(exc.retry_after) from None


def answer(filed: filing.Answer) -> Response:
    headers = {"Cache-Control": "no-store"}
    if filed.replayed:
        headers["Idempotent-Replayed"] = "true"
    return json_response(filed.body, status=201, headers=headers)
