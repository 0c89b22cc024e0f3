"""notify's tables, in its own schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from netra_common.tables import messaging_tables

metadata = MetaData(schema="notify")
messaging = messaging_tables(metadata)

# One row per (event, recipient, channel): the message, where it stands, and why.
# The guard that sends each message once; a reporter appears only as "reporter:<complaint>",
# their address only sealed.
deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", UUID(as_uuid=True), primary_key=True),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("channel", String(16), nullable=False),  # email, webhook, digest
    Column("kind", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # pending, retrying, sent, dead, queued, digested
    Column("address", Text, nullable=True),
    Column("address_sealed", Text, nullable=True),
    Column("subject", Text, nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text, nullable=True),
    Column("payload", JSONB, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("message_id", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    # The case and complaint the message was about, so their purge finds it (issue 18).
    Column("case_id", UUID(as_uuid=True), nullable=True, index=True),
    Column("complaint_id", UUID(as_uuid=True), nullable=True, index=True),
    UniqueConstraint("event_id", "recipient", "channel", name="deliveries_once"),
)

# Team members as casework announces them: whom to tell what, and how.
recipients = Table(
    "recipients",
    metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("full_name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("email", Text, nullable=True),
    Column("active", Boolean, nullable=False),
    Column("notify_mode", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Every complaint notify has heard of, with the reporter's e-mail sealed for notify when they
# agreed to be contacted (else null: anonymous, or no consent). A status change for a complaint
# not here yet waits for it; one whose contact is null is for no one.
reporter_contacts = Table(
    "reporter_contacts",
    metadata,
    Column("complaint_id", UUID(as_uuid=True), primary_key=True),
    Column("sealed_contact", Text, nullable=True),
    # The last news the reporter was told of (domain/reporter_news.py) and the case's version then:
    # one mail per change they care about, never one per internal step.
    Column("last_news", String(16), nullable=True),
    Column("last_news_version", Integer, nullable=True),
)

# One row per attempt at a delivery: when, how it went, and the (redacted) error.
delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("attempt_id", BigInteger, Identity(), primary_key=True),
    Column("delivery_id", UUID(as_uuid=True), ForeignKey("notify.deliveries.delivery_id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("attempt", Integer, nullable=False),  # counted afresh after a resend
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(16), nullable=False),  # sent, retrying, dead
    Column("error", Text, nullable=True),
)

# When each digest member's last digest was made: one a day, at the digest hour.
digest_runs = Table(
    "digest_runs",
    metadata,
    Column("recipient", Text, primary_key=True),
    Column("last_sent_at", DateTime(timezone=True), nullable=False),
)
