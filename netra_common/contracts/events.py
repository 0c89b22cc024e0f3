"""Payload schemas of every event on the bus, registered by (type, schema_version).

Producers dump with these schemas (unknown keys refused); consumers load them
tolerantly (unknown keys ignored), so a producer may add an optional field
without breaking older consumers. Anything else is a new schema_version.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

EVENT_SCHEMAS: dict[tuple[str, int], type[Schema]] = {}


def event(event_type: str, version: int = 1):
    """Register a payload schema for an event type and version."""

    def register(schema_cls: type[Schema]) -> type[Schema]:
        key = (event_type, version)
        if key in EVENT_SCHEMAS:
            raise ValueError(f"{event_type} v{version} registered twice")
        EVENT_SCHEMAS[key] = schema_cls
        return schema_cls

    return register


_INSTANCES: dict[tuple[str, int], Schema] = {}


def payload_schema(event_type: str, version: int) -> Schema:
    """The payload schema of an event type and version, made once per process: building one
    deep-copies every field, and every event emitted or received needs one. The schemas keep no
    state between loads (no hooks, no context), so one instance serves every worker."""
    key = (event_type, version)
    if (schema := _INSTANCES.get(key)) is None:
        try:
            schema = _INSTANCES[key] = EVENT_SCHEMAS[key]()
        except KeyError:
            raise KeyError(f"no contract for event {event_type} v{version}") from None
    return schema


def event_types() -> set[str]:
    return {event_type for event_type, _ in EVENT_SCHEMAS}


class Strict(Schema):
    class Meta:
        unknown = RAISE


def utc_datetime(**kwargs):
    return fields.AwareDateTime(format="iso", **kwargs)


# --- shapes shared by several events -------------------------------------------------


class ReportedAsn(Strict):
    """The civil servant a complaint is about (never the reporter)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    nip = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{18}$"))
    position = fields.String(load_default=None, allow_none=True)
    work_unit = fields.String(load_default=None, allow_none=True)
    kecamatan = fields.String(load_default=None, allow_none=True)


class QuarantinedScreenshot(Strict):
    upload_id = fields.UUID(required=True)
    object_key = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True, validate=validate.Range(min=0))
    filename = fields.String(load_default=None, allow_none=True)
    # What intake hashed on receipt (and signed into the reporter's proof), so evidence can
    # show that the bytes it took from quarantine are the bytes the reporter sent.
    sha256 = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class ReporterRef(Strict):
    """What the bus may know of a reporter: whether they are anonymous, and a sealed box.

    `sealed_identity` is a libsodium sealed box (base64) only casework's vault can open.
    """

    anonymous = fields.Boolean(required=True)
    sealed_identity = fields.String(load_default=None, allow_none=True)
    contact_consent = fields.Boolean(load_default=False)
    # The reporter's e-mail, sealed for notify alone, and only when they agreed to be contacted.
    sealed_contact = fields.String(load_default=None, allow_none=True)


class EvidenceDigest(Strict):
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    content_type = fields.String(required=True)
    received_at = utc_datetime(required=True)


# --- intake ----------------------------------------------------------------------------


@event("complaint_submitted")
class ComplaintSubmitted(Strict):
    complaint_id = fields.UUID(required=True)
    submitted_at = utc_datetime(required=True)
    reported = fields.Nested(ReportedAsn, required=True)
    platform = fields.String(required=True)
    platform_other = fields.String(load_default=None, allow_none=True)
    post_urls = fields.List(fields.String(), load_default=list)
    account_handle = fields.String(load_default=None, allow_none=True)
    occurred_at = utc_datetime(required=True)
    violation_types = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    violation_other = fields.String(load_default=None, allow_none=True)
    description = fields.String(required=True)
    screenshots = fields.List(fields.Nested(QuarantinedScreenshot), load_default=list)
    reporter = fields.Nested(ReporterRef, required=True)


@event("reporter_replied")
class ReporterReplied(Strict):
    """The reporter answered on the status page: words, and perhaps more screenshots."""

    complaint_id = fields.UUID(required=True)
    message_id = fields.UUID(required=True)
    body = fields.String(required=True)
    replied_at = utc_datetime(required=True)
    screenshots = fields.List(fields.Nested(QuarantinedScreenshot), load_default=list)


# --- evidence --------------------------------------------------------------------------


@event("evidence_stored")
class EvidenceStored(Strict):
    complaint_id = fields.UUID(required=True)
    upload_id = fields.UUID(required=True)
    evidence_id = fields.UUID(required=True)
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    size = fields.Integer(required=True, validate=validate.Range(min=1))
    content_type = fields.String(required=True)
    received_at = utc_datetime(required=True)
    stored_at = utc_datetime(required=True)
    width = fields.Integer(load_default=None, allow_none=True)
    height = fields.Integer(load_default=None, allow_none=True)
    # 64-bit pHash (hex): near-identical screenshots of one post have near hashes.
    perceptual_hash = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Regexp(r"^[0-9a-f]{16}$"))


