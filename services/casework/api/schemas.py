"""marshmallow schemas of casework's HTTP API: what each command and request must hold."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, validate, validates

from netra_common import text
from netra_common.contracts.reference import (
    KECAMATAN,
    PLATFORMS,
    SANCTION_LEVELS,
    SANCTION_TYPES,
    VIOLATION_TYPES,
)
from netra_common.contracts.work_units import same_unit
from netra_common.fields import Day, FullMatch, Moment
from services.casework.domain.accounts import STATES as ACCOUNT_STATES
from services.casework.domain.commands import MAX_DISCLOSURE_HOURS, TEAM_COMMANDS
from services.casework.domain.lifecycle import DISMISSAL_REASONS, STATUSES
from services.casework.domain.permissions import ROLES
from services.casework.domain.retention import HOLD_REASONS
from services.casework.read.queue import SORTS

UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
ASSIGNEE = rf"^(me|{UUID})$"
# A version or a count is a PostgreSQL integer: a larger number is refused here, not by the database.
LARGEST_INTEGER = 2**31 - 1


class Strict(Schema):
    class Meta:
        unknown = RAISE


UNSTORABLE = "Contains control characters that cannot be stored."
INVISIBLE = "Contains invisible formatting characters (text direction or zero-width marks)."


def _storable(multiline: bool):
    def check(value: str) -> None:
        problem = text.problem(value, multiline=multiline)
        if problem:
            raise ValidationError(UNSTORABLE if problem == text.CONTROL_CHARACTER else INVISIBLE)
    return check


def words(low: int, high: int, **kwargs):
    """Text of `low` to `high` characters; line breaks only in texts long enough to have lines. The
    document states the character rule as a pattern (netra_common.text)."""
    multiline = high > 200
    metadata = {"pattern": text.PATTERNS[multiline], **kwargs.pop("metadata", {})}
    return fields.String(validate=[validate.Length(min=low, max=high), _storable(multiline)], metadata=metadata,
                         **kwargs)


def web_addresses(**kwargs):
    """Links to posts: http(s) addresses of a named host, the rule the document states (a pattern)."""
    address = fields.String(validate=[validate.Length(max=2000),
                                      FullMatch(text.WEB_ADDRESS, error="Not a valid URL.")])
    return fields.List(address, validate=validate.Length(max=10), **kwargs)


class CommandBody(Strict):
    expected_version = fields.Integer(required=True, strict=True,
                                      validate=validate.Range(min=1, max=LARGEST_INTEGER),
                                      metadata={"description": "The case version the command was decided on."})


class AssignBody(CommandBody):
    assignee_id = fields.UUID(required=True)


class RequestClarificationBody(CommandBody):
    question = words(10, 2000, required=True)


class ResumeVerificationBody(CommandBody):
    note = words(10, 2000, required=True, metadata={"description": "Why the team goes on without the answer."})


class ProposeViolationBody(CommandBody):
    finding = words(10, 5000, required=True)
    legal_basis = words(3, 1000, required=True)
    sanction_level = fields.String(required=True, validate=validate.OneOf(tuple(SANCTION_LEVELS)))


class RejectProposalBody(CommandBody):
    note = words(5, 2000, required=True)


class DismissBody(CommandBody):
    reason = fields.String(required=True, validate=validate.OneOf(DISMISSAL_REASONS))
    note = words(0, 2000, load_default=None, allow_none=True)
    duplicate_of = words(1, 40, load_default=None, allow_none=True,
                         metadata={"description": "The number of the case this one repeats (NTR-YYYY-NNNNN)."})


class RecordSanctionBody(CommandBody):
    sanction_type = fields.String(required=True, validate=validate.OneOf(tuple(SANCTION_TYPES)))
    decree_number = words(3, 200, required=True)
    decree_date = Day(required=True)
    note = words(0, 2000, load_default=None, allow_none=True)


class CloseBody(CommandBody):
    note = words(0, 2000, load_default=None, allow_none=True)


class ReopenBody(CommandBody):
    reason = words(10, 2000, required=True)


class RequestDisclosureBody(CommandBody):
    recipient_id = fields.UUID(required=True, metadata={"description": "The named person to disclose to."})
    reason = words(20, 2000, required=True, metadata={"description": "Why: urgency and consequences."})


class ApproveDisclosureBody(CommandBody):
    request_id = fields.UUID(required=True)
    valid_for_hours = fields.Integer(required=True, strict=True,
                                     validate=validate.Range(min=1, max=MAX_DISCLOSURE_HOURS))


class DenyDisclosureBody(CommandBody):
    request_id = fields.UUID(required=True)
    note = words(5, 2000, required=True)


class PlaceLegalHoldBody(CommandBody):
    reason = fields.String(required=True, validate=validate.OneOf(tuple(HOLD_REASONS)),
                           metadata={"description": "Why the case is held: " + ", ".join(HOLD_REASONS) + "."})
    note = words(5, 2000, required=True, metadata={"description": "The letter, court case or request it rests on."})


class LiftLegalHoldBody(CommandBody):
    note = words(5, 2000, required=True)


def _body(name: str) -> type[CommandBody]:
    bodies = {body.__name__: body for body in (CommandBody, *CommandBody.__subclasses__())}
    if name not in bodies:
        raise LookupError(f"the table of commands names {name!r}, which is no command body in schemas.py")
    return bodies[name]


# Each team command's body, as the table of commands names it (domain/commands.py).
COMMAND_BODIES: dict[str, type[Schema]] = {c.name: _body(c.body) for c in TEAM_COMMANDS}


class LoginBody(Strict):
    username = words(1, 64, required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    otp = fields.String(required=True, validate=FullMatch(r"^ *[0-9]{3} ?[0-9]{3} *$"),
                        metadata={"description": "The 6-digit code from the authenticator app."})


class GrantRequestBody(Strict):
    copy = fields.String(load_default="sanitized",
                         validate=validate.OneOf(("thumbnail", "sanitized", "original")))
    purpose = words(5, 500, required=True)


class ReportedAsnBody(Strict):
    name = words(2, 200, required=True)
    nip = fields.String(load_default=None, allow_none=True, validate=FullMatch(r"^[0-9]{18}$"))
    position = words(0, 200, load_default=None, allow_none=True)
    work_unit = words(0, 200, load_default=None, allow_none=True)
    kecamatan = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(KECAMATAN))

    @post_load
    def one_name_per_unit(self, data, **kwargs):
        # The closed list's own spelling, as intake keeps it: the statistics count each unit once.
        data["work_unit"] = same_unit(data.get("work_unit"))
        return data


AT_LEAST_ONE_TYPE = "Choose at least one violation type."
REPEATED = "A choice is repeated."


class FileCaseBody(Strict):
    """A case the team files from its own monitoring."""

    reported = fields.Nested(ReportedAsnBody, required=True)
    platform = fields.String(required=True, validate=validate.OneOf(tuple(PLATFORMS)))
    post_urls = web_addresses(load_default=list)
    account_handle = words(0, 200, load_default=None, allow_none=True)
    occurred_at = Moment(required=True)
    violation_types = fields.List(fields.String(validate=validate.OneOf(tuple(VIOLATION_TYPES))),
                                  required=True, validate=validate.Length(min=1, error=AT_LEAST_ONE_TYPE),
                                  metadata={"uniqueItems": True})

    @validates("violation_types")
    def distinct(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError(REPEATED)
    description = words(10, 5000, required=True)


NOTIFY_MODES = ("immediate", "digest")


class PreferencesBody(Strict):
    notify_mode = fields.String(required=True, validate=validate.OneOf(NOTIFY_MODES))


def email(**kwargs):
    return fields.Email(validate=[validate.Length(max=254), _storable(multiline=False)], **kwargs)


class NewAccountBody(Strict):
    """An account an admin makes: its holder sets password and TOTP with the code mailed to `email`."""

    username = fields.String(required=True, validate=FullMatch(r"^[a-z0-9._-]{3,64}$"))
    full_name = words(2, 200, required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    work_unit = words(0, 200, load_default=None, allow_none=True)
    email = email(required=True, metadata={"description": "Where the one-time enrolment code is sent."})
    notify_mode = fields.String(load_default="immediate", validate=validate.OneOf(NOTIFY_MODES))


class RoleBody(Strict):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class EmailBody(Strict):
    email = email(required=True)


class ConfirmAccountBody(Strict):
    expected_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=LARGEST_INTEGER),
                                      metadata={"description": "The account's version the ketua looked at."})


def enrolment_code():
    return fields.String(required=True, validate=FullMatch(r"^[A-Za-z0-9_-]{32,64}$"),
                         metadata={"description": "The one-time code from the enrolment e-mail."})


class EnrolmentCodeBody(Strict):
    code = enrolment_code()


class EnrolmentBody(Strict):
    code = enrolment_code()
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    otp = fields.String(required=True, validate=FullMatch(r"^ *[0-9]{3} ?[0-9]{3} *$"),
                        metadata={"description": "A code from the authenticator set up with the secret shown."})


def otp_code(description: str = "The 6-digit code from the authenticator app."):
    return fields.String(required=True, validate=FullMatch(r"^ *[0-9]{3} ?[0-9]{3} *$"),
                         metadata={"description": description})


class OwnPasswordBody(Strict):
    """A member's own new password: the current one and a code prove who asks."""

    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    otp = otp_code()
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class OwnTotpBody(Strict):
    """A member's own new authenticator: the secret and ticket from POST /api/v1/me/totp, a code from
    the new authenticator, and the current password and a code from the old one."""

    new_totp_secret = fields.String(required=True, validate=FullMatch(r"^[A-Z2-7]{32}$"))
    ticket = fields.String(required=True, validate=FullMatch(r"^[0-9]{1,12}\.[0-9a-f]{64}$"))
    new_otp = otp_code("A code from the new authenticator.")
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    otp = otp_code("A code from the current (old) authenticator.")


