"""Viewing grants: casework's signed permission for one team member to see one copy of one
screenshot, for a stated purpose, for a few minutes. evidence checks them with casework's
public key and cannot make them itself.

A grant is `base64url(claims JSON) "." base64url(Ed25519 signature)`.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import asdict, dataclass

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

COPIES = ("thumbnail", "sanitized", "original")
# An upload grant: casework's permission for one BKPPD member to hand evidence one decree (SK) for
# one case, under the id casework chose for it. It opens nothing.
DECREE_UPLOAD = "decree_upload"
# An upload grant for screenshots a team member hands in for one case (docs/decisions/0025): evidence
# keeps them bound to the case, and its custody log names the member. It opens nothing either.
SCREENSHOT_UPLOAD = "screenshot_upload"
# A view grant for a kept decree: one member may read one case's SK once, to defend the decision.
DECREE_VIEW = "decree"


class GrantRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class GrantClaims(Schema):
    class Meta:
        unknown = RAISE

    grant_id = fields.UUID(required=True)
    evidence_id = fields.UUID(required=True)
    copy = fields.String(required=True, validate=validate.OneOf((*COPIES, DECREE_UPLOAD, DECREE_VIEW,
                                                                               SCREENSHOT_UPLOAD)))
    member_id = fields.UUID(required=True)
    member_role = fields.String(required=True)
    purpose = fields.String(required=True, validate=validate.Length(min=3, max=500))
    issued_at = fields.Integer(required=True)
    expires_at = fields.Integer(required=True)
    case_id = fields.UUID(load_default=None, allow_none=True)  # a decree grant's or an upload grant's case


@dataclass(frozen=True)
class Grant:
    grant_id: str
    evidence_id: str
    copy: str
    member_id: str
    member_role: str
    purpose: str
    issued_at: int
    expires_at: int
    case_id: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(signing_key_b64: str, *, evidence_id: str, copy: str, member_id: str, member_role: str,
          purpose: str, ttl_seconds: int, now: float | None = None, case_id: str | None = None) -> tuple[str, Grant]:
    now = int(now if now is not None else time.time())
    grant = Grant(str(uuid.uuid4()), str(evidence_id), copy, str(member_id), member_role, purpose,
                  now, now + ttl_seconds, str(case_id) if case_id else None)
    errors = GrantClaims().validate(asdict(grant))
    if errors:
        raise ValueError(f"grant claims invalid: {errors}")
    body = json.dumps(asdict(grant), sort_keys=True, separators=(",", ":")).encode()
    signature = SigningKey(base64.b64decode(signing_key_b64)).sign(body).signature
    return f"{_b64(body)}.{_b64(signature)}", grant


def _signed(verify_key_b64: str, token: str) -> Grant:
    try:
        body_part, signature_part = token.split(".")
        body = _unb64(body_part)
        VerifyKey(base64.b64decode(verify_key_b64)).verify(body, _unb64(signature_part))
        claims = GrantClaims().load(json.loads(body))
    except (ValueError, BadSignatureError, ValidationError, TypeError):
        raise GrantRefused("not a grant casework signed") from None
    return Grant(**{**claims, "grant_id": str(claims["grant_id"]), "evidence_id": str(claims["evidence_id"]),
                    "member_id": str(claims["member_id"]),
                    "case_id": str(claims["case_id"]) if claims.get("case_id") else None})


def _current(grant: Grant, now: float | None) -> Grant:
    if (now if now is not None else time.time()) >= grant.expires_at:
        raise GrantRefused("the grant has expired")
    return grant


def verify(verify_key_b64: str, token: str, *, evidence_id: str, copy: str,
           now: float | None = None) -> Grant:
    """The grant, if casework signed it, it is for this object and copy, and it is still valid."""
    grant = _signed(verify_key_b64, token)
    if grant.evidence_id != str(evidence_id) or grant.copy != copy:
        raise GrantRefused("the grant is for another object or copy")
    return _current(grant, now)


def verify_upload(verify_key_b64: str, token: str, now: float | None = None) -> Grant:
    """An upload grant casework signed for a decree of a case, still valid."""
    grant = _signed(verify_key_b64, token)
    if grant.copy != DECREE_UPLOAD or grant.case_id is None:
        raise GrantRefused("the grant is not for uploading a decree")
    return _current(grant, now)


def verify_screenshot_upload(verify_key_b64: str, token: str, now: float | None = None) -> Grant:
    """An upload grant casework signed for a team member's screenshots of a case, still valid."""
    grant = _signed(verify_key_b64, token)
    if grant.copy != SCREENSHOT_UPLOAD or grant.case_id is None:
        raise GrantRefused("the grant is not for uploading screenshots of a case")
    return _current(grant, now)


def verify_decree_view(verify_key_b64: str, token: str, *, decree_id: str, now: float | None = None) -> Grant:
    """A grant casework signed to read this decree of its case, still valid."""
    grant = verify(verify_key_b64, token, evidence_id=decree_id, copy=DECREE_VIEW, now=now)
    if grant.case_id is None:
        raise GrantRefused("the grant names no case")
    return grant
