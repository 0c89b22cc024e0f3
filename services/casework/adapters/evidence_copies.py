"""The clean copies of a case's screenshots, for the dossier's pictures: fetched from evidence the
way every view is, with a grant casework signs for the member who asked for the dossier, so each
one is in the custody log (who, which copy, why) like any other view."""

from __future__ import annotations

import logging

import requests

from netra_common.contracts import grants
from netra_common.logging import log_event

log = logging.getLogger(__name__)
PURPOSE = "Gambar bukti dalam berkas kasus untuk BKPPD (PDF)"
COPY = "sanitized"


def clean_copies(config, member, evidence_ids: list[str], timeout: float = 20) -> list[bytes | None]:
    """Each screenshot's sanitized copy, in order; None for one evidence would not give (the PDF
    says so beside its SHA-256 rather than leaving the picture out silently)."""
    pictures: list[bytes | None] = []
    with requests.Session() as session:
        for evidence_id in evidence_ids:
            token, _ = grants.issue(config["NETRA_GRANT_SIGNING_KEY"], evidence_id=evidence_id, copy=COPY,
                                    member_id=str(member.user_id), member_role=member.role, purpose=PURPOSE,
                                    ttl_seconds=60)
            url = f"{config['NETRA_EVIDENCE_URL']}/api/v1/evidence/{evidence_id}/{COPY}"
            try:
                answer = session.get(url, headers={"Authorization": f"Grant {token}"}, timeout=timeout)
            except requests.RequestException as exc:
                answer = None
                log_event(log, "dossier.picture_unreachable", logging.WARNING, problem=type(exc).__name__)
            if answer is not None and answer.status_code == 200:
                pictures.append(answer.content)
            else:
                log_event(log, "dossier.picture_refused", logging.WARNING,
                          status=getattr(answer, "status_code", None))
                pictures.append(None)
    return pictures
