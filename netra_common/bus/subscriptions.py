"""Which service consumes which event: the bus topology, as data.

`netra-bus declare` creates a queue (with retry and dead-letter queues) for each
pair before any service publishes, so no event is ever published into the void.
A test checks that every @on_event handler in the services appears here and
every entry here has a handler.
"""

from __future__ import annotations

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "intake": ("case_status_changed", "evidence_stored", "evidence_rejected",
               "message_to_reporter", "identity_disclosed", "case_purged"),
    "evidence": ("complaint_submitted", "reporter_replied", "case_retention_changed", "case_purged"),
    "casework": ("complaint_submitted", "evidence_stored", "evidence_rejected", "evidence_viewed",
                 "reporter_replied"),
    "notify": ("complaint_submitted", "case_status_changed", "case_assigned", "reporter_reply_recorded",
               "message_to_reporter", "case_forwarded_to_bkppd", "case_overdue", "team_member_changed",
               "identity_disclosed", "account_changed", "enrolment_issued", "case_purged",
               "reporter_contact_erased"),
}


def subscription_pairs(subscriptions: dict[str, tuple[str, ...]] | None = None):
    subscriptions = SUBSCRIPTIONS if subscriptions is None else subscriptions
    for service, event_types in sorted(subscriptions.items()):
        for event_type in event_types:
            yield service, event_type
