"""intake's tables, in its own schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from netra_common.rate_limit_store import limit_table
from netra_common.tables import messaging_tables

metadata = MetaData(schema="intake")
messaging = messaging_tables(metadata)

complaints = Table(
    "complaints",
    metadata,
    Column("complaint_id", UUID(as_uuid=True), primary_key=True),
    Column("tracking_code", String(16), nullable=False, unique=True),
    Column("receipt_hash", Text, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    # The complaint as filed, without the reporter: the reported ASN, the post, the story.
    Column("document", JSONB, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    # A libsodium sealed box only casework's vault can open; never plaintext.
    Column("sealed_identity", Text, nullable=True),
    # The signed proof of submission, to download again later.
    Column("proof", JSONB, nullable=True),
    # When casework purged the case and intake kept only the statistics' part (issue 18).
    Column("purged_at", DateTime(timezone=True), nullable=True),
    # When the reporter withdrew their consent to be contacted and erased their contact details.
    Column("contact_erased_at", DateTime(timezone=True), nullable=True),
)

status_view = Table(
    "complaint_status",
    metadata,
    Column("complaint_id", UUID(as_uuid=True), ForeignKey(complaints.c.complaint_id),
           primary_key=True),
    Column("status", String(40), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The case's version at the shown stage; None while only intake knows the complaint.
    Column("case_version", Integer, nullable=True),
    # When the shown stage's next step is due (casework's working-day deadline); None if it has none.
    Column("due_at", DateTime(timezone=True), nullable=True),
)

status_timeline = Table(
    "complaint_timeline",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), ForeignKey(complaints.c.complaint_id),
           nullable=False, index=True),
    Column("status", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("case_version", Integer, nullable=True),
)

# Each screenshot the reporter sent, and what evidence made of it.
screenshots = Table(
    "screenshots",
    metadata,
    Column("upload_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), ForeignKey(complaints.c.complaint_id),
           nullable=False, index=True),
    Column("message_id", UUID(as_uuid=True), nullable=True),
    Column("filename", Text, nullable=True),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=True),  # none once the complaint is purged
    Column("state", String(16), nullable=False),  # pending, accepted, rejected
    Column("reason_code", String(64), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# The conversation on the status page: the team's messages and the reporter's replies.
messages = Table(
    "messages",
    metadata,
    Column("message_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), ForeignKey(complaints.c.complaint_id),
           nullable=False, index=True),
    Column("author", String(16), nullable=False),  # team, reporter
    Column("kind", String(16), nullable=False),  # clarification, note, reply
    Column("body", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Failed guesses per client and per tracking code, and how long each must wait.
rate_limits = limit_table(metadata, "rate_limits")

# The work units (OPD) offered in the portal: reference data an admin edits.
work_units = Table(
    "work_units",
    metadata,
    Column("name", Text, primary_key=True),
    Column("group_name", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
)

# That the reporter's identity was disclosed, and to which body (never the identity itself).
identity_disclosures = Table(
    "identity_disclosures",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), ForeignKey(complaints.c.complaint_id), nullable=False,
           index=True),
    Column("disclosed_to", Text, nullable=False),
    Column("approved_at", DateTime(timezone=True), nullable=False),
)

# The answer to a filing or a reply sent with an Idempotency-Key, for a retry of it. Found by a
# hash of the key, sealed under a key derived from it (the answer holds the receipt), and kept
# for a day; request_mac tells the same request from another one sent with the same key.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("lookup", String(64), primary_key=True),
    Column("request_mac", LargeBinary, nullable=False),
    Column("sealed_answer", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# Each upload intake is about to put into quarantine, committed before the put. The filing
# that commits takes its own away; one still here after a few minutes belongs to a filing that
# never came (a crash, a lost database), and its upload is taken back out of quarantine.
upload_intents = Table(
    "upload_intents",
    metadata,
    Column("object_key", String(200), primary_key=True),
    Column("intended_at", DateTime(timezone=True), nullable=False, index=True),
)