class QueueQuery(Schema):
    """The work queue's filters, sort and page (GET /api/v1/cases); other query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    status = fields.String(validate=validate.OneOf(STATUSES))
    assignee = fields.String(validate=FullMatch(ASSIGNEE), metadata={"description": "A member's id, or `me`."})
    platform = fields.String(validate=validate.OneOf(tuple(PLATFORMS)))
    violation_type = fields.String(validate=validate.OneOf(tuple(VIOLATION_TYPES)))
    work_unit = words(1, 200, metadata={"description": "Part of the work unit's name."})
    kecamatan = fields.String(validate=validate.OneOf(KECAMATAN))
    overdue = fields.Boolean(truthy={"true", True}, falsy={"false", False})  # a query string, or RPC
    q = words(1, 200, metadata={"description": "Full-text search (Indonesian), or a case number."})
    sort = fields.String(load_default="opened_at", validate=validate.OneOf((*SORTS, "relevance")))
    order = fields.String(load_default="desc", validate=validate.OneOf(("asc", "desc")))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=LARGEST_INTEGER))


class AccountsQuery(Schema):
    """Which accounts to list (GET /api/v1/users); other query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    state = fields.String(validate=validate.OneOf(ACCOUNT_STATES))


class AuditQuery(Schema):
    """Which page of the account audit log (GET /api/v1/audit/accounts)."""

    class Meta:
        unknown = EXCLUDE

    account_id = fields.String(validate=FullMatch(f"^{UUID}$"),
                               metadata={"description": "Only this account's entries."})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=LARGEST_INTEGER))
