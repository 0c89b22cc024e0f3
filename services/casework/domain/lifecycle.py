"""The stages of a case (docs/domain.md, "The path of a case"). Which command may run in which is in the table
of commands (commands.py)."""

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

DISMISSAL_REASONS = ("not_asn", "not_political", "insufficient_evidence", "outside_period",
                     "duplicate", "other")
