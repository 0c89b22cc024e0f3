"""casework's tables, in its own schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, BIT, JSONB, TSVECTOR, UUID

from netra_common.rate_limit_store import limit_table
from netra_common.tables import messaging_tables

metadata = MetaData(schema="casework")
messaging = messaging_tables(metadata)

# The log: every fact about every case. Everything else in this schema is derived.
events = Table(
    "events",
    metadata,
    Column("global_position", BigInteger, Identity(always=True), primary_key=True),
    Column("stream_id", UUID(as_uuid=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("event_type", String(64), nullable=False),
    # The version of the event class's fields `data` was written as; read through the class's
    # upcasters (docs/decisions/0012). Events stored before versions existed are version 1.
    Column("class_version", Integer, nullable=False, server_default="1"),
    Column("data", JSONB, nullable=False),
    Column("metadata", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", String(64), nullable=True),
    Column("hash", String(64), nullable=False),
    # A second chain through the whole log in global order: H(previous log_hash, hash). A case
    # removed whole (events and head) leaves no gap in its own stream, but breaks this one.
    Column("log_hash", String(64), nullable=False),
    # How `hash` covers `data` (docs/decisions/0031): 1 the data itself, 2 its salted digest,
    # kept here with the salt; a purge removes the personal content and the salt, and names
    # itself (the purge record's event id) in `purged_by`.
    Column("hash_scheme", Integer, nullable=False, server_default="1"),
    Column("data_digest", String(64), nullable=True),
    Column("data_salt", String(32), nullable=True),
    Column("purged_by", UUID(as_uuid=True), nullable=True),
    UniqueConstraint("stream_id", "version", name="events_stream_version"),
    CheckConstraint("class_version >= 1", name="events_class_version_positive"),
    CheckConstraint("hash_scheme IN (1, 2)", name="events_hash_scheme_known"),
    CheckConstraint("hash_scheme = 1 OR data_digest IS NOT NULL", name="events_scheme_2_has_digest"),
)

# Each stream's head, moved by every append: removing a stream's last events is then visible.
streams = Table(
    "streams",
    metadata,
    Column("stream_id", UUID(as_uuid=True), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
)

# The whole log's head (one row): removing the log's last events is then visible too.
log_head = Table(
    "log_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("global_position", BigInteger, nullable=False),
    Column("log_hash", String(64), nullable=False),
)

# Signed checkpoints of the whole log (docs/decisions/0016): one at every forward to BKPPD (its
# case named) and one a day. Kept to narrow down where a rewrite happened; BKPPD keeps its own copies.
log_checkpoints = Table(
    "log_checkpoints",
    metadata,
    Column("checkpoint_id", BigInteger, Identity(always=True), primary_key=True),
    Column("global_position", BigInteger, nullable=False),
    Column("log_hash", String(64), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("case_id", UUID(as_uuid=True), nullable=True),
    Column("signed", JSONB, nullable=False),
    CheckConstraint("reason IN ('forward', 'daily', 'operator')", name="log_checkpoints_reason"),
    Index("log_checkpoints_case", "case_id"),
    Index("log_checkpoints_reason_signed_at", "reason", "signed_at"),
)

case_numbers = Sequence("case_number_seq", metadata=metadata)

checkpoints = Table(
    "projection_checkpoints",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Projection: one row per case for the work queue.
case_list = Table(
    "case_list",
    metadata,
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    Column("case_number", String(32), nullable=False, unique=True),
    Column("complaint_id", UUID(as_uuid=True), nullable=True, unique=True),
    Column("status", String(40), nullable=False),
    Column("source", String(16), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("violation_types", ARRAY(String), nullable=False),
    Column("reported_name", Text, nullable=False),
    Column("reported_nip", String(18), nullable=True),
    Column("work_unit", Text, nullable=True),
    Column("kecamatan", String(64), nullable=True),
    Column("assignee_id", UUID(as_uuid=True), nullable=True),
    Column("evidence_count", Integer, nullable=False, server_default="0"),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("assignee_name", Text, nullable=True),
    Column("post_urls", ARRAY(Text), nullable=False, server_default="{}"),
    Column("stage_entered_at", DateTime(timezone=True), nullable=True),
    Column("due_at", DateTime(timezone=True), nullable=True),
    Column("overdue", Boolean, nullable=False, server_default="false"),
    Column("ever_forwarded", Boolean, nullable=False, server_default="false"),
    # Full-text search in Indonesian over the case's words (never the reporter's).
    Column("search", TSVECTOR, nullable=True),
)

# Projection: a case dismissed as a duplicate linked to its original (cases sharing an ASN, a post
# or a near-identical screenshot are found from case_link_keys and case_screenshots when read:
# decision 0035).
case_links = Table(
    "case_links",
    metadata,
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    Column("linked_case_id", UUID(as_uuid=True), primary_key=True),
    Column("reason", String(32), primary_key=True),  # duplicate
    Column("detail", Text, nullable=True),
)

# Projection: what each case is known by (the ASN's NIP, each post's normalised URL), kept by the
# links projection itself so that it links in log order, live and in a rebuild alike.
case_link_keys = Table(
    "case_link_keys",
    metadata,
    Column("kind", String(16), primary_key=True),  # nip, post, case_number
    Column("key", Text, primary_key=True),
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    # A case's own keys, to find the cases sharing one when its links are read.
    Index("case_link_keys_case", "case_id"),
)

# Projection: each case's screenshots' perceptual hashes, to find near-duplicates when a case's
# links are read (decision 0035).
case_screenshots = Table(
    "case_screenshots",
    metadata,
    Column("evidence_id", UUID(as_uuid=True), primary_key=True),
    Column("case_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("perceptual_hash", String(16), nullable=False),
    # The same 64 bits as PostgreSQL's bit(64): the distance to a new one is counted in one scan.
    Column("perceptual_bits", BIT(64), nullable=False),
    # The log's position of the event that attached it: of two near screenshots, the later one
    # made the link, and the link's detail names the first such pair (read/queue.py).
    Column("global_position", BigInteger, nullable=False),
    # The screenshots with a hash, or with one near it (case_screenshot_near), when a case is read.
    Index("case_screenshots_hash", "perceptual_hash"),
)

# Projection: the pairs of distinct pHashes kept in case_screenshots that are near one another
# (within NEAR_DUPLICATE_DISTANCE bits), both ways: the index a case's similar-screenshot links are
# read through. Screenshots with one and the same hash are one hash here (decision 0035).
case_screenshot_near = Table(
    "case_screenshot_near",
    metadata,
    Column("perceptual_hash", String(16), primary_key=True),
    Column("near_hash", String(16), primary_key=True),
)

# Projection: when each case entered and left each stage (time spent, for statistics).
case_stages = Table(
    "case_stages",
    metadata,
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    # The version of the event that moved the case into the stage: one append can move a
    # case twice at one time (BKPPD's decision closes it), so the time alone is no key.
    Column("entered_version", Integer, primary_key=True),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("stage", String(40), nullable=False),
    Column("left_at", DateTime(timezone=True), nullable=True),
)

# Events about a complaint (evidence, replies) that arrived before its case was opened.
early_events = Table(
    "early_events",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("event_type", String(64), nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("arrived_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

users = Table(
    "users",
    metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("work_unit", Text, nullable=True),
    Column("email", Text, nullable=True),
    # Argon2id; none until the holder enrols (sets their own password and TOTP).
    Column("password_hash", Text, nullable=True),
    # TOTP secret (base32) for the second factor every role must use.
    Column("totp_secret", Text, nullable=True),
    # The time step of the last code accepted: a code logs in once.
    Column("totp_last_step", BigInteger, nullable=True),
    Column("notify_mode", String(16), nullable=False, server_default="immediate"),
    Column("active", Boolean, nullable=False, server_default="true"),  # false: deactivated
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("enrolled_at", DateTime(timezone=True), nullable=True),
    # Set by an active ketua (never the holder); cleared by any change of what was confirmed.
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    Column("confirmed_by", UUID(as_uuid=True), nullable=True),
    # Moved by every change: a ketua confirms the account as they saw it.
    Column("version", Integer, nullable=False, server_default="1"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey(users.c.user_id), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),  # the absolute end
    Column("idle_expires_at", DateTime(timezone=True), nullable=False),  # moved on by use
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("end_reason", String(32), nullable=True),
    # The member's private key, wrapped under a key only the bearer token gives (not its hash):
    # cleared when the session ends (docs/decisions/0017).
    Column("wrapped_member_key", Text, nullable=True),
)

# One-time enrolment codes (SHA-256 only), each for one account, used once, until it expires.
enrolments = Table(
    "enrolments",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey(users.c.user_id), nullable=False, index=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # Made when the holder first opens the code, shown to them alone, kept until they finish.
    Column("totp_secret", Text, nullable=True),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# Who did what to which account, when, as what (append-only: a trigger refuses changes).
account_audit = Table(
    "account_audit",
    metadata,
    Column("audit_id", BigInteger, Identity(always=True), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor_id", UUID(as_uuid=True), nullable=True),
    Column("actor_name", Text, nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("action", String(40), nullable=False),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("account_username", String(64), nullable=False),
    Column("details", JSONB, nullable=False, server_default="{}"),
)

# Failed logins per (name as typed, client) and in total, under HMAC'd keys.
login_limits = limit_table(metadata, "login_limits")

# While failed logins run high, attempts take turns: the next free turn (one row).
login_pace = Table(
    "login_pace",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("next_slot_at", DateTime(timezone=True), nullable=False),
)

# The vault's store: sealed boxes only. The vault's private key exists only wrapped
# (vault_tables.py: to each ketua's key and the offline recovery key, docs/decisions/0017).
sealed_identities = Table(
    "sealed_identities",
    metadata,
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    Column("sealed_identity", Text, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


# Each member's X25519 key pair: the private half only under a key their password gives.
member_keys = Table(
    "member_keys",
    metadata,
    Column("user_id", UUID(as_uuid=True), ForeignKey(users.c.user_id), primary_key=True),
    Column("public_key", Text, nullable=False),
    Column("salt", Text, nullable=False),  # Argon2id's, this member's own
    Column("locked_private_key", Text, nullable=False),  # secretbox under Argon2id(password, salt)
    Column("made_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The vault key pair: the public half (intake seals to it), the private half sealed to the
# office's offline recovery key. One row.
vault_keys = Table(
    "vault_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_key", Text, nullable=False),
    Column("recovery_public_key", Text, nullable=False),
    Column("sealed_for_recovery", Text, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("id = 1", name="vault_keys_one_row"),
)

# The vault's private key sealed to one ketua's public key: who may approve a disclosure.
vault_grants = Table(
    "vault_grants",
    metadata,
    Column("user_id", UUID(as_uuid=True), ForeignKey(users.c.user_id), primary_key=True),
    Column("sealed_vault_key", Text, nullable=False),
    Column("granted_by", UUID(as_uuid=True), nullable=True),  # none: vault-init or vault-recover
    Column("how", String(16), nullable=False),  # init, ketua, recovery
    Column("granted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# An approved disclosure's identity, sealed again to its recipient's public key alone.
disclosed_identities = Table(
    "disclosed_identities",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("case_id", UUID(as_uuid=True), nullable=False),
    Column("recipient_id", UUID(as_uuid=True), ForeignKey(users.c.user_id), nullable=False),
    Index("disclosed_identities_recipient", "recipient_id"),
    Column("sealed_identity", Text, nullable=False),
    Column("sealed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Each retention run (docs/retention.md): the daily timer runs once a day, whichever replica asks.
retention_runs = Table(
    "retention_runs",
    metadata,
    Column("run_id", UUID(as_uuid=True), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("started_by", String(16), nullable=False),
    Column("purged", Integer, nullable=False, server_default="0"),
    Column("held", Integer, nullable=False, server_default="0"),
    CheckConstraint("started_by IN ('timer', 'operator')", name="retention_runs_started_by"),
    Index("retention_runs_finished_at", "finished_at"),
)

# Who opened which case file (or its dossier) and when: no content, not in the case's log, one row
# a read (docs/breach-response.md); forgotten after NETRA_CASE_VIEWS_KEEP_DAYS (usecases/case_views.py).
case_views = Table(
    "case_views",
    metadata,
    Column("view_id", BigInteger, Identity(always=True), primary_key=True),
    Column("case_id", UUID(as_uuid=True), nullable=False),
    Column("viewer_id", UUID(as_uuid=True), nullable=False),
    Column("what", String(16), nullable=False),
    Column("viewed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("what IN ('case_file', 'dossier')", name="case_views_what"),
    Index("case_views_viewer", "viewer_id", "viewed_at"),
    Index("case_views_viewed_at", "viewed_at"),
)

# A reporter erased their contact details from the status page (docs/decisions/0034): the vault's
# identity of the case is never disclosed or read with its e-mail or telephone again.
contact_withdrawals = Table(
    "contact_withdrawals",
    metadata,
    Column("case_id", UUID(as_uuid=True), primary_key=True),
    Column("complaint_id", UUID(as_uuid=True), nullable=False),
    Column("erased_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Who listed or searched the cases (the queue, its search; any door), when, what they asked and which
# cases the page showed: one row a request (docs/decisions/0038). The search words go when a purged
# case could be named by them (adapters/list_reads.py); forgotten after NETRA_CASE_VIEWS_KEEP_DAYS.
list_reads = Table(
    "list_reads",
    metadata,
    Column("read_id", BigInteger, Identity(always=True), primary_key=True),
    Column("reader_id", UUID(as_uuid=True), nullable=False),
    Column("door", String(8), nullable=False),
    Column("asked", JSONB, nullable=False),
    Column("search_words", Text, nullable=True),
    Column("words_removed_at", DateTime(timezone=True), nullable=True),
    Column("shown", ARRAY(UUID(as_uuid=True)), nullable=False),
    Column("total", Integer, nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("door IN ('api', 'console', 'cli', 'rpc')", name="list_reads_door"),
    Index("list_reads_reader", "reader_id", "read_at"),
    Index("list_reads_read_at", "read_at"),
)
