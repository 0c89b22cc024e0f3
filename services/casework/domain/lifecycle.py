"""The stages of a case (DOMAIN.md, The case's path) and which command may run in which."""

from __future__ import annotations

OPENED = "opened"
ASSIGNED = "assigned"
UNDER_VERIFICATION = "under_verification"
CLARIFICATION_REQUESTED = "clarification_requested"
VIOLATION_PROPOSED = "violation_proposed"
VIOLATION_CONFIRMED = "violation_confirmed"
DISMISSED = "dismissed"
FORWARDED = "forwarded_to_bkppd"
SANCTION_DECIDED = "sanction_decided"
CLOSED = "closed"

STATUSES = (OPENED, ASSIGNED, UNDER_VERIFICATION, CLARIFICATION_REQUESTED, VIOLATION_PROPOSED,
            VIOLATION_CONFIRMED, DISMISSED, FORWARDED, SANCTION_DECIDED, CLOSED)
WORKING = (OPENED, ASSIGNED, UNDER_VERIFICATION, CLARIFICATION_REQUESTED, VIOLATION_PROPOSED)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "assign": WORKING,
    "start_verification": (ASSIGNED,),
    "request_clarification": (UNDER_VERIFICATION,),
    "resume_verification": (CLARIFICATION_REQUESTED,),
    "propose_violation": (UNDER_VERIFICATION,),
    "confirm_violation": (VIOLATION_PROPOSED,),
    "reject_proposal": (VIOLATION_PROPOSED,),
    "dismiss": WORKING,
    "forward_to_bkppd": (VIOLATION_CONFIRMED,),
    "record_sanction": (FORWARDED,),
    "close": (DISMISSED, SANCTION_DECIDED),
    "reopen": (DISMISSED, CLOSED),
    "request_disclosure": STATUSES,
    "approve_disclosure": STATUSES,
    "deny_disclosure": STATUSES,
}
COMMANDS = tuple(TRANSITIONS)

DISMISSAL_REASONS = ("not_asn", "not_political", "insufficient_evidence", "outside_period",
                     "duplicate", "other")
