"""The facts of a case: immutable, past-tense, stored in the case's stream in order.

No event ever holds a reporter's identity: the vault keeps the sealed box apart
(adapters/vault.py); disclosure events record who asked, who approved, who read.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

CASE_EVENTS: dict[str, type[CaseEvent]] = {}
SYSTEM = {"id": "system", "role": "system"}
# Records of who looked and of time passing, not changes to what the case says: a command a
# member decided before one of these came in is still decided on the same case.
ACCESS_AND_TIME = frozenset({"evidence_viewed", "decree_viewed", "identity_read", "case_overdue"})
# Who looked: the case file lists these in its access log, never in its timeline of changes.
VIEWS = frozenset({"evidence_viewed", "decree_viewed", "identity_read"})


class EventDoesNotFit(Exception):
    """Stored data that is not an event of its class, even after its upcasters ran: the log is
    never guessed at (a dropped key or a defaulted one would change a fact silently)."""


@dataclass(frozen=True)
class CaseEvent:
    """A fact of a case. A stored event is never rewritten (the hash chains would break), so a class
    whose fields change raises its `class_version` and gains a static `upcast_vN_vN1(data)` that turns
    the stored data of version N into version N+1's in place, as the `eventsourcing` library does.
    `event_versions.json` keeps every version's fields; a test holds the classes to it
    (docs/decisions/0012)."""

    type: ClassVar[str] = ""
    class_version: ClassVar[int] = 1
    # Who caused it: a member's id and role, or the system.
    actor: dict = field(default_factory=lambda: dict(SYSTEM), kw_only=True)

    def __init_subclass__(cls, register: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.type and register:
            CASE_EVENTS[cls.type] = cls

    def to_data(self) -> dict:
        return asdict(self)

    @classmethod
    def field_types(cls) -> dict[str, str]:
        """Each field's name and declared type: what a stored event of this class version holds."""
        return {f.name: str(f.type) for f in fields(cls)}


def read_event(event_type: str, class_version: int, data: Mapping[str, Any], *,
               known: Mapping[str, type[CaseEvent]] = CASE_EVENTS) -> CaseEvent:
    """The event stored as (type, class version, data), brought up to its class's current version."""
    event_cls = known.get(event_type)
    if event_cls is None:
        raise EventDoesNotFit(f"no event class is called {event_type!r}")
    if not 1 <= class_version <= event_cls.class_version:
        raise EventDoesNotFit(f"stored as version {class_version} of {event_type}, which this code knows "
                              f"only up to version {event_cls.class_version}")
    state = copy.deepcopy(dict(data))  # the stored data stays as it was hashed
    for version in range(class_version, event_cls.class_version):
        getattr(event_cls, f"upcast_v{version}_v{version + 1}")(state)
    expected = event_cls.field_types().keys()
    unknown, missing = sorted(state.keys() - expected), sorted(expected - state.keys())
    if unknown or missing:
        problems = [f"{label} {', '.join(keys)}" for label, keys in
                    (("keys its class does not have:", unknown), ("keys missing:", missing)) if keys]
        raise EventDoesNotFit(f"{event_type} stored as version {class_version} does not fit version "
                              f"{event_cls.class_version} of its class ({'; '.join(problems)})")
    return event_cls(**state)


# --- opening and evidence ------------------------------------------------------------


@dataclass(frozen=True)
class CaseOpened(CaseEvent):
    type: ClassVar[str] = "case_opened"
    case_number: str
    source: str  # "public" (a complaint) or "team" (the team's own monitoring)
    complaint_id: str | None
    opened_at: str
    reported: dict
    platform: str
    post_urls: list
    account_handle: str | None
    occurred_at: str
    violation_types: list
    description: str
    # Only whether an identity exists and may be used for contact; the sealed box is in the vault.
    reporter: dict


@dataclass(frozen=True)
class EvidenceAttached(CaseEvent):
    type: ClassVar[str] = "evidence_attached"
    evidence_id: str
    upload_id: str
    sha256: str
    size: int
    content_type: str
    received_at: str
    perceptual_hash: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class EvidenceRejected(CaseEvent):
    type: ClassVar[str] = "evidence_rejected"
    upload_id: str
    reason_code: str


@dataclass(frozen=True)
class EvidenceViewed(CaseEvent):
    """A team member looked at a screenshot under a grant (evidence's custody log)."""

    type: ClassVar[str] = "evidence_viewed"
    evidence_id: str
    copy: str
    member_id: str
    member_role: str
    purpose: str
    grant_id: str
    viewed_at: str


# --- working the case ----------------------------------------------------------------


@dataclass(frozen=True)
class CaseAssigned(CaseEvent):
    type: ClassVar[str] = "case_assigned"
    assignee_id: str
    assignee_name: str


@dataclass(frozen=True)
class VerificationStarted(CaseEvent):
    type: ClassVar[str] = "verification_started"