@event("evidence_viewed")
class EvidenceViewed(Strict):
    """A team member looked at a screenshot under a grant: the custody log's entry. A screenshot the
    team handed in belongs to a case, not a complaint: then `case_id` names it (docs/decisions/0025)."""

    evidence_id = fields.UUID(required=True)
    complaint_id = fields.UUID(required=True, allow_none=True)
    case_id = fields.UUID(load_default=None, allow_none=True)
    copy = fields.String(required=True, validate=validate.OneOf(("thumbnail", "sanitized", "original")))
    member_id = fields.UUID(required=True)
    member_role = fields.String(required=True)
    purpose = fields.String(required=True)
    grant_id = fields.UUID(required=True)
    viewed_at = utc_datetime(required=True)


@event("evidence_rejected")
class EvidenceRejected(Strict):
    complaint_id = fields.UUID(required=True)
    upload_id = fields.UUID(required=True)
    reason_code = fields.String(required=True)
    rejected_at = utc_datetime(required=True)


# --- casework --------------------------------------------------------------------------


@event("case_status_changed")
class CaseStatusChanged(Strict):
    """A case moved to a new stage. Public-safe: intake shows it on the status page."""

    case_id = fields.UUID(required=True)
    complaint_id = fields.UUID(load_default=None, allow_none=True)
    status = fields.String(required=True)
    previous_status = fields.String(load_default=None, allow_none=True)
    changed_at = utc_datetime(required=True)
    case_number = fields.String(load_default=None, allow_none=True)
    # The case stream's version at this change: one command can move a case twice in one
    # transaction (BKPPD's decision closes it), so both changes carry the same time.
    case_version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    # When the stage's next step is due (its working-day deadline, docs/domain.md); None where the
    # stage has none. The reporter's status page says what happens next and by when.
    due_at = utc_datetime(load_default=None, allow_none=True)


@event("message_to_reporter")
class MessageToReporter(Strict):
    """Words the team wrote for the reporter's status page (a question, or news)."""

    case_id = fields.UUID(required=True)
    complaint_id = fields.UUID(required=True)
    message_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("clarification", "note")))
    body = fields.String(required=True)
    sent_at = utc_datetime(required=True)


@event("case_assigned")
class CaseAssignedEvent(Strict):
    """A case was given to a team member (notify tells them)."""

    case_id = fields.UUID(required=True)
    case_number = fields.String(required=True)
    assignee_id = fields.UUID(required=True)
    assigned_at = utc_datetime(required=True)


@event("reporter_reply_recorded")
class ReporterReplyRecorded(Strict):
    """The reporter's reply is on the case (notify tells the assignee; the words stay in casework)."""

    case_id = fields.UUID(required=True)
    case_number = fields.String(required=True)
    assignee_id = fields.UUID(load_default=None, allow_none=True)
    replied_at = utc_datetime(required=True)


@event("identity_disclosed")
class IdentityDisclosed(Strict):
    """The ketua approved disclosing the reporter's identity to a named body. No identity here:
    intake tells the reporter that it happened and to whom; notify tells the named recipient."""

    case_id = fields.UUID(required=True)
    complaint_id = fields.UUID(required=True)
    disclosed_to = fields.String(required=True)
    approved_at = utc_datetime(required=True)
    valid_until = utc_datetime(required=True)
    # The team or BKPPD account the disclosure names (absent from older producers).
    recipient_id = fields.UUID(load_default=None, allow_none=True)
    case_number = fields.String(load_default=None, allow_none=True)


@event("case_overdue")
class CaseOverdue(Strict):
    """A case's stage passed its deadline in working days; the ketua is told."""

    case_id = fields.UUID(required=True)
    case_number = fields.String(required=True)
    stage = fields.String(required=True)
    due_at = utc_datetime(required=True)
    marked_at = utc_datetime(required=True)
    assignee_name = fields.String(load_default=None, allow_none=True)


@event("team_member_changed")
class TeamMemberChanged(Strict):
    """An account was created or changed: notify keeps its own list of whom to tell what."""

    user_id = fields.UUID(required=True)
    full_name = fields.String(required=True)
    role = fields.String(required=True)
    email = fields.String(load_default=None, allow_none=True)
    active = fields.Boolean(required=True)
    notify_mode = fields.String(required=True, validate=validate.OneOf(("immediate", "digest")))


