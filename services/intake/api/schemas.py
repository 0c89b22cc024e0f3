"""The public complaint contract (docs/domain.md, "Violation types" and "NIP and NIK"), as marshmallow schemas.

Every rule lives here. Errors are message codes ("nip_invalid", "too_long:200");
domain/messages.py turns them into sentences in Bahasa Indonesia or English.

Each text is judged first as the OpenAPI document describes it (its length, its characters, its
pattern, on the value as sent): a breach of those is a breach of the document (400). What the
document cannot say (a NIP whose dates are not real, an event in the future, a description of
nothing but spaces) is a rule, refused with 422 (domain/messages.RULES, docs/decisions/0007).
"""

from __future__ import annotations

import re

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from netra_common import text
from netra_common.contracts.reference import KECAMATAN, PLATFORMS, VIOLATION_TYPES
from netra_common.contracts.work_units import same_unit
from netra_common.fields import Flag, Moment, moment_problem
from netra_common.identifiers import nik_problem, nip_problem

FIELD_ERRORS = {
    "required": "required",
    "null": "required",
    "invalid": "invalid_type",
    "invalid_awareness": "timezone_required",
    "format": "invalid_datetime",
}
# Spaces a person may leave around a text (what str.strip() takes, less what no text may hold).
BLANK = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
BLANK_CLASS = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Numbers people write in groups ("19870315 201001 1 002", "1403.0155.0790.0001", "0812-3456 789").
NIP = r"[ .-]*(?:[0-9][ .-]*){18}"
NIK = r"[ .-]*(?:[0-9][ .-]*){16}"
PHONE = r"[ ()-]*(?:\+[ ()-]*6[ ()-]*2|6[ ()-]*2|0)[ ()-]*8(?:[ ()-]*[0-9]){7,12}[ ()-]*"
EMAIL = (r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
         r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def non_blank_pattern(multiline: bool) -> str:
    """Some character that is not a space, among the characters a text may hold (for the document)."""
    excluded = text.CHARACTER[multiline][2:-1] + BLANK_CLASS + (r"\t\n\r" if multiline else "")
    return f"^{text.CHARACTER[multiline]}*[^{excluded}]{text.CHARACTER[multiline]}*$"


class Text(fields.String):
    """A text judged as the document describes it, then trimmed of surrounding spaces (and of the
    `separators` people group numbers with). An optional text that is empty, or only spaces, is absent."""

    def __init__(self, *, required: bool = False, min_len: int = 0, max_len: int = 200, multiline: bool = False,
                 pattern: str | None = None, error: str | None = None, separators: str = "", **kwargs):
        self.min_len, self.max_len, self.multiline, self.separators = min_len, max_len, multiline, separators
        self.pattern, self.pattern_error = (re.compile(pattern), error) if pattern else (None, None)
        # What an optional text may be and still mean "absent": spaces, and the separators alone.
        self.absent = f"[{BLANK_CLASS}{re.escape(separators)}]*"
        documented = f"^(?:{pattern})$" if pattern else text.PATTERNS[multiline]
        if pattern and not required:
            documented = f"^(?:{self.absent}|{pattern})$"
        metadata = {"maxLength": max_len, "pattern": documented, **({"minLength": min_len} if min_len else {}),
                    **kwargs.pop("metadata", {})}
        if not required:
            kwargs.setdefault("load_default", None)
            kwargs.setdefault("allow_none", True)
        super().__init__(required=required, error_messages=FIELD_ERRORS, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if not self.required and re.fullmatch(self.absent, raw):
            return None
        self._as_documented(raw)
        trimmed = raw.strip(BLANK + ("\t\n\r" if self.multiline else ""))
        for separator in self.separators:
            trimmed = trimmed.replace(separator, "")
        if not trimmed and not self.required:
            return None
        if len(trimmed) < max(self.min_len, 1):
            raise ValidationError(f"too_short_trimmed:{max(self.min_len, 1)}")
        return trimmed

    def _as_documented(self, raw: str) -> None:
        if len(raw) > self.max_len:
            raise ValidationError(f"too_long:{self.max_len}")
        if len(raw) < self.min_len:
            raise ValidationError(f"too_short:{self.min_len}")
        if problem := text.problem(raw, multiline=self.multiline):
            raise ValidationError(problem)
        if self.pattern is not None and self.pattern.fullmatch(raw) is None:
            raise ValidationError(self.pattern_error)


class Strict(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "unknown_field", "type": "invalid_type"}


class ReportedSchema(Strict):
    name = Text(required=True, min_len=2, max_len=200)
    nip = Text(max_len=40, pattern=NIP, error="nip_length", separators=" .-",
               metadata={"description": "18 digits, in groups if you like."})
    position = Text(max_len=200)
    work_unit = Text(max_len=200)
    kecamatan = fields.String(load_default=None, allow_none=True, error_messages=FIELD_ERRORS,
                              validate=validate.OneOf(KECAMATAN, error="not_in_list"))

    @validates("nip")
    def check_nip(self, value, **kwargs):
        if value is not None and nip_problem(value):
            raise ValidationError(f"nip_{nip_problem(value)}")

    @post_load
    def one_name_per_unit(self, data, **kwargs):
        # The closed list's own spelling, so the statistics count each unit once.
        if "work_unit" in data:
            data["work_unit"] = same_unit(data["work_unit"])
        return data


class ReporterSchema(Strict):
    anonymous = Flag(required=True, error_messages=FIELD_ERRORS)
    name = Text(max_len=200)
    email = Text(max_len=254, pattern=EMAIL, error="email_invalid")
    phone = Text(max_len=24, pattern=PHONE, error="phone_invalid", separators=" ()-",
                 metadata={"description": "An Indonesian mobile number, e.g. 0812 3456 7890 or +62 812-3456-7890."})
    nik = Text(max_len=30, pattern=NIK, error="nik_length", separators=" .-")
    consent_contact = Flag(load_default=False, error_messages=FIELD_ERRORS)

    @validates("nik")
    def check_nik(self, value, **kwargs):
        if value is not None and nik_problem(value):
            raise ValidationError(f"nik_{nik_problem(value)}")

    @validates_schema
    def identity_matches_choice(self, data, **kwargs):
        identity = [k for k in ("name", "email", "phone", "nik") if data.get(k) is not None]
        if data.get("anonymous"):
            if identity:
                raise ValidationError({k: ["identity_with_anonymous"] for k in identity})
            return
        errors = {}
        if data.get("name") is None:
            errors["name"] = ["required"]
        if data.get("email") is None and data.get("phone") is None:
            errors["email"] = ["contact_required"]
        if errors:
            raise ValidationError(errors)


class ComplaintSchema(Strict):
    reported = fields.Nested(ReportedSchema, required=True, error_messages=FIELD_ERRORS)
    platform = fields.String(required=True, error_messages=FIELD_ERRORS,
                             validate=validate.OneOf(tuple(PLATFORMS), error="not_in_list"))
    platform_other = Text(max_len=100)
    post_urls = fields.List(
        Text(required=True, max_len=2000, pattern=text.LINK, error="url_invalid"),
        load_default=list,
        error_messages=FIELD_ERRORS,
        validate=validate.Length(max=10, error="too_many:10"),
    )
    account_handle = Text(max_len=200)
    occurred_at = Moment(required=True, error_messages={**FIELD_ERRORS, "invalid": "invalid_datetime"})
    violation_types = fields.List(
        fields.String(validate=validate.OneOf(tuple(VIOLATION_TYPES), error="not_in_list"),
                      error_messages=FIELD_ERRORS),
        required=True,
        error_messages=FIELD_ERRORS,
        validate=validate.Length(min=1, error="choose_at_least_one"),
        metadata={"uniqueItems": True},
    )
    violation_other = Text(max_len=500, multiline=True)
    description = Text(required=True, min_len=10, max_len=5000, multiline=True)
    reporter = fields.Nested(ReporterSchema, required=True, error_messages=FIELD_ERRORS)

    @validates("occurred_at")
    def when_it_may_have_happened(self, value, **kwargs):
        if problem := moment_problem(value):
            raise ValidationError(problem)

    @validates("violation_types")
    def distinct(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("duplicates")

    @validates_schema
    def other_needs_words(self, data, **kwargs):
        errors = {}
        if data.get("platform") == "other" and not data.get("platform_other"):
            errors["platform_other"] = ["required_for_other"]
        if "other" in (data.get("violation_types") or []) and not data.get("violation_other"):
            errors["violation_other"] = ["required_for_other"]
        if errors:
            raise ValidationError(errors)


class ReplySchema(Strict):
    """A reporter's answer on the status page (screenshots travel as separate parts)."""

    message = Text(required=True, min_len=1, max_len=5000, multiline=True)


class ProofSignatureBody(Strict):
    algorithm = fields.String(required=True, error_messages=FIELD_ERRORS, metadata={"example": "Ed25519"})
    key_id = fields.String(required=True, error_messages=FIELD_ERRORS)
    value = fields.String(required=True, error_messages=FIELD_ERRORS,
                          metadata={"description": "base64 signature over the canonical JSON of `proof`"})


class SignedProofBody(Strict):
    """A proof of submission as intake gave it, and as anyone may hand it back to be checked."""

    proof = fields.Dict(required=True, error_messages=FIELD_ERRORS, metadata={
        "description": "What was filed and when, with each screenshot's SHA-256; no identity."})
    signature = fields.Nested(ProofSignatureBody, required=True, error_messages=FIELD_ERRORS)