@dataclass(frozen=True)
class ClarificationRequested(CaseEvent):
    type: ClassVar[str] = "clarification_requested"
    message_id: str
    question: str


@dataclass(frozen=True)
class ReporterReplied(CaseEvent):
    type: ClassVar[str] = "reporter_replied"
    message_id: str
    body: str
    replied_at: str


@dataclass(frozen=True)
class ClarificationAnswered(CaseEvent):
    type: ClassVar[str] = "clarification_answered"
    message_id: str


@dataclass(frozen=True)
class VerificationResumed(CaseEvent):
    """The team goes on without the reporter's answer (it did not come, or is not needed)."""

    type: ClassVar[str] = "verification_resumed"
    note: str


@dataclass(frozen=True)
class ViolationProposed(CaseEvent):
    """The first member's finding; it takes a second member to confirm it."""

    type: ClassVar[str] = "violation_proposed"
    finding: str
    legal_basis: str
    sanction_level: str


@dataclass(frozen=True)
class ProposalRejected(CaseEvent):
    type: ClassVar[str] = "proposal_rejected"
    note: str


@dataclass(frozen=True)
class ViolationConfirmed(CaseEvent):
    """A second member agreed with the proposed finding, which this event repeats."""

    type: ClassVar[str] = "violation_confirmed"
    finding: str
    legal_basis: str
    sanction_level: str
    proposed_by: str


@dataclass(frozen=True)
class CaseDismissed(CaseEvent):
    type: ClassVar[str] = "case_dismissed"
    reason: str
    note: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class ForwardedToBkppd(CaseEvent):
    type: ClassVar[str] = "forwarded_to_bkppd"


@dataclass(frozen=True)
class SanctionDecided(CaseEvent):
    type: ClassVar[str] = "sanction_decided"
    sanction_type: str
    decree_number: str
    decree_date: str
    note: str | None = None


@dataclass(frozen=True)
class DecreeAttached(CaseEvent):
    """BKPPD handed in its decree (SK) as a PDF; evidence keeps it under custody, the case its digest."""

    type: ClassVar[str] = "decree_attached"
    decree_id: str
    sha256: str
    size: int
    pages: int
    received_at: str


@dataclass(frozen=True)
class DecreeViewed(CaseEvent):
    """A member opened a kept decree (SK) again, under a grant casework signed (evidence's custody log
    has the same view); who is the actor."""

    type: ClassVar[str] = "decree_viewed"
    decree_id: str
    sha256: str
    purpose: str
    grant_id: str


@dataclass(frozen=True)
class CaseClosed(CaseEvent):
    type: ClassVar[str] = "case_closed"
    note: str | None = None


@dataclass(frozen=True)
class CaseReopened(CaseEvent):
    type: ClassVar[str] = "case_reopened"
    reason: str


@dataclass(frozen=True)
class CaseOverdue(CaseEvent):
    """A stage's deadline passed; marked once per stage entered."""

    type: ClassVar[str] = "case_overdue"
    stage: str
    stage_entered_at: str
    due_at: str


# --- the identity vault --------------------------------------------------------------


@dataclass(frozen=True)
class DisclosureRequested(CaseEvent):
    type: ClassVar[str] = "disclosure_requested"
    request_id: str
    recipient_id: str
    recipient_name: str
    recipient_body: str  # the body the recipient acts for, e.g. "BKPPD", "Tim Pemantau"
    reason: str


@dataclass(frozen=True)
class DisclosureApproved(CaseEvent):
    type: ClassVar[str] = "disclosure_approved"
    request_id: str
    valid_until: str


@dataclass(frozen=True)
class DisclosureDenied(CaseEvent):
    type: ClassVar[str] = "disclosure_denied"
    request_id: str
    note: str


@dataclass(frozen=True)
class IdentityRead(CaseEvent):
    """The named recipient read the identity; the event records that, never what it says."""

    type: ClassVar[str] = "identity_read"
    request_id: str
    read_at: str


# --- retention (docs/retention.md, docs/decisions/0032) -------------------------------


@dataclass(frozen=True)
class LegalHoldPlaced(CaseEvent):
    """The ketua keeps the case past its retention period (an appeal, a court's or an auditor's
    request) until the hold is lifted; `reason` is a code of retention.HOLD_REASONS."""

    type: ClassVar[str] = "legal_hold_placed"
    reason: str
    note: str


@dataclass(frozen=True)
class LegalHoldLifted(CaseEvent):
    type: ClassVar[str] = "legal_hold_lifted"
    note: str


@dataclass(frozen=True)
class CasePurged(CaseEvent):
    """The case passed its retention period off hold and its personal content was removed. The
    purge record: each event it emptied, by version, with its hash and the digest of what is left
    of it (docs/decisions/0031), so verify-log still checks them."""

    type: ClassVar[str] = "case_purged"
    purged_at: str
    outcome: str
    decided_at: str
    keep_until: str
    events: list