@event("account_changed")
class AccountChanged(Strict):
    """A team account was made, changed, enrolled, confirmed or deactivated (one entry of the account
    audit log): notify tells every active ketua, and the holder at the address they had if it
    changed. Never a password, an enrolment code or a secret."""

    audit_id = fields.Integer(required=True)
    action = fields.String(required=True)
    at = utc_datetime(required=True)
    actor_name = fields.String(required=True)
    actor_role = fields.String(required=True)  # admin, ketua, self, server
    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    full_name = fields.String(required=True)
    role = fields.String(required=True)
    work_unit = fields.String(load_default=None, allow_none=True)
    email = fields.String(load_default=None, allow_none=True)
    state = fields.String(required=True)
    changes = fields.Dict(load_default=dict)
    previous_email = fields.String(load_default=None, allow_none=True)


@event("enrolment_issued")
class EnrolmentIssued(Strict):
    """A one-time enrolment code for an account's holder, sealed with their address for notify alone
    (NETRA_NOTIFY_PUBLIC_KEY): it is in the clear in no outbox, message or log, only in the mail."""

    user_id = fields.UUID(required=True)
    full_name = fields.String(required=True)
    expires_at = utc_datetime(required=True)
    sealed_invitation = fields.String(required=True)


class LogCheckpoint(Strict):
    """casework's log at one moment: the position and whole-log hash it vouches for (decision 0016)."""

    global_position = fields.Integer(required=True, validate=validate.Range(min=1))
    log_hash = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    signed_at = fields.String(required=True)  # ISO 8601, UTC: signed as written, so kept as a string
    key_id = fields.String(required=True)


class CheckpointSignature(Strict):
    algorithm = fields.String(required=True, validate=validate.Equal("Ed25519"))
    key_id = fields.String(required=True)
    value = fields.String(required=True)


class SignedCheckpoint(Strict):
    checkpoint = fields.Nested(LogCheckpoint, required=True)
    signature = fields.Nested(CheckpointSignature, required=True)


class DossierSeal(Strict):
    """The dossier as forwarded: the SHA-256 of its canonical JSON and casework's Ed25519 signature
    over it (docs/dossier.md), so BKPPD can tell later that a dossier is the one it was sent."""

    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    algorithm = fields.String(required=True, validate=validate.OneOf(("Ed25519",)))
    key_id = fields.String(required=True)
    signature = fields.String(required=True)


@event("case_forwarded_to_bkppd")
class CaseForwardedToBkppd(Strict):
    """What BKPPD is told about a proven violation. Never the reporter's identity."""

    case_id = fields.UUID(required=True)
    case_number = fields.String(required=True)
    forwarded_at = utc_datetime(required=True)
    reported = fields.Nested(ReportedAsn, required=True)
    platform = fields.String(required=True)
    post_urls = fields.List(fields.String(), load_default=list)
    violation_types = fields.List(fields.String(), required=True)
    finding = fields.String(required=True)
    legal_basis = fields.String(required=True)
    sanction_level = fields.String(required=True)
    evidence = fields.List(fields.Nested(EvidenceDigest), load_default=list)
    # The log's signed checkpoint taken with the forward, for BKPPD to keep (older events lack it).
    checkpoint = fields.Nested(SignedCheckpoint, load_default=None, allow_none=True)
    # Absent from events a casework before the sealed dossier sent.
    dossier = fields.Nested(DossierSeal, load_default=None, allow_none=True)


# --- retention (issue 18) ---------------------------------------------------------------


@event("case_retention_changed")
class CaseRetentionChanged(Strict):
    """How long a case's records must be kept changed: its outcome was decided, or the ketua put it
    on legal hold or lifted one. Evidence extends the object lock of the case's originals to
    `keep_until` (a COMPLIANCE lock is only ever extended) and, while `on_hold`, keeps them past
    it. No personal data: ids, dates and codes only."""

    case_id = fields.UUID(required=True)
    complaint_id = fields.UUID(load_default=None, allow_none=True)
    keep_until = utc_datetime(required=True)
    on_hold = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(("outcome", "legal_hold", "hold_lifted")))
    changed_at = utc_datetime(required=True)


@event("case_purged")
class CasePurged(Strict):
    """A case passed its retention period off hold and casework purged its personal data. Every
    other service removes what it holds of the case: evidence every version of every object,
    intake the complaint's texts, contact and the ASN's name, NIP and account, notify its mails'
    bodies, addresses and outbox rows. Consumers are idempotent: a second delivery finds nothing."""

    case_id = fields.UUID(required=True)
    complaint_id = fields.UUID(load_default=None, allow_none=True)
    purged_at = utc_datetime(required=True)


@event("reporter_contact_erased")
class ReporterContactErased(Strict):
    """The reporter, on the status page with their receipt, withdrew their consent to be contacted and
    erased their contact details (UU 27/2022; issue 18). notify forgets their sealed address and sends
    them nothing more; the complaint itself stays. No personal data: the complaint's id and when."""

    complaint_id = fields.UUID(required=True)
    erased_at = utc_datetime(required=True)
