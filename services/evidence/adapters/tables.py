"""evidence's tables, in its own schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from netra_common.tables import messaging_tables

metadata = MetaData(schema="evidence")
messaging = messaging_tables(metadata)

# One row per accepted screenshot of a complaint, screenshot the team handed in for a case, or decree
# (SK) of a case: what it is, as received. A case's items are found by case_id (indexed), a
# complaint's by complaint_id.
items = Table(
    "items",
    metadata,
    Column("evidence_id", UUID(as_uuid=True), primary_key=True),
    # A reporter's screenshot's upload; for a decree, the upload grant's id (so a grant stores one
    # file); for a team screenshot, derived from the upload grant's id and the file's place in it.
    Column("upload_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("kind", String(16), nullable=False, server_default="screenshot"),  # screenshot, decree
    Column("complaint_id", UUID(as_uuid=True), nullable=True, index=True),  # a screenshot's
    Column("case_id", UUID(as_uuid=True), nullable=True),  # a decree's, a team screenshot's
    Column("pages", Integer, nullable=True),  # a decree's
    Column("sha256", String(64), nullable=True, index=True),  # none once purged
    Column("size", BigInteger, nullable=False),
    Column("content_type", String(32), nullable=False),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("perceptual_hash", String(16), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    # When its case's retention ended and its objects and hashes were removed (issue 18).
    Column("purged_at", DateTime(timezone=True), nullable=True),
    Index("items_case_id", "case_id"),
    CheckConstraint("(kind = 'screenshot' AND (complaint_id IS NOT NULL OR case_id IS NOT NULL)) "
                    "OR (kind = 'decree' AND case_id IS NOT NULL)", name="items_screenshot_or_decree"),
)

# Every encrypted object kept for an item: the original and its derivatives.
stored_objects = Table(
    "stored_objects",
    metadata,
    Column("evidence_id", UUID(as_uuid=True), ForeignKey(items.c.evidence_id), primary_key=True),
    Column("copy", String(16), primary_key=True),  # original, sanitized, thumbnail
    Column("bucket", String(63), nullable=False),
    Column("object_key", String(200), nullable=False),
    Column("version_id", String(200), nullable=True),
    Column("plain_sha256", String(64), nullable=False),
    Column("plain_size", BigInteger, nullable=False),
    Column("content_type", String(32), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("retain_until", DateTime(timezone=True), nullable=True),
    # Which binding (crypto.associated_data) the object and its key were sealed under.
    Column("aad_version", SmallInteger, nullable=False, server_default="1"),
)

# Each object evidence is about to put, committed before the put. The unit of work that records
# the object takes its attempt's intents away; one left behind names an attempt that never
# committed, so what it put can be told from what no one at all explains (netra-evidence verify).
put_intents = Table(
    "put_intents",
    metadata,
    Column("intent_id", UUID(as_uuid=True), primary_key=True),
    Column("evidence_id", UUID(as_uuid=True), nullable=False),
    Column("copy", String(16), nullable=False),
    Column("bucket", String(63), nullable=False),
    Column("object_key", String(200), nullable=False),
    Column("intended_at", DateTime(timezone=True), nullable=False, index=True),
    Index("put_intents_object", "bucket", "object_key"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("upload_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("sha256", String(64), nullable=True),  # none when the upload's bytes were gone
    Column("reason_code", String(64), nullable=False),
    Column("rejected_at", DateTime(timezone=True), nullable=False),
)

# Who looked at which copy of which screenshot, when and why; and who of the team handed a
# screenshot in for a case (action "upload": the upload grant, its purpose, the time kept).
custody_log = Table(
    "custody_log",
    metadata,
    Column("view_id", UUID(as_uuid=True), primary_key=True),
    Column("evidence_id", UUID(as_uuid=True), ForeignKey(items.c.evidence_id), nullable=False,
           index=True),
    Column("copy", String(16), nullable=False),
    Column("member_id", UUID(as_uuid=True), nullable=False),
    Column("member_role", String(16), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("grant_id", UUID(as_uuid=True), nullable=False),
    Column("viewed_at", DateTime(timezone=True), nullable=False),  # for an upload: when it was kept
    Column("action", String(16), nullable=False, server_default="view"),  # view, upload
)

# What each case's retention asks of its screenshots, as casework announced it (case_retention_changed):
# their originals stay locked until keep_until, and past it while on hold.
case_retention = Table(
    "case_retention",
    metadata,
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), nullable=True, index=True),
    Column("keep_until", DateTime(timezone=True), nullable=False),
    Column("on_hold", Boolean, nullable=False),
    Column("reason", String(16), nullable=False),  # outcome, legal_hold, hold_lifted
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("purged_at", DateTime(timezone=True), nullable=True),
)

# What evidence itself did to objects in custody, beside the views in custody_log: each lock
# extended, legal hold set or released, and purge. Ids, dates and counts only, never content.
custody_actions = Table(
    "custody_actions",
    metadata,
    Column("action_id", UUID(as_uuid=True), primary_key=True),
    Column("case_id", UUID(as_uuid=True), nullable=True, index=True),
    Column("evidence_id", UUID(as_uuid=True), nullable=True, index=True),
    Column("action", String(24), nullable=False),  # lock_extended, legal_hold_set, legal_hold_released, purged
    Column("detail", JSONB, nullable=False, server_default="{}"),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Object versions a purge could not delete yet (still under a COMPLIANCE lock): housekeeping
# deletes each once its date has passed. Their data keys are already gone.
purge_leftovers = Table(
    "purge_leftovers",
    metadata,
    Column("bucket", String(63), primary_key=True),
    Column("object_key", String(200), primary_key=True),
    Column("version_id", String(200), primary_key=True),
    Column("case_id", UUID(as_uuid=True), nullable=False),
    Column("retain_until", DateTime(timezone=True), nullable=True),
)
