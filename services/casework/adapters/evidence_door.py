"""casework hands evidence a decree (SK) BKPPD uploaded, over evidence's HTTP door, under an upload
grant casework signs for that member, case and decree id (netra_common/contracts/grants.py), and
fetches it back under a view grant when a member opens it again.

evidence inspects and keeps the file; its refusal comes back as the same answer (the same words:
netra_common/contracts/decrees.py). evidence away or failing is a 503: the upload can be tried again.
"""

from __future__ import annotations

import hashlib
import logging

import requests

from netra_common.contracts import screenshots
from netra_common.contracts.decrees import MEDIA_TYPE, REFUSALS, refusal
from netra_common.errors import ApiError
from netra_common.logging import log_event

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60

EVIDENCE_AWAY = ApiError(503, "evidence_unavailable", {
    "id": "Layanan penyimpanan bukti sedang tidak dapat dihubungi; SK belum tersimpan. Coba lagi sebentar lagi.",
    "en": "The evidence service cannot be reached just now; the decree is not stored. Try again shortly."},
    headers={"Retry-After": "30"})


def _error_of(answer: requests.Response) -> dict:
    """The `error` object of evidence's refusal, or {} where the answer is not Netra's JSON (a proxy's page)."""
    try:
        error = answer.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def send_decree(evidence_url: str, grant: str, data: bytes, max_bytes: int) -> dict:
    """What evidence kept ({decree_id, sha256, size, pages, received_at, ...}), or its refusal raised."""
    try:
        answer = requests.post(f"{evidence_url.rstrip('/')}/api/v1/decrees", data=data, timeout=TIMEOUT_SECONDS,
                               headers={"Authorization": f"Grant {grant}", "Content-Type": MEDIA_TYPE})
    except requests.RequestException:
        raise EVIDENCE_AWAY from None
    if answer.status_code == 201:
        return answer.json()
    error = _error_of(answer)
    code = str(error.get("code") or "")
    if code.startswith("decree_") and code.removeprefix("decree_") in REFUSALS:
        raise refusal(code.removeprefix("decree_"), found=(error.get("details") or {}).get("found"),
                      max_bytes=max_bytes)
    raise EVIDENCE_AWAY


DECREE_AWAY = ApiError(503, "evidence_unavailable", {
    "id": "Layanan penyimpanan bukti sedang tidak dapat dihubungi; SK belum dapat dibuka. Coba lagi sebentar lagi.",
    "en": "The evidence service cannot be reached just now; the decree cannot be opened. Try again shortly."},
    headers={"Retry-After": "30"})
DECREE_GONE = ApiError(404, "decree_not_found", {
    "id": "Berkas SK ini tidak ditemukan pada penyimpanan bukti.",
    "en": "This decree's file is not in the evidence store."})
# A fault, and a loud one, as evidence answers a copy failing its integrity check.
DECREE_CHANGED = ApiError(500, "integrity_failure", {
    "id": "Berkas SK yang diterima dari penyimpanan bukti tidak sama dengan yang tercatat pada kasus; "
          "administrator telah dicatatkan.",
    "en": "The decree evidence answered is not the one the case recorded; it has been logged for the "
          "administrators."})


def fetch_decree(evidence_url: str, grant: str, decree_id: str, sha256: str) -> bytes:
    """The decree's bytes exactly as the case recorded them: their SHA-256 is checked before they are
    handed on, so a changed file never reaches BKPPD as the SK."""
    try:
        answer = requests.get(f"{evidence_url.rstrip('/')}/api/v1/decrees/{decree_id}",
                              headers={"Authorization": f"Grant {grant}"}, timeout=TIMEOUT_SECONDS)
    except requests.RequestException:
        raise DECREE_AWAY from None
    if answer.status_code == 404:
        raise DECREE_GONE
    if answer.status_code != 200:
        raise DECREE_AWAY
    received = hashlib.sha256(answer.content).hexdigest()
    if received != sha256:
        log_event(log, "decree.digest_mismatch", logging.ERROR, decree_id=decree_id, recorded=sha256,
                  received=received)
        raise DECREE_CHANGED
    return answer.content


SCREENSHOTS_AWAY = ApiError(503, "evidence_unavailable", {
    "id": "Layanan penyimpanan bukti sedang tidak dapat dihubungi; tangkapan layar belum tersimpan. Coba lagi "
          "sebentar lagi.",
    "en": "The evidence service cannot be reached just now; the screenshots are not stored. Try again shortly."},
    headers={"Retry-After": "30"})


def send_screenshots(evidence_url: str, grant: str, files: list[tuple[str, bytes]]) -> dict:
    """What evidence kept ({case_id, screenshots: [...]}), or its refusal raised with the same words
    (netra_common/contracts/screenshots.py): a team member's screenshots, kept together or not at all."""
    parts = [(screenshots.PART, (name or f"tangkapan-layar-{index + 1}", data, "application/octet-stream"))
             for index, (name, data) in enumerate(files)]
    try:
        answer = requests.post(f"{evidence_url.rstrip('/')}/api/v1/screenshots", files=parts,
                               timeout=TIMEOUT_SECONDS, headers={"Authorization": f"Grant {grant}"})
    except requests.RequestException:
        raise SCREENSHOTS_AWAY from None
    if answer.status_code == 201:
        return answer.json()
    error = _error_of(answer)
    code = str(error.get("code") or "").removeprefix("screenshot_")
    if code in screenshots.REFUSALS:
        details = error.get("details") or {}
        index = details.get("index")
        raise screenshots.ScreenshotRefused(code, files[index][0] if isinstance(index, int) and
                                            0 <= index < len(files) else "", index)
    log_event(log, "evidence.upload_failed", logging.WARNING, status=answer.status_code, code=code or None)
    raise SCREENSHOTS_AWAY
