"""The public complaint contract (DOMAIN.md), as marshmallow schemas.

Every rule lives here. Errors are message codes ("nip_invalid", "too_long:200");
domain/messages.py turns them into sentences in Bahasa Indonesia or English.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from netra_common.contracts.reference import KECAMATAN, PLATFORMS, VIOLATION_TYPES
from netra_common.identifiers import nik_problem, nip_problem
from netra_common.text import has_unwanted_characters

FIELD_ERRORS = {
    "required": "required",
    "null": "required",
    "invalid": "invalid_type",
    "invalid_awareness": "timezone_required",
    "format": "invalid_datetime",
}
SEPARATORS = re.compile(r"[\s.\-]")
PHONE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)


def _storable(multiline: bool):
    def check(value: str) -> None:
        if has_unwanted_characters(value, multiline=multiline):
            raise ValidationError("control_character")
    return check


def text(*, required=False, min_len=0, max_len=200, multiline=False, **kwargs):
    validators = [validate.Length(max=max_len, error=f"too_long:{max_len}"), _storable(multiline)]
    if min_len:
        validators.append(validate.Length(min=min_len, error=f"too_short:{min_len}"))
    if not required:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
    return fields.String(required=required, validate=validators, error_messages=FIELD_ERRORS,
                         **kwargs)


class Strict(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "unknown_field", "type": "invalid_type"}
    # Numbers people write in groups ("19870315 201001 1 002", "1403.0155.0790.0001").
    compacted: tuple[str, ...] = ()

    @pre_load
    def strip_strings(self, data, **kwargs):
        """Surrounding spaces are never meaningful; an empty optional field means absent."""
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = SEPARATORS.sub("", value) if key in self.compacted else value.strip()
                if value == "" and key in self.fields and not self.fields[key].required:
                    value = None
            cleaned[key] = value
        return cleaned


class ReportedSchema(Strict):
    name = text(required=True, min_len=2, max_len=200)
    nip = text(max_len=18)
    position = text(max_len=200)
    work_unit = text(max_len=200)
    kecamatan = fields.String(load_default=None, allow_none=True, error_messages=FIELD_ERRORS,
                              validate=validate.OneOf(KECAMATAN, error="not_in_list"))
    compacted = ("nip",)

    @validates("nip")
    def check_nip(self, value, **kwargs):
        if value is not None and nip_problem(value):
            raise ValidationError(f"nip_{nip_problem(value)}")


class ReporterSchema(Strict):
    anonymous = fields.Boolean(required=True, error_messages=FIELD_ERRORS)
    name = text(max_len=200)
    email = fields.Email(load_default=None, allow_none=True,
                         error_messages={**FIELD_ERRORS, "invalid": "email_invalid"},
                         validate=validate.Length(max=254, error="too_long:254"))
    phone = text(max_len=20)
    nik = text(max_len=16)
    consent_contact = fields.Boolean(load_default=False, error_messages=FIELD_ERRORS)
    compacted = ("nik",)

    @validates("phone")
    def check_phone(self, value, **kwargs):
        if value is not None and not PHONE.match(re.sub(r"[\s\-()]", "", value)):
            raise ValidationError("phone_invalid")

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

    @post_load
    def normalise_phone(self, data, **kwargs):
        if data.get("phone"):
            data["phone"] = re.sub(r"[\s\-()]", "", data["phone"])
        return data


class ComplaintSchema(Strict):
    reported = fields.Nested(ReportedSchema, required=True, error_messages=FIELD_ERRORS)
    platform = fields.String(required=True, error_messages=FIELD_ERRORS,
                             validate=validate.OneOf(tuple(PLATFORMS), error="not_in_list"))
    platform_other = text(max_len=100)
    post_urls = fields.List(
        fields.Url(schemes={"http", "https"}, error_messages={**FIELD_ERRORS, "invalid": "url_invalid"},
                   validate=[validate.Length(max=2000, error="too_long:2000"), _storable(False)]),
        load_default=list,
        error_messages=FIELD_ERRORS,
        validate=validate.Length(max=10, error="too_many:10"),
    )
    account_handle = text(max_len=200)
    occurred_at = fields.AwareDateTime(required=True,
                                       error_messages={**FIELD_ERRORS, "invalid": "invalid_datetime"})
    violation_types = fields.List(
        fields.String(validate=validate.OneOf(tuple(VIOLATION_TYPES), error="not_in_list"),
                      error_messages=FIELD_ERRORS),
        required=True,
        error_messages=FIELD_ERRORS,
        validate=validate.Length(min=1, error="choose_at_least_one"),
    )
    violation_other = text(max_len=500, multiline=True)
    description = text(required=True, min_len=10, max_len=5000, multiline=True)
    reporter = fields.Nested(ReporterSchema, required=True, error_messages=FIELD_ERRORS)

    @validates("occurred_at")
    def not_in_future(self, value, **kwargs):
        if value > datetime.now(UTC) + CLOCK_SKEW:
            raise ValidationError("in_future")
        if value < EARLIEST_EVENT:
            raise ValidationError("too_old")

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

    message = text(required=True, min_len=1, max_len=5000, multiline=True)
