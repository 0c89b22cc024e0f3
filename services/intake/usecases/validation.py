"""Checking what a reporter sends: a complaint or a reply and their screenshots, every problem at
once (InvalidInput, in message codes that domain/messages.py turns into sentences)."""

from __future__ import annotations

from marshmallow import ValidationError

from services.intake.api.schemas import ComplaintSchema, ReplySchema
from services.intake.domain.uploads import MAX_FILES_PER_COMPLAINT, Upload, check_uploads


class InvalidInput(Exception):
    """What the reporter sent cannot be accepted: `errors` by field, in message codes; `what` is
    "complaint" or "reply"."""

    def __init__(self, errors: dict, what: str):
        super().__init__(f"invalid {what}")
        self.errors = errors
        self.what = what


def validate_complaint(document, files: list[tuple[str, bytes]]) -> tuple[dict, list[Upload]]:
    """The complaint and its screenshots, or InvalidInput with every problem at once."""
    errors: dict = {}
    try:
        complaint = ComplaintSchema().load(document)
    except ValidationError as exc:
        complaint, errors = None, exc.normalized_messages()
    uploads, upload_errors = check_uploads(files)
    if upload_errors:
        errors["screenshots"] = upload_errors
    elif complaint is not None and not complaint["post_urls"] and not uploads:
        errors["screenshots"] = ["evidence_required"]
    if errors:
        raise InvalidInput(errors, "complaint")
    return complaint, uploads


def validate_reply(fields: dict, files: list[tuple[str, bytes]], already: int) -> tuple[str, list[Upload]]:
    errors: dict = {}
    try:
        body = ReplySchema().load(fields)["message"]
    except ValidationError as exc:
        body, errors = None, exc.normalized_messages()
    uploads, upload_errors = check_uploads(files)
    if not upload_errors and already + len(uploads) > MAX_FILES_PER_COMPLAINT:
        left = max(MAX_FILES_PER_COMPLAINT - already, 0)
        upload_errors = [f"screenshots_per_complaint:{MAX_FILES_PER_COMPLAINT},{left}"]
    if upload_errors:
        errors["screenshots"] = upload_errors
    if errors:
        raise InvalidInput(errors, "reply")
    return body, uploads
