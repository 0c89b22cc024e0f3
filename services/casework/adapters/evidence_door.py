"""casework hands evidence a decree (SK) BKPPD uploaded, over evidence's HTTP door, under an upload
grant casework signs for that member, case and decree id (netra_common/contracts/grants.py).

evidence inspects and keeps the file; its refusal comes back as the same answer (the same words:
netra_common/contracts/decrees.py). evidence away or failing is a 503: the upload can be tried again.
"""

from __future__ import annotations

import requests

from netra_common.contracts.decrees import MEDIA_TYPE, REFUSALS, refusal
from netra_common.errors import ApiError

TIMEOUT_SECONDS = 60

EVIDENCE_AWAY = ApiError(503, "evidence_unavailable", {
    "id": "Layanan penyimpanan bukti sedang tidak dapat dihubungi; SK belum tersimpan. Coba lagi sebentar lagi.",
    "en": "The evidence service cannot be reached just now; the decree is not stored. Try again shortly."},
    headers={"Retry-After": "30"})


def send_decree(evidence_url: str, grant: str, data: bytes, max_bytes: int) -> dict:
    """What evidence kept ({decree_id, sha256, size, pages, received_at, ...}), or its refusal raised."""
    try:
        answer = requests.post(f"{evidence_url.rstrip('/')}/api/v1/decrees", data=data, timeout=TIMEOUT_SECONDS,
                               headers={"Authorization": f"Grant {grant}", "Content-Type": MEDIA_TYPE})
    except requests.RequestException:
        raise EVIDENCE_AWAY from None
    if answer.status_code == 201:
        return answer.json()
    try:
        error = answer.json().get("error") or {}
    except ValueError:
        error = {}
    code = str(error.get("code") or "")
    if code.startswith("decree_") and code.removeprefix("decree_") in REFUSALS:
        raise refusal(code.removeprefix("decree_"), found=(error.get("details") or {}).get("found"),
                      max_bytes=max_bytes)
    raise EVIDENCE_AWAY
